"""Read-only pages over the framework and the risk register: the dashboard, the exception
report and its snapshots, the outcomes-focused monitoring report, and each measure's page."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from measures import periods
from measures import selectors as measure_selectors
from measures.models import Measure, Outcome, Value
from measures.rating import RAG, RAG_CHART_NAMES
from measures.pagination import Paginator
from measures.numbers import unit_in_header
from measures.roles import is_bi_team, is_service_lead
from perfhub.routers import ReportReadsMixin, report_reads
from presentation import charts
from reports import forecasts, outcomes, rollups, selectors, variation
from reports.cache import PublishedPart
from presentation.exports import ExportMixin
from reports.filters import DashboardFilter, SnapshotFilter
from reports.forms import AsAtField, ExceptionReportForm, PublishSnapshotForm
from reports.models import CommitteeSnapshot
from reports.pdf import attachment, kept_pdf_response, pdf_bytes, too_long
from reports.tables import (
    DashboardTable, ExceptionReportForecastTable, ExceptionReportSPCForecastTable, ExceptionReportSPCTable,
    ExceptionReportTable, LatestRows, MeasureValuesTable,
    SnapshotTable, SPCExceptionTable, exception_rows,
)


def server_error(request):
    """The 500 page in the council's layout, rendered without the request's context (no user,
    no database), which may be what failed."""
    html = render_to_string("500.html", {"council_name": settings.COUNCIL_NAME})
    return HttpResponseServerError(html)


@login_required
def home(request):
    """What each role needs today: a lead's figures due, the BI team's queue, a member's reports."""
    user = request.user
    context = {"outcomes": Outcome.objects.all()}
    if is_bi_team(user):
        values = Value.objects.all()
        pending = (Value.Status.DRAFT, Value.Status.SUBMITTED, Value.Status.APPROVED)
        month = measure_selectors.month_at_hand(values, pending)
        context.update(role="bi", month=month, progress=measure_selectors.progress(Measure.objects.all(), month))
        context["snapshots"] = selectors.latest_snapshots()
    elif is_service_lead(user):
        measures = Measure.objects.for_user(user)
        month = measure_selectors.month_at_hand(Value.objects.filter(measure__in=measures), (Value.Status.DRAFT,))
        context.update(role="lead", month=month, progress=measure_selectors.progress(measures, month))
    else:
        as_at = selectors.latest_published_month()
        counts = selectors.committee_rag_counts(as_at)
        context.update(role="member", as_at=as_at, as_at_label=periods.month_label(as_at), as_at_param=selectors.month_param(as_at))
        committees = [
            (committee, snapshot, counts.get(committee.pk, {}))
            for committee, snapshot in selectors.latest_snapshots()
        ]
        # A member who sits on committees sees theirs first; the others are a list of links.
        mine = set(user.committees.values_list("pk", flat=True))
        context["committees"] = [c for c in committees if c[0].pk in mine] or committees
        context["other_committees"] = [c for c in committees if c[0].pk not in mine] if mine else []
        context["sits_on_committees"] = bool(mine)
    return render(request, "reports/home.html", context)


@login_required
def outcome_index(request):
    return render(request, "reports/outcomes/index.html", {"outcomes": Outcome.objects.all()})


@login_required
@report_reads
def outcome_report(request, slug):
    outcome = get_object_or_404(Outcome, slug=slug)
    try:
        as_at = outcomes.parse_as_at(request.GET.get("as_at", ""))
    except outcomes.AsAtError as error:
        context = {"outcome": outcome, "error": str(error), "as_at": request.GET.get("as_at", "")}
        return render(request, "reports/outcomes/bad_as_at.html", context, status=400)
    month = outcomes.month_name(as_at)
    if request.GET.get("format") != "pdf":
        # The report is the same for every reader: kept in the shared cache until a publish.
        part = PublishedPart("outcome_report", request, slug, as_at)
        report = None if part.hit else outcomes.outcome_report(outcome, as_at)
        context = {"report": report, "pdf": False, "published_part": part, "outcome": outcome, "month": month}
        return part.splice(render(request, "reports/outcomes/report.html", context))

    def paper():
        report = outcomes.outcome_report(outcome, as_at)
        context = {"report": report, "pdf": True, "outcome": outcome, "month": month}
        return render_to_string("reports/outcomes/report.html", context, request=request), report.free_text

    return kept_pdf_response(request, "outcome_report", (slug, as_at), paper, f"{slug}-{as_at:%Y-%m}.pdf")


