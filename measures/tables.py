"""The BI team's listings as django-tables2 tables. Exports come from the same tables
(`?_export=csv|xlsx|json`): the `value_<column>` methods give plain words and figures where the
screen shows tags, links and form controls.
"""

from decimal import Decimal

import django_tables2 as tables
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from measures.rating import as_reported

from measures.exports import Figure

NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}


def _when(value):
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


class OutstandingTable(tables.Table):
    """One row per measure due in the month and not yet published (selectors.Outstanding),
    in service order."""

    service = tables.Column("Service", accessor="row__measure__service__name")
    measure = tables.Column("Measure", accessor="row__measure__title")
    period = tables.Column("Period", accessor="row__span__label")
    status = tables.Column("Status")
    leads = tables.Column("Leads")
    last_changed = tables.Column("Last changed", accessor="row__value__entered_at", empty_values=())

    class Meta:
        orderable = False
        default = ""
        empty_text = "Every measure due in this period is published."
        row_attrs = {"data-measure": lambda record: record.row.measure.pk}

    def render_status(self, record, value):
        comment = record.row.value.returned_comment if record.row.value else ""
        if comment:
            return format_html("{} (returned: {})", value, comment)
        return value

    def value_status(self, value):
        return value

    def render_leads(self, value):
        return ", ".join(value) or "None"

    def value_leads(self, value):
        return ", ".join(value)

    def render_last_changed(self, value):
        if not value:
            return ""
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), _when(value))

    def value_last_changed(self, value):
        return _when(value)


class SelectColumn(tables.CheckBoxColumn):
    """A labelled design-system checkbox for each row, posted as `values`; never exported."""

    def __init__(self, **kwargs):
        kwargs.setdefault("exclude_from_export", True)
        super().__init__(**kwargs)

    @property
    def header(self):
        return "Select"

    def render(self, value, record, table):
        selected = getattr(table, "selected", set())
        return format_html(
            '<div class="govuk-checkboxes govuk-checkboxes--small"><div class="govuk-checkboxes__item">'
            '<input class="govuk-checkboxes__input" id="value-{pk}" name="values" type="checkbox" data-service="{service}" value="{pk}"{checked}>'
            '<label class="govuk-label govuk-checkboxes__label" for="value-{pk}">'
            '<span class="govuk-visually-hidden">{measure}, {period}</span></label></div></div>'
            # The version shown, so that an action on a value changed since is refused.
            '<input type="hidden" name="version-{pk}" value="{version}">',
            pk=value, checked=" checked" if str(value) in selected else "", version=record.version,
            measure=record.measure.title, period=record.period.label,
            service=record.measure.service.slug if record.measure.service else "",
        )


class ApprovalsTable(tables.Table):
    """The values submitted or approved for a month, each with a checkbox for the bulk actions."""

    select = SelectColumn(accessor="pk")
    measure = tables.Column("Measure", accessor="measure__title")
    # On screen the service sits under its measure (a column of its own pushed approvals past a
    # 1366 px screen); the downloads keep it as a column.
    service = tables.Column("Service", accessor="measure__service__name", visible=False)
    period = tables.Column("Period", accessor="period__label")
    data = tables.Column("Data", accessor="formatted", attrs=NUMERIC, empty_values=())
    previous = tables.Column("Previous", attrs=NUMERIC, empty_values=())
    change = tables.Column("Change", attrs=NUMERIC, empty_values=())
    rag = tables.Column("RAG")
    dot = tables.Column("D.O.T.", accessor="direction_of_travel")
    status = tables.Column("Status", accessor="get_status_display")
    revision = tables.Column("Revision awaiting approval", accessor="pending_revision", empty_values=())
    entered_by = tables.Column("Entered by", empty_values=())
    flags = tables.Column("Flagged as unusual", empty_values=())
    commentary = tables.Column("Commentary", empty_values=())
    links = tables.Column("Links", empty_values=(), exclude_from_export=True)

    class Meta:
        orderable = False
        default = ""
        empty_text = "No values have been submitted for this period yet."
        row_attrs = {"data-value": lambda record: record.pk}

    def __init__(self, data, selected=(), **kwargs):
        self.selected = {str(pk) for pk in selected}
        super().__init__(data, **kwargs)

    def render_measure(self, record, value):
        service = record.measure.service
        if not service:
            return value
        return format_html('{}<span class="app-table__secondary">{}</span>', value, service.name)

    def value_measure(self, value):
        return value

    def render_data(self, record):
        return record.formatted or record.no_data_reason

    def value_data(self, record):
        if record.value is None:
            return record.no_data_reason
        return Figure(record.value, record.formatted)

    def render_previous(self, record):
        return self.value_previous(record)

    def value_previous(self, record):
        """The measure's latest published figure before this period (annotated by the view)."""
        previous = getattr(record, "previous_value", None)
        return record.measure.format(previous) if previous is not None else ""

    def render_change(self, record):
        return self.value_change(record)

    def value_change(self, record):
        previous = getattr(record, "previous_value", None)
        if previous is None or record.value is None:
            return ""
        change = record.value - previous
        return ("+" if change > 0 else "") + record.measure.format(change)

    def render_rag(self, record, value):
        tag = render_to_string("includes/rag.html", {"rag": value})
        # Ratings kept as a committee paper printed them are explained once, in the legend.
        if record.rag_override and not as_reported(record.override_reason):
            return format_html("{} (overridden: {})", tag, record.override_reason)
        return format_html("{}", tag)

    def value_rag(self, value):
        return value

    def render_revision(self, record):
        return self.value_revision(record)

    def value_revision(self, record):
        pending = record.pending_revision
        if not pending:
            return ""
        figure = pending.get("no_data_reason", "") if pending.get("value") in (None, "") else record.measure.format(Decimal(pending["value"]))
        return f"{figure} (by {pending.get('by', '')}: {pending.get('reason', '')})"

    def render_entered_by(self, record):
        return self.value_entered_by(record)

    def render_flags(self, record):
        return self.value_flags(record)

    def value_flags(self, record):
        """What the entry checks flagged (measures.checks), and the lead's reason it is right."""
        if not record.flags:
            return ""
        return f"{'; '.join(record.flags)} (confirmed: {record.flag_reason})"

    def value_entered_by(self, record):
        user = record.entered_by
        return (user.get_full_name() or user.get_username()) if user else ""

    def render_commentary(self, value):
        return linebreaksbr(value)

    def value_commentary(self, value):
        return value

    def render_links(self, record):
        title = record.measure.title
        links = [
            (reverse("value_override", args=[record.pk]), "Override RAG", title),
            (reverse("value_history", args=[record.pk]), "History", title),
        ]
        if record.status == "published":
            links.append((reverse("value_withdraw", args=[record.pk]), "Withdraw", title))
        return format_html_join(mark_safe("<br>"), '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> of {}</span></a>', links)
