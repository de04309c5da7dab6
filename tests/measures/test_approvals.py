"""The approvals page: its Table of submitted values, their exports, the period filter and query counts."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from measures.models import Measure, Value
from tests.factories import MeasureFactory, ServiceFactory, ValueFactory, month

pytestmark = pytest.mark.django_db

URL = reverse("approvals")
HEADER = ["Measure", "Service", "Period", "Data", "RAG", "D.O.T.", "Status", "Revision awaiting approval", "Entered by", "Commentary"]


@pytest.fixture
def submitted(adult_care, lead):
    oct20 = month(2020, 10)
    housing = ServiceFactory(name="Housing")
    a = ValueFactory(measure=MeasureFactory(title="A: people supported", service=adult_care), period=oct20,
                     value=Decimal("4469"), status=Value.Status.SUBMITTED, entered_by=lead,
                     commentary="Winter pressures.")
    b = ValueFactory(measure=MeasureFactory(title="B: repairs", service=housing), period=oct20, value=None,
                     no_data_reason="System outage", status=Value.Status.APPROVED)
    ValueFactory(measure=MeasureFactory(title="C: a draft", service=adult_care), period=oct20)
    ValueFactory(measure=MeasureFactory(title="D: September", service=adult_care), period=month(2020, 9),
                 status=Value.Status.SUBMITTED)
    return a, b


def expected_rows(a, b, lead, figure="4,469"):
    """The rows as the CSV prints them; XLSX and JSON carry the figure as a number instead."""
    return [
        ["B: repairs", "Housing", "Oct-20", "System outage", b.get_rag_display(), b.get_direction_of_travel_display(), "Approved", "", "", ""],
        ["A: people supported", "Adult Care", "Oct-20", figure, a.get_rag_display(), a.get_direction_of_travel_display(), "Submitted", "",
         lead.get_full_name(), "Winter pressures."],
    ]


def test_the_table_lists_the_months_submitted_and_approved_values_with_a_checkbox_each(client, bi_user, submitted):
    a, b = submitted
    client.force_login(bi_user)
    response = client.get(URL, {"period": "2020-10"})
    assert [v.pk for v in response.context["table"].data] == [b.pk, a.pk]
    html = response.content.decode()
    assert f'<input class="govuk-checkboxes__input" id="value-{a.pk}" name="values" type="checkbox" value="{a.pk}">' in html
    assert f'<label class="govuk-label govuk-checkboxes__label" for="value-{a.pk}">' in html
    assert "Values submitted for Oct-20" in html
    assert "C: a draft" not in html and "D: September" not in html


def test_the_csv_export_has_the_columns_and_no_checkboxes(client, bi_user, lead, submitted):
    client.force_login(bi_user)
    response = client.get(URL, {"period": "2020-10", "_export": "csv"})
    assert 'filename="approvals-2020-10.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [HEADER] + expected_rows(*submitted, lead)


def test_the_xlsx_and_json_exports_read_back(client, bi_user, lead, submitted):
    client.force_login(bi_user)
    xlsx = client.get(URL, {"period": "2020-10", "_export": "xlsx"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == [HEADER] + expected_rows(*submitted, lead, figure=4469)
    data = json.loads(client.get(URL, {"period": "2020-10", "_export": "json"}).content)
    assert data == [dict(zip(HEADER, row)) for row in expected_rows(*submitted, lead, figure=4469)]


def test_a_refused_action_keeps_the_ticked_values_ticked(client, bi_user, submitted):
    a, b = submitted
    client.force_login(bi_user)
    response = client.post(URL, {"period": "2020-10", "values": [a.pk], "action": "return"})
    assert "comment" in response.context["form"].errors
    html = response.content.decode()
    assert f'value="{a.pk}" checked>' in html and f'value="{b.pk}" checked>' not in html


@pytest.mark.parametrize("query", [{"period": "2020-13"}, {"period": "2020-13", "_export": "csv"}])
def test_a_bad_period_shows_the_error_summary_not_a_traceback(client, bi_user, submitted, query):
    client.force_login(bi_user)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Enter the period as a month, like 2020-10 or Oct-20" in response.content.decode()


def test_a_post_with_a_bad_period_changes_nothing(client, bi_user, submitted):
    a, _ = submitted
    client.force_login(bi_user)
    response = client.post(URL, {"period": "2020-13", "values": [a.pk], "action": "approve"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    a.refresh_from_db()
    assert a.status == Value.Status.SUBMITTED


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("export", [None, "csv"])
def test_the_page_and_its_export_run_the_same_number_of_queries_for_5_and_50_values(
    client, bi_user, lead, adult_care, django_assert_max_num_queries, count, export
):
    measures = Measure.objects.bulk_create(Measure(title=f"Measure {i:03d}", service=adult_care) for i in range(count))
    oct20 = month(2020, 10)
    Value.objects.bulk_create(
        Value(measure=m, period=oct20, value=Decimal("9"), status=Value.Status.SUBMITTED, entered_by=lead)
        for m in measures
    )
    client.force_login(bi_user)
    query = {"period": "2020-10"} if export is None else {"period": "2020-10", "_export": export}
    # Sign-in, the BI team check, the navigation's permission look-ups (the base template),
    # the values with their measures, services, periods and people, and the form's queryset.
    with django_assert_max_num_queries(6):
        response = client.get(URL, query)
    assert response.status_code == 200
    if export is None:
        assert response.content.decode().count('name="values" type="checkbox"') == count
    else:
        assert len(response.content.decode("utf-8-sig").splitlines()) == count + 1
