"""Per-row scale for money and counts (issue 17, item 7): "£m" on one row and "£ per pupil" on
the next, each kept as the council counts it, shown and exported as numbers with the unit in the
header."""

import csv
import io
import tomllib
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from imports import mapping
from imports.services import import_file
from measures.models import Measure, Value
from measures.numbers import NumberError, format_value, parse_number, unit_in_header

MAPPING = """
name = "Finance and schools"
[columns]
code = "Ref"
title = "Measure"
unit = "Scale"
period = "Year"
value = "Figure"
target = "Target"
[fixed]
frequency = "annual"
polarity = "none"
[words.unit]
"£ per pupil" = "£"
"thousands" = "No. (000s)"
"""
ROWS = [
    ["Ref", "Measure", "Scale", "Year", "Figure", "Target"],
    ["F1", "Capital programme spend", "£m", "2023-24", "12.3", "14"],
    ["F2", "Spend per pupil", "£ per pupil", "2023-24", "5,432", "5,500"],
    ["F3", "Library visits", "thousands", "2023-24", "1,234.5", ""],
]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def imported():
    out = io.StringIO()
    csv.writer(out).writerows(ROWS)
    return import_file(out.getvalue().encode(), "finance.csv",
                       mapping.parse(tomllib.loads(MAPPING), "finance"), status="published")


def test_each_rows_scale_is_kept_as_the_council_counts_it(db):
    report = imported()

    assert report.written, report.errors
    stored = {m.code: (m.unit, m.unit_label, Value.objects.get(measure=m).value) for m in Measure.objects.all()}
    assert stored == {
        "F1": ("£m", "", Decimal("12.3")),
        "F2": ("£", "£ per pupil", Decimal("5432")),
        "F3": ("No. (000s)", "thousands", Decimal("1234.5")),
    }


def test_a_scaled_figure_is_shown_and_exported_as_a_number_with_the_unit_in_the_header(db, client, member):
    imported()
    client.force_login(member)
    measure = Measure.objects.get(code="F1")
    measure.decimal_places = 1
    measure.save()

    page = client.get(measure.get_absolute_url()).content.decode()
    exported = body(client.get(measure.get_absolute_url(), {"_export": "csv"})).decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(body(client.get(measure.get_absolute_url(), {"_export": "xlsx"}))))

    assert "Data (£m)" in page and "Target (£m)" in page and ">12.3<" in page and "£12" not in page
    header, row = list(csv.reader(io.StringIO(exported)))[:2]
    assert header[1:3] == ["Data (£m)", "Target (£m)"] and row[1:3] == ["12.3", "14.0"]
    sheet = workbook.active
    assert sheet.cell(1, 2).value == "Data (£m)" and sheet.cell(2, 2).value == pytest.approx(12.3)


def test_money_per_pupil_keeps_pounds_and_its_own_label(db, client, member):
    imported()
    client.force_login(member)
    measure = Measure.objects.get(code="F2")

    page = client.get(measure.get_absolute_url()).content.decode()

    assert "£5,432" in page and "£ per pupil" in page and "Data (" not in page


@pytest.mark.parametrize("unit, number, shown", [
    ("£m", Decimal("12.3"), "12.3"), ("£k", Decimal("450"), "450.0"), ("No. (000s)", Decimal("1234.5"), "1,234.5"),
    ("£", Decimal("12300000"), "£12.30m"),
])
def test_scaled_units_are_formatted_as_plain_numbers(unit, number, shown):
    assert format_value(number, unit, 1) == shown


@pytest.mark.parametrize("text, unit, expected", [
    ("12.3", "£m", Decimal("12.3")), ("£12.3m", "£m", Decimal("12.3")), ("-£1.5k", "£k", Decimal("-1.5")),
    ("1,234", "No. (000s)", Decimal("1234")),
])
def test_a_scaled_figure_is_read_in_its_own_unit(text, unit, expected):
    assert parse_number(text, unit) == expected


def test_a_figure_in_another_scale_is_refused_naming_the_unit():
    with pytest.raises(NumberError, match="'£450k' is in £k, but this measure is counted in £m"):
        parse_number("£450k", "£m")


def test_only_scaled_units_name_their_unit_in_the_header():
    assert [unit_in_header(u) for u in ("£m", "£k", "No. (000s)", "£", "%")] == ["£m", "£k", "No. (000s)", "", ""]
    assert unit_in_header("No. (000s)", "thousands") == "thousands"
