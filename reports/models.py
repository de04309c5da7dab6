"""What the reports keep: a committee's exception report as published for a meeting."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from measures import periods
from measures.models import Committee


class CommitteeSnapshot(models.Model):
    """An exception report as the BI team published it for a committee meeting.

    `rows` holds the report's rows exactly as they were printed (the same dicts the live report's
    table reads), so later corrections to the figures never change the committee's record.
    """

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="snapshots")
    as_at = models.DateField(help_text="The last day of the as-at month.")
    meeting_date = models.DateField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    rows = models.JSONField(default=list)
    red_amber_count = models.PositiveIntegerField()
    other_count = models.PositiveIntegerField(help_text="Green or on track.")
    is_public = models.BooleanField(
        "public", default=False, help_text="Residents may read this report on the public pages.",
    )
    # The committee's paper, laid out when the snapshot is published (reports.views) and served
    # from here: the same bytes every time, however often it is downloaded.
    pdf = models.BinaryField(blank=True, default=b"", editable=False)

    class Meta:
        ordering = ["committee", "-meeting_date", "-published_at"]
        get_latest_by = "published_at"

    def __str__(self):
        return f"{self.committee} meeting {self.meeting_date:%d %B %Y} (as at {self.as_at_label})"

    def get_absolute_url(self):
        return reverse("snapshot_detail", args=[self.pk])

    @property
    def as_at_label(self):
        return periods.month_label(self.as_at)

    @property
    def as_at_param(self):
        return periods.span(periods.MONTH, self.as_at).iso
