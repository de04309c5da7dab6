"""A measure's page: its definition, trend chart with the same figures beside it, history."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import ComparatorValue, Measure, Value
from measures.rating import RAG, Direction
from measures.services import rate_measure
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month
from tests.reports.conftest import bulk_framework, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def carers(db):
    measure = MeasureFactory(title="Number of active foster carers", definition="Approved carers on the last day.")
    for m, figure, rag in [(10, "201", RAG.RED), (9, "204", RAG.AMBER)]:
        ValueFactory(measure=measure, period=month(2019 + (m == 9) * 1, m), value=Decimal(figure), rag=rag,
                     direction_of_travel=Direction.SAME, status=Value.Status.PUBLISHED,
                     commentary=f"Commentary for {m}", actions=f"Actions for {m}")
    ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("206"), rag=RAG.AMBER,
                 direction_of_travel=Direction.IMPROVING, status=Value.Status.PUBLISHED,
                 commentary="WREC now have two of our social workers seconded", actions="Strengthen foster carer recruitment")
    ValueFactory(measure=measure, period=month(2020, 11), value=Decimal("999"), status=Value.Status.DRAFT,
                 commentary="A draft nobody may read yet")
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("215"))
    ComparatorValue.objects.create(measure=measure, name="South West", period=month(2020, 10), value=Decimal("230"))
    return measure


def test_the_measure_links_to_its_page(carers):
    assert carers.get_absolute_url() == reverse("measure_detail", args=[carers.pk])


def test_the_page_shows_the_definition_chart_and_its_data_table(carers, client, member):
    client.force_login(member)
    html = client.get(carers.get_absolute_url()).content.decode()
    assert "Approved carers on the last day." in html
    assert "/static/vendor/plotly/plotly-basic.min.js" in html and "/static/js/charts.js" in html
    chart_rows = table_rows(html, "app-chart__table")
    assert chart_rows == [
        ["Oct-19", "201", "", "", ""],
        ["Sep-20", "204", "", "", ""],
        ["Oct-20", "206", "215", "201", "230"],
    ]
    assert "Same period last year" in html and "South West" in html


def test_the_page_shows_commentary_actions_and_the_rating_history_but_no_draft(carers, client, member):
    client.force_login(member)
    html = client.get(carers.get_absolute_url()).content.decode()
    assert "WREC now have two of our social workers seconded" in html
    assert "Strengthen foster carer recruitment" in html
    assert "A draft nobody may read yet" not in html and "999" not in html
    history = table_rows(html, "app-values-table")
    assert [row[:6] for row in history] == [
        ["Oct-20", "206", "215", "201", "Amber", "Improving"],
        ["Sep-20", "204", "", "", "Amber", "Same"],
        ["Oct-19", "201", "", "", "Red", "Same"],
    ]


def test_the_values_export_has_plain_words_and_figures(carers, client, member):
    client.force_login(member)
    response = client.get(carers.get_absolute_url(), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0] == ["Period", "Data", "Target", "Same period last year", "RAG", "D.O.T.", "Provisional",
                       "Rating note", "Commentary", "Actions"]
    assert rows[1][:6] == ["Oct-20", "206", "215", "201", "Amber", "Improving"]
    assert rows[1][8:] == ["WREC now have two of our social workers seconded", "Strengthen foster carer recruitment"]


@pytest.mark.parametrize("months", [2, 60])
def test_the_page_runs_the_same_queries_however_long_the_series(client, member, django_assert_max_num_queries, months):
    _, (measure,) = bulk_framework(1, months_of_values=months)
    client.force_login(member)
    with django_assert_max_num_queries(14):  # 11, and 3 for the SPC chart
        assert client.get(measure.get_absolute_url()).status_code == 200


def test_an_unknown_measure_is_not_found(client, member):
    client.force_login(member)
    assert client.get(reverse("measure_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("reason", ["As reported", "As reported in people-and-health-2021-01.csv"])
def test_the_measure_page_explains_as_reported_once_not_as_a_rating_note(client, member, adult_care, reason):
    measure = MeasureFactory(service=adult_care)
    for number in (9, 10):
        ValueFactory(measure=measure, period=month(2020, number), status=Value.Status.PUBLISHED, rag_override="Red", override_reason=reason)
    client.force_login(member)
    html = client.get(reverse("measure_detail", args=[measure.pk])).content.decode()
    assert html.count("as reported in the committee paper") == 1
    assert f">{reason}<" not in html


def test_the_chart_and_history_show_the_target_in_force_for_each_period(carers, client, member):
    ValueFactory(measure=carers, period=month(2020, 12), value=Decimal("210"), status=Value.Status.PUBLISHED)
    client.force_login(member)
    html = client.get(carers.get_absolute_url()).content.decode()
    # Dec-20 has no target of its own: Oct-20's carries forward; Sep-20 comes before any target.
    assert [row[:3] for row in table_rows(html, "app-chart__table")] == [
        ["Oct-19", "201", ""], ["Sep-20", "204", ""], ["Oct-20", "206", "215"], ["Dec-20", "210", "215"],
    ]
    assert [row[:3] for row in table_rows(html, "app-values-table")][0] == ["Dec-20", "210", "215"]


def test_two_targets_show_as_two_lines_the_stretch_target_and_the_minimum_standard(client, member):
    measure = MeasureFactory(title="Calls answered", unit="%", rating_rule="floor")
    for number, figure in ((9, "94"), (10, "88")):
        ValueFactory(measure=measure, period=month(2020, number), value=Decimal(figure), status="published")
    TargetFactory(measure=measure, period=month(2020, 9), value=Decimal("90"), floor=Decimal("85"))
    rate_measure(measure)
    client.force_login(member)

    html = client.get(measure.get_absolute_url()).content.decode()

    assert table_rows(html, "app-chart__table") == [["Sep-20", "94", "90", "85"],
                                                   ["Oct-20", "88", "90", "85"]]
    assert '"name": "Minimum standard"' in html and '"shape": "hv"' in html
    assert "Green at the target, Amber down to the minimum standard (floor), Red beyond" in html


def test_the_history_lists_only_published_values_each_with_its_measure_and_the_target_in_force(carers):
    from reports.selectors import measure_history

    history = measure_history(carers)
    assert [v.value for v in history.values] == [Decimal("201"), Decimal("204"), Decimal("206")]
    assert all(v.measure is carers for v in history.values)  # no copy of the measure per row
    # The October target carries forward from Oct-20 only: none before it.
    assert list(history.targets.values()) == [None, None, Decimal("215")]
