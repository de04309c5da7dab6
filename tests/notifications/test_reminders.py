"""Reminders before and on the deadline, escalation after it, each once per rule and figure; the
e-mails they become (one each, or a daily digest), and the record of every e-mail sent."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from measures.models import Value
from notifications import delivery, reminders
from notifications.models import HeadOfService, Notification, Preference, ReminderRule, SentEmail
from tests.factories import MeasureFactory, UserFactory, ValueFactory, month

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def october(lead, adult_care):
    """Two Adult Care figures due for Oct-20 (deadline: 10 working days on, Fri 13 Nov 2020),
    one not yet entered and one submitted; the default reminder rules; a head of service."""
    lead.email = "lead@example.org"
    lead.save()
    MeasureFactory(title="Delayed transfers of care", service=adult_care)
    submitted = MeasureFactory(title="Reviews completed", service=adult_care)
    ValueFactory(measure=submitted, period=month(2020, 10), status=Value.Status.SUBMITTED)
    head = UserFactory(username="head", email="head@example.org", first_name="Hazel", last_name="Head")
    HeadOfService.objects.create(service=adult_care, person=head)
    reminders.add_default_rules()  # the migration's, unless a test before emptied the database
    return head


def send(when):
    with time_machine.travel(when, tick=False):
        return reminders.send_due(when)


def test_each_rule_reminds_once_at_its_time_and_escalation_goes_to_the_head(october, lead):
    head = october
    assert send(at(2020, 11, 10, 8, 59)) == 0  # Tuesday, three working days before: not yet 9:00
    assert send(at(2020, 11, 10, 9, 5)) == 1
    assert send(at(2020, 11, 10, 9, 20)) == 0  # never twice
    assert send(at(2020, 11, 12, 9, 0)) == 0
    assert send(at(2020, 11, 13, 9, 0)) == 1  # the deadline
    assert send(at(2020, 11, 13, 17, 0)) == 0
    assert send(at(2020, 11, 17, 9, 30)) == 1  # two working days after: escalation
    assert send(at(2020, 11, 18, 9, 30)) == 0

    before, on_the_day = lead.notifications.order_by("created_at")
    assert before.kind == on_the_day.kind == Notification.Kind.REMINDER
    assert before.subject == "Reminder: 1 figure to submit for Oct-20, due by Fri 13 Nov 2020, 3 working days left"
    assert "Delayed transfers of care" in before.body and "Reviews completed" not in before.body
    assert before.url == f"{reverse('my_measures')}?period=2020-10"
    assert on_the_day.subject.endswith("due today, Fri 13 Nov 2020")
    [escalation] = head.notifications.all()
    assert escalation.kind == Notification.Kind.ESCALATION
    assert escalation.subject == "Overdue: 1 figure for Oct-20 not yet submitted by your service"
    assert escalation.url == reverse("notifications:list")  # Outstanding is the BI team's alone


def test_a_head_of_service_in_the_bi_team_is_sent_to_the_outstanding_list(october, bi_user, adult_care):
    HeadOfService.objects.filter(service=adult_care).update(person=bi_user)
    send(at(2020, 11, 17, 9, 30))
    [escalation] = bi_user.notifications.all()
    assert escalation.url == f"{reverse('outstanding')}?period=2020-10"


def test_a_figure_submitted_before_the_deadline_is_not_chased(october, lead, adult_care):
    send(at(2020, 11, 10, 9, 5))
    measure = adult_care.measures.get(title="Delayed transfers of care")
    ValueFactory(measure=measure, period=month(2020, 10), status=Value.Status.SUBMITTED)
    assert send(at(2020, 11, 13, 9, 0)) == 0
    assert send(at(2020, 11, 17, 9, 30)) == 0


def test_a_figure_returned_after_a_reminder_is_reminded_by_the_next_rule_only(october, lead, adult_care):
    send(at(2020, 11, 10, 9, 5))
    measure = adult_care.measures.get(title="Reviews completed")
    Value.objects.filter(measure=measure).update(status=Value.Status.DRAFT)
    assert send(at(2020, 11, 10, 9, 30)) == 1  # the first rule, for the returned figure only
    newest = lead.notifications.order_by("-pk").first()
    assert "Reviews completed" in newest.body and "Delayed transfers" not in newest.body
    assert send(at(2020, 11, 10, 10, 0)) == 0


def test_an_old_month_is_not_chased_when_the_rules_are_first_set(october):
    # The worker first runs in February: November's and December's moments are long past.
    assert send(at(2021, 2, 1, 9, 0)) == 0


def test_reminders_are_e_mailed_in_the_councils_name_with_a_link_to_the_page(october, lead, mailoutbox, settings):
    settings.PERFHUB_URL = "https://perfhub.council.example"
    send(at(2020, 11, 10, 9, 5))

    assert delivery.deliver_pending(at(2020, 11, 10, 9, 6)) == 1
    assert delivery.deliver_pending(at(2020, 11, 10, 9, 7)) == 0

    [mail] = mailoutbox
    assert mail.to == ["lead@example.org"]
    assert mail.from_email == "Dorset Council performance team <perfhub@localhost>"
    assert mail.subject.startswith("Dorset Council PerfHub: Reminder: 1 figure to submit for Oct-20")
    link = "https://perfhub.council.example/my-measures/?period=2020-10"
    assert link in mail.body and "Delayed transfers of care" in mail.body
    [(html, kind)] = mail.alternatives
    assert kind == "text/html" and f'href="{link}"' in html and "Dorset Council performance team" in html
    [record] = SentEmail.objects.all()
    assert (record.recipient, record.address, record.kind) == (lead, "lead@example.org", "reminder")
    assert record.subject == mail.subject and record.body == mail.body


def test_a_person_who_chose_a_digest_gets_one_e_mail_a_day_with_an_unsubscribe_link(october, lead, mailoutbox, client):
    Preference.objects.create(user=lead, email=Preference.Email.DIGEST)
    send(at(2020, 11, 10, 9, 5))
    send(at(2020, 11, 13, 9, 0))
    assert delivery.deliver_pending(at(2020, 11, 13, 9, 1)) == 0

    assert delivery.send_digests(at(2020, 11, 14, 7, 0)) == 1
    assert delivery.send_digests(at(2020, 11, 15, 7, 0)) == 0
    [mail] = mailoutbox
    assert "your daily digest: 2 updates" in mail.subject
    assert "3 working days left" in mail.body and "due today" in mail.body
    unsubscribe = mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert f"To stop these digests: {unsubscribe}" in mail.body
    assert f'href="{unsubscribe}"' in mail.alternatives[0][0]

    path = unsubscribe.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200  # signed out: the link is enough
    assert "You will get no more" in client.post(path).content.decode()
    lead.notification_preference.refresh_from_db()
    assert lead.notification_preference.email == Preference.Email.NONE
    send(at(2020, 11, 17, 9, 30))
    Notification.objects.create(recipient=lead, kind="reminder", subject="Later", body="x")
    assert delivery.send_digests(at(2020, 11, 18, 7, 0)) == 0
    assert delivery.deliver_pending(at(2020, 11, 18, 7, 0)) == 1  # the head's escalation, not the lead
    assert mailoutbox[-1].to == ["head@example.org"]


def test_a_forged_unsubscribe_link_is_not_found(client, db):
    assert client.get("/notifications/unsubscribe/forged/").status_code == 404


def test_a_fresh_install_has_the_default_rules_once_and_the_bi_team_edits_them():
    from django.db.migrations.loader import MigrationLoader

    [migration] = [m for (app, name), m in MigrationLoader(None, ignore_no_migrations=True).disk_migrations.items()
                   if app == "notifications" and name.endswith("default_reminder_rules")]
    add = migration.operations[0].code
    ReminderRule.objects.all().delete()
    add(global_apps, None)
    assert list(ReminderRule.objects.values_list("offset", "hour", "active")) == [(-3, 9, True), (0, 9, True), (2, 9, True)]
    assert [rule.escalates for rule in ReminderRule.objects.all()] == [False, False, True]

    ReminderRule.objects.filter(offset=-3).update(offset=-5, hour=8)
    ReminderRule.objects.filter(offset=2).delete()
    add(global_apps, None)  # the BI team's changes stand
    assert list(ReminderRule.objects.values_list("offset", "hour")) == [(-5, 8), (0, 9)]


def test_the_demo_reminds_its_lead_before_and_on_the_deadline_and_escalates_to_its_head():
    ReminderRule.objects.all().delete()  # as on a fresh install: the demo adds the defaults
    call_command("load_demo", stdout=StringIO())
    lead, bi = (get_user_model().objects.get(username=name) for name in ("lead", "bi"))
    # Nov-26's monthly figures are due 10 working days on: Mon 14 Dec 2026.
    assert send(at(2026, 12, 9, 9, 15)) >= 1
    assert send(at(2026, 12, 14, 9, 15)) >= 1
    assert send(at(2026, 12, 16, 9, 15)) >= 1
    assert {n.kind for n in lead.notifications.all()} == {Notification.Kind.REMINDER}
    assert lead.notifications.filter(subject__contains="due today, Mon 14 Dec 2026").exists()
    assert bi.notifications.filter(kind=Notification.Kind.ESCALATION, subject__contains="Nov-26").exists()
