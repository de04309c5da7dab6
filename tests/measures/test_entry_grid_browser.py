"""My measures, compact, for the demo lead in a real Chromium (issue 18, finding 20): one row per
measure is a fraction of the detailed page's height, a figure typed there is rated as it is typed
and saved by the same form, and on a 390 x 844 phone the sticky buttons take little of the screen."""

import os

import pytest

from measures.models import Value
from tests.test_everyday_browser import as_user, demo, overflow  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
HEIGHT = "document.documentElement.scrollHeight"


def test_the_compact_page_is_a_fraction_of_the_detailed_one(as_user, axe, artifacts):
    page = as_user("lead")
    page.set_viewport_size(LAPTOP)
    page.goto("/my-measures/?view=detailed")
    rows = page.locator(".app-entry").count()
    detailed = page.evaluate(HEIGHT)
    page.get_by_role("link", name="Compact view").click()
    assert page.locator(".app-entry-grid tbody tr").count() == rows >= 10
    compact = page.evaluate(HEIGHT)
    page.screenshot(path=os.path.join(artifacts, "lead-my-measures-compact-1366.png"), full_page=True)
    assert compact <= detailed / 4, (compact, detailed)
    assert overflow(page) <= 0
    axe(page)

    # Remembered: the next visit opens compact, on a phone too, and still fits it.
    page.set_viewport_size(PHONE)
    page.goto("/my-measures/")
    assert page.locator(".app-entry-grid").count() >= 1
    page.screenshot(path=os.path.join(artifacts, "lead-my-measures-compact-390.png"), full_page=True)
    assert overflow(page) <= 0
    bar = page.locator(".app-entry-section__actions").first
    assert bar.evaluate("element => element.getBoundingClientRect().height") <= 0.12 * PHONE["height"]
    axe(page)
