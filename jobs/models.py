"""Long work done by the background worker (an import, re-rating, a committee's papers), and
what became of it: the row the job's page and the BI team's list of jobs read."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Job(models.Model):
    """One piece of long work: what to do (`kind` and `params`), where it has got to, and how it
    ended. The database is the record; the worker's queue only carries the job's id, so a job
    whose worker died is found here and queued again (jobs.services.recover)."""

    class Kind(models.TextChoices):
        IMPORT = "import", "Import a file"
        RATE_MEASURES = "rate_measures", "Re-rate measures"
        PAPERS = "papers", "A committee's papers (PDF)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    description = models.CharField(max_length=300)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    result = models.TextField(blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    output = models.BinaryField(blank=True, default=b"", editable=False)
    output_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"], name="job_status")]

    def __str__(self):
        return f"{self.description} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
