"""A measure's page with issue 21's figures: its numerator and denominator (shown and
exported), its roll-ups rated against their periods' targets, and its year-end forecast drawn
on the trend chart."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse

from measures.models import Measure, Value
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month

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
    assert any(row[0].startswith("Forecast by the trend, year end 2020-21") for row in response.context["chart"].rows)


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
