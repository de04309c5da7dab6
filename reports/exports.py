"""Downloads of a page's table (`?_export=csv|xlsx|json`), from the same django-tables2 Table
as the screen, so the two never disagree.

A CSV is streamed row by row as the table yields its values (the first bytes leave before the
last row is read), and an export never pays for what only the screen needs: no paging, no
page count, no chart.
"""

import csv
import inspect

from django.http import StreamingHttpResponse
from django.utils.encoding import force_str
from django_tables2 import Column

from measures import exports as measures_exports


class Echo:
    """A file-like object whose write returns what it is given, for csv.writer to stream."""

    def write(self, value):
        return value


def csv_lines(rows):
    """Each row (the header first) as a CSV line, as tablib would write it."""
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow(row)


def table_values(table, exclude_columns=(), cell=None):
    """What `table.as_values()` yields (the header, then each row's values from the columns'
    `value_<column>` methods) without its per-cell costs: each column and the arguments its
    value method takes are looked up once, not once a cell."""
    columns = [
        column for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in exclude_columns)
    ]
    cell = cell or (lambda value: force_str(value, strings_only=True))
    yield [force_str(column.header, strings_only=True) for column in columns]
    exporters = {column.name: _exporter(column) for column in columns}
    for row in table.rows:
        yield [cell(_value(row, column, *exporters[column.name])) for column in columns]


def table_cells(table, rows=None):
    """Each row of `table` (or of `rows`, its BoundRows: a page's) as its (column, rendered
    cell) pairs, as BoundRow.items() gives them for the screen, for a plain template loop
    (tables/plain_table.html) without django-tables2's per-cell work."""
    columns = list(table.columns)
    renderers = {column.name: _renderer(column) for column in columns}
    for row in table.rows if rows is None else rows:
        yield [(column, _value(row, column, *renderers[column.name], column.default)) for column in columns]


def _renderer(bound_column):
    if bound_column.link:
        return None, None
    function, takes = _exporter(bound_column, bound_column.render)
    return function, takes


def _exporter(bound_column, function=None):
    """The function that gives a column's value for an export, and the arguments it takes."""
    function = function or bound_column.value
    if getattr(function, "__func__", None) is Column.value:
        function = bound_column.column.render  # all that Column.value does
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind == p.VAR_KEYWORD for p in parameters):
        return function, None  # takes them all
    return function, {p.name for p in parameters}


def _value(row, column, function, takes, default=None):
    if function is None:
        return row.get_cell(column.name)  # a linked cell: django-tables2's own way
    def call(bound_column, value=None):
        arguments = {"value": value, "record": row.record, "column": bound_column.column,
                     "bound_column": bound_column, "bound_row": row, "table": row.table}
        if takes is not None:
            arguments = {name: arguments[name] for name in takes if name in arguments}
        return function(**arguments)

    return row._get_and_render_with(column, render_func=call, default=default)


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
