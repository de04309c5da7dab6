"""Import one file: read it, find its mapping, and import its figures or its risks."""

from imports import mapping as mappings
from imports import saved
from imports.figures import import_figures
from imports.readers import ReadError, read_table
from imports.register import import_risks
from imports.table import SKIP_REASONS, LayoutError, records


class FileRefused(ValueError):
    """A file that cannot be imported at all (unreadable, or no mapping fits it)."""


def import_file(content, file_name, mapping=None, sheet=None, **options):
    """Import the file `file_name` whose bytes are `content`; returns an imports.figures.Report.

    `mapping` names a mapping (or is a Mapping); without it the file's headers choose one.
    `options` go to import_figures / import_risks (dry_run, status, reason, keep_reported, user,
    progress). Raises FileRefused with a reason a person can act on.
    """
    try:
        rows = read_table(content, file_name, sheet)
        if mapping is None:
            mapping = mappings.for_headers(rows, saved.all_mappings())
            if mapping is None:
                raise FileRefused(
                    f"No mapping fits {file_name}: its headers match none of "
                    f"{', '.join(name for _, name in saved.choices())}. Choose one, or make a "
                    "mapping for it in the mapping editor."
                )
        elif isinstance(mapping, str):
            mapping = saved.load(mapping)
        found, skipped = records(rows, mapping)
    except (ReadError, LayoutError, mappings.MappingError) as error:
        raise FileRefused(f"{file_name}: {error}") from None
    run = import_risks if mapping.kind == "risks" else import_figures
    report = run(found, mapping, file_name=file_name, left_out=left_out(skipped), **options)
    report.skipped = skipped
    return report


def run_confirmed_import(job, progress):
    """The background job of a confirmed import (jobs.services.KINDS): the whole file in one
    transaction, so a worker stopped half-way leaves the database as it was and the job can run
    again. Returns (what was done, the import's page)."""
    from django.db import transaction
    from django.utils import timezone

    from imports.models import ImportRun

    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=job.params["run"])
        if run.imported_at is not None:  # a job run twice imports once
            return f"{run.file_name} was already imported.", run.get_absolute_url()
        report = import_file(
            bytes(run.content), run.file_name, run.mapping or None, run.sheet or None,
            dry_run=False, status=run.status, reason=run.reason, keep_reported=run.keep_reported,
            user=job.created_by, progress=progress,
        )
        if not report.written:
            raise FileRefused(f"{run.file_name}: {len(report.errors)} rows refused, nothing imported.")
        run.imported_at = timezone.now()
        run.summary = report.counts
        run.save(update_fields=["imported_at", "summary"])
    counts = ", ".join(f"{count:,} {action}" for action, count in report.counts.items())
    return f"{run.file_name} is imported: {counts}.", run.get_absolute_url()


def left_out(skipped):
    """The rows left out below the header that are not part of a row: blank, repeated headers,
    notes and the rows the mapping skips."""
    return sum(count for reason, count in skipped.items() if reason not in (
        SKIP_REASONS["above"], SKIP_REASONS["header"], SKIP_REASONS["continuation"]))


PREVIEW_RECORDS = 10


def preview(rows, mapping, file_name, count=PREVIEW_RECORDS):
    """The first `count` records of the file's `rows` as `mapping` reads them, and the dry run of
    importing them (a Report): the mapping editor's live preview. FileRefused when the mapping
    cannot find its headers."""
    try:
        found, _ = records(rows, mapping)
    except LayoutError as error:
        raise FileRefused(str(error)) from None
    run = import_risks if mapping.kind == "risks" else import_figures
    return found[:count], run(found[:count], mapping, file_name=file_name, dry_run=True)
