"""Rating bands learnt from a council's published ratings (issue 17).

Given published ratings (a figure, its target and minimum standard, the measure's polarity and
the RAG the council published), `suggest` finds the simplest rating rule (measures.rating.Rule)
that reproduces them all, the range of bands consistent with them, and, where no single rule
explains them, the ratings it cannot explain, each named with the figures it contradicts
("73.4/75 Green but 72.8/76 Amber").

How. For a rule in a family (bands in per cent of the target, or in the measure's units; or the
two-target rule, Amber down to the minimum standard) each rating has a *shortfall*, how far its
figure falls short of its target on that scale (negative: the target is beaten). A rule with
green band G and amber band A rates a shortfall x Green when x <= G, Amber when G < x <= A, Red
beyond (the two-target rule: Amber at or above the minimum standard). So the best G and A are
among the shortfalls themselves: one sweep over them, in order, finds the rule that explains the
most ratings (O(n log n)). Among the rules that explain as many, the simplest wins: no bands at
all (anything short of target is Red), then one band (amber only, as PerfHub's tolerance; or
the minimum standard alone), then a green band, then both; per cent before units; the measure's
own rule before any other. Within the range a band may take, the roundest figure is chosen
(5 rather than 4.37). Whatever is chosen is checked by rating every figure again with
`rating.rate`, the one rule every door uses: a suggestion never claims what the rule does not do.

Plain functions on plain values: measures.framework reads the ratings from the database and
applies a suggestion.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import ceil

from measures.rating import FLOOR, PERCENT, RAG, TOLERANCE, UNITS, Polarity, Rule, rate

INFINITY = None  # a shortfall no percentage band reaches (short of a target of 0)
RATED = (RAG.GREEN, RAG.AMBER, RAG.RED)
# Band sizes tried for the roundest figure in a range, largest first.
STEPS = [Decimal(n) for n in ("1000", "500", "100", "50", "10", "5", "1", "0.5", "0.1", "0.05",
                              "0.01", "0.005", "0.001", "0.0001")]


@dataclass(frozen=True)
class Rating:
    """One published rating: the figure, its target (and minimum standard), and the RAG the
    council gave it; `label` names it in a contradiction (its period, or measure and period)."""

    value: Decimal | None
    target: Decimal | None
    polarity: str
    published: str
    floor: Decimal | None = None
    label: str = ""

    @property
    def figures(self):
        shown = f"{_plain(self.value)}/{_plain(self.target)}"
        return f"{self.label}: {shown}" if self.label else shown


@dataclass
class Suggestion:
    """The rule suggested for some ratings, what it explains and what it cannot."""

    rule: Rule
    ratings: list
    explained: list = field(default_factory=list)
    contradictions: list = field(default_factory=list)  # (Rating, text)
    green_range: tuple | None = None  # (lowest, highest or None): lowest included, highest not
    amber_range: tuple | None = None

    @property
    def agrees(self):
        return len(self.explained)

    @property
    def consistent(self):
        return not self.contradictions

    def range_text(self, unit=""):
        """The bands consistent with the ratings explained, in words."""
        words = []
        for name, span, band_unit in (("green", self.green_range, self.rule.green_unit),
                                      ("amber", self.amber_range, self.rule.amber_unit)):
            if span is None:
                continue
            low, high = span
            scale = "%" if band_unit == PERCENT else (" percentage points" if unit == "%" else " units")
            low_text = f"{_round_text(low)}{scale}"
            words.append(f"{name} band from {low_text}" + (
                f" up to (not including) {_round_text(high)}{scale}" if high is not None else " or more"))
        return "; ".join(words)


def shortfall(rating, unit):
    """How far the figure falls short of its target on the scale of `unit` (PERCENT: of the
    target), as a Fraction; INFINITY for a figure short of a target of 0 in per cent."""
    gap = Fraction(rating.target) - Fraction(rating.value)
    if rating.polarity == Polarity.LOWER:
        gap = -gap
    if unit == UNITS:
        return gap
    if rating.target == 0:
        return gap if gap <= 0 else INFINITY
    return gap * 100 / abs(Fraction(rating.target))


def _within_floor(rating):
    """Whether the figure is at or on the better side of its minimum standard."""
    if rating.polarity == Polarity.LOWER:
        return rating.value <= rating.floor
    return rating.value >= rating.floor


def _bandable(rating):
    """Whether bands decide the rating at all (a figure, a target and a polarity)."""
    return rating.value is not None and rating.target is not None and rating.polarity != Polarity.NONE


# The families of rules, simplest first: (kind, unit of the green band).
FAMILIES = [(TOLERANCE, PERCENT), (TOLERANCE, UNITS), (FLOOR, PERCENT), (FLOOR, UNITS)]


def _fit(ratings, kind, unit):
    """The thresholds (G, A) of the family that explain the most `ratings`, for each shape of
    rule the family has: [(count explained, simplicity, G, A)], simplicity 0 the simplest."""
    items = []  # (shortfall, published RAG, whether the minimum standard agrees with it)
    for rating in ratings:
        if rating.published not in RATED or not _bandable(rating):
            continue
        if kind == FLOOR and rating.floor is None:
            continue
        # Under two targets Amber or Red is decided by the minimum standard, not by a band.
        fits = kind != FLOOR or rating.published == RAG.GREEN or (
            (rating.published == RAG.AMBER) == _within_floor(rating))
        items.append((shortfall(rating, unit), rating.published, fits))
    thresholds = sorted({Fraction(0)} | {x for x, _, _ in items if x is not None and x > 0})
    # How many of each kind of rating lie at or below each threshold (INFINITY: above them all).
    kinds = (RAG.GREEN, RAG.AMBER, RAG.RED, "fits")
    below = {key: [] for key in kinds}
    total = dict.fromkeys(kinds, 0)
    ordered = sorted((x, r, fits) for x, r, fits in items if x is not None)
    running, i = dict.fromkeys(kinds, 0), 0
    for t in thresholds:
        while i < len(ordered) and ordered[i][0] <= t:
            _, published, fits = ordered[i]
            running[published] += 1
            running["fits"] += published != RAG.GREEN and fits
            i += 1
        for key in kinds:
            below[key].append(running[key])
    for _, published, fits in items:
        total[published] += 1
        total["fits"] += published != RAG.GREEN and fits
    indexes = range(len(thresholds))
    if kind == FLOOR:
        # count(G) = greens at or below G + ambers and reds beyond G on the right side of the floor
        count = [below[RAG.GREEN][k] + total["fits"] - below["fits"][k] for k in indexes]
        best = max(indexes, key=lambda k: (count[k], -k))
        return [(count[0], 1, thresholds[0], thresholds[0]), (count[best], 3, thresholds[best], thresholds[best])]
    # count(G, A) = greens at or below G + ambers in (G, A] + reds beyond A
    #             = [greens(G) - ambers(G)] + [ambers(A) - reds(A) + all reds]
    f = [below[RAG.GREEN][k] - below[RAG.AMBER][k] for k in indexes]
    h = [below[RAG.AMBER][k] - below[RAG.RED][k] + total[RAG.RED] for k in indexes]
    zero = thresholds[0]
    shapes = [(f[0] + h[0], 0, zero, zero)]  # no bands
    best_a = max(indexes, key=lambda k: (f[0] + h[k], -k))
    shapes.append((f[0] + h[best_a], 2, zero, thresholds[best_a]))  # an amber band only
    best_g = max(indexes, key=lambda k: (f[k] + h[k], -k))
    shapes.append((f[best_g] + h[best_g], 3, thresholds[best_g], thresholds[best_g]))  # a green band only
    best, pair, best_f, best_f_at = None, None, None, None
    for k in indexes:  # both: the best G at or below each A, in one sweep
        if best_f is None or f[k] > best_f:
            best_f, best_f_at = f[k], k
        if best is None or best_f + h[k] > best:
            best, pair = best_f + h[k], (best_f_at, k)
    shapes.append((best, 4, thresholds[pair[0]], thresholds[pair[1]]))
    return shapes


def _explained_at(kind, unit, green, amber, rating):
    """Whether thresholds `green` and `amber` (Fractions, on the scale of `unit`) of a rule of
    `kind` give `rating` its published RAG."""
    if rating.published not in RATED or not _bandable(rating):
        return False
    if kind == FLOOR and rating.floor is None:
        return False
    x = shortfall(rating, unit)
    if x is not None and x <= green:
        return rating.published == RAG.GREEN
    if kind == FLOOR:
        return rating.published != RAG.GREEN and (rating.published == RAG.AMBER) == _within_floor(rating)
    if x is not None and x <= amber:
        return rating.published == RAG.AMBER
    return rating.published == RAG.RED


def explained_by(rule, ratings):
    """The ratings `rule` reproduces, as rating.rate rates them."""
    found = []
    for rating in ratings:
        try:
            if rate(rating.value, rating.target, rating.polarity, rule, rating.floor) == rating.published:
                found.append(rating)
        except ValueError:  # a minimum standard on the wrong side of its target: no rule rates it
            pass
    return found


def suggest(ratings, prefer=(), families=FAMILIES):
    """The simplest rule reproducing the most of `ratings` (a list of Rating), preferring the
    rules of `prefer` in order (the measure's own, the council's) where one does as well; with
    the ranges of its bands and the contradictions it leaves."""
    ratings = list(ratings)
    candidates = [(len(explained_by(rule, ratings)), i - len(prefer), 0, rule) for i, rule in enumerate(prefer)]
    for index, (kind, unit) in enumerate(families):
        if kind == FLOOR and not any(r.floor is not None for r in ratings):
            continue
        for count, simplicity, green, amber in _fit(ratings, kind, unit):
            candidates.append((count, simplicity, index, (kind, unit, green, amber)))
    # The most explained; then the simplest; then the earlier family. A fitted rule is built
    # from the thresholds, then checked with rating.rate, and so may explain fewer: best first.
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    best = None
    for count, _, _, chosen in candidates:
        if best is not None and count <= best.agrees:
            break
        if isinstance(chosen, Rule):
            found = describe(chosen, ratings)
        else:
            kind, unit, green, amber = chosen
            explained = [r for r in ratings if _explained_at(kind, unit, green, amber, r)]
            found = describe(_roundest_rule(kind, unit, explained, prefer), ratings)
        if best is None or found.agrees > best.agrees:
            best = found
    return best


def describe(rule, ratings):
    """What `rule` makes of `ratings`: what it explains, the ranges of its bands consistent with
    them, and a contradiction named for each rating it does not explain."""
    explained = explained_by(rule, ratings)
    suggestion = Suggestion(rule, ratings, explained)
    green_range, amber_range = _ranges(rule.kind, rule.green_unit, explained)
    suggestion.green_range = green_range
    suggestion.amber_range = amber_range if rule.amber_unit == rule.green_unit else None
    kept = set(map(id, explained))
    suggestion.contradictions = [
        (rating, contradiction(rating, rule, ratings)) for rating in ratings if id(rating) not in kept
    ]
    return suggestion


def _ranges(kind, unit, explained):
    """The ranges of the green and amber bands (on the scale of `unit`) that still reproduce
    every rating in `explained`: (lowest included, highest excluded or None), or None."""
    if kind not in (TOLERANCE, FLOOR):
        return None, None
    positions = [(shortfall(r, unit), r.published) for r in explained if r.published in RATED and _bandable(r)]
    if not positions:
        return None, None
    greens = [x for x, r in positions if r == RAG.GREEN]
    worse = [x for x, r in positions if r != RAG.GREEN and x is not None]
    green = (max([Fraction(0), *greens]), min(worse, default=None))
    if kind == FLOOR:
        return green, None
    ambers = [x for x, r in positions if r == RAG.AMBER]
    reds = [x for x, r in positions if r == RAG.RED and x is not None]
    amber = (max(ambers), min(reds, default=None)) if ambers else None
    return green, amber


def _roundest_rule(kind, unit, explained, prefer=()):
    """A rule of `kind` with bands in `unit` reproducing every rating of `explained`, each band
    the band of a `prefer` rule where that lies in its range (so a suggestion changes no more
    than it must), else the roundest figure its range allows (0 where 0 does)."""
    green_range, amber_range = _ranges(kind, unit, explained)

    def pick(span, kept):
        low, high = span
        for band in kept:
            if low <= band and (high is None or band < high):
                return band
        return _roundest(low, high)

    green = pick(green_range, [r.green for r in prefer if r.green_unit == unit]) if green_range else Decimal(0)
    amber = Decimal(0)
    if kind == TOLERANCE and amber_range is not None:
        low, high = amber_range
        amber = pick((max(low, Fraction(green)), high),
                     [r.amber for r in prefer if r.kind == TOLERANCE and r.amber_unit == unit])
    return Rule(kind, amber, unit, green, unit)


def _roundest(low, high):
    """The roundest Decimal at least `low` and below `high` (None: no upper bound), 0 if 0 is."""
    if low <= 0:
        return Decimal(0)
    if high is None:
        high = low * 2 + 1
    for step in STEPS:
        candidate = ceil(low / Fraction(step)) * step
        if Fraction(candidate) < high:
            return candidate.quantize(Decimal(1)) if candidate == candidate.to_integral() else candidate
    return Decimal(ceil(low * 10**4)) / 10**4  # as finely as a measure keeps a band


def contradiction(rating, rule, ratings):
    """Why `rule` cannot give `rating` the RAG the council published, in the figures' words:
    another rating it contradicts, or what the rating lacks."""
    said = f"{rating.figures} {rating.published}"
    if rating.published == RAG.ND:
        return f"{said}, though it has a figure, a target and a polarity that every rule rates"
    if rating.value is None:
        return f"{rating.label + ': ' if rating.label else ''}no figure, yet published {rating.published}"
    if rating.target is None:
        return f"{said}, though it has no target to be rated against"
    if rating.polarity == Polarity.NONE:
        return f"{said}, though the measure has no polarity (no target is appropriate)"
    unit = rule.green_unit
    x = shortfall(rating, unit)
    if x is not None and x <= 0 and rating.published != RAG.GREEN:
        return f"{said}, though it meets its target"
    if rule.kind == FLOOR:
        if rating.floor is None:
            return f"{said}, with no minimum standard to rate it against"
        if rating.published == RAG.AMBER and not _within_floor(rating):
            return f"{said}, though beyond its minimum standard of {_plain(rating.floor)}"
        if rating.published == RAG.RED and _within_floor(rating):
            return f"{said}, though within its minimum standard of {_plain(rating.floor)}"
    rank = {RAG.RED: 0, RAG.AMBER: 1, RAG.GREEN: 2}

    def position(other):
        try:
            return shortfall(other, unit)
        except TypeError:
            return None

    others = [(position(o), o) for o in ratings if o is not rating and o.published in RATED and _bandable(o)]
    others = [(p, o) for p, o in others if p is not None]
    far = x if x is not None else float("inf")
    # The rule rates it worse than published: widening the band to take it in would take in a
    # nearer figure rated worse. Better than published: narrowing it would lose a further
    # figure rated better.
    given = rate(rating.value, rating.target, rating.polarity, rule, rating.floor)
    if given in rank and rank[given] < rank[rating.published]:
        nearer_worse = [(p, o) for p, o in others if p <= far and rank[o.published] < rank[rating.published]]
        if nearer_worse:
            _, other = max(nearer_worse, key=lambda pair: pair[0])
            return f"{said} but {other.figures} {other.published}"
    elif given in rank:
        further_better = [(p, o) for p, o in others if p >= far and rank[o.published] > rank[rating.published]]
        if further_better:
            _, other = min(further_better, key=lambda pair: pair[0])
            return f"{other.figures} {other.published} but {said}"
    return f"{said}: no single rule gives it with the others ({rule.describe()})"


def _plain(number):
    if number is None:
        return "no figure"
    return f"{Decimal(number).normalize():f}"


def _round_text(fraction):
    if fraction is None:
        return ""
    exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    return f"{exact.quantize(Decimal('0.01')).normalize():f}" if fraction.denominator != 1 else str(fraction.numerator)
