"""Ratings of a measure's value: the suggested RAG status and the direction of travel.

Suggested RAG (`suggest_rag`), with `tolerance` a percentage of the target (10 means 10%):
- ND (no data) when there is no value, no target, or the measure has no polarity.
- band = |target| x tolerance / 100.
- Higher is better: Green when value >= target; Amber when value >= target - band (the edge
  of the band is Amber); otherwise Red.
- Lower is better mirrors it: Green when value <= target; Amber when value <= target + band;
  otherwise Red.
- A negative tolerance is a mistake and raises ValueError.
The reported rating is partly judgement: an authorised person may override the suggestion.

Against a floor (`suggest_rag_floor`), an absolute amber threshold set beside the target:
- ND when there is no value, no target, no floor, or the measure has no polarity.
- Green when the target is met (the target itself is Green).
- Amber when the value is between the floor and the target (the floor itself is Amber).
- Red beyond the floor. Lower is better mirrors it.
- A floor on the better side of the target is a mistake and raises ValueError.
Where a council gives a target and a floor but no polarity, their order gives it
(`polarity_from_floor`): a floor below the target means higher is better.

`suggest_rag_by_rule` picks the rule a measure uses (Measure.RatingRule): the tolerance, the
floor, or "reported only", where no rule applies and the RAG is the one reported.

Direction of travel (`direction_of_travel`), against the previous figure:
- No trend when either figure is missing or the measure has no polarity.
- Same when the change is no larger than `same_band` (0 by default: only no change is Same).
- Otherwise Improving when the change is the way the polarity says is better, else Worsening.
- A negative `same_band` raises ValueError.

`parse_rag` and `parse_direction` read the ratings as the reports write them; councils that
write the direction as a colour are read with `colours=True` (Green = Improving, Amber = Same,
Red = Worsening).
"""

from decimal import Decimal

from django.db import models


# The override reason recorded on figures loaded from a council's published papers, where the
# paper's own rating is kept: pages say so once, in a legend, rather than on every row.
AS_REPORTED = "As reported"


class RAG(models.TextChoices):
    RED = "Red", "Red"
    AMBER = "Amber", "Amber"
    GREEN = "Green", "Green"
    ND = "ND", "No data"


class Direction(models.TextChoices):
    IMPROVING = "Improving", "Improving"
    SAME = "Same", "Same"
    WORSENING = "Worsening", "Worsening"
    NO_TREND = "No trend", "No trend"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NONE = "none", "No polarity (no target appropriate)"


_RAG_WORDS = {
    "red": RAG.RED, "r": RAG.RED,
    "amber": RAG.AMBER, "a": RAG.AMBER,
    "green": RAG.GREEN, "g": RAG.GREEN,
    "nd": RAG.ND, "n/d": RAG.ND, "no data": RAG.ND, "": RAG.ND,
}
_DIRECTION_WORDS = {
    "improving": Direction.IMPROVING,
    "same": Direction.SAME, "unchanged": Direction.SAME, "marginal change": Direction.SAME,
    "no change": Direction.SAME,
    "worsening": Direction.WORSENING,
    "no trend": Direction.NO_TREND, "": Direction.NO_TREND,
}
DIRECTION_COLOURS = {
    "green": Direction.IMPROVING, "g": Direction.IMPROVING,
    "amber": Direction.SAME, "a": Direction.SAME, "yellow": Direction.SAME,
    "red": Direction.WORSENING, "r": Direction.WORSENING,
    "grey": Direction.NO_TREND, "gray": Direction.NO_TREND,
}
# Measure.RatingRule's values; spelled here so that the rules need no model.
TOLERANCE, FLOOR, REPORTED = "tolerance", "floor", "reported"


def suggest_rag(value, target, polarity, tolerance):
    """The RAG status the rules suggest for `value` against `target` (see the module docstring)."""
    if tolerance < 0:
        raise ValueError(f"The RAG tolerance cannot be negative (it is {tolerance})")
    polarity = Polarity(polarity)
    if value is None or target is None or polarity == Polarity.NONE:
        return RAG.ND
    band = abs(target) * tolerance / 100
    if polarity == Polarity.LOWER:
        # Lower is better is higher is better on the negated scale.
        value, target = -value, -target
    if value >= target:
        return RAG.GREEN
    if value >= target - band:
        return RAG.AMBER
    return RAG.RED


