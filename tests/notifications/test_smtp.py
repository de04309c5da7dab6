"""One e-mail through a real SMTP server the test starts (aiosmtpd), as production sends them."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from notifications import delivery
from notifications.models import Notification, SentEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_notification_goes_through_a_real_smtp_server_as_text_and_html(settings):
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        lead = UserFactory(username="smtp-lead", email="lead@example.org", first_name="Sam", last_name="Lead")
        note = Notification.objects.create(
            recipient=lead, kind="returned", subject="Returned to you: Delayed transfers (Oct-20)",
            body="Please check the figure.", url="/my-measures/?period=2020-10",
        )
        assert delivery.deliver_pending(note.created_at) == 1
    finally:
        server.stop()

    [(sender, recipients, content)] = inbox.messages
    assert sender == "perfhub@localhost" and recipients == ["lead@example.org"]
    message = message_from_bytes(content, policy=policy.default)
    assert message["From"] == "Dorset Council performance team <perfhub@localhost>"
    assert message["Subject"] == "Dorset Council PerfHub: Returned to you: Delayed transfers (Oct-20)"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Dear Sam Lead" in text and "http://127.0.0.1:8000/my-measures/?period=2020-10" in text
    assert 'href="http://127.0.0.1:8000/my-measures/?period=2020-10"' in html
    assert SentEmail.objects.get().address == "lead@example.org"
