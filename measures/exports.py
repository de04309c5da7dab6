"""Every table's downloads (CSV, XLSX, JSON), made once for all of them on django-tables2's export.

Text that a spreadsheet would read as a formula (it starts with = + - @, a tab or a carriage
return) is neutralised in CSV and XLSX by a leading apostrophe, as OWASP's advice on CSV
injection has it; JSON is not opened by a spreadsheet and keeps the text as it is.

Figures are `Figure` cells: the number as stored, with the way the page prints it. CSV carries
the printed form, so that a committee paper's CSV reads as the paper does; XLSX the number as a
spreadsheet's number (a float); JSON the stored decimal exactly, as a JSON number written with
its own digits (4469.1234, 80.5, 100): never a float, which loses the last digits of the
16-digit figures a value may hold. Booleans stay booleans in XLSX and JSON. Only csv, xlsx and
json are served; any other `_export` shows the page itself.

Every format reads the table through `table_values`: each column's `value_<column>` function is
looked up once, not once a cell.
"""

import inspect
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Model
from django.utils.encoding import force_str
from django_tables2 import Column
from django_tables2.export import ExportMixin as TablesExportMixin
from django_tables2.export import TableExport as TablesExport
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from tablib import Dataset

from measures.numbers import NumberError, parse_number

# Excel also reads fullwidth = + - @ as a formula's start, and LibreOffice a leading | as DDE.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20", "|")


@dataclass(frozen=True)
class Figure:
    """A number (or None) and the way the page prints it (4469.1234 printed "4,469.12")."""

    number: Decimal | int | None
    printed: str

    def __str__(self):
        return self.printed

    @classmethod
    def from_printed(cls, printed):
        """A figure read back from its printed form (a stored snapshot holds only that)."""
        try:
            number = parse_number(printed or "", "")
        except NumberError:
            number = None
        return cls(number, printed or "")


