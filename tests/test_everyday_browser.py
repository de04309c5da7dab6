"""A working day for each role on the demo council, in a real headless Chromium: the walks from
each home page into the work, no page wider than the window, and axe on every page.

Screenshots land in test-artifacts/ at 1366 and 390 px; docs/ shows some of them.
"""

import os
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from measures.models import Value
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE, DESKTOP, PHONE = 1920, 1366, 390
# Links that leave the page's HTML: sign-out, downloads and PDFs.
NOT_PAGES = ("/accounts/logout/", "_export=", "format=pdf")


@pytest.fixture
def demo():
    """The demo council, its users signing in with the tests' password."""
    call_command("load_demo", stdout=StringIO())
    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)
        user.save()


@pytest.fixture
def as_user(page, live_server, demo):
    """Signs in as a demo user through the sign-in form (signing out whoever was signed in) and
    waits for the home page."""

    def sign_in_as(username):
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in_as


def shoot(page, artifacts, name, widths=(DESKTOP, PHONE)):
    """Full-page screenshots of what is on screen, at each width."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(artifacts, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": DESKTOP, "height": 900})


def navigable(page):
    """Every page the navigation and the home page link to, in the order found."""
    page.goto("/")
    hrefs = page.eval_on_selector_all(
        ".govuk-service-navigation a, main a", "links => links.map(a => a.getAttribute('href'))"
    )
    urls = []
    for href in hrefs:
        if href and href.startswith("/") and not any(part in href for part in NOT_PAGES):
            href = href.split("#")[0]
            if href not in urls:
                urls.append(href)
    return urls


def overflow(page):
    """How far the page reaches past the window's right edge, in pixels (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("username", ["member", "lead", "bi"])
def test_no_page_is_wider_than_the_window(as_user, username):
    page = as_user(username)
    urls = navigable(page)
    assert "/reports/exception/" in urls and "/dashboard/" in urls
    page.goto("/dashboard/")
    urls.append(page.locator("table.app-table tbody a").first.get_attribute("href"))  # a measure's page
    wide = []
    for width in (DESKTOP, WIDE):
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(url)
            if overflow(page) > 0:
                wide.append((width, url, overflow(page)))
    assert wide == []


def test_each_exception_report_rows_commentary_is_visible_without_scrolling(as_user):
    page = as_user("member")
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.goto("/reports/exception/?committee=people-and-health&as_at=2020-10")
    cells = page.locator(".app-exception-row__text[data-label='Commentary']")
    assert cells.count() == 28
    for box in [cells.nth(i).bounding_box() for i in range(cells.count())]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP
        assert box["width"] >= 400  # read as a paragraph, not squeezed into a column
    assert overflow(page) <= 0


@pytest.mark.parametrize("username", ["member", "lead", "bi"])
def test_axe_finds_nothing_serious_on_any_page_at_both_widths(as_user, axe, username):
    # Each role's own pages; the pages every role shares are scanned once, as the member.
    shared = set() if username == "member" else set(navigable(as_user("member")))
    page = as_user(username)
    urls = [url for url in navigable(page) if url not in shared and not url.startswith("/admin/")]
    assert urls
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(url)
            axe(page)


def test_a_day_from_entry_to_the_committees_report(as_user, artifacts, axe):
    # The lead: from the home page into the entry form; fills Adult Care's figures and submits.
    page = as_user("lead")
    assert "Your figures for Nov-20" in page.inner_text("main")
    shoot(page, artifacts, "lead-home")
    page.click("text=Enter your figures for Nov-20")
    page.wait_for_url("**/my-measures/?period=2020-11")
    section = page.locator("#service-adult-care")
    assert "0 of 9 entered" in section.inner_text()
    for field in section.locator("input[name$='-value']").all():
        field.fill("5")
    # Targets now carry forward into Nov-20, so several rows rate Red and each needs its commentary.
    for commentary in section.get_by_label("Commentary").all():
        commentary.fill("Demand rose over the half term.")
    shoot(page, artifacts, "lead-my-measures")
    section.locator("button:has-text('Save and submit')").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    assert "9 values submitted" in page.inner_text(".govuk-notification-banner--success")
    assert "9 of 9 entered" in page.locator("#service-adult-care").inner_text()
    axe(page)

    # The BI team: from the home page's queue to approvals; approves, then publishes, Adult Care.
    page = as_user("bi")
    assert "Waiting for the BI team, Nov-20" in page.inner_text("main")
    shoot(page, artifacts, "bi-home")
    page.click("text=Approve and publish the figures for Nov-20")
    page.wait_for_url("**/approvals/?period=2020-11")
    # With a service's values listed, the page and its table fit the window: every column in view.
    assert overflow(page) <= 0
    assert page.evaluate("(w => w.scrollWidth <= w.clientWidth)(document.querySelector('.app-table-wrapper'))")
    for action in ("Approve", "Publish"):
        page.check("#services-adult-care")
        assert page.locator("input[name=values][data-service=adult-care]:checked").count() == 9
        page.check(f"#id_action-{action.lower()}")
        if action == "Approve":
            shoot(page, artifacts, "bi-approvals")
        page.click("button:has-text('Apply to selected values')")
        page.locator(".govuk-notification-banner--success").wait_for()
    assert Value.objects.filter(period__start__year=2020, period__start__month=11, status=Value.Status.PUBLISHED).count() == 9

    # The member: the home page shows the new month and leads to the exception report for it.
    page = as_user("member")
    assert "Your committees, as at Nov-20" in page.inner_text("main")
    shoot(page, artifacts, "member-home")
    page.click("text=Exception report for People and Health, as at Nov-20")
    page.wait_for_url("**/reports/exception/?committee=people-and-health&as_at=2020-11")
    assert page.locator("h1").inner_text() == "People and Health scrutiny measures"
    assert "Exception report, as at Nov-20" in page.inner_text("main")
    shoot(page, artifacts, "member-exception-report")
    assert overflow(page) <= 0
