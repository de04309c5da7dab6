"""Statistical process control: XmR charts, special-cause signals, variation and assurance.

RAG compares one figure with a target; SPC asks first whether the figure is news at all. A
measure's own variation sets its process limits, and only points the rules below pick out
(special cause variation) are signals. Plain functions of plain values: no Django here.

Sources followed:
- NHS England / Improvement, "Making Data Count: Getting started" (2019) and "Making Data
  Count: Strengthening your decisions" (2021), and the Making Data Count SPC spreadsheet tool:
  the XmR chart, the four rules, the variation and assurance icons.
- The NHS-R community's NHSRplotthedots R package (github.com/nhs-r-community/NHSRplotthedots),
  `ptd_spc_standard`, `ptd_calculate_point_type` and `ptd_calculate_assurance_type`: the exact
  arithmetic, run lengths and edge cases, and the worked examples in our tests.

The XmR chart (`xmr_limits`), on a baseline of the first `baseline_points` points (all, if None):
- mean of the baseline; moving ranges |x[i] - x[i-1]| within the baseline; their mean (MR-bar).
- Screening (optional, on by default as in NHSRplotthedots and the spreadsheet): moving ranges
  at or above 3.267 x MR-bar (the moving range chart's upper limit) are dropped and MR-bar is
  worked out again from the rest, once.
- process limits: mean +/- 2.66 x MR-bar; the 2-sigma lines: mean +/- (2/3 x 2.66) x MR-bar.
Rebasing: change points split the series into segments; each segment has its own baseline and
limits. A segment with fewer than `minimum_points` points gets no limits and no signals
(NHSRplotthedots warns below 12 points that its limits are only trial limits).

Special-cause rules (`special_causes`), each point tested against its own segment's limits:
- LIMIT: a point above the upper or below the lower process limit.
- SHIFT: a run of `shift_length` (7) or more points all above or all below the mean; a point
  on the mean breaks the run. Every point of the run is flagged.
- TREND: a run of `trend_length` (7) or more points each higher (or each lower) than the one
  before; a repeated figure breaks the run. Every point of the run is flagged.
- TWO_OF_THREE: two of three consecutive points beyond the same 2-sigma line (but inside the
  process limit), all three on the same side of the mean; the points beyond the line are flagged.

Each flagged point is high or low by the first rule that flags it, in NHSRplotthedots' order
since its pull request #180 (after the Making Data Count spreadsheet): beyond a limit, by its side
of the mean; in a trend, by the trend's direction; two of three or a run, by its side of the mean.
Centre, limits and every comparison are exact (Decimals), so a figure equal to the mean is on it
and breaks a run. A gap (missing periods) breaks moving ranges, runs, trends and windows of three. With a polarity, high is improvement when higher is better and
concern when lower is better (and the other way round for low); with no polarity a signal is
neither ("special cause of neither improving nor concerning nature").

Variation (`analyse(...).variation`) is the last point's: common cause, or special cause of an
improving / concerning / neither nature, high or low: the Making Data Count variation icons.
Assurance is the target in force at the last point against the last segment's limits:
consistently passing when the whole process lies on the good side of the target (higher is
better and the lower limit is above the target), consistently failing when it lies wholly on the
bad side, hit and miss when the target is between the limits; none without a target, without a
polarity or without limits.
"""

from dataclasses import dataclass, field
from decimal import Context, Decimal
from enum import StrEnum

# The constants of the XmR chart: 3 / d2 (d2 = 1.128 for ranges of two points), D4.
LIMIT_FACTOR = 2.66
TWO_SIGMA_FACTOR = LIMIT_FACTOR * 2 / 3
MOVING_RANGE_SCREEN = 3.267
# The same, exact: centre, limits and every comparison are worked in decimal arithmetic, so that
# a figure equal to the mean is on it (floats make the mean of 49.2s 49.199999999999996).
EXACT = Context(prec=50)
_LIMIT = Decimal("2.66")
_TWO_SIGMA = EXACT.divide(_LIMIT * 2, 3)
_SCREEN = Decimal("3.267")

