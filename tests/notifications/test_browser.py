"""The notifications, e-mails sent, jobs and unsubscribe pages in a real headless Chromium: axe."""

import pytest

from jobs.models import Job
from notifications.delivery import unsubscribe_url
from notifications.models import Notification, SentEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_new_pages_pass_axe(sign_in, bi_user, axe, page):
    Notification.objects.create(recipient=bi_user, kind="submitted", subject="Lee submitted 3 figures for Oct-20",
                                body="- Delayed transfers of care", url="/approvals/?period=2020-10", digest=True)
    SentEmail.objects.create(recipient=bi_user, address="bi@example.org", kind="digest", subject="Your daily digest")
    done = Job.objects.create(kind=Job.Kind.IMPORT, description="Import october.csv", status=Job.Status.DONE,
                              done=2, total=2, result="october.csv is imported: 2 created.", result_url="/imports/")
    failed = Job.objects.create(kind=Job.Kind.PAPERS, description="Papers", status=Job.Status.FAILED,
                                error="ValueError: too long")
    rerating = Job.objects.create(kind=Job.Kind.RATE_MEASURES, description="Re-rate 3 measures: Bands agreed",
                                  status=Job.Status.FAILED, done=200, total=300,
                                  error="ValueError: The floor (90) must not be above the target (80)")
    sign_in(bi_user.username)
    for path in ("/notifications/", "/notifications/sent/", "/jobs/", done.get_absolute_url(), failed.get_absolute_url(),
                 rerating.get_absolute_url()):
        page.goto(path)
        axe(page)
    page.goto("/notifications/")
    page.click("text=Mark all as read")
    assert page.locator("#unread-count").inner_text() == "0 unread"
    page.goto(unsubscribe_url(bi_user).removeprefix("http://127.0.0.1:8000"))
    axe(page)
    page.click("text=Stop the e-mails")
    assert "You will get no more" in page.locator("#unsubscribed").inner_text()
    axe(page)
