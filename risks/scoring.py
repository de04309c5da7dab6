"""Risk scoring rules: score, level and trend, as plain functions.

- A score is likelihood x impact, each a whole number within its scale (1-5 by default).
- The level is the one whose score range (both ends inclusive) holds the score; ranges come
  from the data (risks.models.RiskLevelThreshold), passed in as (level, min_score, max_score).
  A score no range holds is an error that names the gap, never a silent guess.
- The trend compares a score with the previous review's: lower is IMPROVING, higher is
  WORSENING, equal (or no previous review) is UNCHANGED.
"""

from dataclasses import dataclass

IMPROVING, UNCHANGED, WORSENING = "IMPROVING", "UNCHANGED", "WORSENING"
# The register's levels (Low 1-6, Medium 8-12, High 15-25) as contiguous ranges; the data
# migration stores these, and they apply only while no ranges are stored.
DEFAULT_THRESHOLDS = (("LOW", 1, 7), ("MEDIUM", 8, 14), ("HIGH", 15, 25))


class ScoringError(ValueError):
    """A likelihood, impact or threshold that the register's scoring cannot use."""


@dataclass(frozen=True)
class Scale:
    likelihood_min: int = 1
    likelihood_max: int = 5
    impact_min: int = 1
    impact_max: int = 5


def check_rating(name, value, low, high):
    """`value` as a whole number within low-high, or ScoringError saying what is allowed."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScoringError(f"The {name} must be a whole number from {low} to {high}.")
    if not low <= value <= high:
        raise ScoringError(f"The {name} must be from {low} to {high} (it is {value}).")
    return value


def score(likelihood, impact, scale=Scale()):
    """likelihood x impact, after checking each against the scale."""
    check_rating("likelihood", likelihood, scale.likelihood_min, scale.likelihood_max)
    check_rating("impact", impact, scale.impact_min, scale.impact_max)
    return likelihood * impact


def check_thresholds(thresholds):
    """Refuse ranges that are back to front or that overlap: a score must map to one level."""
    ordered = sorted(thresholds, key=lambda t: t[1])
    for level, low, high in ordered:
        if low > high:
            raise ScoringError(f"The range for {level} runs backwards ({low} to {high}).")
    for (level_a, _, high_a), (level_b, low_b, _) in zip(ordered, ordered[1:]):
        if low_b <= high_a:
            raise ScoringError(f"The ranges for {level_a} and {level_b} overlap at {low_b}.")
    return ordered


def level_for(value, thresholds):
    """The level whose range holds the score `value`."""
    for level, low, high in check_thresholds(thresholds):
        if low <= value <= high:
            return level
    ranges = ", ".join(f"{level} {low}-{high}" for level, low, high in check_thresholds(thresholds))
    raise ScoringError(f"No risk level covers a score of {value} (the levels are {ranges or 'not set'}).")


def trend_from(previous_score, current_score):
    """IMPROVING when the score fell since the previous review, WORSENING when it rose."""
    if previous_score is None or previous_score == current_score:
        return UNCHANGED
    return IMPROVING if current_score < previous_score else WORSENING
