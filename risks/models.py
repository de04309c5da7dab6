"""The corporate risk register, held beside the measures and mapped to the framework."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from measures.models import Outcome, PopulationIndicator


class Risk(models.Model):
    """A corporate risk: scored likelihood x impact, rated HIGH, MEDIUM or LOW."""

    class Level(models.TextChoices):
        HIGH = "HIGH", "High"
        MEDIUM = "MEDIUM", "Medium"
        LOW = "LOW", "Low"

    class Trend(models.TextChoices):
        IMPROVING = "IMPROVING", "Improving"
        UNCHANGED = "UNCHANGED", "Unchanged"
        WORSENING = "WORSENING", "Worsening"

    code = models.CharField(max_length=20, unique=True, help_text="e.g. 01c, 07i, CS04")
    title = models.CharField(max_length=400)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    trend = models.CharField(max_length=10, choices=Trend.choices, default=Trend.UNCHANGED)
    mitigations = models.TextField(blank=True)
    review_date = models.DateField(null=True, blank=True)
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="risks")
    population_indicators = models.ManyToManyField(
        PopulationIndicator, blank=True, related_name="risks"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def score(self):
        if self.likelihood is None or self.impact is None:
            return None
        return self.likelihood * self.impact
