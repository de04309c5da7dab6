"""An uploaded file waiting for the BI team to confirm its import, and what the import did."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ImportRun(models.Model):
    """One upload on the import page: the file, the options chosen, and once confirmed, when it
    was imported and the counts of created, changed, unchanged and refused rows."""

    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    mapping = models.CharField(max_length=100, blank=True, help_text="Blank: chosen from the headers.")
    sheet = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, default="draft")
    reason = models.CharField(max_length=300, blank=True)
    keep_reported = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.file_name} uploaded {self.uploaded_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("imports:preview", args=[self.pk])


class SavedMapping(models.Model):
    """A mapping the BI team made in the browser (or uploaded as TOML): named, versioned and
    audited. `toml` is the mapping in the format of the shipped files in imports/mappings/."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    toml = models.TextField()
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("imports:mapping_download", args=[self.slug])
