"""The dashboard's roll-up column and its "forecast to miss the year-end target" filter
(issue 21): right figures, in the table and its export, and no more queries for more measures."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.test import override_settings

from measures.models import Measure, Target, Value
from tests.factories import MeasureFactory, ValueFactory, month
from tests.reports.conftest import bulk_framework

pytestmark = pytest.mark.django_db
AS_AT = "2020-10"


def rolled(count):
    committee, measures = bulk_framework(count)
    Measure.objects.filter(pk__in=[m.pk for m in measures]).update(aggregation="sum")
    return committee, measures


def test_the_quarter_roll_up_is_a_column_of_the_dashboard_and_its_export(client, member):
    _, [measure] = rolled(1)
    client.force_login(member)
    response = client.get("/dashboard/", {"as_at": AS_AT, "rollup": "year_to_date"})
    [row] = response.context["table"].page.object_list
    # Apr-20 to Oct-20 of a measure whose figures run 0 (Oct-19) up by one a month: 6 + ... + 12.
    assert row.record.rollup.value == sum(range(6, 13)) and row.record.rollup.target == 700
    assert "Roll-up" in response.content.decode()
    export = client.get("/dashboard/", {"as_at": AS_AT, "rollup": "quarter", "_export": "csv"})
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    assert rows[0][-1] == "Roll-up"
    assert rows[1][-1] == "12.0 (Q3 20-21; 1 of 3 months)"


def test_without_a_roll_up_chosen_there_is_no_column(client, member):
    rolled(1)
    client.force_login(member)
    assert "Roll-up</th>" not in client.get("/dashboard/", {"as_at": AS_AT}).content.decode()


def test_forecast_to_miss_keeps_only_the_measures_forecast_to_miss(client, member):
    committee, [low, high] = rolled(2)
    # The second measure is well ahead of its monthly targets of 100: forecast to meet the year.
    Value.objects.filter(measure=high).update(value=D(150))
    client.force_login(member)
    response = client.get("/dashboard/", {"as_at": AS_AT, "forecast": "miss"})
    assert [r.record.measure.pk for r in response.context["table"].page.object_list] == [low.pk]


@pytest.mark.parametrize("count", [6, 60])
@override_settings(PERFHUB_PAGE_CACHE=False)
def test_the_dashboard_runs_the_same_queries_with_roll_ups_and_forecasts_at_any_size(
    client, member, django_assert_num_queries, count
):
    rolled(count)
    client.force_login(member)
    # 13 without (tests/reports/test_query_counts.py), two more for the roll-ups' values and targets.
    with django_assert_num_queries(15):
        client.get("/dashboard/", {"as_at": AS_AT, "rollup": "quarter"})
    for window in ("year_to_date", "year", "rolling_12"):
        with django_assert_num_queries(15):
            client.get("/dashboard/", {"as_at": AS_AT, "rollup": window})


@pytest.mark.parametrize("count", [6, 60])
@override_settings(PERFHUB_PAGE_CACHE=False)
def test_the_forecast_filter_runs_the_same_queries_at_any_size(client, member, django_assert_num_queries, count):
    rolled(count)
    client.force_login(member)
    # Three more than the dashboard's 13: the measures that roll up, their values and targets.
    with django_assert_num_queries(16):
        client.get("/dashboard/", {"as_at": AS_AT, "forecast": "miss"})


@override_settings(PERFHUB_PAGE_CACHE=False)
def test_the_exception_report_shows_each_measures_year_end_forecast_on_request(client, member):
    committee, [measure] = rolled(1)
    Value.objects.filter(measure=measure).update(rag="Red")
    client.force_login(member)
    plain = client.get("/reports/exception/", {"committee": committee.slug, "as_at": AS_AT})
    assert "Year-end forecast" not in plain.content.decode()
    response = client.get("/reports/exception/", {"committee": committee.slug, "as_at": AS_AT, "forecast": "1"})
    [row] = response.context["table"].rows
    text = row.get_cell_value("forecast")
    assert text.startswith("Forecast by the target profile: ") and text.endswith("forecast to miss the year-end target")
    export = client.get("/reports/exception/", {"committee": committee.slug, "as_at": AS_AT, "forecast": "1",
                                                "_export": "csv"})
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    column = rows[0].index("Year-end forecast")
    assert rows[1][column] == text
