"""The corporate risk register, held beside the measures and mapped to the framework.

A risk is scored likelihood x impact on the scale in `RiskScale`; its level follows from the
score through the ranges in `RiskLevelThreshold`. Both are data, changed by the BI team, not
code. Each review of a risk is a `RiskReview`: the history of its score. Risks brought in from a
report without a score (the demo's) keep the level and trend the report gives them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from measures.models import BoundedTextField, Outcome, PopulationIndicator


class Level(models.TextChoices):
    HIGH = "HIGH", "High"
    MEDIUM = "MEDIUM", "Medium"
    LOW = "LOW", "Low"


class Trend(models.TextChoices):
    IMPROVING = "IMPROVING", "Improving"
    UNCHANGED = "UNCHANGED", "Unchanged"
    WORSENING = "WORSENING", "Worsening"


class RiskQuerySet(models.QuerySet):
    def for_outcome(self, outcome):
        """Risks mapped to the outcome itself or to one of its population indicators."""
        return self.filter(
            models.Q(outcomes=outcome) | models.Q(population_indicators__outcome=outcome)
        ).distinct()

    def review_overdue(self, today=None):
        return self.filter(review_date__lt=today or timezone.localdate())


class Risk(models.Model):
    """A corporate risk: scored likelihood x impact, rated HIGH, MEDIUM or LOW."""

    Level = Level
    Trend = Trend

    code = models.CharField(max_length=20, unique=True, help_text="e.g. 01c, 07i, CS04")
    title = models.CharField(max_length=400)
    description = BoundedTextField(blank=True, max_length=4000)
    cause = BoundedTextField("source or cause", blank=True, max_length=4000)
    consequence = BoundedTextField(blank=True, max_length=4000)
    owner = models.CharField(max_length=200, blank=True)
    directorate = models.CharField(max_length=200, blank=True)
    annual_exposure = models.DecimalField(
        "estimated annual financial exposure (£)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    lifetime_exposure = models.DecimalField(
        "estimated lifetime financial exposure (£)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    # The scale's bounds are data (RiskScale), so they are checked by risks.scoring, not here.
    likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    impact = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.CharField(
        max_length=10, choices=Level.choices, blank=True,
        help_text="Blank for a register that gives no level and no likelihood x impact.",
    )
    trend = models.CharField(max_length=10, choices=Trend.choices, default=Trend.UNCHANGED)
    mitigations = BoundedTextField(blank=True, max_length=4000)
    review_date = models.DateField(
        null=True, blank=True, help_text="When the risk is next due for review."
    )
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="risks")
    population_indicators = models.ManyToManyField(
        PopulationIndicator, blank=True, related_name="risks"
    )

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("risks:detail", args=[self.code])

    @property
    def score(self):
        if self.likelihood is None or self.impact is None:
            return None
        return self.likelihood * self.impact

    def is_review_overdue(self, today=None):
        return self.review_date is not None and self.review_date < (today or timezone.localdate())


class RiskScale(models.Model):
    """The scale likelihood and impact are scored on (1-5 each by default). One row."""

    likelihood_min = models.PositiveSmallIntegerField(default=1)
    likelihood_max = models.PositiveSmallIntegerField(default=5)
    impact_min = models.PositiveSmallIntegerField(default=1)
    impact_max = models.PositiveSmallIntegerField(default=5)

    class Meta:
        verbose_name = "risk scale"

    def __str__(self):
        return (
            f"Likelihood {self.likelihood_min}-{self.likelihood_max}, "
            f"impact {self.impact_min}-{self.impact_max}"
        )

    def clean(self):
        if self.likelihood_min > self.likelihood_max or self.impact_min > self.impact_max:
            raise ValidationError("The lowest point of a scale cannot be above its highest.")
        if self.likelihood_min < 1 or self.impact_min < 1:
            raise ValidationError("Scales start at 1 or above.")

    @classmethod
    def current(cls):
        """The scale in force: the one row, or the default 1-5 scales when there is none."""
        return cls.objects.order_by("pk").first() or cls()


class RiskLevelThreshold(models.Model):
    """A level and the range of scores, both inclusive, that give it."""

    level = models.CharField(max_length=10, choices=Level.choices, unique=True)
    min_score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["min_score"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_score__gte=models.F("min_score")),
                name="threshold_range_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.min_score}-{self.max_score}"

    def clean(self):
        if self.min_score is not None and self.max_score is not None and self.min_score > self.max_score:
            raise ValidationError({"max_score": "The highest score cannot be below the lowest."})


class RiskReview(models.Model):
    """One review of a risk: its likelihood and impact then, with the score, level and trend
    they gave. The reviews of a risk are the history of its score."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=Level.choices)
    trend = models.CharField(max_length=10, choices=Trend.choices, default=Trend.UNCHANGED)
    note = BoundedTextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["risk", "reviewed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "reviewed_on"], name="review_unique_risk_day"),
        ]

    def __str__(self):
        return f"{self.risk.code} reviewed {self.reviewed_on}: {self.score} {self.level}"
