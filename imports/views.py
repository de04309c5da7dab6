"""The BI team's import page: upload, a dry-run preview per row, then confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET
from django.utils import timezone

from imports import template as perfhub_template
from imports.forms import ImportForm
from imports.models import ImportRun
from imports.services import FileRefused, import_file
from measures.roles import is_bi_team

PREVIEW_ROWS = 1000  # rows listed on the page besides the refused ones; counts cover all


def _bi_only(user):
    if not is_bi_team(user):
        raise PermissionDenied("Only the BI team may import figures.")


@login_required
def upload(request):
    _bi_only(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = ImportRun.objects.create(
            file_name=data["file"].name, content=data["file"].read(), mapping=data["mapping"],
            sheet=data["sheet"], status=data["status"], reason=data["reason"],
            keep_reported=data["keep_reported"], uploaded_by=request.user,
        )
        return redirect(run)
    recent = ImportRun.objects.filter(imported_at__isnull=False).defer("content")[:10]
    return render(request, "imports/upload.html", {"form": form, "recent": recent})


@login_required
def preview(request, pk):
    """GET: the dry run of the uploaded file. POST: the import itself, all rows or none."""
    _bi_only(request.user)
    if request.method == "POST":
        # Confirming is idempotent: a second press, or a second tab, waits on the run's row for
        # the first, then finds the file imported and shows the dry run.
        with transaction.atomic():
            run = get_object_or_404(ImportRun.objects.select_for_update(), pk=pk)
            return _preview(request, run, confirm=run.imported_at is None)
    return _preview(request, get_object_or_404(ImportRun, pk=pk), confirm=False)


def _preview(request, run, confirm):
    try:
        report = import_file(
            bytes(run.content), run.file_name, run.mapping or None, run.sheet or None,
            dry_run=not confirm, status=run.status, reason=run.reason,
            keep_reported=run.keep_reported, user=request.user,
            progress=lambda done, total: cache.set(run.progress_key(), [done, total], 3600),
        )
    except FileRefused as error:
        return render(request, "imports/preview.html", {"run": run, "refused": str(error)}, status=400)
    if report.written:
        run.imported_at = timezone.now()
        run.summary = report.counts
        run.save(update_fields=["imported_at", "summary"])
        messages.success(request, f"{run.file_name} is imported.")
    refused = [row for row in report.rows if row.errors]
    return render(request, "imports/preview.html", {
        "run": run, "report": report, "refused_rows": refused,
        "rows": [row for row in report.rows if not row.errors][:PREVIEW_ROWS],
        "more_rows": max(0, len(report.rows) - len(refused) - PREVIEW_ROWS),
    }, status=400 if report.errors else 200)


@login_required
@require_GET
def progress(request, pk):
    """Rows done of the total, for the page to show while a long import runs."""
    _bi_only(request.user)
    run = get_object_or_404(ImportRun.objects.defer("content"), pk=pk)
    done, total = cache.get(run.progress_key(), [0, 0])
    return JsonResponse({"done": done, "total": total, "imported": run.imported_at is not None})


@login_required
@require_GET
def template(request):
    _bi_only(request.user)
    response = HttpResponse(
        perfhub_template.workbook_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="perfhub-import-template.xlsx"'
    return response
