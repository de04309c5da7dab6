"""People and API tokens on a 390 px phone (issue 18, finding 21): their tables become one card
per row, each cell labelled by its column, instead of running past the screen."""

import pytest

from accounts import services
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("url", ["/accounts/people/", "/accounts/api-tokens/"])
def test_the_page_fits_a_phone_with_its_table_as_cards(page, sign_in, bi_user, url, axe):
    UserFactory(username="c.longname", email="commissioning.quality.partnerships.officer@example.gov.uk",
                first_name="Christopher", last_name="Montgomery-Fotheringham")
    services.create_token(bi_user, "Power BI committee dashboard refresh", 90)
    page = sign_in(bi_user.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)

    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.locator(".app-table-wrapper--cards td[data-label]").count() > 0
    axe(page)


@pytest.mark.parametrize("url", ["/dashboard/", "/accounts/people/", "/approvals/?period=2020-10"])
def test_a_card_tables_caption_spans_the_phone_not_a_narrow_column(page, sign_in, bi_user, url):
    from tests.factories import MeasureFactory, ValueFactory, month

    ValueFactory(measure=MeasureFactory(), period=month(2020, 10), status="published")
    page = sign_in(bi_user.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    widths = page.evaluate("[...document.querySelectorAll('.app-table-wrapper--cards caption')].map(c => "
                           "[c.getBoundingClientRect().width, c.closest('.app-table-wrapper').clientWidth])")
    assert widths and all(caption >= wrapper - 2 for caption, wrapper in widths), widths
