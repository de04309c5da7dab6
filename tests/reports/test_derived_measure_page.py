"""A measure's page with issue 21's figures: its numerator and denominator (shown and
exported), its roll-ups rated against their periods' targets, and its year-end forecast drawn
on the trend chart."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from measures import periods
from measures.models import Measure, Value
from measures.models import Period
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month


def periods_year():
    return Period.for_span(periods.span(periods.FINANCIAL_YEAR, date(2020, 4, 1)))

pytestmark = pytest.mark.django_db


@pytest.fixture
def admissions(db):
    """A monthly count summed into roll-ups, with monthly targets of 100 and six months in."""
    measure = MeasureFactory(title="Admissions to care", aggregation="sum", polarity="lower")
    for m, figure in zip(range(4, 10), [90, 95, 100, 105, 110, 120]):
        ValueFactory(measure=measure, period=month(2020, m), value=D(figure), status=Value.Status.PUBLISHED)
    for m in list(range(4, 13)) + [1, 2, 3]:
        TargetFactory(measure=measure, period=month(2020 + (m < 4), m), value=D(100))
    return measure


def test_the_roll_ups_are_shown_and_rated_against_the_targets_for_their_periods(admissions, client, member):
    client.force_login(member)
    response = client.get(reverse("measure_detail", args=[admissions.pk]))
    ups = {u.window: u for u in response.context["rollups"]}
    assert ups["quarter"].value == 335 and ups["quarter"].target == 300 and ups["quarter"].rag == "Red"
    assert ups["year_to_date"].value == 620 and ups["year_to_date"].target == 600
    assert ups["year_to_date"].rag == "Amber"
    assert not ups["year"].complete and ups["year"].target == 1200
    html = response.content.decode()
    assert "Roll-ups" in html and "2020-21 to Sep-20" in html and "Not rated: incomplete" in html


def test_the_year_end_forecast_is_labelled_and_drawn_dashed_with_its_range(admissions, client, member):
    client.force_login(member)
    response = client.get(reverse("measure_detail", args=[admissions.pk]))
    forecast = response.context["forecast"]
    methods = {f.method: f for f in forecast.forecasts}
    assert methods["profile"].value == D(1240)  # 620 against a profile of 600 to date
    assert methods["trend"].value > 1240  # rising by about 6 a month
    assert forecast.misses  # lower is better, and both forecasts exceed 1,200
    html = response.content.decode()
    assert "Forecast by the target profile: <strong>1,240</strong>" in html
    assert "Forecast to miss the year-end target" in html
    traces = [t for t in response.context["chart"].figure["data"] if t["name"].startswith("Forecast")]
    assert {t["line"]["dash"] for t in traces} == {"dash"} and all("error_y" in t for t in traces)
    assert len(traces[0]["x"]) == 6  # October to March
    assert any(row[0].startswith("Forecast by the trend (months added up), year end 2020-21") for row in response.context["chart"].rows)


@pytest.mark.parametrize("aggregation, method", [
    ("mean", "Forecast by the trend (mean of the months)"),
    ("last", "Forecast by the trend (last month)"),
])
def test_a_mean_or_a_snapshot_is_forecast_labelled_with_its_method(client, member, aggregation, method):
    measure = MeasureFactory(title="Caseload", aggregation=aggregation, polarity="lower")
    for m, figure in zip(range(4, 10), [90, 92, 94, 96, 98, 100]):
        ValueFactory(measure=measure, period=month(2020, m), value=D(figure), status=Value.Status.PUBLISHED)
    TargetFactory(measure=measure, period=periods_year(), value=D(95))
    client.force_login(member)
    response = client.get(reverse("measure_detail", args=[measure.pk]))
    forecast = response.context["forecast"]
    trend = {f.method: f for f in forecast.forecasts}["trend"]
    # Rising by 2 a month to 112 in March: a mean of 101, a last month of 112; both miss 95.
    assert trend.value == {"mean": D(101), "last": D(112)}[aggregation]
    assert forecast.misses
    assert f"{method}: <strong>" in response.content.decode()
    if aggregation == "mean":
        assert {f.method for f in forecast.forecasts} == {"profile", "trend"}
        assert {f.method: f for f in forecast.forecasts}["profile"].value == D(95)  # 570 against 570 to date


def test_a_rate_is_forecast_from_its_numerator_and_denominator(client, member):
    measure = MeasureFactory(title="CP rate", unit="%", aggregation="ratio", polarity="lower",
                             numerator_label="Children on a plan", denominator_label="Children")
    for m, top in zip(range(4, 10), [10, 12, 14, 16, 18, 20]):
        ValueFactory(measure=measure, period=month(2020, m), numerator=D(top), denominator=D(100),
                     value=D(top), status=Value.Status.PUBLISHED)
    TargetFactory(measure=measure, period=periods_year(), value=D(20))
    client.force_login(member)
    response = client.get(reverse("measure_detail", args=[measure.pk]))
    [trend] = response.context["forecast"].forecasts
    # Numerators 10 to 32 by 2 over 12 x 100: 252 / 1,200.
    assert trend.value == D(21) and trend.label == "Forecast by the trend (summed numerators over summed denominators)"
    assert response.context["forecast"].misses
    html = response.content.decode()
    assert "Forecast by the trend (summed numerators over summed denominators): <strong>21</strong>" in html


def test_numerator_and_denominator_are_shown_and_exported(client, member):
    measure = MeasureFactory(title="CP rate", unit=Measure.Unit.RATE, decimal_places=2, aggregation="ratio",
                             numerator_label="Children on a plan", denominator_label="Population aged 0-17")
    ValueFactory(measure=measure, period=month(2020, 10), value=D("49.5006"), numerator=D(336),
                 denominator=D(67878), status=Value.Status.PUBLISHED)
    ValueFactory(measure=measure, period=month(2020, 11), value=D("50"), numerator=D(340),
                 denominator=D(68000), status=Value.Status.PUBLISHED)
    client.force_login(member)
    url = reverse("measure_detail", args=[measure.pk])
    response = client.get(url)
    html = response.content.decode()
    assert "Children on a plan over Population aged 0-17" in html and "67,878" in html
    quarter = {u.window: u for u in response.context["rollups"]}["quarter"]
    assert (quarter.numerator, quarter.denominator, quarter.value) == (D(676), D(135878), D("49.7505"))
    rows = list(csv.reader(io.StringIO(client.get(url, {"_export": "csv"}).getvalue().decode("utf-8-sig"))))
    assert rows[0][:4] == ["Period", "Data", "Numerator", "Denominator"]
    assert rows[1][:4] == ["Nov-20", "50.00", "340", "68,000"]


def test_a_measure_without_parts_has_no_numerator_column(admissions, client, member):
    client.force_login(member)
    url = reverse("measure_detail", args=[admissions.pk])
    header = next(csv.reader(io.StringIO(client.get(url, {"_export": "csv"}).getvalue().decode("utf-8-sig"))))
    assert "Numerator" not in header
