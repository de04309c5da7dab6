"""Every table's downloads (CSV, XLSX, JSON), made once for all of them on django-tables2's export.

Text that a spreadsheet would read as a formula (it starts with = + - @, a tab or a carriage
return) is neutralised in CSV and XLSX by a leading apostrophe, as OWASP's advice on CSV
injection has it; JSON is not opened by a spreadsheet and keeps the text as it is.

Figures are `Figure` cells: the number as stored, with the way the page prints it. XLSX and JSON
carry the number itself (a real number, at full stored precision); CSV carries the printed form,
so that a committee paper's CSV reads as the paper does. Booleans stay booleans in XLSX and JSON.
Only csv, xlsx and json are served; any other `_export` shows the page itself.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.encoding import force_str
from tablib import Dataset
from django_tables2.export import ExportMixin as TablesExportMixin
from django_tables2.export import TableExport as TablesExport
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from measures.numbers import NumberError, parse_number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    """A stored Decimal as JSON and XLSX take it: an int when whole, else a float."""
    if isinstance(number, Decimal):
        return int(number) if number == number.to_integral_value() else float(number)
    return number


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
        # Rows are read cell by cell rather than through Table.as_values, which turns every
        # value it does not know into a string.
        model = getattr(table._meta, "model", None)
        title = model._meta.verbose_name_plural.title() if model else "Export Data"
        dataset = Dataset(**{"title": title, **(dataset_kwargs or {})})
        columns = [
            column for column in table.columns.iterall()
            if not (column.column.exclude_from_export or column.name in (exclude_columns or ()))
        ]
        dataset.headers = [force_str(column.header) for column in columns]
        for row in table.rows:
            dataset.append([self.cell(row.get_cell_value(column.name)) for column in columns])
        return dataset

    def cell(self, value):
        """One cell as this format should hold it."""
        if isinstance(value, Figure) and value.number is not None:
            return value.printed if self.format == self.CSV else plain_number(value.number)
        if isinstance(value, Figure):  # no number: its words are text like any other
            value = value.printed or None
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, Decimal):
            return str(value) if self.format == self.CSV else plain_number(value)
        text = force_str(value)
        if self.format == self.XLSX:
            # Control characters a workbook cannot hold (openpyxl refuses the whole file).
            text = ILLEGAL_CHARACTERS_RE.sub("", text)
        return text if self.format == self.JSON else neutralise(text)


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
