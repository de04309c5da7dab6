"""Ratings of a measure's value: the RAG status and the direction of travel.

**The rating rule** (`rate`, the one function every door calls: the data entry pages, the
approvals, the admin, the importer, the framework pages and suggest_bands). A measure's `Rule`
has a kind and two bands, each a percentage of the target (`PERCENT`: 10 means 10% of |target|)
or a figure in the measure's own unit (`UNITS`):
- ND (no data) when there is no value, no target, or the measure has no polarity.
- The **green band**: a value short of its target by no more than the green band is still Green
  (0, the default: only a target met is Green). The edge of the band is Green.
- `TOLERANCE` (bands): a value short of its target by no more than the **amber band** (today's
  tolerance) is Amber (the edge is Amber); further short, Red. The amber band is measured from the
  target, like the green one: an amber band no wider than the green band leaves no Amber (a
  council that calls anything short of target Red has both bands 0).
- `FLOOR` (two targets): the target is the *stretch target* and the floor the *minimum
  standard*: Green at the stretch target (or within the green band of it), Amber down to the
  minimum standard (the minimum itself is Amber), Red beyond it. ND without a floor. A floor on
  the better side of the target is a mistake and raises ValueError.
- `REPORTED`: no rule applies; the RAG is the one reported.
- Lower is better mirrors higher is better (it is higher is better on the negated scale).
- A negative band raises ValueError. A band in percent of a target of 0 has no width: say so where
  the rule is set (`rule_problems`) and offer a band in units.
`suggest_rag` and `suggest_rag_floor` are `rate` for the two rules without a green band.
Where a council gives a target and a floor but no polarity, their order gives it
(`polarity_from_floor`): a floor below the target means higher is better.
The reported rating is partly judgement: an authorised person may override the suggestion.

**Direction of travel** (`direction_of_travel`), against the figure the measure compares with
(`compared_figure` picks it by the measure's basis: the previous figure, the same period a year
earlier, a fixed baseline, or the target):
- No trend when either figure is missing or the measure has no polarity.
- Same when the change is no larger than the same band (0 by default: only no change is Same),
  in units or as a percentage of the figure compared with.
- Otherwise Improving when the change is the way the polarity says is better, else Worsening.
- A negative same band raises ValueError.

`parse_rag` and `parse_direction` read the ratings as the reports write them; councils that
write the direction as a colour are read with `colours=True` (Green = Improving, Amber = Same,
Red = Worsening).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models


# The override reason recorded on figures loaded from a council's published papers, where the
# paper's own rating is kept: pages say so once, in a legend, rather than on every row. The
# importer names the file: "As reported in <file>" (imports.figures).
AS_REPORTED = "As reported"
AS_REPORTED_IN = f"{AS_REPORTED} in "


def as_reported(reason):
    """Whether an override reason keeps the rating a council's paper printed."""
    return reason == AS_REPORTED or (reason or "").startswith(AS_REPORTED_IN)


def as_reported_q(field="override_reason"):
    """`as_reported` as a database filter on `field`."""
    return models.Q(**{field: AS_REPORTED}) | models.Q(**{f"{field}__startswith": AS_REPORTED_IN})


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
# How a band is given: a percentage of the target (or of the figure compared with), or a figure
# in the measure's own unit.
PERCENT, UNITS = "percent", "units"
# Measure.Basis's values: what the direction of travel compares with.
PREVIOUS, YEAR_AGO, BASELINE, TARGET = "previous", "year_ago", "baseline", "target"


@dataclass(frozen=True)
class Rule:
    """A measure's rating rule: its kind and its bands (see the module docstring)."""

    kind: str = TOLERANCE
    amber: Decimal = Decimal(10)
    amber_unit: str = PERCENT
    green: Decimal = Decimal(0)
    green_unit: str = PERCENT

    def __post_init__(self):
        if self.kind not in (TOLERANCE, FLOOR, REPORTED):
            raise ValueError(f"{self.kind!r} is not a rating rule ({TOLERANCE}, {FLOOR} or {REPORTED})")
        for name, band, unit in (("green", self.green, self.green_unit), ("amber", self.amber, self.amber_unit)):
            if band < 0:
                raise ValueError(f"The {name} band cannot be negative (it is {band})")
            if unit not in (PERCENT, UNITS):
                raise ValueError(f"{unit!r} is not a way to give a band ({PERCENT} or {UNITS})")

    def describe(self, unit=""):
        """The rule in words, as the pages and suggest_bands print it."""
        if self.kind == REPORTED:
            return "the RAG as reported"
        green = (f"Green within {band_text(self.green, self.green_unit, unit)} short of the target"
                 if self.green else "Green at the target")
        if self.kind == FLOOR:
            return f"{green}, Amber down to the minimum standard (floor), Red beyond"
        if self.amber_width_never_beyond_green():
            return f"{green}, Red beyond (no amber band)"
        return f"{green}, Amber within {band_text(self.amber, self.amber_unit, unit)}, Red beyond"

    def amber_width_never_beyond_green(self):
        """Whether the amber band can never reach beyond the green one, whatever the target."""
        return self.amber == 0 or (self.amber_unit == self.green_unit and self.amber <= self.green)


