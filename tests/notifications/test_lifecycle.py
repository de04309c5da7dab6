"""The lifecycle tells people: a lead when a figure is returned (with why) or published, the BI
team of submissions (in a digest), members when their committee's report is published."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jobs.models import Job
from measures import selectors, services
from measures.models import Value
from notifications import delivery
from notifications.models import Notification
from reports.models import CommitteeSnapshot
from tests.factories import CommitteeFactory, MeasureFactory, UserFactory, ValueFactory, month

pytestmark = pytest.mark.django_db

ENTRY = {"no_data_reason": "", "commentary": "", "actions": "", "provisional": False, "caveat": ""}


@pytest.fixture
def submitted(lead, adult_care):
    measure = MeasureFactory(title="Delayed transfers of care", service=adult_care)
    return ValueFactory(measure=measure, period=month(2020, 10), status=Value.Status.SUBMITTED, entered_by=lead)


def test_a_lead_hears_that_a_figure_was_returned_and_why(submitted, lead, bi_user, mailoutbox, django_capture_on_commit_callbacks):
    lead.email = "lead@example.org"
    lead.save()
    services.return_to_lead(bi_user, [submitted], "The October figure double-counts transfers.")

    [note] = lead.notifications.all()
    assert note.kind == Notification.Kind.RETURNED
    assert note.subject == "Returned to you: Delayed transfers of care (Oct-20)"
    assert "The October figure double-counts transfers." in note.body
    assert note.url == f"{reverse('my_measures')}?period=2020-10#service-adult-care"
    delivery.deliver_pending(note.created_at)
    [mail] = mailoutbox
    assert "http://127.0.0.1:8000/my-measures/?period=2020-10#service-adult-care" in mail.body


def test_a_lead_hears_that_their_figures_were_published(submitted, lead, bi_user):
    services.publish(bi_user, services.approve(bi_user, [submitted]))

    [note] = lead.notifications.all()
    assert note.kind == Notification.Kind.PUBLISHED
    assert note.subject == "1 of your figures for Oct-20 published"
    assert note.url == submitted.measure.get_absolute_url()


def test_the_bi_team_hears_of_submissions_in_its_daily_digest(lead, adult_care, bi_user, mailoutbox):
    bi_user.email = "bi@example.org"
    bi_user.save()
    measure = MeasureFactory(title="Delayed transfers of care", service=adult_care)
    [row] = selectors.entry_rows([measure], selectors.month_span("2020-10"))
    services.save_entries(lead, [(row, {**ENTRY, "value": Decimal("12")}, None)], submit=True)

    [note] = bi_user.notifications.all()
    assert note.kind == Notification.Kind.SUBMITTED and note.digest
    assert note.subject == f"{lead.get_full_name()} submitted 1 figure for Oct-20 (Adult Care)"
    assert note.url == f"{reverse('approvals')}?period=2020-10"
    assert delivery.deliver_pending(note.created_at) == 0  # not on its own
    assert delivery.send_digests(note.created_at) == 1
    [mail] = mailoutbox
    assert "Delayed transfers of care" in mail.body and "http://127.0.0.1:8000/approvals/?period=2020-10" in mail.body
    assert "List-Unsubscribe" in mail.extra_headers


def test_members_of_a_committee_hear_its_report_is_published_and_the_worker_makes_its_papers(
    client, bi_user, member, adult_care, django_capture_on_commit_callbacks,
):
    committee = CommitteeFactory()
    committee.members.add(member)
    elsewhere = UserFactory(username="elsewhere")
    measure = MeasureFactory(service=adult_care)
    measure.committees.add(committee)
    ValueFactory(measure=measure, period=month(2020, 10), status=Value.Status.PUBLISHED, rag="Red")
    client.force_login(bi_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("snapshot_publish"), {"committee": committee.slug, "as_at": "2020-10",
                                                  "meeting_date": "2021-01-28", "audience": ""})

    snapshot = CommitteeSnapshot.objects.get()
    [note] = member.notifications.all()
    assert note.kind == Notification.Kind.REPORT and note.url == snapshot.get_absolute_url()
    assert "People and Health" in note.subject
    assert not elsewhere.notifications.exists() and not bi_user.notifications.exists()
    job = Job.objects.get(kind=Job.Kind.PAPERS)
    assert job.status == Job.Status.DONE, job.error
    assert job.output_name == "exception-report-people-and-health-meeting-2021-01-28.pdf"
    download = client.get(reverse("jobs:output", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf" and download.content.startswith(b"%PDF")