# The dashboard filter's as-at field, to read the month before any filter form is built (a field
# keeps no state while it cleans; made once, as its help text costs more than the cleaning).
AS_AT_FIELD = AsAtField(required=False)


class SplicesPublishedPart:
    """A page with a `published_part` in its context gets the part's cached HTML spliced in."""

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if "published_part" in context:
            response.add_post_render_callback(context["published_part"].splice)
        return response


class DashboardView(ReportReadsMixin, LoginRequiredMixin, SplicesPublishedPart, ExportMixin, SingleTableMixin,
                    FilterView):
    """Every performance measure with its latest published figure, filtered."""

    table_class = DashboardTable
    paginator_class = Paginator
    filterset_class = DashboardFilter
    template_name = "reports/dashboard.html"
    export_name = "dashboard"
    show_spc = True  # bench/spc.py turns it off to time the dashboard without its SPC columns

    def get_queryset(self):
        return Measure.objects.performance()

    def get(self, request, *args, **kwargs):
        """FilterView's, but a page whose every part is in the cache builds no filter form and
        selects no rows (building them costs more than the rest of such a request): its parts were
        stored from a valid form, under the version in force."""
        if not self.exporting and self.published_part.hit:
            self.filterset, self.object_list = None, Measure.objects.none()
        else:
            self.filterset = self.get_filterset(self.get_filterset_class())
            self.object_list = self.filterset.qs if self.filterset.is_valid() else Measure.objects.none()
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    @cached_property
    def as_at_date(self):
        """The filter's as-at day (the month asked for, else the latest published), read before
        any filter form is built; None for a month the form will refuse."""
        try:
            as_at = AS_AT_FIELD.clean(self.request.GET.get("as_at", ""))
        except ValidationError:
            return None
        return selectors.as_at_or_latest(as_at)

    @cached_property
    def published_part(self):
        # The filter form, RAG counts and chart are the same on every page and sort of a list.
        return PublishedPart("dashboard", self.request, self.as_at_date, names=("table",),
                             per_filter=("summary", "counts"), filters=set(self.filterset_class.base_filters))

    @cached_property
    def counts(self):
        part = self.published_part
        if "counts" not in part.html:
            part.html["counts"] = selectors.rag_counts(self.object_list)
            part.store("counts", part.html["counts"])
        return part.html["counts"]

    def get_table_data(self):
        """Sorted, paged and counted in SQL (the SPC filters too: they read what is kept on the
        values), so only the rows shown become Python objects."""
        if not self.filterset.is_valid():
            return []  # the page shows the filter form's errors, and no rows to sort
        if self.exporting:
            return self.attach_rollups(variation.attach_kept(selectors.latest_rows(self.object_list)))
        return LatestRows(self.object_list, total=sum(self.counts.values()))

    @property
    def rollup_window(self):
        if self.filterset is None:
            return ""  # served from the cache: no table is built
        return getattr(self.filterset.form, "cleaned_data", {}).get("rollup") or ""

    def attach_rollups(self, rows):
        if self.rollup_window:
            rollups.attach(rows, self.rollup_window, self.filterset.as_at_date)
        return rows

    def get_table_kwargs(self):
        exclude = () if self.show_spc else ("variation", "assurance")
        if not self.rollup_window:
            exclude += ("rollup",)
        return {"exclude": exclude} if exclude else {}

    def get_table(self, **kwargs):
        if not self.exporting and "table" in self.published_part.html:
            return None  # the table is in the cached part
        table = super().get_table(**kwargs)
        table.caption = f"Measures as at {periods.month_label(self.filterset.as_at_date)}"
        page = getattr(table, "page", None)
        if page:
            # The SPC kept on each shown row's value: no query (an export's rows have it).
            variation.attach_kept([row.record for row in page.object_list])
            self.attach_rollups([row.record for row in page.object_list])
        return table

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_at = self.filterset.as_at_date if self.filterset else self.as_at_date
        context["as_at_label"] = periods.month_label(as_at)
        if not self.exporting:
            context["published_part"] = self.published_part
        if self.filterset and self.filterset.is_valid() and not self.exporting:
            if "summary" not in self.published_part.html:
                context["counts"] = self.counts
                # The chart names ND in words ("No data or not rated"), never "ND".
                named = {RAG_CHART_NAMES[RAG(rag)]: count for rag, count in self.counts.items()}
                colours = {RAG_CHART_NAMES[rag]: colour for rag, colour in charts.RAG_COLOURS.items()}
                context["chart"] = charts.counts_bar("Measures by RAG rating", named, colours, chart_id="rag-counts")
        return context