# Named settings (NHSRplotthedots' and the Making Data Count spreadsheet's defaults).
BASELINE_POINTS = 20
MINIMUM_POINTS = 12
SHIFT_LENGTH = 7
TREND_LENGTH = 7

HIGHER = "higher"
LOWER = "lower"


class Rule(StrEnum):
    LIMIT = "limit"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"

    @property
    def label(self):
        return RULE_LABELS[self]


RULE_LABELS = {
    Rule.LIMIT: "beyond a process limit",
    Rule.SHIFT: "run on one side of the mean",
    Rule.TREND: "run of rising or falling points",
    Rule.TWO_OF_THREE: "two of three near a limit",
}


class Nature(StrEnum):
    """What a signal (or the variation) means for the service."""

    COMMON = "common"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"


class Assurance(StrEnum):
    PASSING = "passing"
    FAILING = "failing"
    HIT_AND_MISS = "hit-and-miss"

    @property
    def label(self):
        return ASSURANCE_LABELS[self]


@dataclass(frozen=True)
class Settings:
    """How a measure's chart is drawn; `baseline_points` None means every point of a segment."""

    baseline_points: int | None = BASELINE_POINTS
    screen_moving_ranges: bool = True
    minimum_points: int = MINIMUM_POINTS
    shift_length: int = SHIFT_LENGTH
    trend_length: int = TREND_LENGTH

    def __post_init__(self):
        if self.baseline_points is not None and self.baseline_points < 2:
            raise ValueError("A baseline needs at least 2 points (it has a moving range to average)")
        if self.minimum_points < 2:
            raise ValueError("The minimum number of points is at least 2")


def exact(number):
    """`number` (a Decimal, int or float) as a Decimal, a float by its shortest decimal form."""
    if isinstance(number, Decimal):
        return number
    if isinstance(number, float):
        return Decimal(repr(number))
    return Decimal(number)


@dataclass(frozen=True)
class Limits:
    """A segment's centre line and mean moving range, kept exact (Decimals); `mean`, `upper` and
    the rest are floats for drawing, the `exact_` ones are what the rules compare with."""

    exact_mean: Decimal
    exact_moving_range: Decimal

    exact_upper: Decimal = field(init=False, repr=False, compare=False)
    exact_lower: Decimal = field(init=False, repr=False, compare=False)
    exact_upper_two_sigma: Decimal = field(init=False, repr=False, compare=False)
    exact_lower_two_sigma: Decimal = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        mean, spread = exact(self.exact_mean), exact(self.exact_moving_range)
        object.__setattr__(self, "exact_mean", mean)
        object.__setattr__(self, "exact_moving_range", spread)
        # Worked out once: the rules compare every point with them.
        for name, factor in (("exact_upper", _LIMIT), ("exact_lower", -_LIMIT),
                             ("exact_upper_two_sigma", _TWO_SIGMA), ("exact_lower_two_sigma", -_TWO_SIGMA)):
            object.__setattr__(self, name, EXACT.add(mean, EXACT.multiply(factor, spread)))

    @property
    def mean(self):
        return float(self.exact_mean)

    @property
    def mean_moving_range(self):
        return float(self.exact_moving_range)

    @property
    def upper(self):
        return float(self.exact_upper)

    @property
    def lower(self):
        return float(self.exact_lower)

    @property
    def upper_two_sigma(self):
        return float(self.exact_upper_two_sigma)

    @property
    def lower_two_sigma(self):
        return float(self.exact_lower_two_sigma)


@dataclass(frozen=True)
class Variation:
    """The Making Data Count variation icon: its nature, and high or low ('' for common cause)."""

    nature: Nature
    side: str = ""  # "high" or "low"

    @property
    def label(self):
        if self.nature == Nature.COMMON:
            return "Common cause variation: no signal"
        values = "higher" if self.side == "high" else "lower"
        return f"Special cause variation {NATURE_WORDS[self.nature]}: {values} values"


