"""SPC in a real headless Chromium: a measure's SPC chart and the SPC exception view, with
their icons' text alternatives, each scanned by axe."""

import os

import pytest

from measures.rating import Polarity, RAG
from tests.factories import CommitteeFactory
from tests.reports.test_spc_pages import AS_AT, series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def committee_measures(db):
    committee = CommitteeFactory()
    return committee, [
        series("Carers approved", Polarity.HIGHER, 170, committee=committee),
        series("Delayed transfers", Polarity.LOWER, 60, committee=committee, rag=RAG.RED),
    ]


def test_measure_page_draws_the_spc_chart_with_icons_and_table(sign_in, member, committee_measures, axe, artifacts):
    _, (carers, _) = committee_measures
    page = sign_in(member.username)
    page.goto(f"/measures/{carers.pk}/")
    # Drawn when scrolled into view (static/js/charts.js).
    page.locator(f"#measure-{carers.pk}-spc").scroll_into_view_if_needed()
    page.wait_for_selector(f"#measure-{carers.pk}-spc .main-svg")
    assert page.locator(f"#measure-{carers.pk}-spc .scatterlayer .trace").count() >= 4
    improving = page.get_by_role("img", name="Special cause variation of an improving nature: higher values")
    assert improving.is_visible()
    assert page.get_by_role("img", name="The process will consistently fail the target").is_visible()
    table = page.get_by_role("region", name="Carers approved: SPC chart (No.): data")
    assert "Special cause: improvement (beyond a process limit)" in table.inner_text()
    page.screenshot(path=os.path.join(artifacts, "measure-spc-chart.png"), full_page=True)
    axe(page)


def test_spc_exception_view_lists_the_measures_with_their_icons(sign_in, member, committee_measures, axe, artifacts):
    committee, _ = committee_measures
    page = sign_in(member.username)
    page.goto(f"/reports/spc-exceptions/?committee={committee.slug}&as_at={AS_AT}")
    rows = page.locator("table.app-spc-exception-table tbody tr")
    assert rows.count() == 2
    assert rows.first.get_by_role("img", name="Special cause variation of a concerning nature: higher values").is_visible()
    assert rows.nth(1).get_by_role("img", name="The process will consistently fail the target").is_visible()
    assert "How to read this page" in page.locator("h2").all_inner_texts()
    page.screenshot(path=os.path.join(artifacts, "spc-exceptions.png"), full_page=True)
    axe(page)