class CommitteeReportMixin:
    """A report on one committee as at a month (?committee=<slug>&as_at=2020-10): the page with
    its error summary, never a download, while the form has errors. Views set `report`."""

    table_pagination = False

    @cached_property
    def form(self):
        # Opened from the navigation (no committee asked for), the page shows a report: the
        # committee reported to last, as at its latest published month.
        data = self.request.GET.copy()
        if "committee" not in data:
            committee = selectors.default_committee()
            if committee:
                data["committee"] = committee.slug
        return ExceptionReportForm(data or None)

    def get_table_data(self):
        return self.report.rows if self.report else []

    def exportable(self):
        # No report to download: the page shows its error summary instead.
        return self.report is not None


class ExceptionReportView(ReportReadsMixin, LoginRequiredMixin, CommitteeReportMixin, SplicesPublishedPart, ExportMixin,
                          SingleTableMixin, TemplateView):
    """A committee's red and amber measures as at a month: Appendix 1 of its report."""

    table_class = ExceptionReportTable
    template_name = "reports/exception_report.html"

    @property
    def with_spc(self):
        """`?spc=1` adds the variation and assurance columns; Appendix 1 stays as it is without."""
        return self.request.GET.get("spc") == "1"

    @property
    def with_forecast(self):
        """`?forecast=1` adds each measure's year-end forecast (issue 21)."""
        return self.request.GET.get("forecast") == "1"

    def get_table_class(self):
        if self.with_forecast:
            return ExceptionReportSPCForecastTable if self.with_spc else ExceptionReportForecastTable
        return ExceptionReportSPCTable if self.with_spc else ExceptionReportTable

    @cached_property
    def published_part(self):
        as_at = self.form.cleaned_data["as_at"] if self.form.is_valid() else None
        return PublishedPart("exception_report", self.request, as_at, names=("summary", "table"))

    @property
    def on_screen(self):
        return self.form.is_valid() and not self.exporting and self.request.GET.get("format") != "pdf"

    @property
    def from_cache(self):
        return self.on_screen and self.published_part.hit

    @cached_property
    def report(self):
        if not self.form.is_valid():
            return None
        if self.from_cache:
            return self.published_part  # the cached parts stand for the report; its figures are not read
        data = self.form.cleaned_data
        report = selectors.exception_report(data["committee"], data["as_at"])
        if self.with_spc:
            variation.attach(report.rows, data["as_at"])
        if self.with_forecast:
            forecasts.attach(report.rows, data["as_at"])
        return report

    def get_table_data(self):
        return [] if self.from_cache else super().get_table_data()

    def get_table(self, **kwargs):
        if self.from_cache:
            return None
        table = super().get_table(**kwargs)
        if self.report:
            table.caption = f"Appendix 1: {self.form.cleaned_data['committee'].name} scrutiny measures"
        return table

    def get_export_filename(self, export_format):
        data = self.form.cleaned_data
        month = selectors.month_param(data["as_at"])
        return f"exception-report-{data['committee'].slug}-{month}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, report=self.report)
        if self.report:
            if self.on_screen:
                context["published_part"] = self.published_part
            context["committee"] = self.form.cleaned_data["committee"]
            context["as_at"] = self.form.cleaned_data["as_at"]
            context["as_at_param"] = selectors.month_param(context["as_at"])
            context["report_month"] = periods.month_label(context["as_at"])
            context["with_spc"] = self.with_spc
        context["can_publish"] = self.request.user.has_perm("reports.add_committeesnapshot")
        return context

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "pdf" and self.form.is_valid():
            # Laid out once per published state; a kept PDF costs no query for the report.
            data = self.form.cleaned_data

            def paper():
                context = self.get_context_data(**kwargs)
                html = render_to_string(self.template_name, context, request=request)
                return html, context["report"].free_text

            return kept_pdf_response(request, "exception_report", (data["committee"].slug, data["as_at"]),
                                     paper, self.get_export_filename("pdf"))
        return super().get(request, *args, **kwargs)


