"""The dashboard: every filter narrows the measures, filters combine, bad values are explained,
and the page's queries do not grow with the framework."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from measures.models import Measure, Value
from measures.rating import RAG, Direction
from tests.factories import (
    CommitteeFactory, MeasureFactory, OutcomeFactory, ServiceFactory, ValueFactory, month,
)
from tests.reports.conftest import bulk_framework, table_rows

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")


def published(measure, rag=RAG.GREEN, dot=Direction.SAME, period=None, value="10"):
    return ValueFactory(
        measure=measure, period=period or month(2020, 10), value=Decimal(value), rag=rag,
        direction_of_travel=dot, status=Value.Status.PUBLISHED,
    )


@pytest.fixture
def framework(db):
    """Four measures that differ in one way each from the first."""
    people = CommitteeFactory(name="People and Health")
    place = CommitteeFactory(name="Place and Resources")
    care = ServiceFactory(name="Care Protection")
    housing = ServiceFactory(name="Housing")
    independent = OutcomeFactory(name="People in Dorset are Independent", short_name="Independent")
    carers = MeasureFactory(title="Number of active foster carers", service=care, outcome=independent)
    carers.committees.add(people)
    published(carers, RAG.RED, Direction.WORSENING)
    in_care = MeasureFactory(title="Rates of children in care", service=care)
    in_care.committees.add(people)
    published(in_care, RAG.AMBER, Direction.WORSENING)
    homes = MeasureFactory(title="Affordable homes delivered", service=housing, frequency=Measure.Frequency.QUARTERLY)
    homes.committees.add(place)
    published(homes, RAG.RED, Direction.IMPROVING, period=month(2020, 9))
    new = MeasureFactory(title="A new measure with no figures", service=housing)
    new.committees.add(place)
    return {"carers": carers, "in_care": in_care, "homes": homes, "new": new}


def titles(client, **params):
    """The measures the dashboard lists for `params`, read from its CSV download."""
    response = client.get(URL, {**params, "_export": "csv"})
    assert response.status_code == 200
    return sorted(row[0] for row in list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))[1:])


ALL = sorted(["Number of active foster carers", "Rates of children in care", "Affordable homes delivered",
              "A new measure with no figures"])


@pytest.mark.parametrize("params, expected", [
    ({}, ALL),
    ({"committee": "people-and-health"}, ["Number of active foster carers", "Rates of children in care"]),
    ({"service": "housing"}, ["A new measure with no figures", "Affordable homes delivered"]),
    ({"outcome": "independent"}, ["Number of active foster carers"]),
    ({"rag": "Red"}, ["Affordable homes delivered", "Number of active foster carers"]),
    ({"rag": "ND"}, ["A new measure with no figures"]),
    ({"dot": "Worsening"}, ["Number of active foster carers", "Rates of children in care"]),
    ({"dot": "No trend"}, ["A new measure with no figures"]),
    ({"frequency": "Quarterly"}, ["Affordable homes delivered"]),
    ({"frequency": "monthly"}, ["A new measure with no figures", "Number of active foster carers", "Rates of children in care"]),
    ({"q": "CHILDREN"}, ["Rates of children in care"]),
])
def test_each_filter_narrows_the_measures(framework, client, member, params, expected):
    client.force_login(member)
    assert titles(client, as_at="2020-10", **params) == expected


def test_the_population_indicator_filter_keeps_its_measures(client, member, demo_council):
    from measures.models import PopulationIndicator

    indicator = PopulationIndicator.objects.filter(measures__isnull=False).first()
    client.force_login(member)
    expected = sorted(indicator.measures.values_list("title", flat=True))
    assert titles(client, indicator=indicator.pk) == expected


def test_as_at_picks_the_ratings_in_force_then(framework, client, member):
    published(framework["carers"], RAG.GREEN, Direction.IMPROVING, period=month(2020, 11))
    client.force_login(member)
    assert "Number of active foster carers" in titles(client, as_at="2020-10", rag="Red")
    assert "Number of active foster carers" not in titles(client, as_at="2020-11", rag="Red")
    # Before any figure, every measure is ND.
    assert titles(client, as_at="2019-01", rag="ND") == ALL


def test_filters_combine(framework, client, member):
    client.force_login(member)
    params = {"committee": "people-and-health", "service": "care-protection", "rag": "Red",
              "dot": "Worsening", "frequency": "Monthly", "as_at": "2020-10", "q": "foster"}
    assert titles(client, **params) == ["Number of active foster carers"]
    assert titles(client, **{**params, "rag": "Amber"}) == []
    assert titles(client, committee="place-and-resources", rag="Red") == ["Affordable homes delivered"]


def test_a_draft_value_is_never_shown(framework, client, member):
    ValueFactory(measure=framework["new"], period=month(2020, 10), rag=RAG.RED, status=Value.Status.DRAFT)
    client.force_login(member)
    assert "A new measure with no figures" not in titles(client, as_at="2020-10", rag="Red")


@pytest.mark.parametrize("params, message", [
    ({"rag": "Purple"}, "Select Red, Amber, Green or ND"),
    ({"dot": "Sideways"}, "Select Improving, Same, Worsening or No trend"),
    ({"frequency": "Weekly"}, "Select Monthly, Quarterly, Annual or Irregular"),
    ({"as_at": "2020-13"}, "Enter the as-at month like 2020-10"),
    ({"as_at": "2016-17"}, "Enter the as-at month like 2020-10"),
    ({"committee": "no-such-committee"}, "Select a committee from the list"),
    ({"service": "nope"}, "Select a service from the list"),
    # Sorted by a column read from the latest figure: no rows to sort, not a 500 (found by fuzzing).
    ({"committee": "2020-10", "sort": "data"}, "Select a committee from the list"),
    ({"committee": "2020-10", "sort": "-rag"}, "Select a committee from the list"),
])
def test_an_invalid_filter_value_is_a_form_error(framework, client, member, params, message):
    client.force_login(member)
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert "<title>Error: " in html


def test_the_page_counts_the_filtered_ratings_in_words_and_chart(framework, client, member):
    client.force_login(member)
    html = client.get(URL, {"committee": "people-and-health", "as_at": "2020-10"}).content.decode()
    counts = table_rows(html, "app-chart__table")
    assert counts == [["Red", "1"], ["Amber", "1"], ["Green", "0"], ["No data or not rated", "0"]]
    assert "Red</strong>: 1</li>" in html and "Amber</strong>: 1</li>" in html
    assert "No data or not rated</strong>: 0</li>" in html
    assert "plotly" not in html and "/static/js/charts.js" not in html  # the chart is SVG
    assert '<svg id="rag-counts"' in html


def test_rows_show_the_latest_figures_and_link_to_the_measure_page(framework, client, member):
    client.force_login(member)
    html = client.get(URL, {"committee": "people-and-health", "as_at": "2020-10", "sort": "indicator"}).content.decode()
    rows = table_rows(html, "app-table")
    assert rows[0][:8] == ["Number of active foster carers", "Care Protection", "Oct-20", "Monthly", "No.", "10", "Red", "Worsening"]
    assert reverse("measure_detail", args=[framework["carers"].pk]) in html


def test_columns_sort(framework, client, member):
    client.force_login(member)
    html = client.get(URL, {"as_at": "2020-10", "sort": "-rag"}).content.decode()
    assert [row[6] for row in table_rows(html, "app-table")] == ["No data", "Amber", "Red", "Red"]
    html = client.get(URL, {"as_at": "2020-10", "sort": "period"}).content.decode()
    assert [row[2] for row in table_rows(html, "app-table")] == ["", "Sep-20", "Oct-20", "Oct-20"]


def test_the_table_pages_with_the_filters_kept(client, member):
    bulk_framework(30)
    client.force_login(member)
    html = client.get(URL, {"q": "bulk"}).content.decode()
    assert len(table_rows(html, "app-table")) == 25
    assert "q=bulk&amp;page=2" in html or "page=2&amp;q=bulk" in html


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_exports_carry_the_filters(framework, client, member, fmt):
    import json

    import openpyxl

    client.force_login(member)
    response = client.get(URL, {"rag": "Red", "as_at": "2020-10", "_export": fmt})
    if fmt == "json":
        records = json.loads(response.content)
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header, *rows = list(sheet.iter_rows(values_only=True))
        records = [dict(zip(header, row)) for row in rows]
    assert sorted(r["Measure"] for r in records) == ["Affordable homes delivered", "Number of active foster carers"]
    assert {r["RAG"] for r in records} == {"Red"}


@pytest.mark.parametrize("count", [10, 500])
def test_the_dashboard_runs_the_same_queries_for_10_or_500_measures(
    client, member, django_assert_max_num_queries, count
):
    committee, _ = bulk_framework(count)
    client.force_login(member)
    with django_assert_max_num_queries(38):  # 15 for the page, the rest the page cache's reads and writes of its three parts
        response = client.get(URL, {"committee": committee.slug, "as_at": "2020-10", "rag": "Red"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 500])
def test_the_dashboard_export_runs_the_same_queries_for_10_or_500_measures(
    client, member, django_assert_max_num_queries, count
):
    bulk_framework(count)
    client.force_login(member)
    with django_assert_max_num_queries(16):  # 13, and 3 for the SPC columns
        response = client.get(URL, {"as_at": "2020-10", "_export": "csv"})
        body = response.getvalue()  # the CSV is streamed: its queries run as it is read
    assert len(body.decode().splitlines()) == count + 1


def test_the_in_force_index_carries_every_column_the_dashboards_latest_join_reads():
    """So that counting, filtering and sorting (by figure too) read the index alone on PostgreSQL."""
    from reports.selectors import with_latest_ratings

    index = next(i for i in Value._meta.indexes if i.name == "value_in_force_idx")
    columns = {Value._meta.get_field(name.lstrip("-")).column for name in (*index.fields, *index.include)}
    query = with_latest_ratings(Measure.objects.all(), month(2020, 10).end).query
    read = set()
    for annotation in query.annotations.values():
        for part in annotation.flatten():
            if getattr(part, "alias", None) == "latest" and hasattr(part, "target"):
                read.add(part.target.column)
    assert read and read <= columns | {"status"}


@override_settings(PERFHUB_PAGE_CACHE=False)
def test_a_dashboard_page_takes_its_measures_in_order_from_an_index_not_a_sort_of_them_all(client, member):
    # The page's ids, in the lists' order (title, id), are the first rows of measure_title_idx:
    # a page costs the same whatever the council's number of measures (docs/speed.md).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Measure.objects.bulk_create(Measure(title=f"Measure {i:04d}") for i in range(400))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"as_at": "2020-10"}).status_code == 200
    [page] = [q["sql"] for q in queries if q["sql"].startswith('SELECT "measures_measure"."id" AS "pk"')
              and "LIMIT 25" in q["sql"]]
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {page}")
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "measure_title_idx" in plan, plan
    assert "Sort" not in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan
