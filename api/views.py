"""The read API, /api/v1/: thin views over the framework's models and the reports' selectors.

Each list runs a fixed number of queries however long the page: related rows come by
select_related, or by one prefetch each.
"""

import logging
import re

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from api import filters, serializers
from api.serializers import requested_by_bi_team
from api.throttling import DocsRateThrottle
from measures.models import (
    ComparatorValue, Committee, Measure, Outcome, Period, PopulationIndicator, Service, Target, Value,
)
from reports import rollups, outcomes, selectors, variation
from reports.filters import DashboardFilter
from reports.forms import ExceptionReportForm
from reports.models import CommitteeSnapshot
from risks.models import Risk, RiskReview

log = logging.getLogger("perfhub.api")


class ApiViewMixin:
    # Logs every request with the token that made it, and says plainly why one was throttled.
    # (A comment, not a docstring: the OpenAPI document would show it for every view.)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "_auth", None)
        user = getattr(request, "_user", None)
        log.info(
            "API %s %s %s token=%s user=%s", request.method, request.get_full_path(), response.status_code,
            f'"{token.name}"' if isinstance(token, ApiToken) else "-",
            user.get_username() if user is not None and user.is_authenticated else "-",
        )
        return response

    def throttled(self, request, wait):
        raise exceptions.Throttled(
            wait, detail=f"Too many requests: a token may make {settings.API_THROTTLE_RATE}."
        )


class ReadOnly(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    pass


class OutcomeViewSet(ReadOnly):
    """The corporate plan's outcomes."""

    queryset = Outcome.objects.all()
    serializer_class = serializers.OutcomeSerializer


class PopulationIndicatorViewSet(ReadOnly):
    """Population indicators, each with the measure that holds its own figures."""

    queryset = PopulationIndicator.objects.select_related("outcome")
    serializer_class = serializers.PopulationIndicatorSerializer


class ServiceViewSet(ReadOnly):
    """The council's services that own measures."""

    queryset = Service.objects.all()
    serializer_class = serializers.ServiceSerializer


class CommitteeViewSet(ReadOnly):
    """Scrutiny committees."""

    queryset = Committee.objects.all()
    serializer_class = serializers.CommitteeSerializer


class PeriodViewSet(ReadOnly):
    """Reporting periods: months, quarters, years."""

    queryset = Period.objects.all()
    serializer_class = serializers.PeriodSerializer


class MeasureViewSet(ReadOnly):
    """Measures with their rating rules, and the RAG, direction of travel, SPC variation and
    assurance of their latest published value as at `as_at` (by default the latest month with
    published figures); filtered as the dashboard is, `variation` and `assurance` included."""

    queryset = Measure.objects.select_related("service", "outcome").prefetch_related("committees")
    serializer_class = serializers.MeasureSerializer
    filterset_class = DashboardFilter

    def filter_queryset(self, queryset):
        # As DjangoFilterBackend does it, keeping the filterset for its as-at day.
        self.filterset = DjangoFilterBackend().get_filterset(self.request, queryset, self)
        if not self.filterset.is_valid():
            raise translate_validation(self.filterset.errors)
        # `variation` and `assurance` too, in SQL: on what each published value keeps.
        return self.filterset.qs

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return self.attach_rollups(serializers.attach_spc(page))

    def get_object(self):
        measure = super().get_object()
        return self.attach_rollups(serializers.attach_spc([measure]))[0]

    def attach_rollups(self, measures):
        """Roll-ups (issue 21) as at the filter's day: two queries for the page, none when no
        measure on it rolls up."""
        if measures is None:
            return measures
        found = rollups.rollups_for(measures, self.filterset.as_at_date)
        for measure in measures:
            measure.rollups = found.get(measure.pk, [])
        return measures


class TargetViewSet(ReadOnly):
    """Each measure's target for a period."""

    queryset = Target.objects.select_related("period")
    serializer_class = serializers.TargetSerializer
    filterset_class = filters.TargetFilter


class ValueViewSet(ReadOnly):
    """Published values, with the ratings in force; the BI team's tokens read every value,
    with its status."""

    serializer_class = serializers.ValueSerializer
    filterset_class = filters.ValueFilter

    def get_queryset(self):
        values = Value.objects.select_related("period")
        return values if requested_by_bi_team(self.request) else values.published()


class ComparatorViewSet(ReadOnly):
    """Benchmarks: other areas' figures and national rankings."""

    queryset = ComparatorValue.objects.select_related("period")
    serializer_class = serializers.ComparatorSerializer
    filterset_class = filters.ComparatorFilter


class RiskViewSet(ReadOnly):
    """Corporate risks, with their reviews (the history of their score)."""

    queryset = Risk.objects.prefetch_related(
        "outcomes", "population_indicators",
        Prefetch("reviews", queryset=RiskReview.objects.order_by("reviewed_on", "pk")),
    )
    serializer_class = serializers.RiskSerializer


class SnapshotViewSet(ReadOnly):
    """Exception reports as published for committee meetings, with their rows as printed."""

    queryset = CommitteeSnapshot.objects.select_related("committee").defer("pdf")
    serializer_class = serializers.SnapshotSerializer
    filterset_class = filters.SnapshotApiFilter


class ExceptionReportView(ApiViewMixin, APIView):
    """The live exception report for a committee as at a month: its red and amber measures."""

    @extend_schema(
        parameters=[
            OpenApiParameter("committee", str, required=True, description="The committee's slug"),
            OpenApiParameter("as_at", str, description="A month, such as 2020-10 (default: this month)"),
        ],
        responses=serializers.ExceptionReportSerializer,
    )
    def get(self, request):
        form = ExceptionReportForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        committee, as_at = form.cleaned_data["committee"], form.cleaned_data["as_at"]
        report = selectors.exception_report(committee, as_at)
        variation.attach_kept(report.rows)
        data = {**report.__dict__, "committee": committee, "as_at": as_at}
        return Response(serializers.ExceptionReportSerializer(data).data)


class OutcomeReportView(ApiViewMixin, APIView):
    """The outcomes-focused monitoring report for one outcome as at a month."""

    @extend_schema(
        parameters=[OpenApiParameter("as_at", str, description="A month, such as 2018-09 (default: this month)")],
        responses=serializers.OutcomeReportSerializer,
    )
    def get(self, request, slug):
        outcome = get_object_or_404(Outcome, slug=slug)
        try:
            as_at = outcomes.parse_as_at(request.query_params.get("as_at", ""))
        except outcomes.AsAtError as error:
            raise exceptions.ValidationError({"as_at": [str(error)]}) from None
        return Response(serializers.OutcomeReportSerializer(outcomes.outcome_report(outcome, as_at)).data)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI: its page, its script and the description it reads spend none of the reader's
    quota (DocsRateThrottle)."""

    throttle_classes = [DocsRateThrottle]


@extend_schema(exclude=True)
class SchemaView(SpectacularAPIView):
    """The OpenAPI description; `?version=` names a version, never a header's newline (the
    version goes into the download's file name)."""

    throttle_classes = [DocsRateThrottle]

    def get(self, request, *args, **kwargs):
        version = request.GET.get("version")
        if version is not None and not re.fullmatch(r"[A-Za-z0-9._-]{1,20}", version):
            raise exceptions.NotFound("There is no such version of the API.")
        return super().get(request, *args, **kwargs)