class SPCExceptionView(ReportReadsMixin, LoginRequiredMixin, CommitteeReportMixin, ExportMixin, SingleTableMixin, TemplateView):
    """A committee's measures showing special cause concern or failing assurance as at a month,
    whatever their RAG: the SPC view beside the RAG exception report."""

    table_class = SPCExceptionTable
    template_name = "reports/spc_exception.html"

    @cached_property
    def report(self):
        if not self.form.is_valid():
            return None
        return variation.spc_exceptions(self.form.cleaned_data["committee"], self.form.cleaned_data["as_at"])

    def get_export_filename(self, export_format):
        data = self.form.cleaned_data
        return f"spc-exceptions-{data['committee'].slug}-{selectors.month_param(data['as_at'])}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, report=self.report)
        if self.report:
            data = self.form.cleaned_data
            context.update(
                committee=data["committee"],
                as_at_param=selectors.month_param(data["as_at"]),
                report_month=periods.month_label(data["as_at"]),
            )
            context["table"].caption = f"{data['committee'].name}: SPC exceptions"
        return context


class PublishSnapshotView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """The BI team publishes an exception report for a committee meeting."""

    permission_required = "reports.add_committeesnapshot"
    form_class = PublishSnapshotForm
    template_name = "reports/snapshot_publish.html"

    def get_initial(self):
        return {key: self.request.GET.get(key, "") for key in ("committee", "as_at")}

    @transaction.atomic
    def form_valid(self, form):
        data = form.cleaned_data
        report = selectors.exception_report(data["committee"], data["as_at"])
        snapshot = CommitteeSnapshot.objects.create(
            committee=data["committee"],
            as_at=data["as_at"],
            meeting_date=data["meeting_date"],
            published_by=self.request.user,
            rows=exception_rows(report.rows),
            red_amber_count=report.red_amber_count,
            other_count=report.other_count,
            is_public=data["audience"],
        )
        _published_for_meeting(snapshot, self.request.user)
        messages.success(self.request, f"Published the exception report for the {snapshot}.")
        return redirect(snapshot)


def _published_for_meeting(snapshot, user):
    """The committee's members hear of it, and the worker lays out its papers as a PDF."""
    from jobs import services as jobs
    from notifications.services import committee_report_published

    committee_report_published(snapshot)
    jobs.start(jobs.Job.Kind.PAPERS, f"Papers (PDF) for the {snapshot}", user, snapshot=snapshot.pk)


class SnapshotListView(ReportReadsMixin, LoginRequiredMixin, SingleTableMixin, FilterView):
    """Past snapshots, by committee: /reports/snapshots/?committee=people-and-health"""

    table_class = SnapshotTable
    paginator_class = Paginator
    filterset_class = SnapshotFilter
    template_name = "reports/snapshot_list.html"

    def get_queryset(self):
        return CommitteeSnapshot.objects.select_related("committee", "published_by").defer("rows", "pdf")