NATURE_WORDS = {
    Nature.IMPROVEMENT: "of an improving nature",
    Nature.CONCERN: "of a concerning nature",
    Nature.NEITHER: "of neither improving nor concerning nature",
}

ASSURANCE_LABELS = {
    Assurance.PASSING: "The process will consistently pass the target",
    Assurance.FAILING: "The process will consistently fail the target",
    Assurance.HIT_AND_MISS: "The process will hit and miss the target at random",
}


@dataclass
class Point:
    value: float
    segment: int
    limits: Limits | None
    rules: set = field(default_factory=set)
    nature: Nature = Nature.COMMON
    side: str = ""


@dataclass
class Analysis:
    points: list[Point]
    variation: Variation | None
    assurance: Assurance | None
    reason: str = ""  # why there is no chart, when there is none

    @property
    def has_limits(self):
        return any(p.limits for p in self.points)


def moving_ranges(values, gaps=()):
    """|x[i] - x[i-1]| for each point after the first, but none across a gap (a point at an
    index in `gaps` follows missing periods)."""
    return [abs(b - a) for i, (a, b) in enumerate(zip(values, values[1:]), 1) if i not in gaps]


def _mean(numbers):
    return EXACT.divide(sum(numbers, Decimal(0)), len(numbers))


def xmr_limits(values, baseline_points=BASELINE_POINTS, screen=True, gaps=()):
    """The mean and mean moving range of the first `baseline_points` values (all if None),
    exactly; no moving range spans a gap."""
    baseline = [exact(v) for v in (values if baseline_points is None else values[:baseline_points])]
    if len(baseline) < 2:
        raise ValueError("Process limits need at least 2 points")
    ranges = moving_ranges(baseline, gaps) or [Decimal(0)]
    mean_range = _mean(ranges)
    if screen:
        kept = [r for r in ranges if r < _SCREEN * mean_range]
        mean_range = _mean(kept) if kept else mean_range
    return Limits(_mean(baseline), mean_range)


def _runs(flags, length, gaps=()):
    """Marks every point of each run of at least `length` equal, non-zero flags; a gap (an
    index in `gaps`) ends a run."""
    marked = [False] * len(flags)
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start] or i in gaps:
            if flags[start] and i - start >= length:
                marked[start:i] = [True] * (i - start)
            start = i
    return marked


def _beyond_two_sigma(value, limits):
    """1 or -1 for a point beyond the upper or lower 2-sigma line but inside the limits, else 0."""
    if value > limits.exact_upper or value < limits.exact_lower:
        return 0
    return (value > limits.exact_upper_two_sigma) - (value < limits.exact_lower_two_sigma)


def special_causes(values, limits, shift_length=SHIFT_LENGTH, trend_length=TREND_LENGTH, gaps=()):
    """For each value, the rules that flag it and its side ("high", "low" or "").

    A point is high or low by the first of these that flags it (NHSRplotthedots' order since
    its pull request #180, after the Making Data Count spreadsheet): beyond a limit, by its
    side of the mean; in a trend, by the trend's direction; two of three near a limit or a run
    on one side of the mean, by its side of the mean. No run, trend or window of three spans a
    gap (a point at an index in `gaps` follows missing periods).
    """
    values = [exact(v) for v in values]
    gaps = set(gaps)
    n = len(values)
    rules = [set() for _ in values]
    sides = [""] * n
    relative = [(v > limits.exact_mean) - (v < limits.exact_mean) for v in values]
    near = [_beyond_two_sigma(v, limits) for v in values]
    for i, v in enumerate(values):
        if v > limits.exact_upper or v < limits.exact_lower:
            rules[i].add(Rule.LIMIT)
    for i, marked in enumerate(_runs(relative, shift_length, gaps)):
        if marked:
            rules[i].add(Rule.SHIFT)
    # A step into a point after a gap is no step: it starts afresh.
    steps = [0] + [0 if i in gaps else (b > a) - (b < a) for i, (a, b) in enumerate(zip(values, values[1:]), 1)]
    # A run of k rising steps covers k + 1 points, the first of which began the run.
    trend_side = [""] * n
    for i, marked in enumerate(_runs(steps, trend_length - 1)):
        if marked:
            side = "high" if steps[i] > 0 else "low"
            for j in (i - 1, i):
                rules[j].add(Rule.TREND)
                trend_side[j] = side
    for start in range(n - 2):
        window = near[start:start + 3]
        if window.count(0) > 1 or start + 1 in gaps or start + 2 in gaps:
            continue  # fewer than two points beyond a 2-sigma line: most windows stop here
        for sign in (1, -1):
            if window.count(sign) >= 2 and relative[start:start + 3] == [sign] * 3:
                for j in range(start, start + 3):
                    if near[j] == sign:
                        rules[j].add(Rule.TWO_OF_THREE)
    for i in range(n):
        if Rule.TREND in rules[i] and Rule.LIMIT not in rules[i]:
            sides[i] = trend_side[i]
        elif rules[i]:
            sides[i] = "high" if relative[i] > 0 else "low"
    return list(zip(rules, sides))


