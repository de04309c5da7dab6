"""The BI team's import page: upload, a dry-run preview per row, then confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

import tomllib

from imports import mapping as mappings
from imports import saved
from imports import template as perfhub_template
from imports.editor import EditorForm, header_row
from imports.forms import ImportForm, MappingUploadForm
from imports.models import ImportRun, SavedMapping
from imports.readers import ReadError, read_table
from imports.services import FileRefused, import_file
from jobs import services as jobs
from imports.services import preview as preview_records
from imports.table import LayoutError
from imports.table import header_row as mapped_header_row
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
        # The import itself runs in the background worker; its page shows the progress. Confirming
        # is idempotent: a second press, or a second tab, waits on the run's row for the first and
        # is sent to the same job, or finds the file imported and sees the dry run.
        with transaction.atomic():
            run = get_object_or_404(ImportRun.objects.select_for_update(), pk=pk)
            if run.imported_at is None:
                return redirect(jobs.start_import(run, request.user))
    else:
        run = get_object_or_404(ImportRun, pk=pk)
    try:
        report = import_file(
            bytes(run.content), run.file_name, run.mapping or None, run.sheet or None,
            dry_run=True, status=run.status, reason=run.reason, keep_reported=run.keep_reported,
            user=request.user,
        )
    except FileRefused as error:
        return render(request, "imports/preview.html", {"run": run, "refused": str(error)}, status=400)
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
    done, total = jobs.import_progress(run)
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


def _tables(name):
    """A mapping's tables as TOML reads them ({} for none or an unknown name)."""
    found = saved.find(name) if name else None
    if found is not None:
        return tomllib.loads(found.toml)
    if name in mappings.names():
        return tomllib.loads((mappings.MAPPINGS_DIR / f"{name}.toml").read_text(encoding="utf-8"))
    return {}


@login_required
def mapping_editor(request, pk):
    """The file's headers beside PerfHub's fields; a live preview of its first rows (htmx posts
    the form on every change and swaps in the preview); saving stores the mapping as a new
    version and checks the file with it."""
    _bi_only(request.user)
    run = get_object_or_404(ImportRun, pk=pk)
    try:
        rows = read_table(bytes(run.content), run.file_name, run.sheet or None)
    except ReadError as error:
        return render(request, "imports/preview.html", {"run": run, "refused": str(error)}, status=400)
    data = _tables(request.GET.get("from", run.mapping))
    if not data and request.GET.get("kind") == "risks":
        data = {"kind": "risks"}  # a risk register's mapping from nothing: the register's fields
    try:
        top = mapped_header_row(rows, mappings.parse(data, "editing")) if data.get("columns") else header_row(rows)
    except (LayoutError, mappings.MappingError):
        top = header_row(rows)
    form = EditorForm(rows[top] if rows else [], data, request.POST or None)
    context = {"run": run, "form": form, "header_number": top + 1}
    if request.method == "POST" and form.is_valid():
        tables = form.mapping_data()
        try:
            mapping = mappings.parse(tables, "editing")
            # htmx sends the last button clicked with a preview: only a plain submit saves.
            if request.POST.get("action") == "save" and not request.headers.get("HX-Request"):
                stored = saved.save_mapping(tables["name"], saved.to_toml(tables), request.user,
                                            f"Saved in the mapping editor for {run.file_name}")
                run.mapping = stored.slug
                run.save(update_fields=["mapping"])
                messages.success(request, f"The mapping {stored.name} is saved (version {stored.version}).")
                return redirect(run)
            found, context["report"] = preview_records(rows, mapping, run.file_name)
            context["preview_rows"] = list(zip(found, context["report"].rows))
        except (mappings.MappingError, FileRefused) as error:
            form.add_error(None, str(error))
    elif request.method == "GET" and data.get("columns"):
        try:
            found, context["report"] = preview_records(rows, mappings.parse(data, "editing"), run.file_name)
            context["preview_rows"] = list(zip(found, context["report"].rows))
        except (mappings.MappingError, FileRefused) as error:
            context["problem"] = str(error)
    if request.headers.get("HX-Request"):
        return render(request, "imports/includes/mapping_preview.html", context)
    return render(request, "imports/mapping_editor.html", context, status=400 if form.errors else 200)


@login_required
def mapping_list(request):
    """The saved mappings, each downloadable as TOML, and the form to upload one."""
    _bi_only(request.user)
    form = MappingUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        try:
            name = form.cleaned_data["name"] or saved.parse_text(text).name
            stored = saved.save_mapping(name, text, request.user, f"Uploaded as {request.FILES['file'].name}")
        except mappings.MappingError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"The mapping {stored.name} is saved (version {stored.version}).")
            return redirect("imports:mapping_list")
    return render(request, "imports/mapping_list.html", {
        "form": form, "saved": SavedMapping.objects.select_related("updated_by"),
        "shipped": mappings.names(),
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def mapping_download(request, slug):
    _bi_only(request.user)
    stored = get_object_or_404(SavedMapping, slug=slug)
    response = HttpResponse(stored.toml, content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stored.slug}.toml"'
    return response
