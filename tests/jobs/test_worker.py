"""The real background worker (`manage.py run_huey`) on the test's own database: a confirmed
import of thousands of rows runs in it; killed half-way, the database is as it was, and a
restarted worker takes the job up again and completes it. A change of targets saves with the
worker down, and the worker re-rates the figures when it starts."""

import csv
import io
import os
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from huey import SqliteHuey
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from imports.models import ImportRun
from jobs.models import Job
from measures.models import Measure, Target, Value
from measures.rating import RAG
from measures.services import rate_measure
from tests.factories import MeasureFactory, TargetFactory, UserFactory, ValueFactory, month

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
MEASURES, MONTHS = 200, 25  # 5,000 rows
HEADER = ["Code", "Measure", "Service", "Unit", "Frequency", "Polarity", "Decimal places", "Period", "Value", "Target"]


def rows_file():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(MEASURES):
        for k in range(MONTHS):
            month = f"{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][k % 12]}-{19 + k // 12}"
            writer.writerow([f"W{i:04d}", f"Worker measure {i:04d}", f"Service {i % 5}", "%", "Monthly",
                             "higher", 1, month, f"{50 + (i + k) % 40}.{k % 10}", "75"])
    return out.getvalue().encode()


def database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`python manage.py run_huey` in its own process, on the test's database and queue file."""

    def __init__(self, tmp_path):
        self.queue = tmp_path / "queue.sqlite3"
        self.log = tmp_path / "worker.log"
        self.env = {
            **os.environ, "DATABASE_URL": database_url(), "QUEUE_FILE": str(self.queue),
            "WORKER_IMMEDIATE": "False", "JOBS_STALE_SECONDS": "1", "QUEUE_URL": "",
        }
        self.process = None

    def start(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "run_huey", "--workers", "1", "--no-periodic", "--max-delay", "0.2"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )

    def news(self, job):
        """What the worker last said of `job` ({"done": n, "total": n, "at": ...}), from its store."""
        if not self.queue.exists():
            return None
        return SqliteHuey("perfhub", filename=str(self.queue)).get(f"perfhub-job-{job.pk}", peek=True)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)

    def wait_for(self, test, what, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if test():
                return
            assert self.process.poll() is None, f"the worker stopped:\n{self.log.read_text()[-3000:]}"
            time.sleep(0.02)
        jobs = list(Job.objects.values_list("pk", "status", "attempts", "error"))
        pytest.fail(f"timed out waiting for {what}: {jobs}\n{self.log.read_text()[-3000:]}")


def test_a_worker_killed_half_way_through_an_import_leaves_the_database_unchanged_and_a_new_one_completes_it(
    tmp_path, roles,
):
    bi = UserFactory(username="bi-worker")
    run = ImportRun.objects.create(file_name="five-thousand-rows.csv", content=rows_file(), uploaded_by=bi)
    # As the import page's confirm does (jobs.services.start_import), less the nudge on the
    # queue: the worker finds the job in the database when it starts (jobs.services.recover).
    job = Job.objects.create(kind=Job.Kind.IMPORT, description="Import five-thousand-rows.csv",
                             params={"run": run.pk}, created_by=bi)
    before = (Measure.objects.count(), Value.objects.count())
    worker = Worker(tmp_path)
    worker.start()
    try:
        def half_way():
            news = worker.news(job)
            return news is not None and 0 < news["done"] < news["total"]

        worker.wait_for(half_way, "the import to be half-way")
        news = worker.news(job)
        worker.kill()
        assert 0 < news["done"] < news["total"] == MEASURES * MONTHS

        assert (Measure.objects.count(), Value.objects.count()) == before
        run.refresh_from_db()
        assert run.imported_at is None
        job.refresh_from_db()
        assert job.status == Job.Status.RUNNING and job.attempts == 1

        worker.start()
        worker.wait_for(lambda: Job.objects.get(pk=job.pk).finished, "the job to finish")
    finally:
        worker.stop()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.attempts == 2
    assert (job.done, job.total) == (MEASURES * MONTHS, MEASURES * MONTHS)
    assert Value.objects.count() == MEASURES * MONTHS
    assert Measure.objects.count() == before[0] + MEASURES
    run.refresh_from_db()
    assert run.imported_at is not None and run.summary["created"] == MEASURES * MONTHS
    assert job.result.startswith("five-thousand-rows.csv is imported")


def test_a_change_of_targets_saves_with_the_worker_down_and_the_worker_re_rates_when_it_starts(
    tmp_path, client, bi_user, monkeypatch,
):
    measure = MeasureFactory()
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("100"))
    november = ValueFactory(measure=measure, period=month(2020, 11), value=Decimal("50"))
    rate_measure(measure)
    assert Value.objects.get(pk=november.pk).rag == RAG.RED
    worker = Worker(tmp_path)
    # The web process queues for real, on the worker's queue file, and no worker runs yet.
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", SqliteStorage("perfhub", filename=str(worker.queue)))
    client.force_login(bi_user)

    response = client.post(reverse("framework_targets", args=[measure.pk]),
                           {"end_targets": "1", "end-last_month": "Oct-20"})

    assert response.status_code == 302
    assert Target.objects.get(measure=measure).ends == date(2020, 10, 31)  # saved at once
    [job] = Job.objects.all()
    assert job.kind == Job.Kind.RATE_MEASURES and job.status == Job.Status.QUEUED
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Waiting for the background worker to start it" in page
    assert Value.objects.get(pk=november.pk).rag == RAG.RED  # the job waits for the worker

    worker.start()
    try:
        worker.wait_for(lambda: Job.objects.get(pk=job.pk).finished, "the re-rating to finish")
    finally:
        worker.stop()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.result == "Re-rated 1 measure."
    assert Value.objects.get(pk=november.pk).rag == RAG.ND  # no target in force after Oct-20
