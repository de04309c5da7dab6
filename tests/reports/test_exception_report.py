"""The exception report: the demo's People and Health report as at Oct-20 is the seed's
Appendix 1, row for row, on the page and in every download."""

import csv
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from measures.models import Committee, Measure, Value
from measures.numbers import parse_number
from measures.rating import RAG
from reports.pdf import StaticFilesFetcher, render_pdf
from reports.tables import ExceptionReportTable
from tests.factories import CommitteeFactory, MeasureFactory, TargetFactory, ValueFactory, month
from tests.measures.test_demo import EXCEPTION_SEED, appendix_rows, seed_text
from tests.reports.conftest import bulk_framework, table_rows

pytestmark = pytest.mark.django_db

URL = reverse("exception_report")
PARAMS = {"committee": "people-and-health", "as_at": "2020-10"}
HEADER = [
    "Indicator", "Service", "Period", "Unit", "Monthly / Quarterly / Annual", "Data", "RAG",
    "D.O.T.", "Target", "Last year", "Commentary", "Action",
]
SEED_KEYS = [
    "title", "service", "period", "unit", "frequency", "data", "rag", "dot", "target",
    "last_year", "commentary", "actions",
]


@pytest.fixture
def appendix():
    """Appendix 1 as the seed prints it, each row in the report's column order."""
    return [[row[key] for key in SEED_KEYS] for row in appendix_rows(seed_text(EXCEPTION_SEED))]


def export(client, fmt, params=PARAMS):
    response = client.get(URL, {**params, "_export": fmt})
    assert response.status_code == 200
    return response


def test_the_table_has_appendix_1s_columns_in_order():
    assert [str(c.header) for c in ExceptionReportTable([]).columns] == HEADER


def test_the_seed_has_28_rows_6_red_then_22_amber(appendix):
    assert len(appendix) == 28
    assert [row[6] for row in appendix] == ["Red"] * 6 + ["Amber"] * 22


def test_demo_people_and_health_oct_20_is_appendix_1_row_by_row(demo_council, client, member, appendix):
    client.force_login(member)
    html = client.get(URL, PARAMS).content.decode()
    shown = table_rows(html, "app-exception-table")

    assert len(shown) == 28
    for printed, row in zip(appendix, shown):
        # Every figure and word, except the long texts, which must start as printed.
        assert row[:10] == printed[:10], printed[0]
        for mine, theirs in zip(row[10:], printed[10:]):
            assert mine.startswith(" ".join(theirs.split()[:8])), (printed[0], mine[:60])


def test_demo_report_states_the_counts(demo_council, client, member):
    client.force_login(member)
    html = client.get(URL, PARAMS).content.decode()
    # The demo holds only Appendix 1's measures for this committee, so none is green.
    assert "28 measures were identified as red or amber; 0 other measures were green or on track." in html


def test_csv_export_is_appendix_1_with_its_header(demo_council, client, member, appendix):
    client.force_login(member)
    response = export(client, "csv")
    assert "exception-report-people-and-health-2020-10.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))

    assert rows[0] == HEADER
    assert rows[1:] == appendix


FIGURES = ("Data", "Target", "Last year")


def as_numbers(rows):
    """Appendix 1 with its figures as the numbers they print ("4,469" is 4469; blank is None)."""
    return [
        [parse_number(cell) if name in FIGURES else cell for name, cell in zip(HEADER, row)]
        for row in rows
    ]


def test_xlsx_export_reads_back_as_appendix_1_with_real_numbers(demo_council, client, member, appendix):
    client.force_login(member)
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx").content))
    header, *rows = workbook.active.iter_rows(values_only=True)

    assert list(header) == HEADER
    figures = [[row[i] for i, name in enumerate(HEADER) if name in FIGURES] for row in rows]
    assert all(isinstance(cell, (int, float)) for row in figures for cell in row if cell is not None)
    read = [
        [(None if cell is None else Decimal(str(cell))) if name in FIGURES else ("" if cell is None else cell)
         for name, cell in zip(HEADER, row)]
        for row in rows
    ]
    assert read == as_numbers(appendix)