def band_text(band, unit_of_band, unit=""):
    number = format(band.normalize(), "f") if isinstance(band, Decimal) else str(band)
    if unit_of_band == PERCENT:
        return f"{number}%"
    return f"{number} {'percentage points' if unit == '%' else 'units'}".rstrip()


def band_width(band, unit, target):
    """How far from `target` a band reaches, in the measure's unit."""
    return abs(target) * band / 100 if unit == PERCENT else band


def rate(value, target, polarity, rule=Rule(), floor=None, reported=RAG.ND):
    """The RAG status of `value` against `target` (and, for the two-target rule, the minimum
    standard `floor`) under `rule`; see the module docstring. Every door calls this."""
    if rule.kind == REPORTED:
        return RAG(reported or RAG.ND)
    polarity = Polarity(polarity)
    if value is None or target is None or polarity == Polarity.NONE:
        return RAG.ND
    if rule.kind == FLOOR and floor is None:
        return RAG.ND
    green = band_width(rule.green, rule.green_unit, target)
    amber = band_width(rule.amber, rule.amber_unit, target)
    if polarity == Polarity.LOWER:
        # Lower is better is higher is better on the negated scale.
        value, target, floor = -value, -target, (None if floor is None else -floor)
    if rule.kind == FLOOR and floor > target:
        better = "above" if polarity == Polarity.HIGHER else "below"
        raise ValueError(
            f"The floor ({abs(floor)}) must not be {better} the target ({abs(target)}) "
            f"when {polarity.label.lower()}"
        )
    if value >= target - green:
        return RAG.GREEN
    if rule.kind == FLOOR:
        return RAG.AMBER if value >= floor else RAG.RED
    return RAG.AMBER if value >= target - amber else RAG.RED


def suggest_rag(value, target, polarity, tolerance):
    """`rate` with an amber band of `tolerance` per cent and no green band."""
    return rate(value, target, polarity, Rule(TOLERANCE, tolerance))


def suggest_rag_floor(value, target, floor, polarity):
    """`rate` against a target and a minimum standard (floor), with no green band."""
    return rate(value, target, polarity, Rule(FLOOR), floor)


def rule_problems(rule, targets, polarity):
    """What is wrong with `rule` for a measure with these `targets` (figures) and `polarity`:
    messages to show where the rule is set, [] when there is nothing."""
    problems = []
    if rule.kind == REPORTED or Polarity(polarity) == Polarity.NONE:
        return problems
    if rule.kind == TOLERANCE and rule.amber_unit == rule.green_unit and 0 < rule.amber < rule.green:
        problems.append(
            f"The amber band ({band_text(rule.amber, rule.amber_unit)}) is narrower than the green band "
            f"({band_text(rule.green, rule.green_unit)}): both are measured from the target, so it would "
            "leave no Amber. Make it at least as wide, or 0 for no Amber."
        )
    in_percent = [name for name, band, unit, used in (
        ("green", rule.green, rule.green_unit, True),
        ("amber", rule.amber, rule.amber_unit, rule.kind == TOLERANCE),
    ) if used and band and unit == PERCENT]
    if in_percent and any(target == 0 for target in targets if target is not None):
        problems.append(
            f"A target of 0 makes {'an' if in_percent[0] == 'amber' else 'a'} {' and '.join(in_percent)} "
            "band in per cent no band at all "
            "(a percentage of 0 is 0). Give the band in units instead (for example 2 units short "
            "of the target)."
        )
    return problems


def polarity_from_floor(target, floor):
    """The polarity a target and a floor imply: higher is better when the floor is below the
    target, lower is better when above; None when they are equal or either is missing."""
    if target is None or floor is None or target == floor:
        return None
    return Polarity.HIGHER if floor < target else Polarity.LOWER


def compared_figure(basis, previous, year_earlier, baseline, target):
    """The figure a value's direction of travel compares with, by the measure's basis."""
    return {PREVIOUS: previous, YEAR_AGO: year_earlier, BASELINE: baseline, TARGET: target}[basis]


def direction_of_travel(current, compared, polarity, same_band=Decimal(0), same_unit=UNITS):
    """Whether `current` is better, the same or worse than `compared`, given the polarity; a
    change within `same_band` (units, or with PERCENT a percentage of |compared|) is Same."""
    if same_band < 0:
        raise ValueError(f"The band for Same cannot be negative (it is {same_band})")
    polarity = Polarity(polarity)
    if current is None or compared is None or polarity == Polarity.NONE:
        return Direction.NO_TREND
    change = current - compared
    if abs(change) <= band_width(same_band, same_unit, compared):
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
