"""The indexed "latest published value as at" gives, row for row, what the rule says when read
the slow way (every value of every measure, its period's end, in Python), on every page that
uses it: the dashboard in every sort order, the exception report and its RAG counts."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest

from measures import periods
from measures.models import Measure, Period, Value
from measures.rating import RAG, Direction
from reports import selectors
from tests.factories import CommitteeFactory, MeasureFactory, ServiceFactory

pytestmark = pytest.mark.django_db

RAGS = [RAG.RED, RAG.AMBER, RAG.GREEN, RAG.ND]
DOTS = [Direction.IMPROVING, Direction.SAME, Direction.WORSENING, Direction.NO_TREND]
STATUSES = [Value.Status.PUBLISHED, Value.Status.PUBLISHED, Value.Status.DRAFT, Value.Status.APPROVED]


@pytest.fixture
def framework():
    """Measures of every shape: monthly and quarterly periods, drafts after the published
    figures, gaps, figures after the as-at month, no figures at all, no service."""
    committee = CommitteeFactory(name="People and Health")
    services = [ServiceFactory(name="Adults"), ServiceFactory(name="Children"), None]
    month = periods.span(periods.MONTH, date(2020, 1, 1))
    months = []
    for _ in range(14):
        months.append(Period.for_span(month))
        month = periods.span(periods.MONTH, month.end + timedelta(days=1))
    quarters = [Period.for_span(periods.span(periods.QUARTER, date(2020, m, 1))) for m in (1, 4, 7, 10)]
    for i in range(40):
        measure = MeasureFactory(title=f"Measure {i % 7} {i:02d}", service=services[i % 3])
        measure.committees.add(committee)
        series = quarters if i % 5 == 0 else months
        for k, period in enumerate(series[: (i * 7) % (len(series) + 1)]):
            if (i + k) % 6 == 5:
                continue  # a gap
            Value.objects.create(
                measure=measure, period=period, value=None if (i + k) % 9 == 8 else Decimal(i * 3 + k),
                rag=RAGS[(i + k) % 4], direction_of_travel=DOTS[(i * k) % 4],
                status=STATUSES[(i + 2 * k) % 4],
            )
    return committee


def slow_latest(measure, as_at):
    """The rule read the slow way: the published value with the latest period ending by as_at."""
    values = [v for v in Value.objects.filter(measure=measure).select_related("period")
              if v.status == Value.Status.PUBLISHED and v.period.end <= as_at]
    return max(values, key=lambda v: v.period.end, default=None)


def dashboard_csv(client, **params):
    response = client.get("/dashboard/", {**params, "_export": "csv"})
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))[1:]


@pytest.mark.parametrize("as_at", [date(2020, 3, 31), date(2020, 9, 30), date(2021, 2, 28)])
def test_each_measures_latest_value_is_the_rules(framework, as_at):
    annotated = selectors.with_latest_ratings(Measure.objects.all(), as_at)
    for measure in annotated:
        expected = slow_latest(measure, as_at)
        assert measure.latest_value_id == (expected.pk if expected else None)
        assert measure.latest_rag == (expected.rag if expected else RAG.ND)
        assert measure.latest_dot == (expected.direction_of_travel if expected else Direction.NO_TREND)


@pytest.mark.parametrize("sort", ["indicator", "-indicator", "period", "-period", "data", "-data",
                                  "rag", "-rag", "dot", "-dot", "service", "-service"])
def test_the_dashboard_sorts_as_a_stable_sort_of_the_rows_would(framework, client, member, sort):
    as_at = date(2020, 9, 30)
    client.force_login(member)
    measures = sorted(Measure.objects.all(), key=lambda m: (m.title, m.pk))
    latest = {m.pk: slow_latest(m, as_at) for m in measures}
    keys = {
        "indicator": lambda m: m.title,
        "period": lambda m: latest[m.pk].period.end if latest[m.pk] else date.min,
        "data": lambda m: (latest[m.pk] is None or latest[m.pk].value is None,
                           latest[m.pk].value if latest[m.pk] and latest[m.pk].value is not None else 0),
        "rag": lambda m: selectors.RAG_ORDER.index(latest[m.pk].rag if latest[m.pk] else RAG.ND),
        "dot": lambda m: latest[m.pk].direction_of_travel if latest[m.pk] else Direction.NO_TREND,
        "service": lambda m: m.service.name if m.service else "",
    }
    expected = sorted(measures, key=keys[sort.lstrip("-")], reverse=sort.startswith("-"))
    rows = dashboard_csv(client, as_at="2020-09", sort=sort)
    assert [row[0] for row in rows] == [m.title for m in expected]
    for row, measure in zip(rows, expected):
        value = latest[measure.pk]
        assert row[2] == (value.period.month_label if value else "")
        assert row[5] == (measure.format(value.value) if value else "")
        assert row[6] == (value.rag if value else RAG.ND)


def test_the_paged_dashboard_shows_the_same_rows_as_its_export(framework, client, member):
    from tests.reports.conftest import table_rows

    client.force_login(member)
    exported = dashboard_csv(client, as_at="2020-09", sort="-data")
    shown = []
    for page in (1, 2):
        html = client.get("/dashboard/", {"as_at": "2020-09", "sort": "-data", "page": page}).content.decode()
        shown += table_rows(html, "app-table")
    assert [row[0] for row in shown] == [row[0] for row in exported]


def test_the_exception_report_and_its_counts_are_the_rules(framework):
    as_at = date(2020, 9, 30)
    report = selectors.exception_report(framework, as_at)
    latest = {m.pk: slow_latest(m, as_at) for m in Measure.objects.all()}
    rag = {pk: (v.rag if v else RAG.ND) for pk, v in latest.items()}
    expected = sorted((pk for pk, r in rag.items() if r in (RAG.RED, RAG.AMBER)),
                      key=lambda pk: (rag[pk] != RAG.RED, pk))
    assert [row.measure_id for row in report.rows] == expected
    assert [row.value.pk for row in report.rows] == [latest[pk].pk for pk in expected]
    assert report.red_amber_count == len(expected)
    assert report.other_count == sum(r == RAG.GREEN for r in rag.values())
    assert report.no_data_count == sum(r == RAG.ND for r in rag.values())


@pytest.mark.parametrize("as_at", [date(2020, 3, 31), date(2020, 9, 30), date(2021, 2, 28)])
def test_each_rows_latest_value_read_with_its_measure_is_the_values_own(framework, as_at):
    # Words, period and synthetic series on some of the values, to be read back with the measures.
    for i, value in enumerate(Value.objects.order_by("pk")):
        Value.objects.filter(pk=value.pk).update(
            commentary=f"Commentary {i}" if i % 3 else "", actions=f"Action {i}" if i % 4 else "",
            synthetic=i % 11 == 0,
        )
    rows = selectors.latest_rows(selectors.with_latest_ratings(Measure.objects.order_by("pk"), as_at))
    assert len(rows) == Measure.objects.count()
    for row in rows:
        expected = slow_latest(row.measure, as_at)
        if expected is None:
            assert row.value is None
            continue
        earlier = Value.objects.filter(measure=row.measure, status=Value.Status.PUBLISHED,
                                       period__end__lte=expected.period.end)
        assert (row.value.pk, row.value.measure_id, row.value.value, row.value.rag,
                row.value.direction_of_travel, row.value.commentary, row.value.actions,
                row.value.span, row.value.synthetic_series) == (
            expected.pk, row.measure.pk, expected.value, expected.rag, expected.direction_of_travel,
            expected.commentary, expected.actions, expected.period.span,
            any(v.synthetic for v in earlier),
        )
