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
HEADER = ["Measure", "Service", "Period", "Data", "Previous", "Change", "RAG", "D.O.T.", "Status", "Revision awaiting approval", "Entered by", "Flagged as unusual", "Commentary"]


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
        ["B: repairs", "Housing", "Oct-20", "System outage", "", "", b.get_rag_display(), b.get_direction_of_travel_display(), "Approved", "", "", "", ""],
        ["A: people supported", "Adult Care", "Oct-20", figure, "", "", a.get_rag_display(), a.get_direction_of_travel_display(), "Submitted", "",
         lead.get_full_name(), "", "Winter pressures."],
    ]


def test_the_table_lists_the_months_submitted_and_approved_values_with_a_checkbox_each(client, bi_user, submitted):
    a, b = submitted
    client.force_login(bi_user)
    response = client.get(URL, {"period": "2020-10"})
    assert [v.pk for v in response.context["table"].data] == [b.pk, a.pk]
    html = response.content.decode()
    assert f'<input class="govuk-checkboxes__input" id="value-{a.pk}" name="values" type="checkbox" data-service="adult-care" value="{a.pk}">' in html
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
    # the values with their measures, services, periods and people, the form's queryset, and
    # the count per service for its select-all.
    with django_assert_max_num_queries(7):
        response = client.get(URL, query)
    assert response.status_code == 200
    if export is None:
        assert response.content.decode().count('name="values" type="checkbox"') == count
    else:
        assert len(response.content.decode("utf-8-sig").splitlines()) == count + 1


def test_each_value_shows_the_previous_published_figure_and_the_change(client, bi_user, submitted):
    a, _ = submitted
    ValueFactory(measure=a.measure, period=month(2020, 8), value=Decimal("4000"), status=Value.Status.PUBLISHED)
    ValueFactory(measure=a.measure, period=month(2020, 9), value=Decimal("4500"), status=Value.Status.PUBLISHED)
    client.force_login(bi_user)
    table = client.get(URL, {"period": "2020-10"}).context["table"]
    [row] = [r for r in table.rows if r.record.pk == a.pk]
    assert (row.get_cell_value("previous"), row.get_cell_value("change")) == ("4,500", "-31")


def test_select_all_of_a_service_acts_on_its_values_only(client, bi_user, submitted):
    a, b = submitted
    client.force_login(bi_user)
    html = client.get(URL, {"period": "2020-10"}).content.decode()
    assert 'name="services" type="checkbox" value="adult-care"' in html and "All 1 of Adult Care" in html
    shown = {f"version-{v.pk}": v.version for v in (a, b)}  # as the page posts them, for every row
    response = client.post(URL, {"period": "2020-10", "services": ["adult-care"], "action": "approve", **shown})
    assert response.status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.status, b.status) == (Value.Status.APPROVED, Value.Status.APPROVED)  # b was approved already
    assert Value.objects.get(measure__title="D: September").status == Value.Status.SUBMITTED


def test_nothing_selected_is_refused_in_the_error_summary(client, bi_user, submitted):
    client.force_login(bi_user)
    response = client.post(URL, {"period": "2020-10", "action": "approve"})
    assert response.status_code == 200
    assert "Select the values to act on." in response.content.decode()


def test_commentary_is_shown_in_full(client, bi_user, submitted):
    a, _ = submitted
    a.commentary = " ".join(f"word{i}" for i in range(60))
    a.save()
    client.force_login(bi_user)
    assert "word59" in client.get(URL, {"period": "2020-10"}).content.decode()


@pytest.mark.parametrize("reason", ["As reported", "As reported in people-and-health-2021-01.csv"])
def test_a_rating_as_reported_is_explained_once_in_the_legend_not_on_each_row(client, bi_user, submitted, reason):
    # "As reported in <file>" is what the importer records (imports.figures): the same rule.
    a, b = submitted
    Value.objects.filter(pk__in=[a.pk, b.pk]).update(rag_override="Red", override_reason=reason)
    client.force_login(bi_user)
    html = client.get(URL, {"period": "2020-10"}).content.decode()
    assert "overridden" not in html
    assert html.count("as reported in the committee paper") == 1
    Value.objects.filter(pk=a.pk).update(override_reason="Data quality concern")
    html = client.get(URL, {"period": "2020-10"}).content.decode()
    assert "(overridden: Data quality concern)" in html
