"""The outcome report and the risk register in a real headless Chromium, with axe scans."""

import os
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from risks import services
from risks.models import Risk
from tests.factories import PASSWORD

# Not serialized_rollback: restoring the migrations' rows would clash with the groups that
# ensure_roles makes again after another transactional test's flush. pytest-django runs the
# transactional tests last, and scoring falls back to the default thresholds when none are stored.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(sign_in):
    call_command("load_demo", stdout=StringIO())
    user = get_user_model().objects.get(username="member")
    user.set_password(PASSWORD)
    user.save()
    return sign_in("member")


def test_outcome_report_draws_its_doughnuts_and_trend_charts(signed_in, axe, artifacts):
    page = signed_in
    page.goto("/reports/outcomes/independent/?as_at=2018-09")
    for chart_id in ["indicator-trends", "measure-trends", "risk-levels"]:
        assert page.locator(f"svg#{chart_id}").count() == 1
    trend_charts = page.locator("svg[id^=measure-]")
    assert trend_charts.count() >= 15
    assert page.locator("svg#risk-levels path").count() == 3
    assert page.evaluate("typeof window.Plotly") == "undefined"
    page.screenshot(path=os.path.join(artifacts, "outcome-report.png"), full_page=True)
    axe(page)


def test_risk_register_draws_its_heat_map(signed_in, axe, artifacts):
    services.record_review(Risk.objects.get(code="07i"), date(2018, 9, 1), likelihood=4, impact=5)
    services.record_review(Risk.objects.get(code="CS04"), date(2018, 9, 1), likelihood=3, impact=3)
    page = signed_in
    page.goto("/risks/?outcome=independent")
    assert page.locator("svg#heat-map rect").count() == 25
    assert "Likelihood 4" in page.locator(".app-chart__table").inner_text()
    assert page.locator("table.app-table tbody tr").count() == 15
    page.screenshot(path=os.path.join(artifacts, "risk-register.png"), full_page=True)
    axe(page)

    page.select_option("#id_level", "HIGH")
    page.click("text=Apply filters")
    page.wait_for_selector("svg#heat-map")
    assert page.locator("table.app-table tbody tr").count() == 4
    axe(page)


def test_risk_page_draws_its_score_history(signed_in, axe, artifacts):
    risk = Risk.objects.get(code="07i")
    services.record_review(risk, date(2018, 3, 1), likelihood=4, impact=4)
    services.record_review(risk, date(2018, 9, 1), likelihood=4, impact=5)
    page = signed_in
    page.goto("/risks/07i/")
    page.wait_for_selector("svg#score-history polyline")
    assert "WORSENING" in page.locator(".app-chart__table").inner_text()
    page.screenshot(path=os.path.join(artifacts, "risk-page.png"), full_page=True)
    axe(page)
