"""The corporate risk register: the filtered table with its heat map, a risk's page, and the
form to record a review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, When
from django.shortcuts import get_object_or_404, redirect, render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from measures.pagination import Paginator
from measures.roles import is_bi_team
from presentation.exports import ExportMixin
from perfhub.routers import ReportReadsMixin, report_reads
from presentation import charts
from risks import services
from risks.filters import RiskFilter
from risks.forms import RiskReviewForm
from risks.models import Level, Risk
from risks.tables import RiskTable

LEVEL_RANK = Case(
    When(level=Level.HIGH, then=0), When(level=Level.MEDIUM, then=1), default=2,
    output_field=IntegerField(),
)


class RiskListView(ReportReadsMixin, LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    model = Risk
    table_class = RiskTable
    paginator_class = Paginator
    filterset_class = RiskFilter
    template_name = "risks/risk_list.html"
    paginate_by = 50
    export_name = "corporate-risk-register"

    def get_queryset(self):
        return Risk.objects.annotate(score_sort=F("likelihood") * F("impact"), level_rank=LEVEL_RANK)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heat_map"], context["unscored_levels"] = risk_heat_map(self.object_list)
        context["not_scored"] = sum(count for _, count in context["unscored_levels"])
        context["exports"] = self.export_formats
        return context


def risk_heat_map(risks):
    """The heat map of the scored risks among `risks` (None when none is scored: a grid of
    zeros would say there are no risks), and how many risks have a level but no score, per
    level from High down. One query."""
    scale = services.current_scale()
    counts, unscored = {}, {}
    for row in risks.order_by().values("likelihood", "impact", "level").annotate(n=Count("pk")):
        if row["likelihood"] is None or row["impact"] is None:
            unscored[row["level"]] = unscored.get(row["level"], 0) + row["n"]
        else:
            cell = (row["likelihood"], row["impact"])
            counts[cell] = counts.get(cell, 0) + row["n"]
    levels = [(label, unscored[level]) for level, label in Level.choices if unscored.get(level)]
    if not counts:
        return None, levels
    chart = charts.heat_map(
        "Risks by likelihood and impact",
        counts,
        list(range(scale.likelihood_min, scale.likelihood_max + 1)),
        list(range(scale.impact_min, scale.impact_max + 1)),
    )
    return chart, levels


@login_required
@report_reads
def risk_detail(request, code):
    risk = get_object_or_404(
        Risk.objects.prefetch_related("outcomes", "population_indicators__outcome"), code=code
    )
    reviews = list(risk.reviews.all())
    context = {
        "risk": risk,
        "reviews": reviews,
        "score_chart": charts.score_history(f"Score of risk {risk.code} at each review", reviews)
        if reviews else None,
        "changes": risk.history.select_related("history_user").order_by("-history_date")[:50],
        "can_review": is_bi_team(request.user),
    }
    return render(request, "risks/risk_detail.html", context)


@login_required
def record_review(request, code):
    if not is_bi_team(request.user):
        raise PermissionDenied("Only the BI team records risk reviews.")
    risk = get_object_or_404(Risk, code=code)
    form = RiskReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_review(risk, **form.cleaned_data)
        messages.success(request, f"Review of {risk.code} recorded: {risk.level}, {risk.trend}.")
        return redirect(risk)
    return render(request, "risks/review_form.html", {"risk": risk, "form": form})