def suggest_rag_floor(value, target, floor, polarity):
    """The RAG status against a target and an absolute amber threshold (see the module docstring)."""
    polarity = Polarity(polarity)
    if value is None or target is None or floor is None or polarity == Polarity.NONE:
        return RAG.ND
    if polarity == Polarity.LOWER:
        value, target, floor = -value, -target, -floor
    if floor > target:
        better = "above" if polarity == Polarity.HIGHER else "below"
        raise ValueError(
            f"The floor ({abs(floor)}) must not be {better} the target ({abs(target)}) "
            f"when {polarity.label.lower()}"
        )
    if value >= target:
        return RAG.GREEN
    if value >= floor:
        return RAG.AMBER
    return RAG.RED


def polarity_from_floor(target, floor):
    """The polarity a target and a floor imply: higher is better when the floor is below the
    target, lower is better when above; None when they are equal or either is missing."""
    if target is None or floor is None or target == floor:
        return None
    return Polarity.HIGHER if floor < target else Polarity.LOWER


def suggest_rag_by_rule(rule, value, target, polarity, tolerance, floor=None, reported=RAG.ND):
    """The RAG status under the measure's rating rule: the tolerance, the floor, or (reported
    only) the `reported` rating as it is."""
    if rule == TOLERANCE:
        return suggest_rag(value, target, polarity, tolerance)
    if rule == FLOOR:
        return suggest_rag_floor(value, target, floor, polarity)
    if rule == REPORTED:
        return RAG(reported or RAG.ND)
    raise ValueError(f"{rule!r} is not a rating rule ({TOLERANCE}, {FLOOR} or {REPORTED})")


def direction_of_travel(current, previous, polarity, same_band=Decimal(0)):
    """Whether `current` is better, the same or worse than `previous`, given the polarity."""
    if same_band < 0:
        raise ValueError(f"The band for Same cannot be negative (it is {same_band})")
    polarity = Polarity(polarity)
    if current is None or previous is None or polarity == Polarity.NONE:
        return Direction.NO_TREND
    change = current - previous
    if abs(change) <= same_band:
        return Direction.SAME
    better = change > 0 if polarity == Polarity.HIGHER else change < 0
    return Direction.IMPROVING if better else Direction.WORSENING


def rag_words(rag, figure=None, target=None, polarity=None):
    """What a RAG tag says: the rating, or for ND why there is none. ND beside a real figure is
    not "No data": the figure is there, it is not rated (no target, or no polarity)."""
    if rag in (RAG.RED, RAG.AMBER, RAG.GREEN):
        return str(rag)
    if figure is None:
        return RAG.ND.label
    if polarity == Polarity.NONE:
        return "Not rated (no polarity)"
    if target is None:
        return "Not rated (no target)"
    return "Not rated"


# How charts and counts name ND, where there may be figures without a rating among them.
RAG_CHART_NAMES = {RAG.RED: "Red", RAG.AMBER: "Amber", RAG.GREEN: "Green", RAG.ND: "No data or not rated"}


def parse_rag(text):
    """The RAG status written as Red, R, Amber, A, Green, G, ND or N/D; blank is ND."""
    try:
        return _RAG_WORDS[" ".join(text.split()).lower()]
    except KeyError:
        raise ValueError(
            f"'{text.strip()}' is not a RAG status (use Red, Amber, Green or ND)"
        ) from None


def parse_direction(text, colours=False):
    """The direction of travel as the reports write it ("Unchanged" and "Marginal change" are Same);
    blank is No trend. With `colours`, a colour names it too: Green is Improving, Amber Same,
    Red Worsening, Grey No trend."""
    words = {**_DIRECTION_WORDS, **DIRECTION_COLOURS} if colours else _DIRECTION_WORDS
    try:
        return words[" ".join(text.split()).lower()]
    except KeyError:
        colour_hint = ", or a colour (Green, Amber, Red, Grey)" if colours else ""
        raise ValueError(
            f"'{text.strip()}' is not a direction of travel "
            f"(use Improving, Same, Unchanged, Marginal change, Worsening or No trend{colour_hint})"
        ) from None


def direction_words(text):
    """The words a report gave for a direction of travel, to show in their place where they say
    more than the direction's name: "MARGINAL CHANGE" is Same, kept as "Marginal change"; "same"
    or "Improving" keep nothing (""). Raises ValueError as parse_direction does."""
    direction = parse_direction(text)
    words = " ".join(text.split())
    if words.lower() in (direction.label.lower(), direction.value.lower(), "unchanged"):
        return ""
    return words.capitalize()
