"""Downloads of a page's table (`?_export=csv|xlsx|json`), from the same django-tables2 Table
as the screen, so the two never disagree.

A CSV is streamed row by row as the table yields its values (the first bytes leave before the
last row is read), and an export never pays for what only the screen needs: no paging, no
page count, no chart.
"""

import csv

from django.http import StreamingHttpResponse
from django.utils.encoding import force_str

from measures import exports as measures_exports
from measures.exports import reader, table_values


class Echo:
    """A file-like object whose write returns what it is given, for csv.writer to stream."""

    def write(self, value):
        return value


def csv_lines(rows):
    """Each row (the header first) as a CSV line, as tablib would write it."""
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow(row)


def table_cells(table, rows=None):
    """Each row of `table` (or of `rows`, its BoundRows: a page) as its (column, rendered cell)
    pairs, as BoundRow.items() gives them for the screen, for a plain loop over a long table."""
    columns = cell_readers(table)
    for row in table.rows if rows is None else rows:
        record = row.record
        yield [(column, read(row, record)) for column, read in columns]


def cell_readers(table):
    """Each column of `table` with the function of a BoundRow and its record that gives the
    column's rendered cell in that row (measures.exports.reader), as table_cells reads them."""
    return [
        (column, reader(column, column.render, column.default, linked=bool(column.link)))
        for column in table.columns
    ]


class ExportMixin(measures_exports.ExportMixin):
    """PerfHub's ExportMixin (measures.exports decides every cell), with the CSV streamed and
    the screen's work (paging, counts) skipped."""

    @property
    def exporting(self):
        return self.export_class.is_valid_format(self.request.GET.get(self.export_trigger_param))

    def get_table_pagination(self, table):
        return False if self.exporting else super().get_table_pagination(table)

    def create_export(self, export_format):
        if export_format != "csv":
            return super().create_export(export_format)
        table = self.get_table(**self.get_table_kwargs())
        response = StreamingHttpResponse(
            csv_lines(self.csv_rows(table)), content_type=self.export_class.FORMATS["csv"],
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_export_filename("csv")}"'
        return response

    def csv_rows(self, table):
        # The export class's own rule for each CSV cell, without building the whole file first.
        exporter = object.__new__(self.export_class)
        exporter.format = self.export_class.CSV
        rows = table_values(table, self.exclude_columns, cell=lambda value: value)
        yield [force_str(header) for header in next(rows)]
        for row in rows:
            yield [exporter.cell(value) for value in row]
