"""What a fresh installation and an empty framework show (issue 18, finding 22): the outcome
report opens on the last complete month, /public/ says it has no measures, month hints name a
recent month, the outcome charts are named for the council, and an unset COUNCIL_NAME is said."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from measures import periods
from reports import outcomes
from reports.checks import council_name_set
from tests.factories import MeasureFactory, OutcomeFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("today, opens_on", [
    (date(2026, 12, 2), date(2026, 11, 30)), (date(2026, 1, 31), date(2025, 12, 31)),
])
def test_the_outcome_report_opens_on_the_last_complete_month(today, opens_on):
    assert outcomes.parse_as_at("", today) == opens_on


def test_the_outcome_report_page_opens_on_the_last_complete_month(client, member):
    outcome = OutcomeFactory(slug="independent")
    client.force_login(member)
    report = client.get(reverse("outcome_report", args=[outcome.slug])).context["report"]
    assert report.as_at == periods.last_complete_month(date.today()).end


def test_public_says_it_has_no_measures_instead_of_an_as_at_month(client):
    html = client.get("/public/").content.decode()
    assert "No measures are published yet." in html
    assert "Latest figures as at" not in html


def test_month_hints_name_the_last_complete_month_not_a_fixed_one(client, lead):
    assert periods.month_hint(date(2026, 12, 2)) == "A month, such as 2026-11 or Nov-26"
    client.force_login(lead)
    html = client.get(reverse("my_measures")).content.decode()
    assert periods.month_hint() in html and "2020-10 or Oct-20" not in html
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "for example 2020-10" not in dashboard


def test_the_outcome_charts_series_is_named_for_the_council(settings):
    settings.COUNCIL_NAME = "Hart District Council"
    measure = MeasureFactory()
    ValueFactory(measure=measure, period=month(2020, 10), status="published")
    series = outcomes._series([measure.pk], date(2020, 10, 31))
    section = outcomes._measure_section(measure, series, {})
    assert [trace["name"] for trace in section.chart.figure["data"]] == ["Hart District Council"]


def test_an_unset_council_name_is_said_on_first_run(settings):
    settings.COUNCIL_NAME_SET = False
    [warning] = council_name_set()
    assert warning.id == "perfhub.W001" and "Dorset Council" in warning.msg
    err = StringIO()
    call_command("check", stdout=StringIO(), stderr=err)
    assert "perfhub.W001" in err.getvalue()
    settings.COUNCIL_NAME_SET = True
    assert council_name_set() == []
