"""python manage.py import_figures FILE [--mapping M] [--sheet S] [--dry-run] [--status S] [--reason R]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.report import CHANGED, CREATED, REFUSED, UNCHANGED
from imports.services import FileRefused, import_file
from measures.models import Value


class Command(BaseCommand):
    help = (
        "Import measures, targets and values (or a risk register) from a CSV, XLSX or ODS file, "
        "through a mapping saved on the import page or shipped in imports/mappings/ (chosen from the "
        "file's headers when not named). "
        "All rows or none: any refused row leaves the database unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", help="a saved mapping's name, a shipped one's (imports/mappings/NAME.toml), or a path")
        parser.add_argument("--sheet", help="the sheet of an XLSX or ODS workbook (default: the first)")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        parser.add_argument("--status", choices=[Value.Status.DRAFT, Value.Status.PUBLISHED],
                            default=Value.Status.DRAFT, help="the status of new figures (default draft)")
        parser.add_argument("--reason", default="", help="why: recorded with every revised figure")
        parser.add_argument("--keep-reported", action="store_true",
                            help="keep the file's RAG and direction of travel as overrides where the "
                                 "rules rate a figure otherwise")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}")
        try:
            report = import_file(
                path.read_bytes(), path.name, options["mapping"], options["sheet"],
                dry_run=options["dry_run"], status=options["status"], reason=options["reason"],
                keep_reported=options["keep_reported"], progress=self._progress,
            )
        except FileRefused as error:
            raise CommandError(str(error)) from None
        for row in report.rows:
            self.stdout.write(f"row {row.number}: {row.action} {row.measure} {row.period}".rstrip())
        for difference in report.differences:
            self.stdout.write(
                f"row {difference.number}: the file says {difference.reported}, the rules say "
                f"{difference.rules} ({difference.why})"
            )
        for warning in report.warnings:
            self.stdout.write(f"warning, {warning}")
        counts = report.counts
        summary = (
            f"{report.file_name} ({report.mapping}): {counts[CREATED]} created, {counts[CHANGED]} changed, "
            f"{counts[UNCHANGED]} unchanged, {counts[REFUSED]} refused, {report.left_out} rows left out "
            f"(blank, notes or repeated headers); {len(report.differences)} ratings differ from the file's."
        )
        self.stdout.write(summary)
        left_out = "; ".join(f"{count} {reason}" for reason, count in report.skipped.items())
        self.stdout.write(f"All {report.file_rows} rows of the file: {len(report.rows)} read as figures; {left_out}.")
        if report.errors:
            raise CommandError("Nothing was imported:\n" + "\n".join(report.errors))
        self.stdout.write("Dry run: nothing was written." if report.dry_run else "Imported.")

    def _progress(self, done, total):
        self.stderr.write(f"{done} of {total} rows", ending="\r" if done < total else "\n")
