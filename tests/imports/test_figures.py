"""Importing figures: messy input, row errors, dry runs, idempotency and revisions."""

import csv
import io
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook
from xml.sax.saxutils import escape

from imports import mapping
from imports.services import FileRefused, import_file
from measures import periods
from measures.models import Measure, Period, Target, Value
from measures.rating import RAG

HEADER = ["Code", "Measure", "Service", "Unit", "Frequency", "Polarity", "Period", "Value", "Target",
          "Commentary"]


def csv_bytes(rows, encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def row(code="M1", title="Missed bin collections", unit="No.", frequency="Monthly", polarity="lower",
        period="Oct-20", value="12", target="10", commentary=""):
    return [code, title, "Waste", unit, frequency, polarity, period, value, target, commentary]


def run(content, name="figures.csv", **options):
    return import_file(content, name, "perfhub", **options)


def stored(code="M1", label="Oct-20"):
    span = periods.parse_period(label)
    return Value.objects.get(measure__code=code, period__kind=span.kind, period__start=span.start)


def counts():
    """Rows and history rows of everything an import writes."""
    models = [Measure, Value, Target, Period]
    found = {m.__name__: m.objects.count() for m in models}
    found.update({f"history {m.__name__}": m.history.count() for m in (Measure, Value, Target)})
    return found


# Messy input


def test_header_rows_repeated_mid_table_blank_rows_and_notes_rows_are_left_out(db):
    content = csv_bytes([
        ["Waste services performance, October 2020"], [],
        HEADER, row("M1"), [], HEADER, row("M2", "Fly-tipping incidents"),
        ["Source: waste contract monitoring, figures provisional"], [""] * len(HEADER),
    ])
    report = run(content)

    assert report.written and report.counts["created"] == 2
    assert report.left_out == 4
    assert Measure.objects.count() == 2


def test_a_byte_order_mark_is_not_part_of_the_first_header(db):
    report = run(b"\xef\xbb\xbf" + csv_bytes([HEADER, row()]))

    assert report.written and stored().value == 12


def test_windows_1252_text_is_read_as_written(db):
    commentary = "Spend of £75k on the “clean streets” campaign – café owners helped"
    report = run(csv_bytes([HEADER, row(commentary=commentary)], encoding="cp1252"))

    assert report.written and stored().commentary == commentary


@pytest.mark.parametrize("text, figure", [
    ("4,469", Decimal("4469")), ("41.4%", Decimal("41.4")), ("£1,250", Decimal("1250")),
    ("4,469*", Decimal("4469")), ("-28", Decimal("-28")), (" 12 ", Decimal("12")),
])
def test_thousands_separators_signs_and_footnote_stars_are_read(db, text, figure):
    unit = "%" if "%" in text else "No."
    report = run(csv_bytes([HEADER, row(unit=unit, value=text)]))

    assert report.written and stored().value == figure


@pytest.mark.parametrize("marker", ["n/a", "ND", "-"])
def test_no_data_markers_store_no_figure_with_the_marker_as_the_reason(db, marker):
    report = run(csv_bytes([HEADER, row(value=marker)]))

    assert report.written and stored().value is None and stored().rag == RAG.ND
    assert stored().no_data_reason == f"'{marker}' in the file"


def test_a_blank_figure_with_a_no_data_reason_stores_no_figure(db):
    header = [*HEADER, "No data reason"]
    report = run(csv_bytes([header, [*row(value=""), "Contractor's system down"]]))

    assert report.written and stored().value is None
    assert stored().no_data_reason == "Contractor's system down"


def test_zero_is_a_figure_unless_the_mapping_says_it_stands_for_missing(db):
    run(csv_bytes([HEADER, row(value="0")]))
    assert stored().value == 0
    # Hart's layout says 0 is missing in this and last quarter's columns (tests/imports/fixtures).
    from tests.imports.conftest import FIXTURES

    content = (FIXTURES / "hart-dc-kpis-2014-15-q2.csv").read_bytes()
    import_file(content, "hart.csv", "hart-kpi-tiles")
    it06 = Value.objects.get(measure__code="IT06", period__start=periods.parse_period("Q2 14/15").start)
    assert it06.value is None


@pytest.mark.parametrize("label, frequency, kind", [
    ("Oct-20", "Monthly", periods.MONTH),
    ("Jan 2024", "Monthly", periods.MONTH),
    ("Q2 18/19", "Quarterly", periods.QUARTER),
    ("Quarter 3 2024 to 2025", "Quarterly", periods.QUARTER),
    ("2023/24", "Annual", periods.FINANCIAL_YEAR),
    ("2017-18 AY", "Annual", periods.ACADEMIC_YEAR),
    ("Term 1 2024/25", "Termly", periods.TERM),
    ("Dec 2024 (rolling 12 months)", "Rolling 12 months (reported monthly)", periods.ROLLING_12),
])
def test_period_labels_as_councils_write_them(db, label, frequency, kind):
    report = run(csv_bytes([HEADER, row(period=label, frequency=frequency)]))

    assert report.written, report.errors
    assert Value.objects.get(measure__code="M1").period.kind == kind


def xlsx_with_merged_header_and_formula():
    """A workbook whose title cell is merged over the table's width, whose Commentary header is
    merged over two columns (the text in the first), and whose Value cell is a formula with a
    cached result."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Waste services, October 2020"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER) + 1)
    sheet.append(HEADER + [""])
    sheet.merge_cells(start_row=2, start_column=len(HEADER), end_row=2, end_column=len(HEADER) + 1)
    sheet.append(row(value="", target="10", commentary="Fewer missed bins") + ["(see note 3)"])
    sheet["H3"] = "=6*2"
    sheet["I3"] = 10
    out = io.BytesIO()
    book.save(out)
    # openpyxl writes no cached result for a formula; Excel would. Add the one Excel would write.
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<f>6\*2</f><v\s*/?>(</v>)?", b"<f>6*2</f><v>12</v>", data)
            target.writestr(item, data)
    return patched.getvalue()


def test_xlsx_formula_cells_give_their_cached_values_and_merged_cells_are_read(db):
    report = run(xlsx_with_merged_header_and_formula(), "figures.xlsx")

    assert report.written, report.errors
    assert stored().value == 12
    assert Target.objects.get().value == 10
    assert stored().commentary == "Fewer missed bins"


def test_an_xlsx_sheet_is_chosen_by_name(db):
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["Nothing to import here"])
    figures = book.create_sheet("Figures")
    figures.append(HEADER)
    figures.append(row())
    out = io.BytesIO()
    book.save(out)

    report = run(out.getvalue(), "book.xlsx", sheet="Figures")

    assert report.written and stored().value == 12
    with pytest.raises(FileRefused, match="no sheet called 'Budget'"):
        run(out.getvalue(), "book.xlsx", sheet="Budget")


def ods_bytes(rows):
    """A minimal OpenDocument spreadsheet holding `rows` as text cells, on a sheet "Figures"."""
    cells = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(c))}</text:p></table:table-cell>'
            for c in row) + "</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Figures">{cells}</table:table>'
        '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return out.getvalue()


def test_an_ods_spreadsheet_is_read(db):
    report = run(ods_bytes([HEADER, row(value="4,469")]), "figures.ods")

    assert report.written and stored().value == 4469


# Row errors: all rows or none


@pytest.mark.parametrize("bad, message", [
    (row(target="12..5"), "row 3, Target: '12..5' is not a number"),
    (row(value="about 40"), "row 3, Value: 'about 40' is not a number"),
    (row(period="Autumnish"), "row 3, Period: 'Autumnish' is not a period"),
    (row(period=""), "row 3, Period: the period is blank"),
    (row(unit="furlongs"), "row 3, Unit: 'furlongs' is not a unit PerfHub knows"),
    (row(frequency="fortnightly"), "row 3, Frequency: 'fortnightly' is not a frequency"),
    (row(polarity="sideways"), "row 3, Polarity: 'sideways' is not a polarity"),
    (row(code="", title=""), "row 3, Measure: the measure has no title or code"),
    # The bounds every other door keeps (issue 8): a row error, never a database error.
    (row(value="9999999999999"), "row 3, Value: '9999999999999' is too large"),
    (row(target="0.00001"), "row 3, Target: '0.00001' has more than 4 decimal places"),
    (row(commentary="x" * 4001), "row 3, Commentary: 4,001 characters: at most 4,000 are kept"),
    (row(title="x" * 601), "row 3, Measure: 601 characters: at most 600 are kept"),
])
def test_a_refused_row_is_reported_and_nothing_is_written(db, bad, message):
    run(csv_bytes([HEADER, row("M0", "Already here")]))
    before = counts()

    report = run(csv_bytes([HEADER, row("M9", "A good row"), bad]))

    assert not report.written
    assert any(error.startswith(message) for error in report.errors), report.errors
    assert [r.action for r in report.rows] == ["created", "refused"]
    assert counts() == before


def test_decimal_places_outside_0_to_6_are_a_row_error(db):
    content = csv_bytes([["Code", "Measure", "Period", "Value", "Decimal places"], ["M1", "Bins", "Oct-20", "4", "40"]])

    report = run(content)

    assert not report.written
    assert report.errors == ["row 2, Decimal places: '40' is not a whole number from 0 to 6"]
    assert not Measure.objects.exists()


def test_an_unreadable_file_is_refused_with_a_reason(db):
    with pytest.raises(FileRefused, match="not a readable XLSX"):
        run(b"this is not a workbook", "figures.xlsx")
    with pytest.raises(FileRefused, match="No row of the file holds all the headers"):
        run(csv_bytes([["Something", "Else"], ["1", "2"]]))


# Dry runs, idempotency and revisions


def test_a_dry_run_previews_every_row_and_writes_nothing(db):
    run(csv_bytes([HEADER, row("M1", value="12")]))
    before = counts()

    report = run(csv_bytes([HEADER, row("M1", value="12"), row("M2", "Fly-tipping", value="3"),
                            row("M1", period="Nov-20", value="15")]), dry_run=True)

    assert [r.action for r in report.rows] == ["unchanged", "created", "created"]
    assert not report.written and counts() == before


def test_importing_the_same_file_twice_changes_nothing_and_adds_no_history(db):
    content = csv_bytes([HEADER, row("M1", target="10"), row("M1", period="Nov-20", value="9"),
                         row("M2", "Fly-tipping incidents", value="30", target="")])
    run(content, status="published")
    before = counts()
    first = list(Value.objects.order_by("pk").values())

    report = run(content, status="published")

    assert report.counts == {"created": 0, "changed": 0, "unchanged": 3, "refused": 0}
    assert counts() == before
    assert list(Value.objects.order_by("pk").values()) == first


def test_a_changed_figure_on_reimport_is_a_revision_with_the_reason_and_file_name(db):
    run(csv_bytes([HEADER, row(value="12")]), "october.csv", status="published")
    value = stored()

    report = run(csv_bytes([HEADER, row(value="14", commentary="Corrected by the contractor")]),
                 "october-revised.csv", status="published", reason="Contractor's corrected return")

    assert report.written and [r.action for r in report.rows] == ["changed"]
    revised = stored()
    assert (revised.value, revised.status, revised.version) == (14, "published", value.version + 1)
    latest = revised.history.first()
    assert latest.history_type == "~"
    assert latest.history_change_reason == (
        "Imported from october-revised.csv: Contractor's corrected return"
    )
    assert revised.history.count() == 2


def test_a_published_figure_does_not_change_without_a_reason(db):
    run(csv_bytes([HEADER, row(value="12")]), status="published")
    before = counts()

    report = run(csv_bytes([HEADER, row(value="14")]))

    assert not report.written and "give a reason for the revision" in report.errors[0]
    assert stored().value == 12 and counts() == before


# Ratings as reported


def test_the_dry_run_lists_where_the_files_rag_differs_from_the_rules(db):
    header = HEADER + ["RAG"]
    # lower is better: 12 against 10 is 20% over, beyond the 10% tolerance, so the rules say Red
    report = run(csv_bytes([header, row() + ["Green"]]), dry_run=True)

    (difference,) = report.differences
    assert (difference.number, difference.reported, difference.rules) == (2, "Green", "Red")
    assert "12 against a target of 10" in difference.why


def test_the_reported_rag_is_kept_as_an_override_only_when_told_to(db):
    header = HEADER + ["RAG"]
    content = csv_bytes([header, row() + ["Green"]])

    run(content, "october.csv")
    assert (stored().rag, stored().rag_override) == (RAG.RED, "")

    run(content, "october.csv", keep_reported=True)
    value = stored()
    assert (value.rag, value.rag_override) == (RAG.GREEN, RAG.GREEN)
    assert value.override_reason == "As reported in october.csv"


RULE_HEADER = HEADER + ["Rating rule", "Floor", "RAG"]


def test_a_floor_rule_rates_against_the_floor_and_a_floor_gives_the_polarity(db):
    header = ["Code", "Measure", "Period", "Value", "Target", "Floor", "Rating rule"]
    report = run(csv_bytes([header, ["K1", "Complaints answered on time", "Dec 2024", "82%", "85%",
                                     "80%", "floor"],
                            ["K2", "Greenhouse gas emissions", "Dec 2024", "11,000", "10,797",
                             "11,877", "floor"]]))

    assert report.written, report.errors
    k1, k2 = Measure.objects.get(code="K1"), Measure.objects.get(code="K2")
    assert (k1.polarity, k2.polarity) == ("higher", "lower")
    assert stored("K1", "Dec-24").rag == stored("K2", "Dec-24").rag == RAG.AMBER


def test_a_floor_on_the_wrong_side_of_the_target_is_a_row_error(db):
    before = counts()
    report = run(csv_bytes([RULE_HEADER, row(polarity="higher", value="12", target="10") + [
        "floor", "15", ""]]))

    assert not report.written and counts() == before
    assert report.errors[0].startswith("row 2, Floor: a floor of 15 is on the wrong side")


def test_a_reported_only_measure_keeps_the_files_rag(db):
    report = run(csv_bytes([RULE_HEADER, row(value="12", target="10") + ["reported", "", "Amber"]]))

    assert report.written and report.differences == []
    assert stored().rag == RAG.AMBER and stored().rag_override == ""


def test_new_measures_rated_before_insert_are_rated_as_rate_measure_rates_them(db):
    from measures.services import rate_measures

    content = csv_bytes([HEADER + ["Previous"]] + [
        row(code, f"Measure {code}", period=label, value=figure, target=target) + [previous]
        for code, target in (("M1", "10"), ("M2", ""))
        for label, figure, previous in (("Oct-20", "12", "11"), ("Nov-20", "9", ""), ("Dec-20", "10.5", ""))
    ])
    run(content)
    imported = list(Value.objects.order_by("pk").values_list("rag", "direction_of_travel"))

    rate_measures(Measure.objects.values_list("pk", flat=True))

    assert list(Value.objects.order_by("pk").values_list("rag", "direction_of_travel")) == imported
    assert stored("M1", "Nov-20").rag == RAG.GREEN and stored("M1", "Dec-20").rag == RAG.AMBER


def test_blank_measure_cells_leave_the_measure_as_it_is(db):
    run(csv_bytes([HEADER, row(unit="%", polarity="lower", value="12")]))

    report = run(csv_bytes([HEADER, row(unit="", frequency="", polarity="", value="12")]))

    assert report.written and report.counts["unchanged"] == 1
    measure = Measure.objects.get(code="M1")
    assert (measure.unit, measure.polarity) == ("%", "lower")


# Periods a row's figure is for


def arrears_run(arrears, frequency="Monthly", period="Dec 2024", previous_months=0):
    layout = mapping.parse({
        "columns": {"code": "Code", "title": "Measure", "period": "Period", "value": "Value",
                    "previous": "Previous", "arrears": "Arrears"},
        "fixed": {"frequency": frequency}, "previous_months": previous_months,
    }, "arrears")
    content = csv_bytes([["Code", "Measure", "Period", "Value", "Previous", "Arrears"],
                         ["A1", "Admissions", period, "5", "4", arrears]])
    return import_file(content, "arrears.csv", layout)


@pytest.mark.parametrize("frequency, period, arrears, previous_months, latest, previous", [
    ("Monthly", "Dec 2024", "", 0, "Dec-24", "Nov-24"),
    ("Monthly", "Dec 2024", "1", 0, "Nov-24", "Oct-24"),
    ("Quarterly", "Q3 2024/25", "3", 0, "Q2 24-25", "Q1 24-25"),
    ("rolling_12", "Q3 2024/25", "", 3, "12 months to Dec-24", "12 months to Sep-24"),
    ("rolling_12", "Q3 2024/25", "3", 3, "12 months to Sep-24", "12 months to Jun-24"),
])
def test_a_figure_in_arrears_and_a_previous_figure_months_before_go_to_their_own_periods(
        db, frequency, period, arrears, previous_months, latest, previous):
    report = arrears_run(arrears, frequency, period, previous_months)

    assert report.written, report.errors
    stored_labels = {v.period.label: v.value for v in Value.objects.select_related("period")}
    assert stored_labels == {latest: Decimal("5"), previous: Decimal("4")}


@pytest.mark.parametrize("arrears", ["1.5", "-3", "25", "soon"])
def test_arrears_that_are_not_whole_months_are_a_row_error(db, arrears):
    before = counts()
    report = arrears_run(arrears)

    assert not report.written and counts() == before
    (error,) = report.errors
    assert error.startswith("row 2, Arrears: ")


def test_a_quarter_is_refused_on_a_monthly_measures_row(db):
    """A value's period fits its measure's frequency, by every door (issue 22, finding 4)."""
    report = run(csv_bytes([HEADER, row("M1", period="Q2 20-21")]))
    assert not report.written
    assert report.errors == [
        "row 2, Period: 'Q2 20-21' is a quarter, which does not fit a monthly measure: give a month (as Oct-20)"
    ]


def test_a_save_made_while_an_import_runs_is_not_overwritten(db):
    """Issue 22, finding 3: an import's revisions check the version they read; a figure saved
    meanwhile refuses its row (naming it) and the import writes nothing."""
    from django.db.models import F

    assert run(csv_bytes([HEADER, row("M1", value="12"), row("M2", "Fly-tipping", value="5")])).written
    saved = stored("M1")

    def someone_saves(done, total):
        # Another person's save, made after the import read the figures and before it writes.
        Value.objects.filter(pk=saved.pk).update(value=Decimal("40"), version=F("version") + 1)

    report = run(csv_bytes([HEADER, row("M1", value="13"), row("M2", "Fly-tipping", value="6")]),
                 progress=someone_saves)

    assert not report.written
    assert report.errors == [
        "row 2: the figure for Missed bin collections Oct-20 was changed by someone else while the "
        "import ran; import the file again to revise it"
    ]
