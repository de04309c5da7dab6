"""Recording risk reviews: scores, levels from the thresholds in the data, trends from history."""

from datetime import date

import pytest

from risks import services
from risks.models import Risk, RiskLevelThreshold, RiskReview, RiskScale
from risks.scoring import ScoringError
from tests.factories import RiskFactory

pytestmark = pytest.mark.django_db


def test_the_default_scale_and_thresholds_are_seeded_as_data():
    assert [(t.level, t.min_score, t.max_score) for t in RiskLevelThreshold.objects.all()] == [
        ("LOW", 1, 7), ("MEDIUM", 8, 14), ("HIGH", 15, 25),
    ]
    scale = RiskScale.objects.get()
    assert (scale.likelihood_min, scale.likelihood_max, scale.impact_min, scale.impact_max) == (1, 5, 1, 5)


def test_a_review_scores_the_risk_and_sets_its_level():
    risk = RiskFactory(level=Risk.Level.LOW)
    services.record_review(risk, date(2018, 9, 1), likelihood=4, impact=4, note="Funding gap")
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.score, risk.level) == (4, 4, 16, "HIGH")
    review = risk.reviews.get()
    assert (review.score, review.level, review.trend, review.note) == (16, "HIGH", "UNCHANGED", "Funding gap")


def test_changing_the_thresholds_in_the_data_changes_the_levels():
    risk = RiskFactory()
    services.record_review(risk, date(2018, 9, 1), likelihood=3, impact=4)
    risk.refresh_from_db()
    assert risk.level == "MEDIUM"

    RiskLevelThreshold.objects.filter(level="MEDIUM").update(max_score=11)
    RiskLevelThreshold.objects.filter(level="HIGH").update(min_score=12)
    services.rescore_all()
    risk.refresh_from_db()
    assert risk.level == "HIGH"
    assert risk.reviews.get().level == "HIGH"

    other = RiskFactory()
    services.record_review(other, date(2018, 9, 1), likelihood=2, impact=5)
    other.refresh_from_db()
    assert (other.score, other.level) == (10, "MEDIUM")


def test_a_risk_never_reviewed_keeps_its_reported_level_when_thresholds_change():
    reported = RiskFactory(level=Risk.Level.HIGH)
    RiskLevelThreshold.objects.filter(level="HIGH").update(min_score=20)
    services.rescore_all()
    reported.refresh_from_db()
    assert (reported.level, reported.score) == ("HIGH", None)


def test_trend_follows_the_score_history_in_date_order():
    risk = RiskFactory()
    services.record_review(risk, date(2018, 3, 1), likelihood=3, impact=3)   # 9
    services.record_review(risk, date(2018, 9, 1), likelihood=4, impact=4)   # 16
    risk.refresh_from_db()
    assert risk.trend == "WORSENING"

    services.record_review(risk, date(2019, 3, 1), likelihood=2, impact=4)   # 8
    risk.refresh_from_db()
    assert (risk.score, risk.trend, risk.level) == (8, "IMPROVING", "MEDIUM")

    # A review back-dated between two others is rated against the one before it, and the one
    # after it is re-rated against it; the risk keeps the latest review's ratings.
    services.record_review(risk, date(2018, 6, 1), likelihood=5, impact=5)   # 25
    trends = list(risk.reviews.order_by("reviewed_on").values_list("score", "trend"))
    assert trends == [(9, "UNCHANGED"), (25, "WORSENING"), (16, "IMPROVING"), (8, "IMPROVING")]
    risk.refresh_from_db()
    assert (risk.score, risk.trend) == (8, "IMPROVING")


@pytest.mark.parametrize("likelihood, impact, message", [
    (6, 2, "The likelihood must be from 1 to 5 (it is 6)."),
    (2, 0, "The impact must be from 1 to 5 (it is 0)."),
])
def test_a_rating_off_the_scale_is_refused_and_nothing_is_saved(likelihood, impact, message):
    risk = RiskFactory(level=Risk.Level.LOW)
    with pytest.raises(ScoringError) as error:
        services.record_review(risk, date(2018, 9, 1), likelihood, impact)
    assert str(error.value) == message
    assert not RiskReview.objects.exists()
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.level) == (None, None, "LOW")


def test_a_wider_scale_in_the_data_allows_higher_ratings():
    RiskScale.objects.update(likelihood_max=6)
    risk = RiskFactory()
    services.record_review(risk, date(2018, 9, 1), likelihood=6, impact=4)
    risk.refresh_from_db()
    assert (risk.score, risk.level) == (24, "HIGH")


def test_each_change_to_a_risk_is_kept_in_its_history():
    risk = RiskFactory(level=Risk.Level.LOW)
    services.record_review(risk, date(2018, 9, 1), likelihood=5, impact=4)
    levels = list(risk.history.order_by("history_date").values_list("level", "likelihood"))
    assert levels == [("LOW", None), ("HIGH", 5)]
