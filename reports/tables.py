"""The reports' tables. Exports come from the same tables (`?_export=csv|xlsx|json`): the
`value_<column>` methods give the plain words and figures where the screen shows tags and links.
"""

from functools import lru_cache

import django_tables2 as tables
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2.data import TableQuerysetData

from measures.exports import Figure, table_values
from measures.models import Value
from measures.numbers import format_number
from measures.rating import Direction, as_reported, rag_words
from reports import selectors
from presentation.charts import escaped
from presentation.exports import cell_readers
from presentation.rows import QUICK_BODY_TEMPLATE, QuickBody

# The number behind each printed figure of a selectors.Row.
ROW_NUMBERS = {"data": "number", "target": "target_value", "last_year": "last_year_value"}
NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}
MEASURE_ID_SLOT = 987654321  # stands for the id in a reversed measure URL


@lru_cache(maxsize=16)
def rag_tag(rag, words=""):
    """A RAG rating as its word in a coloured tag: the colour never stands alone; `words`
    (measures.rating.rag_words) say why an ND is not rated. (A few tags: each is rendered once,
    not once a row.)"""
    return render_to_string("includes/rag.html", {"rag": rag, "words": words})


@lru_cache(maxsize=64)
def spc_icon(kind, value):
    """A variation (measures.spc.Variation) or an assurance as its icon: each of the few there
    are is rendered once, not once a row."""
    return render_to_string(f"includes/spc_{kind}.html", {kind: value})


class SPCColumns:
    """Renders the `variation` and `assurance` columns (issue 12) as the Making Data Count icons,
    each with its text alternative and a word beside it; exports get the words in full. The rows
    carry `spc` (reports.variation.MeasureSPC), set by reports.variation.attach."""

    def render_variation(self, value, record):
        icon = spc_icon("variation", value)
        if _synthetic(record):
            icon += mark_safe(f' <strong class="app-spc__synthetic">{SYNTHETIC_NOTE}</strong>')
        return icon

    def value_variation(self, value, record):
        return value.label + (f" {SYNTHETIC_NOTE}" if _synthetic(record) else "")

    def render_assurance(self, value):
        return spc_icon("assurance", value)

    def value_assurance(self, value):
        return value.label


SYNTHETIC_NOTE = "(from synthetic history)"


def _synthetic(record):
    """Whether the row's SPC (`spc`, on a selectors.Row; a snapshot's dict has none) was worked
    out from a series holding generated figures."""
    spc = getattr(record, "spc", None)
    return bool(getattr(spc, "synthetic", False))


def variation_column():
    # A measure with too few figures has no variation; no target or polarity means no assurance.
    return tables.Column("Variation", accessor="spc__variation", orderable=False, default="Too few figures")


def assurance_column():
    return tables.Column("Assurance", accessor="spc__assurance", orderable=False)


class MeasureRowTable(tables.Table):
    """The measure's title links to its page and the RAG shows as a tag; exports get the words.

    Rows are selectors.Row objects (live figures) or dicts with the same keys (a snapshot).
    """

    def render_indicator(self, record, value):
        measure_id = record["measure_id"] if isinstance(record, dict) else record.measure_id
        return format_html('<a class="govuk-link" href="{}">{}</a>', self.measure_url(measure_id), value)

    @cached_property
    def measure_url(self):
        """A measure's page address by its id, the URL reversed once a table rather than once a row."""
        pattern = reverse("measure_detail", args=[MEASURE_ID_SLOT])
        return lambda measure_id: pattern.replace(str(MEASURE_ID_SLOT), str(int(measure_id)))

    def value_indicator(self, value):
        return value

    def render_rag(self, value, record):
        if isinstance(record, dict):
            return rag_tag(value)  # a snapshot's row, as it was published
        return rag_tag(value, rag_words(value, record.number, record.target_value, record.measure.polarity))

    def value_rag(self, value):
        return value

    def value_data(self, record, value, bound_column):
        return row_figure(record, bound_column.name, value)

    value_target = value_last_year = value_data


def row_figure(record, column, printed):
    """A Row's figure for an export; a snapshot's row keeps only the printed form to read back."""
    if isinstance(record, dict):
        return Figure.from_printed(printed)
    return Figure(getattr(record, ROW_NUMBERS[column]), printed)


