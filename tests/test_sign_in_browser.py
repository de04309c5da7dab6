"""Signing in, in a real headless Chromium, with an accessibility scan."""

import os

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_in_and_sees_the_council_header(page, member, axe, artifacts):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Sign in"
    axe(page)
    page.get_by_label("Username").fill("member")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    header = page.locator("header.app-header").inner_text()
    assert "Dorset Council" in header and member.last_name in header
    heading_font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert heading_font.startswith("system-ui"), heading_font
    axe(page)
    page.screenshot(path=os.path.join(artifacts, "home.png"), full_page=True)


def test_a_wrong_password_is_announced_in_the_error_summary(page, member, axe):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("member")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "username and password" in summary.inner_text()
    axe(page)
