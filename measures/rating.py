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

Direction of travel (`direction_of_travel`), against the previous figure:
- No trend when either figure is missing or the measure has no polarity.
- Same when the change is no larger than `same_band` (0 by default: only no change is Same).
- Otherwise Improving when the change is the way the polarity says is better, else Worsening.
- A negative `same_band` raises ValueError.

`parse_rag` and `parse_direction` read the ratings as the reports write them.
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
    "worsening": Direction.WORSENING,
    "no trend": Direction.NO_TREND, "": Direction.NO_TREND,
}


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


def parse_rag(text):
    """The RAG status written as Red, R, Amber, A, Green, G, ND or N/D; blank is ND."""
    try:
        return _RAG_WORDS[" ".join(text.split()).lower()]
    except KeyError:
        raise ValueError(
            f"'{text.strip()}' is not a RAG status (use Red, Amber, Green or ND)"
        ) from None


def parse_direction(text):
    """The direction of travel as the reports write it ("Unchanged" and "Marginal change" are Same);
    blank is No trend."""
    try:
        return _DIRECTION_WORDS[" ".join(text.split()).lower()]
    except KeyError:
        raise ValueError(
            f"'{text.strip()}' is not a direction of travel "
            "(use Improving, Same, Unchanged, Marginal change, Worsening or No trend)"
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
