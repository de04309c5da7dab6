"""My measures on a phone (issue 18, finding 20, the sticky bar): the section's buttons, kept in
view at the bottom of the screen, take about a tenth of a 390 x 844 phone's screen, not a fifth."""

import pytest

from tests.factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sticky_buttons_take_little_of_a_phones_screen(page, sign_in, lead, adult_care, axe):
    for number in range(3):
        MeasureFactory(title=f"Measure {number}", service=adult_care)
    page = sign_in(lead.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/my-measures/?period=2020-10")

    bar = page.locator(".app-entry-section__actions").first
    height = bar.evaluate("element => element.getBoundingClientRect().height")
    assert height <= 0.12 * 844, height
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    for name in ("Save and submit to the BI team", "Save as draft", "Check ratings"):
        assert bar.get_by_role("button", name=name).first.is_visible()
    axe(page)
