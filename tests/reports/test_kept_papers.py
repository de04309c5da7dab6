"""Committee papers laid out at most once per published state (issue 19): the exception and
outcome report PDFs are kept under the page cache's version, a publish retires them, and a
snapshot's PDF is laid out when it is published and served from the snapshot ever after.
Renders are counted on WeasyPrint itself (the real layout runs)."""

from datetime import date

import pytest
import weasyprint

from reports.models import CommitteeSnapshot
from reports.pdf import pdf_bytes
from risks import services as risk_services
from risks.models import Risk

EXCEPTION_PDF = "/reports/exception/?committee=people-and-health&as_at=2020-10&format=pdf"
OUTCOME_PDF = "/reports/outcomes/independent/?as_at=2018-09&format=pdf"


@pytest.fixture
def renders(monkeypatch):
    """How many times WeasyPrint has laid out a document in this test."""
    count = []
    lay_out = weasyprint.HTML.render

    def counted(self, *args, **kwargs):
        count.append(1)
        return lay_out(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    return count


def pdf_of(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_the_exception_report_pdf_is_laid_out_once_until_something_is_published(
        demo_council, client, member, renders, django_assert_max_num_queries):
    client.force_login(member)
    first = pdf_of(client.get(EXCEPTION_PDF))
    assert len(renders) == 1
    with django_assert_max_num_queries(4):  # the session, the user, the form's committee; no report
        again = pdf_of(client.get(EXCEPTION_PDF))
    assert again == first and len(renders) == 1

    # Reviewing a risk publishes (measures.publication.published_changed): the paper is retired.
    risk_services.record_review(Risk.objects.order_by("pk").first(), date(2020, 10, 1), likelihood=2, impact=2)
    pdf_of(client.get(EXCEPTION_PDF))
    assert len(renders) == 2


def test_the_kept_pdf_is_shared_by_everyone_who_may_read_it(demo_council, client, member, bi_user, renders):
    client.force_login(member)
    pdf_of(client.get(EXCEPTION_PDF))
    client.force_login(bi_user)
    pdf_of(client.get(EXCEPTION_PDF))
    assert len(renders) == 1


def test_another_committee_or_month_is_another_paper(demo_council, client, member, renders):
    client.force_login(member)
    pdf_of(client.get(EXCEPTION_PDF))
    pdf_of(client.get(EXCEPTION_PDF.replace("2020-10", "2020-09")))
    assert len(renders) == 2


def test_the_outcome_report_pdf_is_laid_out_once(demo_council, client, member, renders):
    client.force_login(member)
    first = pdf_of(client.get(OUTCOME_PDF))
    assert pdf_of(client.get(OUTCOME_PDF)) == first
    assert len(renders) == 1


def test_with_the_page_cache_off_every_request_lays_out_its_pdf(demo_council, client, member, renders, settings):
    settings.PERFHUB_PAGE_CACHE = False
    client.force_login(member)
    pdf_of(client.get(EXCEPTION_PDF))
    pdf_of(client.get(EXCEPTION_PDF))
    assert len(renders) == 2


def test_a_snapshots_pdf_is_laid_out_when_published_and_served_from_it(
        demo_council, client, bi_user, renders, rf, django_capture_on_commit_callbacks, settings):
    settings.PERFHUB_URL = "http://testserver"  # the worker lays it out for the site's own address
    client.force_login(bi_user)
    with django_capture_on_commit_callbacks(execute=True):  # the worker's papers job lays it out
        response = client.post("/reports/snapshots/publish/", {
            "committee": "people-and-health", "as_at": "2020-10", "meeting_date": "2020-11-20",
        })
    assert response.status_code == 302
    snapshot = CommitteeSnapshot.objects.get()
    assert len(renders) == 1 and bytes(snapshot.pdf).startswith(b"%PDF")

    url = snapshot.get_absolute_url()
    client.get(url)  # shows (and so clears) the "Published" message
    served = [pdf_of(client.get(url, {"format": "pdf"})) for _ in range(2)]
    assert served == [bytes(snapshot.pdf)] * 2 and len(renders) == 1

    # What the snapshot's page lays out today is what was kept.
    request = rf.get(url, {"format": "pdf"})
    html = client.get(url, {"format": "html"}).content.decode()
    assert pdf_bytes(html, request) == bytes(snapshot.pdf)


def test_the_outcome_reports_page_is_kept_until_something_is_published(
        demo_council, client, member, django_assert_max_num_queries):
    client.force_login(member)
    url = OUTCOME_PDF.replace("&format=pdf", "")
    first = client.get(url)
    assert first.context["report"] is not None
    # The session, the user, the outcome, the kept page (one get_many) and the navigation's
    # permission look-ups; none of the report's.
    with django_assert_max_num_queries(6):
        again = client.get(url)
    assert again.context["report"] is None
    def report_part(response):  # the header's sign-out form carries a fresh CSRF token
        return response.content.split(b'<div class="app-report">', 1)[1]

    assert report_part(again) == report_part(first)
    risk_services.record_review(Risk.objects.order_by("pk").first(), date(2018, 9, 1), likelihood=2, impact=2)
    assert client.get(url).context["report"] is not None
