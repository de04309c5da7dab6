"""Files to rows of text: CSV in whatever encoding a council saved it, XLSX and ODS.

Every reader returns a list of rows, each a list of cell texts, numbered from 1 as the
spreadsheet numbers them (row 1 is `rows[0]`). CSV: the standard library's csv module, with the
encoding found by charset-normalizer (UTF-8 with or without a byte-order mark, Windows-1252, ...)
and the dialect by csv.Sniffer. XLSX: openpyxl, reading the values cached with formula cells and
spreading a merged cell's text over the cells it covers. ODS: python-calamine.

A file is anyone's: every reader streams and stops at the limits below (rows, columns, a cell's
length, merged ranges, and how far a zipped workbook expands), refusing the file with a
ReadError that says which limit and where, rather than filling the web worker's memory. An XLSX
formula cell with no saved result is refused, naming the cells, never read as a blank.
"""

import csv
import io
import zipfile
from xml.etree.ElementTree import iterparse
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from charset_normalizer import from_bytes


class ReadError(ValueError):
    """A file that cannot be read as a table at all."""


MAX_ROWS = 200_000  # 4 times the 50,000 rows of bench/import.py
MAX_COLUMNS = 500
MAX_CELL_CHARACTERS = 131_072  # the csv module's own limit; Excel keeps 32,767 in a cell
MAX_MERGED_RANGES = 10_000
MAX_MERGED_CELLS = 2_000_000  # the cells merged ranges spread text over, within the rows read
MAX_EXPANDED_MB = 300  # an XLSX or ODS unzipped: a 20 MB upload of ordinary text is far less
SHOWN_CELLS = 10  # cells named in a refusal before "and N more"


def read_table(content, filename, sheet=None):
    """The rows of the file `filename` whose bytes are `content`; `sheet` names an XLSX/ODS sheet."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(content, sheet)
    if suffix == ".ods":
        return read_ods(content, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(content)
    raise ReadError(f"{filename} is not a CSV, XLSX or ODS file")


def decode(content):
    """The text of `content`, in the encoding it was written in; a byte-order mark is dropped."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(content))
    if not matches:
        raise ReadError("the file is not text (is it a spreadsheet saved with the wrong name?)")
    # Short English text fits several single-byte code pages equally well; a council's file that
    # is not UTF-8 is almost always Windows-1252 (Excel's "CSV" on a UK PC), so it wins a tie.
    for match in matches:
        if "cp1252" in match.could_be_from_charset:
            return content.decode("cp1252")
    return str(matches[0])


def read_csv(content):
    text = decode(content)
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise ReadError(f"line {line} holds a NUL character: the file is not a CSV (is it a spreadsheet "
                        "saved with the wrong name?)")
    # The delimiter is the commonest of the candidates on the first line; csv.Sniffer guesses
    # quoting from the whole sample and is misled by long quoted cells with commas in them.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;|", key=first_line.count)
    # Strict: a quote left open is an error at the end of the file, not the rest of the file
    # read into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            _check_row(row, len(rows), f"line {reader.line_num}")
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ReadError(
                f"line {len(rows) + 1} has a cell longer than {MAX_CELL_CHARACTERS:,} characters "
                "(or a quote left open)"
            ) from None
        if "unexpected end of data" in str(error):
            raise ReadError(f"a quote opened after line {len(rows)} is never closed") from None
        raise ReadError(f"line {reader.line_num} cannot be read as CSV ({error})") from None
    return rows


def _check_row(row, number, where):
    """Refuse the file once a row passes a limit (MAX_ROWS, MAX_COLUMNS, MAX_CELL_CHARACTERS)."""
    if number > MAX_ROWS:
        raise ReadError(f"the sheet has more than {MAX_ROWS:,} rows: split it into smaller files")
    if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
        raise ReadError(f"{where} has more than {MAX_COLUMNS:,} columns")
    for cell in row:
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARACTERS:
            raise ReadError(f"{where} has a cell longer than {MAX_CELL_CHARACTERS:,} characters")


