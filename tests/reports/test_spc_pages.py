"""SPC on the pages: the measure's chart and table, the dashboard's icons and filters, the
exception report's optional columns and the SPC exception view.

The series are NHSRplotthedots' test data (R's rnorm(20) after set.seed(123), see
tests/measures/test_spc.py) scaled to 100 + 10 x y: mean 101.42, limits 69.89 to 132.95 (its
NHSRplotthedots snapshot: mean 0.142, limits -3.01 to 3.29).
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import ChangePoint, Value
from measures.rating import RAG, Polarity
from tests.factories import CommitteeFactory, MeasureFactory, TargetFactory, ValueFactory
from tests.measures.test_spc import RNORM_123
from tests.reports.conftest import bulk_framework, months, table_rows

pytestmark = pytest.mark.django_db

AS_AT = "2020-09"


def series(title, polarity, target, last=Decimal("160"), committee=None, rag=RAG.GREEN, **kwargs):
    """A measure with the scaled rnorm series and then `last`, published, and a target for the
    last month."""
    periods = months(date(2019, 1, 1), 21)  # Jan-19 to Sep-20
    measure = MeasureFactory(title=title, polarity=polarity, decimal_places=1, **kwargs)
    if committee:
        measure.committees.add(committee)
    figures = [Decimal(100) + Decimal(str(y)) * 10 for y in RNORM_123] + [last]
    # The target first: a value saved as published keeps its SPC against the target then set.
    TargetFactory(measure=measure, period=periods[-1], value=Decimal(target))
    for period, figure in zip(periods, figures):
        ValueFactory(measure=measure, period=period, value=figure.quantize(Decimal("0.0001")),
                     status=Value.Status.PUBLISHED, rag=rag)
    return measure


@pytest.fixture
def committee(db):
    return CommitteeFactory()


@pytest.fixture
def trio(committee):
    """Higher is better, improving but failing; lower is better, concern but passing; lower is
    better, concern and failing (Red)."""
    return (
        series("Carers approved", Polarity.HIGHER, 170, committee=committee),
        series("Days to assess", Polarity.LOWER, 170, committee=committee),
        series("Delayed transfers", Polarity.LOWER, 60, committee=committee, rag=RAG.RED),
    )


def test_the_measure_page_draws_the_spc_chart_with_its_data_table(client, member, trio):
    measure = trio[0]
    client.force_login(member)
    html = client.get(measure.get_absolute_url()).content.decode()
    assert f'id="measure-{measure.pk}-spc"' in html
    rows = [row for row in table_rows(html, "app-chart__table") if len(row) == 7]
    assert rows[0] == ["Jan-19", "94.4", "101.42", "69.89", "132.95", "", ""]
    assert rows[-1] == [
        "Sep-20", "160.0", "101.42", "69.89", "132.95", "170.0",
        "Special cause: improvement (beyond a process limit)",
    ]
    assert 'aria-label="Special cause variation of an improving nature: higher values"' in html
    assert 'aria-label="The process will consistently fail the target"' in html


def test_a_measure_with_too_few_figures_says_why_there_is_no_spc_chart(client, member):
    measure = MeasureFactory(title="New indicator")
    for period in months(date(2019, 1, 1), 3):
        ValueFactory(measure=measure, period=period, status=Value.Status.PUBLISHED)
    client.force_login(member)
    html = client.get(measure.get_absolute_url()).content.decode()
    assert "No SPC chart is drawn: An SPC chart needs at least 12 figures; this measure has 3." in html
    assert f'id="measure-{measure.pk}-spc"' not in html


def test_a_change_point_rebases_the_limits_and_is_marked(client, member, bi_user):
    measure = series("Referrals", Polarity.HIGHER, 100, last=Decimal("100"))
    ChangePoint.objects.create(measure=measure, period=months(date(2019, 10, 1), 1)[0], reason="New referral pathway", recorded_by=bi_user)
    measure.spc_baseline_points = None
    measure.save()
    client.force_login(member)
    html = client.get(measure.get_absolute_url()).content.decode()
    rows = [row for row in table_rows(html, "app-chart__table") if len(row) == 7]
    # Nine points before the change: too few for limits of their own. Twelve after it, every
    # one in the baseline: mean 101.37, limits 67.65 to 135.08.
    assert rows[8][2:5] == ["", "", ""]
    assert rows[9][2:5] == rows[-1][2:5] == ["101.37", "67.65", "135.08"]
    assert rows[9][6] == "Change point: New referral pathway"
    assert "Limits worked out afresh from the point after the dashed line: New referral pathway" in html


def test_the_dashboard_shows_variation_and_assurance_with_text(client, member, trio):
    client.force_login(member)
    html = client.get(reverse("dashboard"), {"as_at": AS_AT}).content.decode()
    assert "Improvement (high)" in html and "Concern (high)" in html
    assert html.count('aria-label="The process will consistently fail the target"') == 2
    assert 'aria-label="The process will consistently pass the target"' in html


def test_the_dashboard_filters_by_variation_and_assurance(client, member, trio):
    client.force_login(member)
    response = client.get(reverse("dashboard"), {"as_at": AS_AT, "variation": "concern", "assurance": "failing"})
    assert [row.measure.title for row in response.context["table"].data] == ["Delayed transfers"]
    response = client.get(reverse("dashboard"), {"as_at": AS_AT, "variation": "concern"})
    assert {row.measure.title for row in response.context["table"].data} == {"Days to assess", "Delayed transfers"}


def test_a_bad_variation_is_an_error_message_not_a_500(client, member, trio):
    client.force_login(member)
    response = client.get(reverse("dashboard"), {"variation": "worse"})
    assert response.status_code == 200
    assert "Select concern, improvement, neither or common cause" in response.content.decode()


def test_the_dashboard_export_has_the_words(client, member, trio):
    client.force_login(member)
    response = client.get(reverse("dashboard"), {"as_at": AS_AT, "_export": "csv"})
    records = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    by_title = {r["Measure"]: r for r in records}
    assert by_title["Delayed transfers"]["Variation"] == "Special cause variation of a concerning nature: higher values"
    assert by_title["Delayed transfers"]["Assurance"] == "The process will consistently fail the target"


@pytest.mark.parametrize("count", [10, 300])
def test_the_dashboard_filtered_by_variation_runs_the_same_queries(client, member, django_assert_max_num_queries, count):
    bulk_framework(count, months_of_values=14)
    client.force_login(member)
    with django_assert_max_num_queries(37):
        response = client.get(reverse("dashboard"), {"as_at": "2020-12", "variation": "improvement"})
    # Each bulk series rises by one a month: a trend, an improvement where higher is better.
    assert len(response.context["table"].data) == count


def test_the_exception_report_export_is_appendix_1_unless_spc_is_asked_for(client, member, trio, committee):
    client.force_login(member)
    params = {"committee": committee.slug, "as_at": AS_AT, "_export": "csv"}
    header = next(csv.reader(io.StringIO(client.get(reverse("exception_report"), params).getvalue().decode("utf-8-sig"))))
    assert "Variation" not in header and header[-1] == "Action"
    rows = list(csv.reader(io.StringIO(
        client.get(reverse("exception_report"), {**params, "spc": "1"}).getvalue().decode("utf-8-sig")
    )))
    assert rows[0][-2:] == ["Variation", "Assurance"]
    assert rows[1][0] == "Delayed transfers"
    assert rows[1][-1] == "The process will consistently fail the target"


def test_the_spc_exception_view_lists_concern_or_failing_whatever_the_rag(client, member, trio, committee):
    series("Steady service", Polarity.HIGHER, 50, last=Decimal("100"), committee=committee)
    client.force_login(member)
    response = client.get(reverse("spc_exceptions"), {"committee": committee.slug, "as_at": AS_AT})
    html = response.content.decode()
    titles = [row[0] for row in table_rows(html, "app-spc-exception-table")]
    # Concern first (in framework order), then failing assurance; the steady, passing one is left out.
    assert titles == ["Days to assess", "Delayed transfers", "Carers approved"]
    assert "3 of the committee&#x27;s 4 measures" in html or "3 of the committee's 4 measures" in html
    assert "How to read this page" in html


def test_the_spc_exception_view_without_a_committee_shows_an_error(client, member):
    client.force_login(member)
    response = client.get(reverse("spc_exceptions"), {"committee": "nobody"})
    assert response.status_code == 200
    assert "Select a committee from the list" in response.content.decode()


@pytest.mark.parametrize("count", [10, 300])
def test_the_spc_exception_view_runs_the_same_queries(client, member, django_assert_max_num_queries, count):
    committee, _ = bulk_framework(count, months_of_values=14)
    client.force_login(member)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("spc_exceptions"), {"committee": committee.slug, "as_at": "2020-12"})
    assert response.status_code == 200


def test_synthetic_figures_are_labelled_on_the_measure_page(client, member):
    measure = series("Generated", Polarity.HIGHER, 100)
    Value.objects.filter(measure=measure, period__start=date(2019, 1, 1)).update(synthetic=True)
    client.force_login(member)
    html = client.get(measure.get_absolute_url()).content.decode()
    assert "This chart includes synthetic history" in html
    assert "Jan-19 (synthetic)" in html
    assert [row[0] for row in table_rows(html, "app-values-table")][-1] == "Jan-19 (synthetic)"


def test_the_outcome_report_shows_each_measures_variation_and_assurance(client, member):
    from tests.factories import OutcomeFactory

    outcome = OutcomeFactory(name="People in Dorset are Independent", short_name="Independent")
    series("Delayed transfers", Polarity.LOWER, 60, outcome=outcome)
    MeasureFactory(title="New measure", outcome=outcome)
    client.force_login(member)
    html = client.get(reverse("outcome_report", args=[outcome.slug]), {"as_at": AS_AT}).content.decode()
    assert 'aria-label="Special cause variation of a concerning nature: higher values"' in html
    assert 'aria-label="The process will consistently fail the target"' in html
    assert "too few figures for an SPC chart" in html


def test_the_exception_report_pdf_with_spc_columns_draws_the_icons(client, member, trio, committee):
    client.force_login(member)
    response = client.get(reverse("exception_report"), {"committee": committee.slug, "as_at": AS_AT, "spc": "1", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
