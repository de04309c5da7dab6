"""The API's filters. Measures are filtered by the dashboard's own FilterSet (reports/filters.py),
so `committee`, `service`, `rag`, `dot`, `frequency`, `as_at` and `q` mean the same in both;
the lists of figures take the same names for their measure, and `updated_since`."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from measures.forms import GovukForm
from measures.models import ComparatorValue, Committee, Service, Target, Value
from measures.rating import RAG, Direction
from reports.filters import AsAtFilter, FrequencyFilter, SnapshotFilter
from reports.forms import AsAtField
from reports.models import CommitteeSnapshot

# The dashboard's as-at filter takes a month as text (2020-10): say so in the OpenAPI document.
extend_schema_field(OpenApiTypes.STR)(AsAtFilter)


class MeasureChoiceFilter(django_filters.NumberFilter):
    """`measure=<id>`: one measure's rows."""

    def __init__(self, **kwargs):
        super().__init__(field_name="measure_id", label="Measure id", **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class PeriodEndFilter(django_filters.Filter):
    """`as_at=2020-10`: rows for periods ending by the end of that month."""

    field_class = AsAtField


class FigureFilter(django_filters.FilterSet):
    """Targets and comparators: by measure, committee, service and the measure's title."""

    measure = MeasureChoiceFilter()
    committee = django_filters.ModelChoiceFilter(
        queryset=Committee.objects.all(), to_field_name="slug", field_name="measure__committees",
        error_messages={"invalid_choice": "Select a committee from the list"},
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="slug", field_name="measure__service",
        error_messages={"invalid_choice": "Select a service from the list"},
    )
    q = django_filters.CharFilter(label="Title contains", field_name="measure__title", lookup_expr="icontains")

    class Meta:
        fields = []
        form = GovukForm


class TargetFilter(FigureFilter):
    class Meta(FigureFilter.Meta):
        model = Target


class ComparatorFilter(FigureFilter):
    class Meta(FigureFilter.Meta):
        model = ComparatorValue


class ValueFilter(FigureFilter):
    """Values: their measure as the dashboard filters it; `rag` and `dot` are the value's own
    ratings in force, `as_at` keeps periods ending by that month, `updated_since` values saved
    since then (for incremental refreshes)."""

    rag = django_filters.ChoiceFilter(
        label="RAG", choices=RAG.choices,
        error_messages={"invalid_choice": "Select Red, Amber, Green or ND"},
    )
    dot = django_filters.ChoiceFilter(
        label="Direction of travel", choices=Direction.choices, field_name="direction_of_travel",
        error_messages={"invalid_choice": "Select Improving, Same, Worsening or No trend"},
    )
    frequency = FrequencyFilter(
        label="Frequency", field_name="measure__frequency",
        error_messages={"invalid_choice": "Select Monthly, Quarterly, Annual or Irregular"},
    )
    as_at = PeriodEndFilter(field_name="period__end", lookup_expr="lte", label="As at")
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Changed since (ISO 8601 date and time)",
        error_messages={"invalid": "Give updated_since as an ISO 8601 date and time, like 2020-10-01T00:00:00Z"},
    )

    class Meta(FigureFilter.Meta):
        model = Value


class SnapshotApiFilter(SnapshotFilter):
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="gte", label="Published since (ISO 8601 date and time)",
    )

    class Meta(SnapshotFilter.Meta):
        model = CommitteeSnapshot

