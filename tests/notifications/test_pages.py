"""The deadlines on the outstanding list, My measures and the home pages; each person's
notifications (mark read, choose e-mails); the BI team's record of e-mails sent; the jobs."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from jobs.models import Job
from notifications.models import DeadlineException, Notification, Preference, SentEmail
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def monthly(adult_care):
    return MeasureFactory(title="Delayed transfers of care", service=adult_care)


@time_machine.travel(datetime(2020, 11, 10, 12, 0, tzinfo=LONDON), tick=False)
def test_the_outstanding_list_and_my_measures_show_the_deadline_and_days_left(client, bi_user, lead, monthly):
    client.force_login(bi_user)
    html = client.get(reverse("outstanding"), {"period": "2020-10"}).content.decode()
    assert "Deadlines for Oct-20" in html
    assert "Monthly figures: due by Fri 13 Nov 2020, 3 working days left" in html
    client.force_login(lead)
    html = client.get(reverse("my_measures"), {"period": "2020-10"}).content.decode()
    assert "Monthly figures: due by Fri 13 Nov 2020, 3 working days left" in html


@time_machine.travel(datetime(2021, 1, 5, 12, 0, tzinfo=LONDON), tick=False)
def test_the_home_pages_show_overdue_and_a_christmas_exception(client, bi_user, lead, monthly):
    DeadlineException.objects.create(month=date(2020, 11, 1), deadline=date(2021, 1, 8), reason="Christmas")
    client.force_login(lead)
    html = client.get(reverse("home")).content.decode()  # the lead's month at hand: Dec-20
    assert "Monthly figures: due by Fri 15 Jan 2021, 8 working days left" in html  # 10 working days, 1 Jan off
    client.force_login(bi_user)
    html = client.get(reverse("outstanding"), {"period": "2020-11"}).content.decode()
    assert "due by Fri 8 Jan 2021, 3 working days left" in html
    html = client.get(reverse("outstanding"), {"period": "2020-09"}).content.decode()
    assert "Overdue</strong> overdue: was due Wed 14 Oct 2020" in html


def test_a_person_reads_their_notifications_and_marks_them_read(client, lead, member):
    mine = Notification.objects.create(recipient=lead, kind="returned", subject="Returned to you: X", body="Why", url="/my-measures/")
    Notification.objects.create(recipient=lead, kind="published", subject="1 of your figures published", body="Y")
    Notification.objects.create(recipient=member, kind="report", subject="Someone else's", body="Z")
    client.force_login(lead)

    html = client.get(reverse("notifications:list")).content.decode()
    assert "2 unread" in html and "Returned to you: X" in html and "Someone else" not in html
    assert 'href="/my-measures/"' in html

    client.post(reverse("notifications:list"), {"action": "read", "notification": mine.pk})
    assert client.get(reverse("notifications:list")).context["unread"] == 1
    client.post(reverse("notifications:list"), {"action": "read", "notification": "x"})  # ignored
    client.post(reverse("notifications:list"), {"action": "read_all"})
    assert client.get(reverse("notifications:list")).context["unread"] == 0
    assert Notification.objects.get(recipient=member).read_at is None


def test_a_person_chooses_a_daily_digest_and_a_wrong_choice_is_explained(client, lead):
    client.force_login(lead)
    response = client.post(reverse("notifications:list"), {"action": "preference", "email": "digest"})
    assert response.status_code == 302
    assert Preference.objects.get(user=lead).email == Preference.Email.DIGEST
    response = client.post(reverse("notifications:list"), {"action": "preference", "email": "hourly"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_the_bi_team_sees_every_e_mail_sent(client, bi_user, lead):
    SentEmail.objects.create(recipient=lead, address="lead@example.org", kind="reminder", subject="Reminder: 2 figures")
    client.force_login(bi_user)
    html = client.get(reverse("notifications:sent")).content.decode()
    assert "lead@example.org" in html and "Reminder: 2 figures" in html and "reminder" in html


def test_the_jobs_list_and_a_queued_jobs_page(client, bi_user):
    job = Job.objects.create(kind=Job.Kind.IMPORT, description="Import october.csv", created_by=bi_user)
    failed = Job.objects.create(kind=Job.Kind.PAPERS, description="Papers", status=Job.Status.FAILED, error="ValueError: too long")
    client.force_login(bi_user)
    html = client.get(reverse("jobs:list")).content.decode()
    assert "Import october.csv" in html and "ValueError: too long" in html
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Waiting for the background worker to start it" in html and 'http-equiv="refresh"' in html
    html = client.get(failed.get_absolute_url()).content.decode()
    assert "The job failed" in html and 'http-equiv="refresh"' not in html
    assert client.get(reverse("jobs:output", args=[failed.pk])).status_code == 404