class ExceptionReportTable(MeasureRowTable):
    """Appendix 1 of the exception report, column for column.

    Reads selectors.Row objects (the live report) and dicts with the same keys (a snapshot).
    """

    indicator = tables.Column("Indicator")
    service = tables.Column("Service")
    period = tables.Column("Period")
    unit = tables.Column("Unit")
    frequency = tables.Column("Monthly / Quarterly / Annual")
    data = tables.Column("Data", attrs=NUMERIC)
    rag = tables.Column("RAG")
    dot = tables.Column("D.O.T.")
    target = tables.Column("Target", attrs=NUMERIC)
    last_year = tables.Column("Last year", attrs=NUMERIC)
    commentary = tables.Column("Commentary")
    action = tables.Column("Action")

    class Meta:
        orderable = False
        default = ""  # a blank cell, as the report prints it (and never "—" in an export)
        empty_text = "No measure was red or amber."
        attrs = {"class": "govuk-table app-table app-exception-table"}

    # Printed in full beneath each measure's figures (reports/includes/exception_table.html),
    # side by side across the figures' columns: commentary under the first five, action under
    # the other five.
    text_columns = ("commentary", "action")
    text_colspan = (5, 5)

    def render_dot(self, value):
        return self.value_dot(value)

    def measure_bodies(self):
        """Each measure's `<tbody>` (reports/includes/exception_table.html): its figures on one
        line and its commentary and action in full beneath them, each cell labelled by its
        column for the phone's cards. Written here, not by a template loop over 12 cells a row,
        which cost ten times as much for a committee's 800 rows; the cells are the table's own
        rendered cells (presentation.exports.cell_readers, as table_cells reads them)."""
        figures, texts, spans = [], [], iter(self.text_colspan)  # each cell's <td> and reader
        for column, read in cell_readers(self):
            label = escaped(column.header)
            if column.name in self.text_columns:
                td = f'<td class="govuk-table__cell app-exception-row__text" colspan="{next(spans)}" data-label="{label}">'
                texts.append((td, read))
            else:
                css = escaped(column.attrs["td"].get("class") or "")
                figures.append((f'<td class="govuk-table__cell {css}" data-label="{label}">', read))
        for row in self.rows:
            record = row.record

            def cells(columns):
                return "".join(f"{td}{escaped(read(row, record))}</td>" for td, read in columns)

            yield mark_safe(
                '<tbody class="govuk-table__body app-exception-row">'
                '<tr class="govuk-table__row app-exception-row__figures">'
                + cells(figures)
                + '</tr><tr class="govuk-table__row app-exception-row__texts" data-continues>'
                + cells(texts)
                + "</tr></tbody>"
            )

    def value_dot(self, value):
        # The report leaves D.O.T. blank where there is no trend.
        return "" if value == Direction.NO_TREND else value


class ExceptionReportSPCTable(SPCColumns, ExceptionReportTable):
    """Appendix 1 with the variation and assurance columns added (`?spc=1`)."""

    variation = variation_column()
    assurance = assurance_column()


class ForecastColumn(tables.Table):
    """The year-end forecast of each row's measure (reports.forecasts.attach), issue 21."""

    forecast = tables.Column("Year-end forecast", accessor="forecast", empty_values=(), orderable=False)

    def render_forecast(self, record):
        return self.value_forecast(record)

    def value_forecast(self, record):
        found = getattr(record, "forecast", None)
        if found is None or not found.forecasts:
            return ""
        verdict = "forecast to miss the year-end target" if found.misses else "forecast to meet the year-end target"
        return f"{found.summary}: {verdict}" if found.target is not None else found.summary


class ExceptionReportForecastTable(ForecastColumn, ExceptionReportTable):
    """Appendix 1 with each measure's year-end forecast (`?forecast=1`)."""


class ExceptionReportSPCForecastTable(ForecastColumn, ExceptionReportSPCTable):
    """Appendix 1 with the SPC columns and the year-end forecast (`?spc=1&forecast=1`)."""


