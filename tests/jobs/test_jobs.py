"""Jobs in the worker (immediate mode here; tests/jobs/test_worker.py runs the real process):
re-rating as a job, recovery of lost jobs, a job run once however often it is queued, and a
failed job's reason on its page and to the BI team."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.models import Job
from measures import services as services_measures
from measures.models import Value
from measures.rating import RAG
from notifications import delivery
from notifications.models import Notification, SentEmail
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
    assert job.status == Job.Status.DONE and job.result == "Re-rated 1 measure."
    assert (job.done, job.total) == (1, 1)
    assert Value.objects.get(pk=stale.pk).rag == RAG.RED


def test_re_rating_after_a_change_is_a_job_run_once_the_change_commits(django_capture_on_commit_callbacks, bi_user, client):
    measures = [MeasureFactory(), MeasureFactory(), MeasureFactory()]
    stale = [ValueFactory(measure=m, period=month(2020, 11), value=Decimal("50"), rag=RAG.ND, status=Value.Status.PUBLISHED)
             for m in measures]
    for m in measures:
        TargetFactory(measure=m, period=month(2020, 10), value=Decimal("100"))
    with django_capture_on_commit_callbacks() as queued:
        job = services_measures.rerate([measures[1].pk, measures[0].pk, measures[0].pk], "Bands agreed by Cabinet", bi_user)
    assert job.status == Job.Status.QUEUED and len(queued) == 1  # queued for the worker only on commit
    assert Value.objects.get(pk=stale[0].pk).rag == RAG.ND
    queued[0]()  # the commit: the worker (immediate here) runs it
    job.refresh_from_db()
    assert (job.kind, job.status, job.created_by) == (Job.Kind.RATE_MEASURES, Job.Status.DONE, bi_user)
    assert job.description == "Re-rate 2 measures: Bands agreed by Cabinet"
    assert job.params == {"measures": sorted([measures[0].pk, measures[1].pk]), "reason": "Re-rated: Bands agreed by Cabinet"}
    assert (job.result, job.done, job.total) == ("Re-rated 2 measures.", 2, 2)
    client.force_login(bi_user)
    assert "2 of 2 measures re-rated" in client.get(job.get_absolute_url()).content.decode()
    assert [Value.objects.get(pk=v.pk).rag for v in stale] == [RAG.RED, RAG.RED, RAG.ND]  # only those asked for
    assert Value.objects.get(pk=stale[0].pk).history.first().history_change_reason == "Re-rated: Bands agreed by Cabinet"


def test_a_job_re_rating_no_measures_re_rates_none(django_capture_on_commit_callbacks):
    stale = ValueFactory(measure=MeasureFactory(), period=month(2020, 11), value=Decimal("50"), rag=RAG.ND)
    TargetFactory(measure=stale.measure, period=month(2020, 10), value=Decimal("100"))
    with django_capture_on_commit_callbacks(execute=True):
        job = services_measures.rerate([], "Nothing")
    job.refresh_from_db()
    assert job.result == "Re-rated 0 measures." and Value.objects.get(pk=stale.pk).rag == RAG.ND


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


def test_a_failed_job_says_why_on_its_page_and_tells_the_bi_team_in_perfhub_and_by_e_mail(
    client, bi_user, lead, mailoutbox, django_capture_on_commit_callbacks, settings,
):
    settings.PERFHUB_URL = "https://perfhub.council.example"
    bi_user.email = "bi@example.org"
    bi_user.save()
    # A floor above its target under the two-targets rule (a door that skipped Target.clean).
    measure = MeasureFactory(title="Calls answered", rating_rule="floor")
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("80"), floor=Decimal("90"))
    figure = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("85"), rag=RAG.ND)
    with django_capture_on_commit_callbacks(execute=True):
        job = services_measures.rerate([measure.pk], "Targets set for 2020-21", bi_user)
    job.refresh_from_db()

    why = "ValueError: The floor (90.0000) must not be above the target (80.0000) when higher is better"
    assert (job.status, job.error) == (Job.Status.FAILED, why)
    assert Value.objects.get(pk=figure.pk).rag == RAG.ND  # its transaction rolled back
    client.force_login(bi_user)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The job failed" in page and why in page and 'http-equiv="refresh"' not in page
    assert "Measures re-rated before it failed keep their new ratings" in page
    [note] = bi_user.notifications.all()
    assert note.kind == Notification.Kind.JOB_FAILED and note.url == job.get_absolute_url()
    assert note.subject == "A background job failed: Re-rate 1 measure: Targets set for 2020-21"
    assert why in note.body
    assert not lead.notifications.exists()  # the BI team's alone
    assert why in client.get(reverse("notifications:list")).content.decode()

    assert delivery.deliver_pending(timezone.now()) == 1
    [mail] = mailoutbox
    assert mail.to == ["bi@example.org"] and "A background job failed" in mail.subject
    assert why in mail.body and f"https://perfhub.council.example/jobs/{job.pk}/" in mail.body
    assert SentEmail.objects.get().kind == "job_failed"