def neutralise(text):
    """`text` as a spreadsheet shows it but never runs it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def plain_number(number):
    """A stored Decimal as XLSX takes it: an int when whole, else a float."""
    if isinstance(number, Decimal):
        return int(number) if number == number.to_integral_value() else float(number)
    return number


def json_number(number):
    """A stored Decimal as an exact JSON number: its digits without the stored trailing zeros
    (80.5000 is 80.5, 100.0000 is 100), never in exponent form."""
    return format(number.normalize(), "f")


def json_value(value):
    """One JSON export cell: a Decimal written exactly (json_number), anything else by json."""
    if isinstance(value, Decimal):
        return json_number(value)
    return json.dumps(value, ensure_ascii=False)


def json_records(rows):
    """`rows` (the header, then each row's cells) as a JSON list of records keyed by header, as
    tablib writes them, with every Decimal exact."""
    rows = iter(rows)
    keys = [json.dumps(str(header), ensure_ascii=False) for header in next(rows)]
    records = (
        "{" + ", ".join(f"{key}: {json_value(value)}" for key, value in zip(keys, row)) + "}"
        for row in rows
    )
    return "[" + ", ".join(records) + "]"


def table_values(table, exclude_columns=(), cell=None):
    """What `table.as_values()` yields (the header, then each row's values from the columns'
    `value_<column>` methods) without its per-cell costs: each column's value method, the
    arguments it takes and how its value is read are settled once (`reader`), not once a cell."""
    columns = [
        column for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in (exclude_columns or ()))
    ]
    cell = cell or (lambda value: force_str(value, strings_only=True))
    yield [force_str(column.header, strings_only=True) for column in columns]
    readers = [reader(column) for column in columns]
    for row in table.rows:
        record = row.record
        yield [cell(read(row, record)) for read in readers]


def exporter(bound_column, function=None):
    """The function that gives a column's value for an export (or `function`, a render method),
    and the names of the arguments it takes (None: it takes them all)."""
    function = function or bound_column.value
    if getattr(function, "__func__", None) is Column.value:
        function = bound_column.column.render  # all that Column.value does
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind == p.VAR_KEYWORD for p in parameters):
        return function, None
    return function, {p.name for p in parameters}


ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


def reader(bound_column, function=None, default=None, linked=False):
    """A function of a BoundRow and its record giving the value of `bound_column` in the row by
    `function` (its value method, or a render method), as django-tables2 gives it (its accessor,
    its empty values and `default`), with everything that does not depend on the row settled once
    a column: the function, the arguments it takes, the accessor. A plain record (a dict, or an
    object that is not a model) with a one-step accessor is read directly: django-tables2's
    look-up of a model field's display method does not apply. A `linked` cell is
    django-tables2's own."""
    if linked:
        return lambda row, record: row.get_cell(bound_column.name)
    function, takes = exporter(bound_column, function)
    names = ARGUMENTS if takes is None else tuple(name for name in ARGUMENTS if name in takes)
    column, accessor = bound_column.column, bound_column.accessor
    empty_values = column.empty_values
    dotted = "." in accessor or "__" in accessor

    if getattr(function, "__func__", None) is Column.render:  # a plain column: the value itself
        def call(row, value):
            return value
    elif names == ("value",):  # the commonest render method, called without the others
        def call(row, value):
            return function(value=value)
    else:
        def call(row, value):
            arguments = {"value": value, "record": row.record, "column": column,
                         "bound_column": bound_column, "bound_row": row, "table": row.table}
            return function(**{name: arguments[name] for name in names})

    def tables2(row):
        return row._get_and_render_with(
            bound_column, render_func=lambda _, value=None: call(row, value), default=default,
        )

    def read(row, record):
        if dotted or isinstance(record, Model):
            return tables2(row)
        try:
            value = record[accessor] if isinstance(record, dict) else getattr(record, accessor)
        except (KeyError, AttributeError):
            value = None
        if callable(value):
            return tables2(row)
        return default if value in empty_values else call(row, value)

    return read


class TableExport(TablesExport):
    """django-tables2's TableExport, limited to CSV, XLSX and JSON, with typed, safe cells."""

    FORMATS = {
        TablesExport.CSV: TablesExport.FORMATS[TablesExport.CSV],
        TablesExport.XLSX: TablesExport.FORMATS[TablesExport.XLSX],
        TablesExport.JSON: TablesExport.FORMATS[TablesExport.JSON],
    }

    def __init__(self, export_format, table, exclude_columns=None, dataset_kwargs=None):
        # The format decides how each cell is written, so it is known before the rows are read.
        self.format = export_format
        super().__init__(export_format, table, exclude_columns, dataset_kwargs)

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in cls.FORMATS

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        # Each cell typed by self.cell, not made a string as Table.as_values makes it.
        model = getattr(table._meta, "model", None)
        title = model._meta.verbose_name_plural.title() if model else "Export Data"
        dataset = Dataset(**{"title": title, **(dataset_kwargs or {})})
        rows = table_values(table, exclude_columns, cell=self.cell)
        dataset.headers = [force_str(header) for header in next(rows)]
        for row in rows:
            dataset.append(row)
        return dataset

    def export(self):
        if self.format == self.JSON:
            return json_records([self.dataset.headers, *self.dataset])
        return super().export()

    def cell(self, value):
        """One cell as this format should hold it."""
        if isinstance(value, Figure) and value.number is not None:
            return value.printed if self.format == self.CSV else self.number(value.number)
        if isinstance(value, Figure):  # no number: its words are text like any other
            value = value.printed or None
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, Decimal):
            return str(value) if self.format == self.CSV else self.number(value)
        text = force_str(value)
        if self.format == self.XLSX:
            # Control characters a workbook cannot hold (openpyxl refuses the whole file).
            text = ILLEGAL_CHARACTERS_RE.sub("", text)
        return text if self.format == self.JSON else neutralise(text)

    def number(self, number):
        """A number in XLSX (a float where not whole) or JSON (as stored: written exactly)."""
        return number if self.format == self.JSON else plain_number(number)


class ExportMixin(TablesExportMixin):
    """django-tables2's ExportMixin with PerfHub's TableExport: every list's downloads."""

    export_class = TableExport
    export_formats = tuple(TableExport.FORMATS)

    def exportable(self):
        """Whether there is a table to download (not when the page shows an error summary)."""
        return True

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get(self.export_trigger_param)
        if self.exportable() and self.export_class.is_valid_format(export_format):
            return self.create_export(export_format)
        return super(TablesExportMixin, self).render_to_response(context, **kwargs)
