"""Two imports at once (issue 22, finding 2): two processes importing one file, or two presses
of the confirm button, find each measure once. PostgreSQL only: SQLite lets one writer at a
time, so there is no race to test there (CI runs the suite on PostgreSQL, where these run)."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import Client

from imports.models import ImportRun
from jobs.models import Job
from measures.models import Measure, Value
from tests.imports.test_figures import HEADER, csv_bytes, row

pytestmark = pytest.mark.django_db(transaction=True)

MEASURES, MONTHS = 40, ["Jul-20", "Aug-20", "Sep-20", "Oct-20"]


def needs_postgresql():
    if connection.vendor != "postgresql":
        message = "Concurrent imports race on PostgreSQL only; this run's database is SQLite."
        if os.environ.get("CI"):  # as the browser tests do: CI runs on PostgreSQL, so never skips these
            pytest.fail(message)
        pytest.skip(message)


def framework_file():
    rows = [row(f"C{n:02d}", f"Concurrent measure {n}", period=m, value=str(n + i))
            for n in range(MEASURES) for i, m in enumerate(MONTHS)]
    return csv_bytes([HEADER, *rows])


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_two_processes_importing_one_file_at_once_create_each_measure_once(tmp_path):
    needs_postgresql()
    path = tmp_path / "framework.csv"
    path.write_bytes(framework_file())
    env = {**os.environ, "DATABASE_URL": database_url()}
    command = [sys.executable, "manage.py", "import_figures", str(path), "--mapping", "perfhub"]
    processes = [
        subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [process.communicate(timeout=120) for process in processes]

    assert [p.returncode for p in processes] == [0, 0], [err[-2000:] for _, err in results]
    assert Measure.objects.count() == MEASURES
    assert Value.objects.count() == MEASURES * len(MONTHS)
    summaries = sorted(line for out, _ in results for line in out.splitlines()
                       if line.startswith("framework.csv (PerfHub template):"))
    assert summaries == [
        f"framework.csv (PerfHub template): 0 created, 0 changed, {MEASURES * len(MONTHS)} unchanged, "
        "0 refused, 0 rows left out (blank, notes or repeated headers); 0 ratings differ from the file's.",
        f"framework.csv (PerfHub template): {MEASURES * len(MONTHS)} created, 0 changed, 0 unchanged, "
        "0 refused, 0 rows left out (blank, notes or repeated headers); 0 ratings differ from the file's.",
    ]


def test_two_presses_of_confirm_at_once_import_the_file_once(bi_user):
    needs_postgresql()
    run = ImportRun.objects.create(file_name="framework.csv", content=framework_file(), mapping="perfhub",
                                   uploaded_by=bi_user)
    statuses, start = [], threading.Barrier(2)

    def press():
        client = Client()
        client.force_login(bi_user)
        start.wait()
        response = client.post(run.get_absolute_url())
        statuses.append((response.status_code, response["Location"]))
        connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    run.refresh_from_db()
    # Both presses are sent to the one import job, which imported the file once.
    [job] = Job.objects.all()
    assert statuses == [(302, job.get_absolute_url())] * 2
    assert Measure.objects.count() == MEASURES
    assert run.summary["created"] == MEASURES * len(MONTHS)
    assert Value.history.count() == MEASURES * len(MONTHS)


def test_a_code_names_one_measure():
    Measure.objects.create(code="CS01", title="Children in care")
    Measure.objects.create(title="No code")
    Measure.objects.create(title="No code either")
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(code="CS01", title="Children in care, again")
