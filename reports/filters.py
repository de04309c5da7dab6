"""The dashboards' filters. Their parameter names are the public URL contract:
/dashboard/?committee=people-and-health&service=care-protection&rag=Red&dot=Worsening
&frequency=Monthly&as_at=2020-10&q=children
"""

import django_filters
from django.db.models import Q
from django.utils.functional import cached_property

from measures.forms import GovukForm
from presentation.form_groups import WidgetRenderer
from measures.models import Committee, Measure, Outcome, PopulationIndicator, Service
from measures.rating import RAG, Direction
from measures import rollups
from reports import forecasts, selectors
from reports.forms import AsAtField, FrequencyField, current_month_end
from reports.variation import ASSURANCE_CHOICES, VARIATION_CHOICES
from reports.models import CommitteeSnapshot


class AsAtFilter(django_filters.Filter):
    """Chooses the as-at date the other filters and the rows use; it narrows nothing itself."""

    field_class = AsAtField

    def filter(self, qs, value):
        return qs


class FrequencyFilter(django_filters.Filter):
    field_class = FrequencyField

    def filter(self, qs, value):
        if not value:
            return qs
        labels = {label: code for code, label in Measure.Frequency.choices}
        return qs.filter(**{self.field_name: labels[value]})


class LatestFigureFilterSet(django_filters.FilterSet):
    """Applies the as-at date first: the RAG and D.O.T. filters read the ratings in force then."""

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so that the rows carry their latest figures with no filter given too.
        super().__init__(data if data is not None else {}, *args, **kwargs)

    @cached_property
    def as_at_date(self):
        """The as-at day the rows are for: the month asked for, else the latest month with
        published figures."""
        cleaned = getattr(self.form, "cleaned_data", {})
        return selectors.as_at_or_latest(cleaned.get("as_at"))

    def filter_queryset(self, queryset):
        queryset = selectors.with_latest_ratings(queryset, self.as_at_date)
        return super().filter_queryset(queryset)


class DashboardFilterForm(GovukForm):
    """Its selects and inputs drawn in Python (presentation.form_groups): the same markup."""

    default_renderer = WidgetRenderer()


class DashboardFilter(LatestFigureFilterSet):
    committee = django_filters.ModelChoiceFilter(
        label="Committee", queryset=Committee.objects.all(), to_field_name="slug",
        field_name="committees", empty_label="Any",
        error_messages={"invalid_choice": "Select a committee from the list"},
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="slug", empty_label="Any",
        error_messages={"invalid_choice": "Select a service from the list"},
    )
    outcome = django_filters.ModelChoiceFilter(
        queryset=Outcome.objects.all(), to_field_name="slug", method="filter_outcome",
        empty_label="Any",
        error_messages={"invalid_choice": "Select an outcome from the list"},
    )
    indicator = django_filters.ModelChoiceFilter(
        label="Population indicator", queryset=PopulationIndicator.objects.all(),
        field_name="population_indicator", empty_label="Any",
        error_messages={"invalid_choice": "Select a population indicator from the list"},
    )
    rag = django_filters.ChoiceFilter(
        label="RAG", choices=RAG.choices, field_name="latest_rag", empty_label="Any",
        error_messages={"invalid_choice": "Select Red, Amber, Green or ND"},
    )
    dot = django_filters.ChoiceFilter(
        label="Direction of travel", choices=Direction.choices, field_name="latest_dot",
        empty_label="Any",
        error_messages={
            "invalid_choice": "Select Improving, Same, Worsening or No trend",
        },
    )
    frequency = FrequencyFilter(
        label="Frequency",
        error_messages={"invalid_choice": "Select Monthly, Quarterly, Annual or Irregular"},
    )
    as_at = AsAtFilter(label="As at")
    q = django_filters.CharFilter(label="Title contains", field_name="title", lookup_expr="icontains")
    # SPC (issue 12): as kept on each published value (measures.publication), so in SQL.
    variation = django_filters.ChoiceFilter(
        label="Variation (SPC)", choices=VARIATION_CHOICES, field_name="latest_variation",
        empty_label="Any",
        error_messages={"invalid_choice": "Select concern, improvement, neither or common cause"},
    )
    assurance = django_filters.ChoiceFilter(
        label="Assurance (SPC)", choices=ASSURANCE_CHOICES, field_name="latest_assurance",
        empty_label="Any",
        error_messages={"invalid_choice": "Select failing, hit and miss or passing"},
    )

    # Issue 21: a roll-up column (it narrows nothing) and the measures forecast to miss.
    rollup = django_filters.ChoiceFilter(
        label="Roll-up", choices=list(rollups.WINDOWS.items()), method="filter_nothing",
        empty_label="None",
        error_messages={"invalid_choice": "Select quarter, year to date, financial year or rolling 12 months"},
    )
    forecast = django_filters.ChoiceFilter(
        label="Year-end forecast", choices=[("miss", "Forecast to miss the year-end target")],
        method="filter_forecast", empty_label="Any",
        error_messages={"invalid_choice": "Select forecast to miss the year-end target"},
    )

    class Meta:
        model = Measure
        fields = []
        form = DashboardFilterForm

    def filter_outcome(self, queryset, name, value):
        return queryset.filter(Q(outcome=value) | Q(population_indicator__outcome=value))

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_forecast(self, queryset, name, value):
        """The measures whose year-end forecast (reports.forecasts) misses the target: three
        queries however many measures (the ones that roll up, their values and targets)."""
        candidates = queryset.filter(frequency=Measure.Frequency.MONTHLY).exclude(aggregation="")
        found = forecasts.forecasts_for(candidates.only(*selectors.ROW_MEASURE_FIELDS), self.as_at_date)
        return queryset.filter(pk__in=[pk for pk, forecast in found.items() if forecast.misses])


class SnapshotFilter(django_filters.FilterSet):
    committee = django_filters.ModelChoiceFilter(
        queryset=Committee.objects.all(), to_field_name="slug", empty_label="All committees",
        error_messages={"invalid_choice": "Select a committee from the list"},
    )

    class Meta:
        model = CommitteeSnapshot
        fields = []
        form = GovukForm
