"""How long the importer takes over a full-size file: 50,000 rows (2,000 measures x 25 months,
each with a target and a paragraph of commentary), in PerfHub's own template layout.

Writes the CSV to a temporary folder, then in a throwaway test database (Django's test database
for the configured DATABASE_URL; run it with a PostgreSQL DATABASE_URL for the README's figures)
times (wall clock, and the Python process's own CPU time): reading the file alone (decoding, CSV
parsing and the mapping's header and row handling), a dry run, the first real import, the same
file imported again (all rows unchanged), and a file with every figure changed (revisions).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perfhub_bench .venv/bin/python bench/import.py
"""

import csv
import io
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfhub.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from imports import mapping as mappings  # noqa: E402
from imports.readers import read_table  # noqa: E402
from imports.services import import_file  # noqa: E402
from imports.table import records  # noqa: E402
from measures import periods  # noqa: E402
from measures.models import Value  # noqa: E402

MEASURES = 2000
MONTHS = 25
HEADER = ["Code", "Measure", "Service", "Unit", "Frequency", "Polarity", "Decimal places", "Period",
          "Value", "Target", "Commentary"]
COMMENTARY = (
    "Performance held steady this month. The service expects the new rota to lift the figure "
    "over the winter; the team will report on progress to the next committee."
)


def write_file(folder, name="bench-50000-rows.csv", change=0):
    months = [date(2019 + (3 + k) // 12, (3 + k) % 12 + 1, 1) for k in range(MONTHS)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(MEASURES):
        for k, month in enumerate(months):
            writer.writerow([
                f"B{i:04d}", f"Bench measure {i:04d}", f"Service {i % 10}", "%", "Monthly",
                "higher", 1, periods.month_label(month), f"{50 + (i + k + change) % 40}.{k % 10}", "75",
                f"{COMMENTARY} ({k})",
            ])
    path = Path(folder) / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def timed(label, function):
    """Wall-clock time, and this process's CPU time (on a shared machine the two part ways)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    seconds = time.perf_counter() - started
    print(f"{label:<40} {seconds:7.1f} s   (Python CPU {time.process_time() - cpu:5.1f} s)")
    return result, seconds


def main():
    setup_test_environment()
    with tempfile.TemporaryDirectory() as folder:
        path = write_file(folder)
        content = path.read_bytes()
        print(f"{MEASURES:,} measures x {MONTHS} months = {MEASURES * MONTHS:,} rows, "
              f"{len(content) / 1e6:.1f} MB, on {connection.vendor}; {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}")
        perfhub = mappings.load("perfhub")
        (found, _), reading = timed("reading the file alone", lambda: records(read_table(content, path.name), perfhub))
        assert len(found) == MEASURES * MONTHS
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run = lambda **options: import_file(content, path.name, "perfhub", **options)  # noqa: E731
            report, _ = timed("dry run (rolled back)", lambda: run(dry_run=True))
            assert not report.errors and Value.objects.count() == 0
            report, importing = timed("import (one transaction)", lambda: run(status="published"))
            assert report.written and Value.objects.count() == MEASURES * MONTHS, report.errors[:3]
            report, _ = timed("the same file again (all unchanged)", lambda: run(status="published"))
            assert report.counts["unchanged"] == MEASURES * MONTHS
            revised = write_file(folder, "bench-50000-rows-revised.csv", change=1)
            report, _ = timed("every figure changed (revisions)", lambda: import_file(
                revised.read_bytes(), revised.name, "perfhub", status="published", reason="Revised"))
            assert report.counts["changed"] == MEASURES * MONTHS, report.errors[:3]
            print(f"the import took {importing / reading:.0f} times as long as reading the file; "
                  f"load average {os.getloadavg()[0]:.1f} at the end")
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
