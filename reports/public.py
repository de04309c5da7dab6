"""The public pages, /public/: what the BI team has marked public, for residents, signed out.

Only measures marked public appear, with their published figures alone (the same selectors
the member pages use), and only committee snapshots marked public. Anything else is a 404.
"""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from measures import periods
from measures.models import Measure
from presentation import charts
from reports import selectors
from reports.models import CommitteeSnapshot
from reports.tables import ExceptionReportTable, MeasureValuesTable


class PublicExceptionReportTable(ExceptionReportTable):
    """The exception report without links to the members' measure pages."""

    class Meta(ExceptionReportTable.Meta):
        pass

    def render_indicator(self, value):
        return value


def public_measures():
    return Measure.objects.filter(is_public=True)


def latest_public_snapshots():
    """The latest public snapshot of each committee that has one, by committee name."""
    snapshots = CommitteeSnapshot.objects.filter(is_public=True).select_related("committee").defer("rows", "pdf")
    latest = {}
    for snapshot in snapshots.order_by("committee__name", "-meeting_date", "-published_at"):
        latest.setdefault(snapshot.committee_id, snapshot)
    return list(latest.values())


@require_safe
def index(request):
    as_at = periods.span(periods.MONTH, timezone.localdate()).end
    rows = selectors.latest_rows(selectors.with_latest_ratings(public_measures(), as_at).order_by("title"))
    return render(request, "reports/public/index.html", {
        "rows": rows, "snapshots": latest_public_snapshots(), "as_at_label": periods.month_label(as_at),
    })


@require_safe
def measure(request, pk):
    measure = get_object_or_404(public_measures().select_related("service"), pk=pk)
    history = selectors.measure_history(measure)
    table = MeasureValuesTable(history.values, targets=history.targets, last_year=history.last_year)
    table.caption = "Published values, targets and ratings"
    return render(request, "reports/public/measure.html", {
        "measure": measure, "history": history, "table": table,
        "chart": charts.measure_trend(measure, history) if history.values else None,
    })


@require_safe
def snapshot(request, pk):
    snapshot = get_object_or_404(CommitteeSnapshot.objects.filter(is_public=True).select_related("committee").defer("pdf"), pk=pk)
    table = PublicExceptionReportTable(snapshot.rows)
    table.caption = f"Appendix 1: {snapshot.committee.name} scrutiny measures"
    return render(request, "reports/public/snapshot.html", {"snapshot": snapshot, "table": table})
