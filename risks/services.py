"""Writes to the risk register, each inside one transaction."""

from django.db import transaction

from measures.publication import published_changed
from risks import scoring
from risks.models import Risk, RiskLevelThreshold, RiskReview, RiskScale


def current_scale():
    row = RiskScale.current()
    return scoring.Scale(row.likelihood_min, row.likelihood_max, row.impact_min, row.impact_max)


def current_thresholds():
    """The levels' score ranges as stored; the register's defaults when none are stored."""
    stored = [(t.level, t.min_score, t.max_score) for t in RiskLevelThreshold.objects.all()]
    return stored or list(scoring.DEFAULT_THRESHOLDS)


@transaction.atomic
def record_review(risk, reviewed_on, likelihood, impact, note="", next_review=None):
    """Record a review of `risk` and bring its current likelihood, impact, level and trend up
    to date. A second review on the same day replaces the first. Raises ScoringError, saving
    nothing, when the likelihood or impact is off the scale."""
    value = scoring.score(likelihood, impact, current_scale())
    RiskReview.objects.update_or_create(
        risk=risk, reviewed_on=reviewed_on,
        defaults={"likelihood": likelihood, "impact": impact, "score": value, "note": note,
                  "level": "", "trend": scoring.UNCHANGED},
    )
    if next_review is not None:
        risk.review_date = next_review
    _rescore(risk, current_thresholds())
    return risk


@transaction.atomic
def rescore_all():
    """Re-level every reviewed risk after the thresholds changed. Risks never reviewed keep the
    level they were given (as reported)."""
    thresholds = current_thresholds()
    for risk in Risk.objects.filter(reviews__isnull=False).distinct():
        _rescore(risk, thresholds)


def _rescore(risk, thresholds):
    """Rate the reviews of `risk` in date order (each trend compares with the review before),
    then give the risk the latest review's ratings."""
    reviews = list(risk.reviews.order_by("reviewed_on", "pk"))
    previous = None
    for review in reviews:
        review.level = scoring.level_for(review.score, thresholds)
        review.trend = scoring.trend_from(previous, review.score)
        previous = review.score
    RiskReview.objects.bulk_update(reviews, ["level", "trend"])
    latest = reviews[-1]
    risk.likelihood, risk.impact = latest.likelihood, latest.impact
    risk.level, risk.trend = latest.level, latest.trend
    risk.save()
    published_changed()
