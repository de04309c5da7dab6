"""The demo council's widest tables in a real Chromium (issue 18, findings 19 and 21): approvals
fits a 1366 x 768 laptop with every column in view, and on a 390 x 844 phone the approvals and
outcome report tables become one card per row instead of scrolling sideways."""

import pytest

from tests.test_everyday_browser import as_user, demo, overflow  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Each table's wrapper: [its label, how far its table reaches past it].
SCROLLING = """[...document.querySelectorAll('.app-table-wrapper')]
    .map(w => [w.getAttribute('aria-label'), w.scrollWidth - w.clientWidth]).filter(([, past]) => past > 0)"""


def test_approvals_fits_a_laptop_with_every_column_in_view(as_user, axe):
    page = as_user("bi")
    page.set_viewport_size(LAPTOP)
    page.goto("/approvals/?period=2020-10")
    rows = page.locator(".app-table tbody tr")
    assert rows.count() >= 20  # the demo's month: enough rows for the longest words to matter
    assert overflow(page) <= 0
    assert page.evaluate(SCROLLING) == []
    # each row still says its service, under its measure
    assert "Adult Care" in rows.first.locator("td[data-label='Measure']").inner_text()
    axe(page)


def test_approvals_and_the_outcome_report_are_cards_on_a_phone(as_user, axe):
    page = as_user("bi")
    page.set_viewport_size(PHONE)
    page.goto("/reports/outcomes/")
    outcome = page.locator("main a[href^='/reports/outcomes/']").first.get_attribute("href")
    for url in ("/approvals/?period=2020-10", outcome):
        page.goto(url)
        assert overflow(page) <= 0, url
        assert page.evaluate(SCROLLING) == [], url
        tables = page.locator(".app-table-wrapper--cards .app-table")
        assert tables.count() >= 1, url
        assert page.evaluate("[...document.querySelectorAll('.app-table-wrapper--cards .app-table')]"
                             ".every(t => getComputedStyle(t).display === 'block')"), url
        axe(page)
