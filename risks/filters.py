"""The risk register's filters: their parameters are the register's public URL contract
(/risks/?level=HIGH&outcome=independent&review_overdue=true)."""

import django_filters
from django.db.models import Q

from measures.models import Outcome
from risks.models import Level, Risk, Trend


def _owners(request=None):
    owners = Risk.objects.exclude(owner="").order_by("owner").values_list("owner", flat=True)
    return [(owner, owner) for owner in owners.distinct()]


class RiskFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label="Level", choices=Level.choices, empty_label="Any level")
    trend = django_filters.ChoiceFilter(label="Trend", choices=Trend.choices, empty_label="Any trend")
    outcome = django_filters.ModelChoiceFilter(
        label="Outcome", queryset=Outcome.objects.all(), to_field_name="slug", method="filter_outcome",
        empty_label="Any outcome",
    )
    owner = django_filters.ChoiceFilter(label="Owner", choices=_owners, empty_label="Any owner")
    review_overdue = django_filters.ChoiceFilter(
        label="Review", method="filter_review_overdue", empty_label="Any review date",
        choices=[("true", "Review overdue"), ("false", "Review not overdue")],
    )

    class Meta:
        model = Risk
        fields = ["level", "trend", "outcome", "owner", "review_overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "govuk-select"

    def filter_outcome(self, queryset, name, outcome):
        # The risks of an outcome are mapped to it or to one of its population indicators.
        ids = Risk.objects.filter(
            Q(outcomes=outcome) | Q(population_indicators__outcome=outcome)
        ).values("pk")
        return queryset.filter(pk__in=ids)

    def filter_review_overdue(self, queryset, name, value):
        overdue = value == "true"
        overdue_ids = Risk.objects.review_overdue().values("pk")
        return queryset.filter(pk__in=overdue_ids) if overdue else queryset.exclude(pk__in=overdue_ids)
