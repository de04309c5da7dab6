"""The risk scoring rules, as plain functions: no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from risks import scoring
from risks.scoring import ScoringError, Scale

DEFAULTS = [("LOW", 1, 7), ("MEDIUM", 8, 14), ("HIGH", 15, 25)]


def test_score_is_likelihood_times_impact():
    assert scoring.score(3, 4) == 12
    assert scoring.score(5, 5) == 25
    assert scoring.score(1, 1) == 1


@pytest.mark.parametrize("likelihood, impact, message", [
    (0, 3, "The likelihood must be from 1 to 5 (it is 0)."),
    (6, 3, "The likelihood must be from 1 to 5 (it is 6)."),
    (3, 0, "The impact must be from 1 to 5 (it is 0)."),
    (3, 9, "The impact must be from 1 to 5 (it is 9)."),
    (2.5, 3, "The likelihood must be a whole number from 1 to 5."),
    ("3", 3, "The likelihood must be a whole number from 1 to 5."),
    (None, 3, "The likelihood must be a whole number from 1 to 5."),
    (True, 3, "The likelihood must be a whole number from 1 to 5."),
])
def test_score_refuses_ratings_off_the_scale_with_a_clear_message(likelihood, impact, message):
    with pytest.raises(ScoringError) as error:
        scoring.score(likelihood, impact)
    assert str(error.value) == message


def test_a_wider_scale_allows_higher_ratings():
    assert scoring.score(7, 4, Scale(1, 7, 1, 4)) == 28
    with pytest.raises(ScoringError, match="impact must be from 1 to 4"):
        scoring.score(7, 5, Scale(1, 7, 1, 4))


@pytest.mark.parametrize("value, level", [
    (1, "LOW"), (6, "LOW"), (8, "MEDIUM"), (12, "MEDIUM"), (15, "HIGH"), (25, "HIGH"),
])
def test_default_levels_match_the_register(value, level):
    assert scoring.level_for(value, DEFAULTS) == level


@given(st.integers(1, 5), st.integers(1, 5))
def test_every_score_on_the_default_grid_has_exactly_the_registers_level(likelihood, impact):
    value = likelihood * impact
    expected = "LOW" if value <= 6 else "MEDIUM" if value <= 12 else "HIGH"
    assert value not in (7, 13, 14)
    assert scoring.level_for(value, DEFAULTS) == expected


def test_a_score_in_a_gap_between_ranges_is_an_error_naming_the_levels():
    with pytest.raises(ScoringError) as error:
        scoring.level_for(7, [("LOW", 1, 6), ("MEDIUM", 8, 12), ("HIGH", 15, 25)])
    assert str(error.value) == (
        "No risk level covers a score of 7 (the levels are LOW 1-6, MEDIUM 8-12, HIGH 15-25)."
    )


def test_overlapping_or_backwards_ranges_are_refused():
    with pytest.raises(ScoringError, match="LOW and MEDIUM overlap at 6"):
        scoring.level_for(3, [("LOW", 1, 7), ("MEDIUM", 6, 14)])
    with pytest.raises(ScoringError, match="runs backwards"):
        scoring.level_for(3, [("LOW", 7, 1)])


@pytest.mark.parametrize("previous, current, trend", [
    (None, 12, "UNCHANGED"), (12, 12, "UNCHANGED"), (12, 8, "IMPROVING"), (8, 12, "WORSENING"),
])
def test_trend_compares_with_the_previous_score_lower_is_better(previous, current, trend):
    assert scoring.trend_from(previous, current) == trend


@given(st.integers(1, 25), st.integers(1, 25))
def test_swapping_two_scores_swaps_improving_and_worsening(a, b):
    mirrored = {"IMPROVING": "WORSENING", "WORSENING": "IMPROVING", "UNCHANGED": "UNCHANGED"}
    assert scoring.trend_from(a, b) == mirrored[scoring.trend_from(b, a)]
