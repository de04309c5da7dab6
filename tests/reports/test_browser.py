"""The scrutiny journeys in a real headless Chromium, each with a screenshot and an axe scan."""

import os

import pytest

from measures.models import Measure
from tests.test_pages import directives

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(sign_in, demo_council, member):
    return sign_in(member.username)


def test_dashboard_with_two_filters(signed_in, axe, artifacts):
    page = signed_in
    page.goto("/dashboard/")
    page.select_option("#id_committee", "people-and-health")
    page.select_option("#id_rag", "Red")
    page.fill("#id_as_at", "2020-10")
    page.click("text=Apply filters")
    page.wait_for_url("**committee=people-and-health**")

    assert "rag=Red" in page.url
    rows = page.locator("table.app-table tbody tr")
    assert rows.count() == 6
    assert page.locator(".app-chart svg#rag-counts").first.is_visible()
    page.screenshot(path=os.path.join(artifacts, "dashboard-people-and-health-red.png"), full_page=True)
    axe(page)


def test_exception_report(signed_in, axe, artifacts):
    page = signed_in
    page.goto("/reports/exception/?committee=people-and-health&as_at=2020-10")

    assert page.locator("h1").inner_text() == "People and Health scrutiny measures"
    assert page.locator("table.app-exception-table tbody.app-exception-row").count() == 28
    assert "28 measures were identified as red or amber" in page.locator(".app-exception-summary").inner_text()
    page.screenshot(path=os.path.join(artifacts, "exception-report-people-and-health-oct-20.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=os.path.join(artifacts, "exception-report-print.png"), full_page=True)
    assert not page.locator("form.app-filters").is_visible()
    page.emulate_media(media="screen")
    axe(page)


def test_measure_page_draws_its_chart_under_the_content_security_policy(signed_in, axe, artifacts):
    page = signed_in
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    measure = Measure.objects.get(title="Rates of children in care per 10,000")
    response = page.goto(f"/measures/{measure.pk}/")

    assert directives(response.headers["content-security-policy"])["script-src"] == ["'self'"]
    page.wait_for_selector(".app-chart .main-svg")
    assert page.locator(".app-chart .main-svg").count() >= 1
    assert page.locator(".app-chart__table tbody tr").count() == 2
    page.screenshot(path=os.path.join(artifacts, "measure-children-in-care.png"), full_page=True)
    axe(page)
    assert violations == []


def test_plotly_comes_from_our_static_files(signed_in):
    page = signed_in
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    measure = Measure.objects.get(title="Rates of children in care per 10,000")
    page.goto(f"/measures/{measure.pk}/")
    page.wait_for_selector(".app-chart .main-svg")
    base = page.url.split("/measures/")[0]
    assert any(url == f"{base}/static/vendor/plotly/plotly-basic.min.js" for url in requested)
    assert [url for url in requested if not url.startswith(base) and not url.startswith("data:")] == []