def test_json_export_reads_back_as_appendix_1_with_real_numbers(demo_council, client, member, appendix):
    client.force_login(member)
    records = json.loads(export(client, "json").content, parse_float=Decimal)

    assert [list(r) for r in records[:1]] == [HEADER]
    assert records[2]["Data"] == 4469 and records[2]["Last year"] == 4110
    # A blank cell (no target, say) is null in JSON.
    assert records[2]["Target"] is None
    assert [[r[h] if r[h] is not None or h in FIGURES else "" for h in HEADER] for r in records] == as_numbers(appendix)


def test_red_comes_before_amber_then_framework_order(client, member):
    committee = CommitteeFactory()
    measures = [MeasureFactory(title=f"M{i}") for i in range(4)]
    for measure, rag in zip(measures, [RAG.AMBER, RAG.RED, RAG.GREEN, RAG.RED]):
        measure.committees.add(committee)
        ValueFactory(measure=measure, rag=rag, status=Value.Status.PUBLISHED)
    client.force_login(member)
    html = client.get(URL, {"committee": committee.slug, "as_at": "2020-10"}).content.decode()

    assert [row[0] for row in table_rows(html, "app-exception-table")] == ["M1", "M3", "M0"]
    assert "3 measures were identified as red or amber; 1 other measure was green or on track." in html


def test_a_measure_reported_elsewhere_is_left_out(client, member):
    committee = CommitteeFactory()
    kept = MeasureFactory(title="Kept")
    elsewhere = MeasureFactory(title="Complaints", reported_elsewhere=True)
    for measure in (kept, elsewhere):
        measure.committees.add(committee)
        ValueFactory(measure=measure, rag=RAG.RED, status=Value.Status.PUBLISHED)
    client.force_login(member)
    html = client.get(URL, {"committee": committee.slug, "as_at": "2020-10"}).content.decode()

    assert [row[0] for row in table_rows(html, "app-exception-table")] == ["Kept"]


def test_each_measure_shows_its_latest_published_value_up_to_the_as_at_month(client, member):
    committee = CommitteeFactory()
    measure = MeasureFactory(title="Foster carers", decimal_places=0)
    measure.committees.add(committee)
    ValueFactory(measure=measure, period=month(2020, 9), value=Decimal(201), rag=RAG.RED, status=Value.Status.PUBLISHED)
    ValueFactory(measure=measure, period=month(2020, 10), value=Decimal(206), rag=RAG.AMBER, status=Value.Status.PUBLISHED)
    ValueFactory(measure=measure, period=month(2020, 11), value=Decimal(300), rag=RAG.RED, status=Value.Status.DRAFT)
    ValueFactory(measure=measure, period=month(2019, 10), value=Decimal(1999), status=Value.Status.PUBLISHED)
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal(215))
    client.force_login(member)

    def row(as_at):
        html = client.get(URL, {"committee": committee.slug, "as_at": as_at}).content.decode()
        return table_rows(html, "app-exception-table")

    assert row("2020-09")[0][2:10] == ["Sep-20", "No.", "Monthly", "201", "Red", "", "", ""]
    assert row("2020-10")[0][2:10] == ["Oct-20", "No.", "Monthly", "206", "Amber", "", "215", "1,999"]
    # November's figure is a draft: the report never shows it.
    assert row("2020-12")[0][5] == "206"


def test_without_a_committee_the_page_asks_for_one(client, member):
    client.force_login(member)
    response = client.get(URL)
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()


@pytest.mark.parametrize("params, message", [
    ({"committee": "no-such-committee", "as_at": "2020-10"}, "Select a committee from the list"),
    ({"committee": "people-and-health", "as_at": "October"}, "Enter the as-at month like 2020-10"),
    ({"committee": "people-and-health", "as_at": "2020-13"}, "Enter the as-at month like 2020-10"),
])
def test_bad_parameters_are_shown_in_an_error_summary(client, member, params, message):
    CommitteeFactory()
    client.force_login(member)
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html


@pytest.mark.parametrize("download", [{"_export": "csv"}, {"format": "pdf"}])
def test_a_download_with_bad_parameters_shows_the_error_summary(client, member, download):
    client.force_login(member)
    response = client.get(URL, {"committee": "nope", "as_at": "2020-10", **download})
    assert response.status_code == 200
    assert "Select a committee from the list" in response.content.decode()


def test_the_report_is_for_signed_in_users(client):
    assert client.get(URL, PARAMS).status_code == 302