def nature(side, polarity):
    """Improvement, concern or neither, for a signal on `side` of a measure of `polarity`."""
    if not side:
        return Nature.COMMON
    if polarity not in (HIGHER, LOWER):
        return Nature.NEITHER
    good = "high" if polarity == HIGHER else "low"
    return Nature.IMPROVEMENT if side == good else Nature.CONCERN


def assurance(target, limits, polarity):
    """Whether the process as it runs consistently passes, fails, or hits and misses `target`."""
    if target is None or limits is None or polarity not in (HIGHER, LOWER):
        return None
    target = exact(target)
    if limits.exact_lower <= target <= limits.exact_upper:
        return Assurance.HIT_AND_MISS
    above_target = limits.exact_lower > target
    return Assurance.PASSING if above_target == (polarity == HIGHER) else Assurance.FAILING


def segments(count, change_points):
    """Segment numbers for `count` points, a new segment starting at each index in `change_points`."""
    starts = {i for i in change_points if 0 < i < count}
    numbers, current = [], 0
    for i in range(count):
        current += i in starts
        numbers.append(current)
    return numbers


def analyse(values, polarity, target=None, change_points=(), settings=Settings(), gaps=()):
    """The XmR chart of `values` (oldest first) with its signals, variation and assurance.

    `change_points` are the indexes of the points where the process was rebased; `target` is
    the target in force at the last point; `gaps` are the indexes of the points that follow
    missing periods (NHSRplotthedots expects a series without gaps: here no moving range, run,
    trend or window of three spans one).
    """
    exact_values = [exact(v) for v in values]
    values = [float(v) for v in exact_values]
    gaps = set(gaps)
    if len(values) < settings.minimum_points:
        reason = (
            f"An SPC chart needs at least {settings.minimum_points} figures; "
            f"this measure has {len(values)}."
        )
        return Analysis([Point(v, 0, None) for v in values], None, None, reason)
    numbers = segments(len(values), change_points)
    points = []
    for number in sorted(set(numbers)):
        first = numbers.index(number)
        part = [v for v, s in zip(exact_values, numbers) if s == number]
        part_gaps = {i - first for i in gaps if first < i < first + len(part)}
        if len(part) < settings.minimum_points:
            points.extend(Point(float(v), number, None) for v in part)
            continue
        limits = xmr_limits(part, settings.baseline_points, settings.screen_moving_ranges, part_gaps)
        flagged = special_causes(part, limits, settings.shift_length, settings.trend_length, part_gaps)
        for v, (rules, side) in zip(map(float, part), flagged):
            points.append(Point(v, number, limits, rules, nature(side, polarity), side))
    last = points[-1]
    if last.limits is None:
        reason = (
            f"Too few figures since the last change point for new process limits "
            f"(at least {settings.minimum_points} are needed)."
        )
        return Analysis(points, None, None, reason)
    return Analysis(
        points,
        Variation(last.nature, last.side),
        assurance(target, last.limits, polarity),
    )
