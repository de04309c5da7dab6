"""The filters of the BI team's listings. Their parameter names are the public URL contract:
/outstanding/?period=2020-10&service=adult-care&status=submitted
/approvals/?period=2020-10
"""

from datetime import date

import django_filters

from measures import periods, selectors
from measures.forms import GovukForm, MonthField
from measures.models import Measure, Service, Value


def latest_month_due():
    """The last whole month: the month whose figures are being entered now."""
    return periods.previous(periods.span(periods.MONTH, date.today()))


class MonthFilter(django_filters.Filter):
    """Chooses the month the listing is about; the FilterSet narrows to it."""

    field_class = MonthField

    def filter(self, qs, value):
        return qs


class MonthFilterSet(django_filters.FilterSet):
    """Always bound, with `period` defaulting to the latest month due when it is not given."""

    period = MonthFilter(label="Period")

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not str(data.get("period", "")).strip():
            data["period"] = latest_month_due().iso
        super().__init__(data, *args, **kwargs)

    @property
    def month(self):
        """The month asked for (a periods.Span); only once the form is valid."""
        return self.form.cleaned_data["period"]


class OutstandingFilter(MonthFilterSet):
    """The measures due in the month that are not yet published, by service and status."""

    NO_SUBMISSION = "none"
    STATUSES = [
        (NO_SUBMISSION, "No submission"),
        (Value.Status.DRAFT, "Draft"),
        (Value.Status.SUBMITTED, "Submitted"),
        (Value.Status.APPROVED, "Approved"),
    ]

    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="slug", empty_label="Any",
        error_messages={"invalid_choice": "Select a service from the list"},
    )
    status = django_filters.ChoiceFilter(
        choices=STATUSES, method="filter_status", empty_label="Any",
        error_messages={"invalid_choice": "Select No submission, Draft, Submitted or Approved"},
    )

    class Meta:
        model = Measure
        fields = []
        form = GovukForm

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.filter(selectors.due_condition(self.month)))

    def filter_status(self, queryset, name, value):
        values = selectors.values_due(self.month)
        if value == self.NO_SUBMISSION:
            return queryset.exclude(pk__in=values.values("measure"))
        return queryset.filter(pk__in=values.filter(status=value).values("measure"))


class ApprovalsFilter(MonthFilterSet):
    """The values submitted or approved for the period each measure reports on in the month."""

    class Meta:
        model = Value
        fields = []
        form = GovukForm

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.filter(selectors.period_filter(self.month)))
