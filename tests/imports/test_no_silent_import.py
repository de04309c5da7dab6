"""No silent import (issue 17, items 4 and 6): what used to import quietly wrong is refused with
a reason that says how to put it right, and every row of the file is accounted for."""

import csv
import io

import pytest

from imports import mapping
from imports.services import FileRefused, import_file
from measures import periods
from measures.models import Measure, Value
from tests.imports.conftest import FIXTURES

HART = FIXTURES / "hart-dc-kpis-2014-15-q1.csv"
# A BI officer's mapping that recognises the file by its codes alone, as most do.
HART_BY_CODE = """
name = "Hart by code"
headers = ["code"]
[columns]
code = "code"
title = "indicator"
period = "period"
value = "this_quarter_tq"
target = "target_t"
[fixed]
frequency = "quarterly"
[[rewrite]]
field = "period"
pattern = '^(\\d{4}/\\d{2}) (Q\\d).*$'
replace = '\\2 \\1'
[cells]
zero_is_missing = ["value"]
"""


def csv_bytes(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def hart_rows():
    with open(HART, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def run(content, toml, name="figures.csv", **options):
    import tomllib

    return import_file(content, name, mapping.parse(tomllib.loads(toml), "test"), **options)


def test_a_mistyped_header_publishes_nothing_and_names_the_nearest_headers(db):
    rows = hart_rows()
    rows[0] = ["this_qtr_tq" if h == "this_quarter_tq" else h for h in rows[0]]

    with pytest.raises(FileRefused) as refused:
        run(csv_bytes(rows), HART_BY_CODE, status="published")

    message = str(refused.value)
    assert "the mapping reads value from 'this_quarter_tq'" in message
    assert "nearest: 'this_qtr_tq'" in message
    assert Value.objects.count() == 0


def test_a_header_row_that_is_not_found_names_what_is_missing_and_the_nearest_headers(db):
    rows = hart_rows()
    rows[0] = ["cde" if h == "code" else h for h in rows[0]]

    with pytest.raises(FileRefused, match=r"'code' is not among the file's headers \(nearest: 'cde'"):
        run(csv_bytes(rows), HART_BY_CODE)


def test_a_mapped_column_the_mapping_marks_optional_may_be_left_out(db):
    rows = hart_rows()
    index = rows[0].index("target_t")
    rows = [r[:index] + r[index + 1:] for r in rows]

    report = run(csv_bytes(rows), HART_BY_CODE.replace('headers = ["code"]', 'headers = ["code"]\noptional = ["target"]'))

    assert report.written and report.counts["created"] == 45


def test_a_row_with_no_figure_and_no_reason_is_refused_saying_how_to_fix_it(db):
    rows = hart_rows()
    rows[3][rows[0].index("this_quarter_tq")] = ""

    report = run(csv_bytes(rows), HART_BY_CODE)

    assert not report.written and Value.objects.count() == 0
    assert report.errors == [
        "row 4, this_quarter_tq: there is no figure and no reason for it: give the figure, a marker this "
        "layout reads as no data (a blank cell, 'n/a', 'na', 'nd', 'n/d', '-', '–', 'no data'), or a "
        "reason in the no data reason column"
    ]


def test_zero_written_for_a_missing_figure_is_kept_as_the_reason(db):
    report = run(csv_bytes(hart_rows()), HART_BY_CODE)

    value = Value.objects.get(measure__code="SNH01")
    assert report.written and value.value is None and value.no_data_reason == "'0' in the file"


def test_two_rows_for_one_measure_and_period_are_both_refused_naming_each_other(db):
    rows = hart_rows()
    rows.append(list(rows[5]))

    report = run(csv_bytes(rows), HART_BY_CODE)

    message = f"rows 6 and {len(rows)} both give {rows[5][3]} for Q1 14-15"
    assert not report.written
    assert [e for e in report.errors if message in e] == [
        f"row 6: {message}: keep one row per measure and period (check the period and the code or title)",
        f"row {len(rows)}: {message}: keep one row per measure and period (check the period and the code or title)",
    ]


def test_two_labels_for_one_period_are_duplicates_too(db):
    rows = hart_rows()
    extra = list(rows[5])
    extra[1] = "Q1 2014/15"
    rows.append(extra)

    report = run(csv_bytes(rows), HART_BY_CODE)

    assert any(f"rows 6 and {len(rows)} both give" in e for e in report.errors)


def test_the_summary_accounts_for_every_row_of_the_file_by_reason(db):
    rows = [["Hart DC KPIs, printed 2 September 2014"], [], *hart_rows()]
    rows[6:6] = [[], rows[2], ["Note: provisional"]]
    toml = HART_BY_CODE + '\n[rows]\nskip = [{field = "code", matches = "^SNH0[34]$"}]\n'

    report = run(csv_bytes(rows), toml)

    assert report.written
    assert report.file_rows == len(rows)
    assert report.skipped == {
        "above the header row (titles)": 2, "the header row": 1, "blank": 1, "the header repeated": 1,
        "a note under the table": 1, "skipped: code matches ^SNH0[34]$": 2,
    }
    assert len(report.rows) == 43


def test_a_word_the_layout_does_not_know_lists_the_words_it_does(db):
    toml = HART_BY_CODE.replace('target = "target_t"', 'target = "target_t"\nrag = "status_code_s"')
    toml += '\n[words.rag]\nlg = "Green"\nla = "Amber"\nlr = "Red"\n'
    report = run(csv_bytes(hart_rows()), toml)

    assert "row 44, status_code_s: 'ld' is not a RAG this layout knows: write one of 'lg', 'la', 'lr', " \
           "or add the word to the mapping's words for RAG" in report.errors


# Periods as councils label them (item 4)

MIXED = """
name = "Mixed frequencies"
headers = ["Code", "Frequency", "Month"]
[columns]
code = "Code"
frequency = "Frequency"
year_basis = "Basis"
period = "Month"
value = "Figure"
[words.frequency]
M = "monthly"
Q = "quarterly"
A = "annual"
T = "termly"
[words.year_basis]
FY = "financial_year"
AY = "academic_year"
[month_labels]
quarterly = "first"
annual = "first"
termly = "within"
"""
MIXED_ROWS = [
    ["Code", "Frequency", "Basis", "Month", "Figure"],
    ["MON", "M", "FY", "Jan 2024", "10"],
    ["QTR", "Q", "FY", "Jan 2024", "20"],
    ["FIN", "A", "FY", "Apr 2023", "30"],
    ["ACA", "A", "AY", "Sep 2022", "40"],
    ["TRM", "T", "AY", "May 2024", "50"],
]


def stored_span(code):
    period = Value.objects.select_related("period").get(measure__code=code).period
    return periods.Span(period.kind, period.start, period.end)


def test_one_mapping_reads_month_labels_per_frequency_read_from_the_row(db):
    report = run(csv_bytes(MIXED_ROWS), MIXED)

    assert report.written, report.errors
    assert {code: stored_span(code).label for code in ("MON", "QTR", "FIN", "ACA", "TRM")} == {
        "MON": "Jan-24", "QTR": "Q4 23-24", "FIN": "2023-24", "ACA": "2022-23",
        "TRM": "Term 3 (Summer) 2023-24",
    }


def test_annual_and_termly_figures_labelled_by_a_month_are_never_stored_as_months(db):
    content = csv_bytes([["Code", "Frequency", "Month", "Figure"], ["ANN", "annual", "Mar 2024", "30"],
                         ["TRM", "termly", "Dec 2023", "50"]])
    toml = MIXED.replace('year_basis = "Basis"\n', "")

    report = run(content, toml.replace('[month_labels]\nquarterly = "first"\nannual = "first"\ntermly = "within"\n', ""))

    assert report.written, report.errors
    assert stored_span("ANN").kind == periods.FINANCIAL_YEAR and stored_span("ANN").label == "2023-24"
    assert stored_span("TRM").kind == periods.TERM and stored_span("TRM").label == "Term 1 (Autumn) 2023-24"


@pytest.mark.parametrize("frequency, label, error", [
    ("annual", "Apr 2023", "'Apr-23' is not the last month of a year, as the mapping reads month labels "
                           "for an annual measure (2023-24 runs Apr-23 to Mar-24): label it by its last "
                           "month (as Mar-24 for 2023-24)"),
    ("termly", "May 2024", "'May-24' is not the last month of a school term"),
    ("annual", "Q1 2023/24", "'Q1 23-24' is a quarter, which does not fit an annual measure: give a year"),
    ("monthly", "2023/24", "'2023-24' is a year, which does not fit a monthly measure: give a month (as Oct-20)"),
])
def test_a_label_that_does_not_fit_the_frequency_is_a_row_error(db, frequency, label, error):
    content = csv_bytes([["Code", "Frequency", "Month", "Figure"], ["X1", frequency, label, "30"]])
    toml = MIXED.replace('year_basis = "Basis"\n', "").split("[month_labels]")[0]

    report = run(content, toml)

    assert not report.written and Value.objects.count() == 0
    assert len(report.errors) == 1 and report.errors[0].startswith(f"row 2, Month: {error}")


def test_a_new_measure_with_no_frequency_takes_its_labels_own(db):
    content = csv_bytes([["Measure", "Period", "Value"], ["Bins", "Q1 2014/15", "3"], ["Tips", "2014-15", "4"],
                         ["Fly", "Oct-20", "5"]])

    report = import_file(content, "plain.csv", "perfhub")

    assert report.written, report.errors
    assert dict(Measure.objects.values_list("title", "frequency")) == {
        "Bins": "quarterly", "Tips": "annual", "Fly": "monthly"}
    assert stored_span_of("Bins").label == "Q1 14-15" and stored_span_of("Tips").label == "2014-15"


def stored_span_of(title):
    period = Value.objects.select_related("period").get(measure__title=title).period
    return periods.Span(period.kind, period.start, period.end)
