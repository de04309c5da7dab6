"""Every table's downloads: text that would run as a spreadsheet formula is neutralised in CSV
and XLSX, figures are real numbers in XLSX and JSON, and only CSV, XLSX and JSON are served."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from measures.exports import FORMULA_STARTS, Figure, TableExport, neutralise
from measures.models import Value
from tests.factories import CommitteeFactory, MeasureFactory, RiskFactory, ServiceFactory, ValueFactory, month

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
ATTACK = " ".join(FORMULAS)  # not itself a formula: only a leading character makes one


@pytest.fixture
def attacked(lead, adult_care):
    """Every kind of text an export carries, starting with a formula: titles, names, words."""
    committee = CommitteeFactory(name="People and Health")
    service = ServiceFactory(name="=HYPERLINK(\"http://x\",\"service\")")
    service.leads.add(lead)
    measures = []
    for i, formula in enumerate(FORMULAS):
        measure = MeasureFactory(title=f"{formula} measure {i}", service=service, decimal_places=2)
        measure.committees.add(committee)
        ValueFactory(
            measure=measure, period=month(2020, 10), value=Decimal("-4469.1234"), rag="Red",
            commentary=formula, actions=formula, status=Value.Status.PUBLISHED,
            provisional=True, entered_by=lead,
        )
        measures.append(measure)
    ValueFactory(measure=MeasureFactory(title="@approvals", service=service), period=month(2020, 10),
                 commentary="=1+1", status=Value.Status.SUBMITTED)
    RiskFactory(code="R1", title='=HYPERLINK("http://x","risk")', owner="+44 owner")
    return measures


def exports(measures):
    first = measures[0]
    return [
        (reverse("dashboard"), {"as_at": "2020-10"}),
        (reverse("exception_report"), {"committee": "people-and-health", "as_at": "2020-10"}),
        (first.get_absolute_url(), {}),
        (reverse("approvals"), {"period": "2020-10"}),
        (reverse("outstanding"), {"period": "2020-10"}),
        (reverse("risks:list"), {}),
    ]


def csv_cells(content):
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def test_no_csv_or_xlsx_export_holds_a_cell_a_spreadsheet_would_run(client, bi_user, attacked):
    client.force_login(bi_user)
    for url, params in exports(attacked):
        response = client.get(url, {**params, "_export": "csv"})
        assert response.status_code == 200, url
        cells = csv_cells(response.getvalue())
        texts = [c for c in cells if not _printed_figure(c)]
        assert any(c.startswith("'=HYPERLINK") or c.startswith("'=1") for c in texts), url
        assert not [c for c in texts if c.startswith(FORMULA_STARTS)], url

        response = client.get(url, {**params, "_export": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
        xlsx = [cell for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in xlsx if c.data_type == "f"], url
        assert not [c.value for c in xlsx if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)], url


def _printed_figure(cell):
    """A figure the table printed ("-4,469.12"), which a spreadsheet reads as a number."""
    return Figure.from_printed(cell).number is not None


def test_each_formula_start_is_neutralised_and_the_text_kept(client, bi_user, attacked):
    client.force_login(bi_user)
    response = client.get(attacked[0].get_absolute_url(), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[1][-2:] == ["'" + FORMULAS[0]] * 2
    assert [neutralise(text) for text in FORMULAS] == ["'" + text for text in FORMULAS]
    assert neutralise(ATTACK[1:]) == ATTACK[1:]


def test_control_characters_a_workbook_cannot_hold_are_left_out_of_xlsx_only(client, member, attacked):
    Value.objects.filter(measure=attacked[0]).update(commentary="bell\x07 and\x01 start")
    client.force_login(member)
    url = attacked[0].get_absolute_url()
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url, {"_export": "xlsx"}).getvalue())).active
    assert list(sheet.iter_rows(values_only=True))[1][-2] == "bell and start"
    [record] = json.loads(client.get(url, {"_export": "json"}).getvalue())
    assert record["Commentary"] == "bell\x07 and\x01 start"


def test_json_keeps_the_text_as_written(client, bi_user, attacked):
    client.force_login(bi_user)
    response = client.get(attacked[0].get_absolute_url(), {"_export": "json"})
    [record] = json.loads(response.getvalue())
    assert record["Commentary"] == FORMULAS[0]


def test_xlsx_and_json_carry_the_stored_number_and_csv_the_printed_one(client, member, attacked):
    client.force_login(member)
    url = attacked[0].get_absolute_url()
    csv_rows = list(csv.reader(io.StringIO(client.get(url, {"_export": "csv"}).getvalue().decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url, {"_export": "xlsx"}).getvalue())).active
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    [record] = json.loads(client.get(url, {"_export": "json"}).getvalue(), parse_float=Decimal)

    assert csv_rows[1][1] == "-4,469.12"
    assert xlsx_rows[1][1] == pytest.approx(-4469.1234, abs=1e-9)
    assert record["Data"] == Decimal("-4469.1234")
    # Real booleans, not the page's words.
    assert csv_rows[0][6] == "Provisional"
    assert xlsx_rows[1][6] is True and record["Provisional"] is True


def test_the_dashboard_xlsx_has_numbers_where_the_page_prints_4_469_12(client, member, attacked):
    client.force_login(member)
    response = client.get(reverse("dashboard"), {"as_at": "2020-10", "_export": "xlsx"})
    header, *rows = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True)
    data = {row[header.index("Measure")]: row[header.index("Data")] for row in rows}
    assert data.pop("'@approvals") is None  # no published figure; its title neutralised
    assert list(data.values()) == [pytest.approx(-4469.1234)] * len(FORMULAS)


@pytest.mark.parametrize("fmt", ["ods", "yaml", "xls", "tsv", "latex", "html", "CSV", " csv"])
def test_only_csv_xlsx_and_json_are_served_any_other_format_shows_the_page(client, member, attacked, fmt):
    client.force_login(member)
    for url, params in exports(attacked):
        if "approvals" in url or "outstanding" in url:
            continue  # the BI team's own; the member is refused them
        response = client.get(url, {**params, "_export": fmt})
        assert response.status_code == 200, (url, fmt)
        assert response["Content-Type"].startswith("text/html"), (url, fmt)


def test_the_export_class_knows_three_formats():
    assert set(TableExport.FORMATS) == {"csv", "xlsx", "json"}
    assert not TableExport.is_valid_format("ods") and not TableExport.is_valid_format(None)


def test_a_snapshot_figure_that_is_not_a_number_is_neutralised_like_text(client, member, attacked):
    from datetime import date

    from reports.models import CommitteeSnapshot

    snapshot = CommitteeSnapshot.objects.create(
        committee=attacked[0].committees.get(), as_at=date(2020, 10, 31), meeting_date=date(2021, 1, 28),
        rows=[{"indicator": "A", "data": "=1+1", "target": "1,200", "measure_id": attacked[0].pk}],
        red_amber_count=1, other_count=0,
    )
    client.force_login(member)
    url = reverse("snapshot_detail", args=[snapshot.pk])
    [header, row] = list(csv.reader(io.StringIO(client.get(url, {"_export": "csv"}).getvalue().decode("utf-8-sig"))))
    assert (row[header.index("Data")], row[header.index("Target")]) == ("'=1+1", "1,200")
    [record] = json.loads(client.get(url, {"_export": "json"}).getvalue())
    assert (record["Data"], record["Target"]) == ("=1+1", 1200)


def test_json_writes_every_stored_digit_of_a_figure_a_float_would_round(client, member, attacked):
    from django.db import connection

    # 16 significant digits, as many as a value holds: a float writes 900719925474.0992.
    Value.objects.filter(measure=attacked[0]).update(value=Decimal("900719925474.0993"))
    stored = Value.objects.get(measure=attacked[0]).value
    if connection.vendor == "postgresql":
        assert stored == Decimal("900719925474.0993")  # SQLite itself keeps a float
    client.force_login(member)
    text = client.get(attacked[0].get_absolute_url(), {"_export": "json"}).getvalue().decode()
    assert f'"Data": {format(stored.normalize(), "f")}' in text
    [record] = json.loads(text, parse_float=Decimal)
    assert record["Data"] == stored


@pytest.mark.parametrize("stored, written", [
    ("80.5000", "80.5"), ("100.0000", "100"), ("0.0000", "0"), ("-0.0010", "-0.001"), ("1E+3", "1000"),
])
def test_a_json_figure_is_its_stored_number_without_the_stored_trailing_zeros(stored, written):
    from measures.exports import json_number

    assert json_number(Decimal(stored)) == written
    assert json.loads(written, parse_float=Decimal) == Decimal(stored)


def test_json_records_are_what_tablib_writes_with_the_decimals_exact():
    from tablib import Dataset

    from measures.exports import json_records

    rows = [["Indicator", "Data", "Provisional", "Note"], ["A \"quoted\" é", 12, True, None], ["B", 3.5, False, "x"]]
    dataset = Dataset(*rows[1:], headers=rows[0])
    assert json_records(rows) == dataset.export("json")
    assert json.loads(json_records([["Data"], [Decimal("70.10")]])) == [{"Data": 70.1}]



@pytest.mark.parametrize("text", ["\uff1dHYPERLINK(\"http://x\")", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", "|calc!A1"])
def test_fullwidth_formula_starts_and_a_leading_bar_are_neutralised(text):
    """Issue 22, finding 8: Excel reads a fullwidth = as =, LibreOffice a leading | as DDE."""
    assert neutralise(text) == f"'{text}"
