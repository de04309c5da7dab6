"""Jobs in the worker (immediate mode here; tests/jobs/test_worker.py runs the real process):
re-rating as a job, recovery of lost jobs, and a job run once however often it is queued."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from jobs import services
from jobs.models import Job
from measures import framework
from measures.models import Value
from measures.rating import RAG
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


def test_rate_measures_in_the_worker_re_rates_every_measure_as_a_job(django_capture_on_commit_callbacks):
    measure = MeasureFactory()
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("100"))
    stale = ValueFactory(measure=measure, period=month(2020, 11), value=Decimal("50"), rag=RAG.ND)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rate_measures", "--in-worker", stdout=out)
    job = Job.objects.get()
    assert f"Queued as job {job.pk}" in out.getvalue()
    assert job.status == Job.Status.DONE and job.result == "Re-rated 1 measures."
    assert (job.done, job.total) == (1, 1)
    assert Value.objects.get(pk=stale.pk).rag == RAG.RED


def test_re_rating_many_measures_after_new_targets_goes_to_the_worker(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(framework, "RATE_IN_WORKER", 1)
    measures = [MeasureFactory(), MeasureFactory()]
    stale = [ValueFactory(measure=m, period=month(2020, 11), value=Decimal("50"), rag=RAG.ND) for m in measures]
    for m in measures:
        TargetFactory(measure=m, period=month(2020, 10), value=Decimal("100"))
    with django_capture_on_commit_callbacks(execute=True):
        job = framework.rate_in_force({m.pk for m in measures})
    job.refresh_from_db()
    assert job.kind == Job.Kind.RATE_MEASURES and job.status == Job.Status.DONE
    assert job.params == {"measures": sorted(m.pk for m in measures)}
    assert {v.rag for v in Value.objects.filter(pk__in=[s.pk for s in stale])} == {RAG.RED}
    assert framework.rate_in_force({measures[0].pk}) is None  # a few: at once


def test_a_job_is_run_once_however_often_it_is_queued(settings):
    job = Job.objects.create(kind=Job.Kind.RATE_MEASURES, description="Re-rate")
    assert services.run(job.pk).status == Job.Status.DONE
    assert services.run(job.pk) is None
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_lost_job_is_queued_again_and_a_live_one_is_left_alone(settings):
    settings.JOBS_STALE_SECONDS = 60
    lost = Job.objects.create(kind=Job.Kind.RATE_MEASURES, description="Lost", status=Job.Status.RUNNING, attempts=1)
    live = Job.objects.create(kind=Job.Kind.RATE_MEASURES, description="Live", status=Job.Status.RUNNING, attempts=1)
    services.heard(live.pk, 5, 10)
    assert services.recover() == [lost.pk]  # and, the worker being immediate here, run at once
    lost.refresh_from_db()
    live.refresh_from_db()
    assert (lost.status, lost.attempts) == (Job.Status.DONE, 2)
    assert live.status == Job.Status.RUNNING and services.progress(live) == (5, 10)