class SPCExceptionTable(SPCColumns, MeasureRowTable):
    """A committee's measures with special cause concern or failing assurance (selectors.Row
    with `spc`), with their RAG beside them."""

    indicator = tables.Column("Indicator")
    service = tables.Column("Service")
    period = tables.Column("Period")
    data = tables.Column("Data", attrs=NUMERIC)
    target = tables.Column("Target", attrs=NUMERIC)
    rag = tables.Column("RAG")
    variation = variation_column()
    assurance = assurance_column()

    class Meta:
        orderable = False
        default = ""
        empty_text = "No measure shows special cause concern or failing assurance."
        attrs = {"class": "govuk-table app-table app-spc-exception-table"}


def exception_rows(rows):
    """The rows as the report prints them, as dicts keyed by column: what a snapshot stores."""
    table = ExceptionReportTable(rows)
    names = [column.name for column in table.columns]
    printed = list(table_values(table))[1:]
    return [{**dict(zip(names, values)), "measure_id": row.measure_id} for row, values in zip(rows, printed)]


class LatestRows(TableQuerysetData):
    """A queryset of measures annotated by selectors.with_latest_ratings, as a table's data:
    sorted, counted and paged in SQL; only the rows shown become selectors.Row objects."""

    def __init__(self, data, total=None):
        super().__init__(data)
        self.total = total

    def __len__(self):
        """The number of rows: `total` when the caller has counted them already."""
        return super().__len__() if self.total is None else self.total

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key:key + 1][0]
        # The page's ids first: PostgreSQL drops the join to the latest values from this query
        # when neither the order nor a filter reads them, so only the shown rows are joined.
        ids = list(self.data.values_list("pk", flat=True)[key])
        rows = selectors.latest_rows(self.data.filter(pk__in=ids))
        position = {pk: index for index, pk in enumerate(ids)}
        return sorted(rows, key=lambda row: position[row.measure_id])

    def __iter__(self):
        return iter(selectors.latest_rows(self.data))


def _sql_order(*fields, nulls_low=False):
    """A Table's `order_<column>` sorting in SQL on `fields`, then by title (as the measures
    come) and id; a missing figure sorts below every figure when `nulls_low`, else above."""

    def order(table, queryset, is_descending):
        # Said both ways: SQLite and PostgreSQL put nulls at opposite ends by default.
        low, high = {"nulls_first": True}, {"nulls_last": True}
        if is_descending:
            keys = [F(name).desc(**(high if nulls_low else low)) for name in fields]
        else:
            keys = [F(name).asc(**(low if nulls_low else high)) for name in fields]
        return queryset.order_by(*keys, "title", "pk"), True

    return order


class DashboardTable(QuickBody, SPCColumns, MeasureRowTable):
    """One row per measure with its latest published figure: LatestRows (sorted in SQL by the
    `order_<column>` methods), or a list of selectors.Row (sorted in Python by `order_by`)."""

    indicator = tables.Column("Measure", order_by=("indicator",))
    service = tables.Column("Service")
    period = tables.Column("Period", accessor="period_label", order_by=("period_sort",))
    frequency = tables.Column("Frequency")
    unit = tables.Column("Unit")
    data = tables.Column("Data", attrs=NUMERIC, order_by=("number_sort",))
    rag = tables.Column("RAG", order_by=("rag_sort",))
    dot = tables.Column("D.O.T.")
    target = tables.Column("Target", attrs=NUMERIC, orderable=False)
    last_year = tables.Column("Last year", attrs=NUMERIC, orderable=False)
    variation = variation_column()
    assurance = assurance_column()
    # Issue 21: shown when the dashboard's roll-up is chosen (reports.rollups.attach).
    rollup = tables.Column("Roll-up", accessor="rollup", orderable=False, empty_values=())

    class Meta:
        default = ""
        empty_text = "No measure matches these filters."
        per_page = 25
        template_name = QUICK_BODY_TEMPLATE

    order_indicator = _sql_order("title")
    order_service = _sql_order("service__name", nulls_low=True)
    order_frequency = _sql_order("frequency")
    order_unit = _sql_order("unit")
    order_period = _sql_order("latest_period_end", nulls_low=True)
    order_data = _sql_order("latest_number")
    order_rag = _sql_order("rag_rank")
    order_dot = _sql_order("latest_dot")

    def render_data(self, value):
        return value or "–"

    def render_rollup(self, record):
        return self.value_rollup(record)

    def value_rollup(self, record):
        found = getattr(record, "rollup", None)
        if found is None:
            return ""
        if found.value is None:
            return f"{found.label}: {found.reason}"
        rated = found.rag if found.complete else f"{found.months} of {found.months_in_window} months"
        return f"{found.formatted} ({found.label}; {rated})"


