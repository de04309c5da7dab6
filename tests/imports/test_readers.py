"""Hostile and careless files (issue 22, finding 5): every reader streams, stops at its limits
and refuses with a reason a person can act on; never a traceback, never the worker's memory."""

import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from imports import readers
from imports.models import ImportRun
from imports.readers import ReadError, read_table

HEADER = "Code,Measure,Period,Value\n"


def workbook(rows, merge=None, formulas=()):
    """XLSX bytes of `rows`; `merge` is added to the sheet's XML as it stands (a range no
    spreadsheet program would write for a small sheet, e.g. A3:XFD1048576)."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref, formula in formulas:
        sheet[ref] = formula
    out = io.BytesIO()
    book.save(out)
    if merge is None:
        return out.getvalue()
    source, patched = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>",
                                    f'</sheetData><mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>'.encode())
            target.writestr(info, data)
    return patched.getvalue()


def peak_mb(read):
    tracemalloc.start()
    try:
        result = read()
        return result, tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


ROWS = [["Code", "Measure", "Period", "Value"], ["M1", "Missed bins", "Oct-20", 12], ["M2", "Fly-tipping", "Oct-20", 3]]


@pytest.mark.parametrize("merge", ["A3:XFD1048576", "K3:Z200000"])
def test_a_merged_range_to_the_sheets_end_spreads_over_the_rows_read_and_no_further(merge):
    content = workbook(ROWS, merge=merge)
    assert len(content) < 10_000
    rows, peak = peak_mb(lambda: read_table(content, "hostile.xlsx"))
    assert len(rows) == 3 and peak < 30
    assert rows[:2] == [ROWS[0], ["M1", "Missed bins", "Oct-20", "12"]]
    assert len(rows[2]) <= readers.MAX_COLUMNS


def test_a_workbook_that_unzips_beyond_the_limit_is_refused_before_it_is_read():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(readers.MAX_EXPANDED_MB + 1):
                member.write(chunk)
    assert len(out.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(ReadError, match=rf"unzips to {readers.MAX_EXPANDED_MB + 1} MB, more than the "):
        read_table(out.getvalue(), "bomb.xlsx")


def test_formula_cells_with_no_saved_result_are_refused_by_name():
    content = workbook(ROWS, formulas=[("D2", "=10+2"), ("D3", "=SUM(D1:D2)")])
    with pytest.raises(ReadError, match="formula cells with no saved result: D2, D3. Open the workbook"):
        read_table(content, "unsaved.xlsx")


def test_too_many_rows_are_refused():
    content = (HEADER + "M1,Bins,Oct-20,1\n" * readers.MAX_ROWS).encode()
    with pytest.raises(ReadError, match=f"more than {readers.MAX_ROWS:,} rows"):
        read_table(content, "long.csv")


def test_too_many_columns_are_refused():
    content = (HEADER + ",".join(["1"] * (readers.MAX_COLUMNS + 1)) + "\n").encode()
    with pytest.raises(ReadError, match=f"line 2 has more than {readers.MAX_COLUMNS:,} columns"):
        read_table(content, "wide.csv")


@pytest.mark.parametrize("content, message", [
    (HEADER + "M1,Bins\0,Oct-20,1\n", "line 2 holds a NUL character"),
    (HEADER + "M1," + "x" * 131_073 + ",Oct-20,1\n", "line 2 has a cell longer than 131,072 characters"),
    (HEADER + 'M1,"' + "x" * 140_000 + ",Oct-20,1\n", "line 2 has a cell longer than 131,072 characters (or a quote left open)"),
    (HEADER + 'M1,"Bins,Oct-20,1\nM2,Fly-tipping,Oct-20,3\n', "a quote opened after line 1 is never closed"),
])
def test_careless_csv_is_refused_with_its_line(content, message):
    with pytest.raises(ReadError, match=re.escape(message)):
        read_table(content.encode(), "careless.csv")


@pytest.mark.parametrize("name, content, message", [
    ("nul.csv", (HEADER + "M1,Bins\0,Oct-20,1\n").encode(), "holds a NUL character"),
    ("quote.csv", (HEADER + 'M1,"Bins,Oct-20,1\n').encode(), "is never closed"),
    ("merged.xlsx", workbook(ROWS, merge="A3:XFD1048576", formulas=[("D2", "=1")]), "formula cells with no saved result: D2"),
])
def test_the_import_page_refuses_a_hostile_file_with_its_reason(
        client, bi_user, name, content, message, django_capture_on_commit_callbacks):
    client.force_login(bi_user)
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, content), "mapping": "perfhub",
                                            "sheet": "", "status": "draft", "reason": ""})
    run = ImportRun.objects.get()
    response = client.get(run.get_absolute_url())
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    # Confirmed all the same, the import's job fails with the same reason on its page.
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(run.get_absolute_url())
    job_page = client.get(confirmed["Location"])
    assert "The job failed" in job_page.content.decode()
    assert message in job_page.content.decode().replace("&#x27;", "'")
    run.refresh_from_db()
    assert run.imported_at is None
