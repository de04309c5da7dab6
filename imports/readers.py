"""Files to rows of text: CSV in whatever encoding a council saved it, XLSX and ODS.

Every reader returns a list of rows, each a list of cell texts, numbered from 1 as the
spreadsheet numbers them (row 1 is `rows[0]`). CSV: the standard library's csv module, with the
encoding found by charset-normalizer (UTF-8 with or without a byte-order mark, Windows-1252, ...)
and the dialect by csv.Sniffer. XLSX: openpyxl, reading the values cached with formula cells and
spreading a merged cell's text over the cells it covers. ODS: python-calamine.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from charset_normalizer import from_bytes


class ReadError(ValueError):
    """A file that cannot be read as a table at all."""


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
    # The delimiter is the commonest of the candidates on the first line; csv.Sniffer guesses
    # quoting from the whole sample and is misled by long quoted cells with commas in them.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;|", key=first_line.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_xlsx(content, sheet=None):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    from zipfile import BadZipFile

    try:
        book = load_workbook(io.BytesIO(content), data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as error:
        raise ReadError(f"the file is not a readable XLSX workbook ({error})") from None
    ws = _sheet(book, book.sheetnames, sheet, lambda name: book[name])
    rows = [[cell_text(value) for value in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        text = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                rows[r][c] = text
    return rows


def read_ods(content, sheet=None):
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as error:  # calamine raises its own error types for every kind of bad file
        raise ReadError(f"the file is not a readable ODS workbook ({error})") from None
    data = _sheet(book, book.sheet_names, sheet, lambda name: book.get_sheet_by_name(name))
    return [[cell_text(value) for value in row] for row in data.to_python(skip_empty_area=False)]


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
