"""Start, run and recover background jobs. A job only calls a service of the app whose work it
is (KINDS); this module keeps the job's record: queued, running with its progress, done or failed.

Where a job has got to lives in the worker's own store (huey's key-value storage: a SQLite file
beside the database, or Redis), not in the database, because the work itself runs in one
database transaction that nobody else can see into until it commits.
"""

import threading
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from huey.contrib.djhuey import HUEY

from jobs.models import Job

# What each kind of job calls: f(job, progress) -> (what it did, the page that shows it).
KINDS = {
    Job.Kind.IMPORT: "imports.services.run_confirmed_import",
    Job.Kind.RATE_MEASURES: "measures.services.rate_all_measures",
    Job.Kind.PAPERS: "reports.papers.render_committee_papers",
}


def stale_after():
    """Seconds without news of a job after which it is taken for lost and queued again."""
    return settings.JOBS_STALE_SECONDS


def _key(job_id):
    return f"perfhub-job-{job_id}"


def heard(job_id, done=None, total=None):
    """Note that the job is alive (and, given, how far it has got)."""
    last = news(job_id) or {}
    HUEY.put(_key(job_id), {
        "at": time.time(),
        "done": last.get("done", 0) if done is None else done,
        "total": last.get("total", 0) if total is None else total,
    })


def news(job_id):
    """{"at": seconds since the epoch, "done": n, "total": n} last heard of the job, or None."""
    return HUEY.get(_key(job_id), peek=True)


def is_alive(job, now=None):
    last = news(job.pk)
    return last is not None and (now or time.time()) - last["at"] < stale_after()


def progress(job):
    """(rows done, rows in all): from the worker while the job runs, else from its record."""
    if job.status == Job.Status.RUNNING:
        last = news(job.pk)
        if last:
            return last["done"], last["total"]
    return job.done, job.total


def start(kind, description, user=None, **params):
    """Record a job and queue it for the worker once the caller's transaction commits."""
    job = Job.objects.create(kind=kind, description=description[:300], params=params, created_by=user)
    heard(job.pk)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id):
    from jobs.tasks import run_job

    run_job(job_id)


def recover():
    """Queue again each unfinished job not heard of for `stale_after()` seconds: its worker was
    stopped or killed (its transaction rolled back), or the queue lost it. Returns their ids."""
    lost = [
        job.pk for job in Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        if not is_alive(job)
    ]
    for job_id in lost:
        # Back in the queue: a job RUNNING but unheard-of is no longer anyone's.
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(status=Job.Status.QUEUED)
        heard(job_id)
        _enqueue(job_id)
    return lost


def _claim(job_id):
    """The job, now RUNNING for this worker, or None if it is finished or another worker has it.
    A compare-and-set on `attempts`, so two copies of one job in the queue never both run."""
    job = Job.objects.get(pk=job_id)
    if job.finished or (job.status == Job.Status.RUNNING and is_alive(job)):
        return None
    claimed = Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
        status=Job.Status.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now(), error="",
    )
    if not claimed:
        return None
    job.refresh_from_db()
    return job


class _Heartbeat(threading.Thread):
    """Says the job is alive every quarter of `stale_after()` while its work runs, in phases
    that report no progress too."""

    def __init__(self, job_id):
        super().__init__(daemon=True)
        self.job_id, self.stopped = job_id, threading.Event()

    def run(self):
        while not self.stopped.wait(stale_after() / 4):
            heard(self.job_id)


def run(job_id):
    """Do the job (the worker's task calls this); a failure is recorded on the job, with why,
    and told to the BI team. Returns the job, or None if it was not this worker's to run."""
    job = _claim(job_id)
    if job is None:
        return None
    heard(job.pk, 0, 0)
    beat = _Heartbeat(job.pk)
    beat.start()
    try:
        work = import_string(KINDS[job.kind])
        result, url = work(job, lambda done, total: heard(job.pk, done, total))
    except Exception as error:  # noqa: BLE001 - any failure is the job's, and is recorded
        job.status, job.error = Job.Status.FAILED, f"{type(error).__name__}: {error}"
    else:
        job.status, job.result, job.result_url = Job.Status.DONE, result, url or ""
    finally:
        beat.stopped.set()
    last = news(job.pk) or {}
    job.done, job.total = last.get("done", 0), last.get("total", 0)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "result", "result_url", "done", "total", "finished_at"])
    if job.status == Job.Status.FAILED:
        _tell_bi_team_of_failure(job)
    return job


def _tell_bi_team_of_failure(job):
    from notifications.services import notify_bi_team

    notify_bi_team(
        kind="job_failed", subject=f"A background job failed: {job.description}",
        body=f"{job.description} failed: {job.error}", url=job.get_absolute_url(),
        key=f"job-failed:{job.pk}:{job.attempts}",
    )


def start_import(run, user):
    """The job importing the uploaded `run` (imports.models.ImportRun): the one already under
    way, if there is one, so that confirming twice imports once."""
    under_way = Job.objects.filter(
        kind=Job.Kind.IMPORT, params__run=run.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
    ).first()
    return under_way or start(Job.Kind.IMPORT, f"Import {run.file_name}", user, run=run.pk)


def import_progress(run):
    """(rows done, rows in all) of the latest job importing `run`; (0, 0) before there is one."""
    job = Job.objects.filter(kind=Job.Kind.IMPORT, params__run=run.pk).defer("output").first()
    return progress(job) if job else (0, 0)
