"""The outstanding list: one Table and one FilterSet, and its CSV, XLSX and JSON exports."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from measures import periods
from measures.models import Measure, Value
from tests.factories import MeasureFactory, ServiceFactory, ValueFactory, month

pytestmark = pytest.mark.django_db

URL = reverse("outstanding")
HEADER = ["Service", "Measure", "Period", "Status", "Leads", "Last changed"]


def when(value):
    return f"{timezone.localtime(value.entered_at):%Y-%m-%d %H:%M}"


@pytest.fixture
def council(adult_care, lead):
    """Adult Care (led by `lead`) with a measure at each stage, and Housing (no leads)."""
    oct20 = month(2020, 10)
    housing = ServiceFactory(name="Housing")
    measures = {
        title: MeasureFactory(title=title, service=adult_care)
        for title in ("A: none yet", "B: draft", "C: submitted", "D: approved", "E: published")
    }
    MeasureFactory(title="Q: quarterly, not due in October", service=adult_care, frequency="quarterly")
    MeasureFactory(title="Unassigned", service=None)
    values = {
        "B: draft": ValueFactory(measure=measures["B: draft"], period=oct20, returned_comment="Check the CRM extract."),
        "C: submitted": ValueFactory(measure=measures["C: submitted"], period=oct20, status=Value.Status.SUBMITTED),
        "D: approved": ValueFactory(measure=measures["D: approved"], period=oct20, status=Value.Status.APPROVED),
    }
    ValueFactory(measure=measures["E: published"], period=oct20, status=Value.Status.PUBLISHED)
    theirs = MeasureFactory(title="H: housing", service=housing)
    values["H: housing"] = ValueFactory(measure=theirs, period=oct20, status=Value.Status.SUBMITTED)
    return values


def expected_rows(values, lead):
    leads = lead.get_full_name()
    return [
        ["Adult Care", "A: none yet", "Oct-20", "No submission", leads, ""],
        ["Adult Care", "B: draft", "Oct-20", "Draft", leads, when(values["B: draft"])],
        ["Adult Care", "C: submitted", "Oct-20", "Submitted", leads, when(values["C: submitted"])],
        ["Adult Care", "D: approved", "Oct-20", "Approved", leads, when(values["D: approved"])],
        ["Housing", "H: housing", "Oct-20", "Submitted", "", when(values["H: housing"])],
    ]


def titles(response):
    return [item.row.measure.title for item in response.context["table"].data]


def test_the_page_lists_each_unpublished_measure_due_with_its_status_and_leads(client, bi_user, lead, council):
    client.force_login(bi_user)
    response = client.get(URL, {"period": "2020-10"})
    assert response.status_code == 200
    assert titles(response) == ["A: none yet", "B: draft", "C: submitted", "D: approved", "H: housing"]
    html = response.content.decode()
    assert "Outstanding for Oct-20" in html  # the table's caption
    assert "Draft (returned: Check the CRM extract.)" in html
    assert lead.get_full_name() in html
    assert 'href="?period=2020-10&amp;_export=csv"' in html


def test_the_csv_export_has_the_columns_and_a_row_per_outstanding_measure(client, bi_user, lead, council):
    client.force_login(bi_user)
    response = client.get(URL, {"period": "2020-10", "_export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="outstanding-2020-10.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [HEADER] + expected_rows(council, lead)


def test_the_xlsx_export_reads_back_with_the_same_rows(client, bi_user, lead, council):
    client.force_login(bi_user)
    response = client.get(URL, {"period": "2020-10", "_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == [HEADER] + expected_rows(council, lead)


def test_the_json_export_reads_back_as_one_object_per_row(client, bi_user, lead, council):
    client.force_login(bi_user)
    response = client.get(URL, {"period": "2020-10", "_export": "json"})
    assert json.loads(response.content) == [dict(zip(HEADER, row)) for row in expected_rows(council, lead)]


@pytest.mark.parametrize("query, expected", [
    ({"service": "housing"}, ["H: housing"]),
    ({"status": "none"}, ["A: none yet"]),
    ({"status": "draft"}, ["B: draft"]),
    ({"status": "submitted"}, ["C: submitted", "H: housing"]),
    ({"status": "approved"}, ["D: approved"]),
    ({"service": "adult-care", "status": "submitted"}, ["C: submitted"]),
    ({"service": "housing", "status": "approved"}, []),
])
def test_the_filters_narrow_the_list_and_its_export(client, bi_user, council, query, expected):
    client.force_login(bi_user)
    response = client.get(URL, {"period": "2020-10", **query})
    assert titles(response) == expected
    exported = client.get(URL, {"period": "2020-10", **query, "_export": "csv"}).content.decode("utf-8-sig")
    assert [row[1] for row in list(csv.reader(io.StringIO(exported)))[1:]] == expected


def test_a_quarterly_measure_is_outstanding_in_its_quarters_last_month(client, bi_user, council):
    client.force_login(bi_user)
    response = client.get(URL, {"period": "2020-09"})
    row = next(item.row for item in response.context["table"].data if item.row.measure.frequency == "quarterly")
    assert row.span.label == "Q2 20-21"


def test_without_a_period_the_page_opens_on_the_month_with_work_outstanding(client, bi_user, council):
    client.force_login(bi_user)
    response = client.get(URL)
    assert response.context["month"] == month(2020, 10).span
    assert 'value="2020-10"' in response.content.decode()


def test_with_nothing_in_progress_the_page_opens_on_the_month_after_the_last_published(client, bi_user):
    ValueFactory(measure=MeasureFactory(service=ServiceFactory()), period=month(2020, 10), status=Value.Status.PUBLISHED)
    client.force_login(bi_user)
    assert client.get(URL).context["month"] == month(2020, 11).span


def test_the_status_filter_has_a_readable_label(client, bi_user, council):
    client.force_login(bi_user)
    html = client.get(URL).content.decode()
    assert "[invalid name]" not in html
    assert '<label class="govuk-label" for="id_status">Status</label>' in html


@pytest.mark.parametrize("query", [
    {"period": "2020-13"}, {"period": "2020"}, {"period": "nonsense"},
    {"period": "2020-13", "_export": "csv"},
])
def test_a_bad_period_shows_the_error_summary_not_a_traceback(client, bi_user, council, query):
    client.force_login(bi_user)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert '<a href="#id_period">Enter the period as a month, like 2020-10 or Oct-20</a>' in html
    assert "<title>Error: " in html


def test_an_unknown_service_shows_the_error_summary(client, bi_user, council):
    client.force_login(bi_user)
    html = client.get(URL, {"period": "2020-10", "service": "no-such-service"}).content.decode()
    assert "Select a service from the list" in html and "govuk-error-summary" in html


def _measures(service, count):
    measures = Measure.objects.bulk_create(Measure(title=f"Measure {i:03d}", service=service) for i in range(count))
    oct20 = month(2020, 10)
    statuses = [None, Value.Status.DRAFT, Value.Status.SUBMITTED, Value.Status.APPROVED, Value.Status.PUBLISHED]
    Value.objects.bulk_create(
        Value(measure=m, period=oct20, value=Decimal("9"), status=statuses[i % 5])
        for i, m in enumerate(measures) if statuses[i % 5]
    )


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("export", [None, "csv"])
def test_the_page_and_its_export_run_the_same_number_of_queries_for_5_and_50_measures(
    client, bi_user, lead, adult_care, django_assert_max_num_queries, count, export
):
    _measures(adult_care, count)
    client.force_login(bi_user)
    query = {"period": "2020-10", "status": "submitted"} if export is None else {"period": "2020-10", "_export": export}
    # Sign-in, the BI team check, the navigation's permission look-ups (the base template),
    # the filter's services, then the measures, periods, values, targets in force (those
    # overlapping the period, then earlier ones carried forward), previous figures and leads.
    with django_assert_max_num_queries(15):  # 13, and the deadlines and their exceptions
        response = client.get(URL, query)
    assert response.status_code == 200
    expected = count // 5 if export is None else count * 4 // 5
    if export is None:
        assert len(response.context["table"].data) == expected
    else:
        assert len(response.content.decode("utf-8-sig").splitlines()) == expected + 1