class SnapshotDetailView(ReportReadsMixin, LoginRequiredMixin, ExportMixin, SingleTableMixin, DetailView):
    """A snapshot: always the rows as they were published."""

    model = CommitteeSnapshot
    queryset = CommitteeSnapshot.objects.select_related("committee", "published_by").defer("pdf")
    table_class = ExceptionReportTable
    table_pagination = False
    template_name = "reports/snapshot_detail.html"

    def get_table_data(self):
        return self.object.rows

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        table.caption = f"Appendix 1: {self.object.committee.name} scrutiny measures"
        return table

    def get_export_filename(self, export_format):
        s = self.object
        return f"exception-report-{s.committee.slug}-meeting-{s.meeting_date}.{export_format}"

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("format") == "pdf":
            pdf = bytes(CommitteeSnapshot.objects.filter(pk=self.object.pk).values_list("pdf", flat=True)[0])
            if not pdf:  # published before PDFs were kept with their snapshot: kept now
                html = render_to_string(self.template_name, context, request=self.request)
                refused = too_long(self.request, html, selectors.free_text(self.object.rows))
                if refused:
                    return refused
                pdf = pdf_bytes(html, self.request)
                CommitteeSnapshot.objects.filter(pk=self.object.pk).update(pdf=pdf)
            return attachment(pdf, self.get_export_filename("pdf"))
        return super().render_to_response(context, **kwargs)


class MeasureDetailView(ReportReadsMixin, LoginRequiredMixin, ExportMixin, SingleTableMixin, DetailView):
    """A measure's definition, its trend chart with the data beside it, and its history."""

    queryset = Measure.objects.select_related(
        "service", "outcome", "population_indicator__outcome"
    ).prefetch_related("committees")
    template_name = "reports/measure_detail.html"
    table_class = MeasureValuesTable
    paginator_class = Paginator

    @cached_property
    def history(self):
        return selectors.measure_history(self.object)

    def get_table_data(self):
        return self.history.values

    def get_table_kwargs(self):
        kwargs = {"targets": self.history.targets, "last_year": self.history.last_year,
                  "unit_header": unit_in_header(self.object.unit, self.object.unit_label)}
        if not self.object.has_parts:
            kwargs["exclude"] = ("numerator", "denominator")
        return kwargs

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        table.caption = "Published values, targets and ratings"
        return table

    def get_export_filename(self, export_format):
        return f"measure-{self.object.pk}-values.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = self.object
        indicator = measure.population_indicator
        context["outcome"] = measure.outcome or (indicator.outcome if indicator else None)
        context["history"] = self.history
        context["chart"] = charts.measure_trend(self.object, self.history)
        # Issue 21: roll-ups and the year-end forecast, as at the latest published month.
        as_at = forecasts.latest_month_end(self.history.values)
        if as_at != date.min:
            context["rollups"] = rollups.rollups_for([measure], as_at).get(measure.pk, [])
            context["forecast"] = forecasts.forecasts_for([measure], as_at).get(measure.pk)
            if context["forecast"] and context["forecast"].forecasts:
                forecasts.add_to_chart(context["chart"], context["forecast"])
        series = variation.measure_spc([measure], date.max)[measure.pk]
        context["spc"] = series
        if series.analysis.has_limits:
            context["spc_chart"] = charts.spc_chart(series, chart_id=f"measure-{measure.pk}-spc")
        context["pdf"] = self.request.GET.get("format") == "pdf"
        return context

    def render_to_response(self, context, **kwargs):
        """`?format=pdf`: the page on paper, its trend and SPC charts drawn as SVG."""
        if context["pdf"]:
            def paper():
                return render_to_string(self.template_name, context, request=self.request), None

            return kept_pdf_response(self.request, "measure", (self.object.pk,), paper,
                                     f"measure-{self.object.pk}.pdf")
        return super().render_to_response(context, **kwargs)
