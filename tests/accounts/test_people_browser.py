"""The BI team invites someone and deactivates them, in a real headless Chromium, with
accessibility scans of the people pages and the password pages."""

import os
import re

import pytest
from django.core import mail

from tests.factories import ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bi_team_invites_a_service_lead_who_chooses_a_password(page, sign_in, bi_user, axe, artifacts, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ServiceFactory(name="Housing")
    sign_in("bi")
    page.get_by_role("link", name="People").click()
    axe(page)
    page.get_by_role("button", name="Invite someone").click()

    page.get_by_role("button", name="Send the invitation").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter an e-mail address" in summary.inner_text()
    assert "Choose a role" in summary.inner_text()
    axe(page)

    page.get_by_label("E-mail address").fill("sam@council.example")
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Service lead").check()
    page.get_by_label("Housing").check()
    page.get_by_role("button", name="Send the invitation").click()
    assert "Invitation sent to sam@council.example" in page.locator(".govuk-notification-banner").inner_text()
    assert "Invited: Service lead, leading Housing" in page.locator("#account-events").inner_text()
    axe(page)
    page.screenshot(path=os.path.join(artifacts, "person.png"), full_page=True)

    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    assert page.locator("h1").inner_text() == "Choose your password"
    axe(page)
    page.get_by_label("New password", exact=True).fill("a-longer-harder-passphrase")
    page.get_by_label("New password confirmation").fill("a-longer-harder-passphrase")
    page.get_by_role("button", name="Save the password").click()
    assert page.locator("h1").inner_text() == "Password saved"
    axe(page)


def test_the_password_reset_page_is_accessible(page, axe):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert page.locator("h1").inner_text() == "Reset your password"
    axe(page)