class MeasureValuesTable(QuickBody, tables.Table):
    """A measure's published values: its figures and the history of its ratings."""

    period = tables.Column("Period", accessor="period__label", order_by=("period__start",))
    value = tables.Column("Data", attrs=NUMERIC, orderable=False)
    # Issue 21: a measure entered as two figures keeps both (left out for other measures).
    numerator = tables.Column("Numerator", attrs=NUMERIC, orderable=False)
    denominator = tables.Column("Denominator", attrs=NUMERIC, orderable=False)
    target = tables.Column("Target", attrs=NUMERIC, empty_values=(), orderable=False)
    last_year = tables.Column("Same period last year", attrs=NUMERIC, empty_values=(), orderable=False)
    rag = tables.Column("RAG")
    direction_of_travel = tables.Column("D.O.T.")
    provisional = tables.BooleanColumn(verbose_name="Provisional", yesno="Provisional,", orderable=False)
    override_reason = tables.Column("Rating note", orderable=False)
    # Kept off the screen (the page prints each period's commentary in full) but exported.
    commentary = tables.Column("Commentary", visible=False)
    actions = tables.Column("Actions", visible=False)

    class Meta:
        model = Value
        fields = ()
        sequence = (
            "period", "value", "numerator", "denominator", "target", "last_year", "rag",
            "direction_of_travel", "provisional", "override_reason", "commentary", "actions",
        )
        order_by = "-period"
        default = ""
        attrs = {"class": "govuk-table app-table app-values-table"}
        empty_text = "No published figures yet."
        template_name = QUICK_BODY_TEMPLATE

    def __init__(self, data, targets=None, last_year=None, unit_header="", **kwargs):
        self.targets = targets or {}
        self.last_year = last_year or {}
        super().__init__(data, **kwargs)
        if unit_header:  # a scaled unit's figures are plain numbers: the header says "(£m)"
            for name in ("value", "target", "last_year"):
                column = self.columns[name].column
                column.verbose_name = f"{column.verbose_name} ({unit_header})"

    def render_period(self, record, value):
        return f"{value} (synthetic)" if record.synthetic else value

    def value_period(self, record, value):
        return self.render_period(record, value)

    def render_numerator(self, value):
        return format_number(value, 0) if value == int(value) else format_number(value, 4)

    def render_denominator(self, value):
        return self.render_numerator(value)

    def render_value(self, record):
        return record.formatted or "–"

    def value_value(self, record):
        return Figure(record.value, record.formatted)

    def render_target(self, record):
        return record.measure.format(self.targets.get(record.period_id))

    def value_target(self, record):
        return Figure(self.targets.get(record.period_id), self.render_target(record))

    def render_last_year(self, record):
        return record.measure.format(self.last_year.get(record.pk))

    def value_last_year(self, record):
        return Figure(self.last_year.get(record.pk), self.render_last_year(record))

    def value_provisional(self, record):
        return record.provisional

    def render_rag(self, value, record):
        return rag_tag(value, rag_words(value, record.value, self.targets.get(record.period_id), record.measure.polarity))

    def value_rag(self, value):
        return value

    def render_override_reason(self, value):
        # A rating kept as the committee paper printed it is explained once, under the table.
        return "" if as_reported(value) else value


class SnapshotTable(tables.Table):
    """Past committee snapshots, newest meeting first within each committee."""

    committee = tables.Column("Committee")
    meeting_date = tables.DateColumn(verbose_name="Meeting date", format="j F Y", linkify=True)
    as_at = tables.Column("As at", accessor="as_at_label", order_by=("as_at",))
    red_amber_count = tables.Column("Red or amber", attrs=NUMERIC)
    other_count = tables.Column("Green or on track", attrs=NUMERIC)
    published_by = tables.Column("Published by")
    published_at = tables.DateTimeColumn(verbose_name="Published", format="j F Y H:i")

    class Meta:
        empty_text = "No exception report has been published for a meeting yet."
        per_page = 50