@pytest.mark.parametrize("count", [10, 500])
def test_the_report_runs_the_same_queries_for_10_or_500_measures(
    client, member, django_assert_max_num_queries, count
):
    committee, _ = bulk_framework(count)
    client.force_login(member)
    with django_assert_max_num_queries(29):
        response = client.get(URL, {"committee": committee.slug, "as_at": "2020-10"})
    assert response.status_code == 200
    red_amber = sum(i % 4 < 2 for i in range(count))  # ratings cycle Red, Amber, Green, ND
    assert f"{red_amber} measures were identified as red or amber" in response.content.decode()


@pytest.mark.parametrize("count", [10, 500])
def test_the_csv_export_runs_the_same_queries_for_10_or_500_measures(
    client, member, django_assert_max_num_queries, count
):
    committee, _ = bulk_framework(count)
    client.force_login(member)
    with django_assert_max_num_queries(13):
        response = client.get(URL, {"committee": committee.slug, "as_at": "2020-10", "_export": "csv"})
    assert len(response.getvalue().decode().splitlines()) == sum(i % 4 < 2 for i in range(count)) + 1


def test_pdf_download_is_a_pdf_of_the_report(demo_council, client, member):
    client.force_login(member)
    response = client.get(URL, {**PARAMS, "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "exception-report-people-and-health-2020-10.pdf" in response["Content-Disposition"]


def test_pdf_pages_are_a4_landscape_from_our_print_stylesheet(demo_council, client, member):
    # WeasyPrint's default page is A4 portrait: landscape pages show that app.css was read
    # from our static files and its print rules applied.
    client.force_login(member)
    html = client.get(URL, PARAMS).content.decode()
    document = render_pdf(html, "http://testserver/")

    sizes = {(round(page.width * 0.75), round(page.height * 0.75)) for page in document.pages}
    assert sizes == {(842, 595)}  # points: 297 x 210 mm
    assert len(document.pages) > 1


def test_the_pdf_loads_our_static_files_and_nothing_else():
    fetcher = StaticFilesFetcher()
    css = fetcher.fetch("http://testserver/static/build/app.css")
    assert b"app-rag" in css.read()
    with pytest.raises(ValueError):
        fetcher.fetch("https://cdn.example.com/style.css")


def test_a_month_entered_after_the_last_imported_one_is_rated_against_the_targets_in_force(
    demo_council, client, member, bi_user
):
    """Issue 9: the demo's targets are for Oct-20 only; Nov-20 figures are rated against them."""
    from measures import selectors, services
    from measures.rating import suggest_rag
    from measures.selectors import month_span

    committee = Committee.objects.get(slug=PARAMS["committee"])
    nov20 = month_span("2020-11")
    measures = selectors.due_measures(Measure.objects.filter(committees=committee), nov20)
    assert measures, "the demo has monthly measures due in Nov-20"
    rows = selectors.entry_rows(measures, nov20)
    october = {
        v.measure_id: v for v in Value.objects.filter(measure__in=measures, period=month(2020, 10))
    }
    entries = [
        (row, {"value": october[row.measure.pk].value, "no_data_reason": "", "commentary": "As October",
               "actions": "", "provisional": False, "caveat": ""}, None)
        for row in rows
    ]
    saved = services.save_entries(bi_user, entries, submit=True)
    services.publish(bi_user, services.approve(bi_user, saved))

    client.force_login(member)
    html = client.get(URL, {"committee": committee.slug, "as_at": "2020-11"}).content.decode()
    shown = table_rows(html, "app-exception-table")
    november = [row for row in shown if row[2] == "Nov-20"]

    # What the tolerance rule makes of each Nov-20 figure against its measure's Oct-20 target.
    expected = {}
    for measure in measures:
        oct_target = measure.targets.filter(period=month(2020, 10)).values_list("value", flat=True).first()
        rag = suggest_rag(october[measure.pk].value, oct_target, measure.polarity, measure.rag_tolerance)
        if rag in (RAG.RED, RAG.AMBER):
            expected[measure.title] = (rag.value, measure.format(oct_target))
    assert {row[0]: (row[6], row[8]) for row in november} == expected
    assert {row[6] for row in november} == {"Red", "Amber"}
    assert len(november) > 10
    # The quarterly measures still show their Sep-20 quarter, rated as before.
    assert all(row[2] in ("Nov-20", "Sep-20") for row in shown)
    assert all(row[6] in ("Red", "Amber") for row in shown)
