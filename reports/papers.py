"""A committee's papers as PDF, laid out by the background worker (jobs.services.KINDS) rather
than while a member waits: the snapshot's PDF, kept on the job for download."""

from urllib.parse import urlsplit

from django.conf import settings
from django.test import RequestFactory

from reports.models import CommitteeSnapshot


def render_committee_papers(job, progress):
    from reports.views import SnapshotDetailView

    snapshot = CommitteeSnapshot.objects.select_related("committee").get(pk=job.params["snapshot"])
    site = urlsplit(settings.PERFHUB_URL)
    request = RequestFactory().get(
        snapshot.get_absolute_url(), {"format": "pdf"}, SERVER_NAME=site.hostname,
        SERVER_PORT=str(site.port or (443 if site.scheme == "https" else 80)),
        secure=site.scheme == "https",
    )
    request.user = job.created_by
    progress(0, 1)
    response = SnapshotDetailView.as_view()(request, pk=snapshot.pk)
    if response.get("Content-Type") != "application/pdf":
        raise ValueError("the report is too long to lay out as a PDF in bounded time")
    job.output = response.content
    job.output_name = f"exception-report-{snapshot.committee.slug}-meeting-{snapshot.meeting_date}.pdf"
    job.save(update_fields=["output", "output_name"])
    progress(1, 1)
    return f"The papers for the {snapshot} are ready.", snapshot.get_absolute_url()