def check_expanded_size(content, what):
    """Refuse a zipped workbook (XLSX, ODS) that would unzip to more than MAX_EXPANDED_MB."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ReadError(f"the file is not a readable {what} workbook ({error})") from None
    if expanded > MAX_EXPANDED_MB * 1024 * 1024:
        raise ReadError(
            f"the workbook unzips to {expanded / 1024 / 1024:,.0f} MB, more than the {MAX_EXPANDED_MB} MB "
            "PerfHub reads: save just the sheet to import, or split it"
        )


def read_xlsx(content, sheet=None):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    from zipfile import BadZipFile

    check_expanded_size(content, "XLSX")
    try:
        # Read-only: rows are streamed from the sheet's XML, never a cell object for each cell
        # a merged range or a stated dimension claims.
        book = load_workbook(io.BytesIO(content), data_only=True, read_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as error:
        raise ReadError(f"the file is not a readable XLSX workbook ({error})") from None
    try:
        ws = _sheet(book, book.sheetnames, sheet, lambda name: book[name])
        if not hasattr(ws, "reset_dimensions"):
            raise ReadError(f"the sheet '{ws.title}' is a chart, not a table")
        ws.reset_dimensions()  # the file's own claim of its size is not trusted
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append(row)
            _check_row(row, len(rows), f"row {len(rows)}")
        rows = [[cell_text(value) for value in row] for row in rows]
        with book._archive.open(ws._worksheet_path) as source:
            merged, unsaved = _scan_sheet(source, len(rows))
    except (KeyError, ValueError, SyntaxError) as error:
        if isinstance(error, ReadError):
            raise
        raise ReadError(f"the file is not a readable XLSX workbook ({error})") from None
    finally:
        book.close()
    if unsaved:
        shown = ", ".join(unsaved[:SHOWN_CELLS]) + (f" and {len(unsaved) - SHOWN_CELLS:,} more"
                                                    if len(unsaved) > SHOWN_CELLS else "")
        raise ReadError(
            f"formula cells with no saved result: {shown}. Open the workbook in Excel or LibreOffice "
            "and save it, so that each formula's result is saved with it"
        )
    _spread_merged(rows, merged)
    return rows


def _scan_sheet(source, rows_read):
    """(merged ranges, formula cells with no saved result) of a sheet's XML, streamed."""
    from openpyxl.utils.cell import range_boundaries

    merged, unsaved = [], []
    for _, element in iterparse(source):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "c":
            children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
            saved = children.get("v")
            # An empty <v/> is no result, but for a formula whose result is text ("str"): "".
            if "f" in children and (saved is None or (not saved.text and element.get("t") != "str")):
                unsaved.append(element.get("r", "?"))
            element.clear()
        elif tag == "row":
            element.clear()
        elif tag == "mergeCell":
            if len(merged) >= MAX_MERGED_RANGES:
                raise ReadError(f"the sheet has more than {MAX_MERGED_RANGES:,} merged ranges")
            min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
            if min_row <= rows_read:
                merged.append((min_row, min_col, min(max_row, rows_read), max_col))
    return merged, unsaved


def _spread_merged(rows, merged):
    """Give each cell of a merged range the text of its first cell, within the rows read and the
    columns PerfHub reads: a range to the sheet's end spreads over what is there, no further."""
    spread = 0
    for min_row, min_col, max_row, max_col in merged:
        max_col = min(max_col, MAX_COLUMNS)
        spread += max(0, max_row - min_row + 1) * max(0, max_col - min_col + 1)
        if spread > MAX_MERGED_CELLS:
            raise ReadError(f"the sheet's merged ranges cover more than {MAX_MERGED_CELLS:,} cells")
        first = rows[min_row - 1]
        text = first[min_col - 1] if min_col <= len(first) else ""
        for r in range(min_row - 1, max_row):
            row = rows[r]
            if len(row) < max_col:
                row.extend([""] * (max_col - len(row)))
            for c in range(min_col - 1, max_col):
                row[c] = text


def read_ods(content, sheet=None):
    from python_calamine import CalamineWorkbook

    check_expanded_size(content, "ODS")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as error:  # calamine raises its own error types for every kind of bad file
        raise ReadError(f"the file is not a readable ODS workbook ({error})") from None
    data = _sheet(book, book.sheet_names, sheet, lambda name: book.get_sheet_by_name(name))
    if data.height > MAX_ROWS or data.width > MAX_COLUMNS:
        raise ReadError(f"the sheet has {data.height:,} rows and {data.width:,} columns: PerfHub reads "
                        f"at most {MAX_ROWS:,} rows of {MAX_COLUMNS:,} columns")
    rows = [[cell_text(value) for value in row] for row in data.to_python(skip_empty_area=False)]
    for number, row in enumerate(rows, 1):
        _check_row(row, number, f"row {number}")
    return rows


def _sheet(book, names, wanted, get):
    if wanted is None:
        return get(names[0])
    if wanted not in names:
        raise ReadError(f"the workbook has no sheet called '{wanted}' (it has {', '.join(names)})")
    return get(wanted)


def cell_text(value):
    """A spreadsheet cell as the text a person sees: 12.0 is "12", a date is ISO, empty is ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
