"""Target profiles and year-end forecasts (issue 21).

**Profiles** spread a year's target over its months in one step:
- even: the same share each month;
- cumulative: month by month, the target to date (the last month's is the year's target);
- last year's shape: each month's share of last year's total (even where last year has none).
The monthly shares always add up to the year's target exactly: rounding is kept to the places
PerfHub stores and the remainder goes to the last month.

**Forecasts** of where a measure ends the year, from the year to date, each labelled:
- by the profile: the year's target scaled by how the year to date compares with the profile to
  date (on profile: the target; 10% behind: 10% short), with a range from the best and worst
  months' ratios. For a summed measure the profile is the year's target spread over its months;
  for a mean, each month's level (the year's target every month where the months have none);
- by the trend: a straight line through the year's months so far (least squares), carried on to
  the year's end and combined by the measure's aggregation (added up, averaged, or the last
  month's), with a range of two residual standard deviations. A measure rolled up from its
  numerator and denominator has a line through each part: the forecast is the year's summed
  numerators over its summed denominators, never a line through the rates.
Each forecast's label names its method and, by the trend, how the months combine.
A measure whose year-end figure is its last month's, or a ratio of its parts, is forecast by the
trend only: a profile of targets says where the year's total or level should be month by month,
but a snapshot's year end is one month's figure, and a ratio's target is set on the rate, not on
its numerator and denominator, so neither has a share of the year's target to compare with.
`forecast_misses` says whether a forecast misses the year-end target, given the polarity.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from measures.derived import PLACES

EVEN, CUMULATIVE, LAST_YEAR = "even", "cumulative", "last_year"
PROFILES = {EVEN: "Even", CUMULATIVE: "Cumulative (target to date)", LAST_YEAR: "In last year's shape"}
BY_PROFILE, BY_TREND = "profile", "trend"
METHOD_LABELS = {BY_PROFILE: "Forecast by the target profile", BY_TREND: "Forecast by the trend"}
# How a forecast by the trend combines the year's months, by the measure's aggregation.
TREND_BASES = {
    "sum": "months added up", "mean": "mean of the months", "last": "last month",
    "ratio": "summed numerators over summed denominators",
}


def _q(number):
    return Decimal(number).quantize(PLACES, rounding=ROUND_HALF_UP)


def _shares(total, weights):
    total = Decimal(total)
    whole = sum(weights, Decimal(0))
    if whole == 0:
        weights, whole = [Decimal(1)] * len(weights), Decimal(len(weights))
    shares = [_q(total * w / whole) for w in weights[:-1]]
    return shares + [total - sum(shares, Decimal(0))]


def profile(total, method=EVEN, months=12, last_year=None):
    """The year's target `total` as one figure per month (for `cumulative`: the running totals,
    whose last is `total`)."""
    if method == LAST_YEAR:
        weights = [Decimal(abs(w)) if w is not None else Decimal(0) for w in (last_year or [])]
        if len(weights) != months:
            raise ValueError(f"Last year's shape needs {months} months' figures")
        return _shares(total, weights)
    shares = _shares(total, [Decimal(1)] * months)
    if method == EVEN:
        return shares
    if method == CUMULATIVE:
        running, total_so_far = [], Decimal(0)
        for share in shares:
            total_so_far += share
            running.append(total_so_far)
        return running
    raise ValueError(f"{method!r} is not a profile")


@dataclass(frozen=True)
class Forecast:
    method: str
    value: Decimal | None
    low: Decimal | None = None
    high: Decimal | None = None
    # (month index from 0, projected figure) for each month still to come: the dashed line.
    projected: list = field(default_factory=list)
    reason: str = ""
    basis: str = ""  # by the trend: how the months combine (TREND_BASES)

    @property
    def label(self):
        return METHOD_LABELS[self.method] + (f" ({self.basis})" if self.basis else "")


def by_profile(actuals, monthly_profile, year_target):
    """Forecast from `actuals` (the year's monthly figures so far, in order) against
    `monthly_profile` (the profile's monthly shares): the year's target x actual / profile."""
    done = len(actuals)
    if not done:
        return Forecast(BY_PROFILE, None, reason="No months of the year yet")
    planned = sum(monthly_profile[:done], Decimal(0))
    if planned == 0:
        return Forecast(BY_PROFILE, None, reason="The profile to date is 0")
    actual = sum(actuals, Decimal(0))
    ratio = actual / planned
    ratios = [a / p for a, p in zip(actuals, monthly_profile) if p]
    rest = monthly_profile[done:]
    projected = [(done + i, _q(share * ratio)) for i, share in enumerate(rest)]
    # The profile's months add up to the year's target (a sum) or to 12 times it (a mean).
    whole = sum(monthly_profile, Decimal(0))
    per = Decimal(year_target) / whole if whole else Decimal(1)
    low = (actual + sum(rest, Decimal(0)) * min(ratios)) * per
    high = (actual + sum(rest, Decimal(0)) * max(ratios)) * per
    return Forecast(BY_PROFILE, _q(Decimal(year_target) * ratio), _q(low), _q(high), projected)


def _line(actuals, months):
    """The least-squares straight line through `actuals` at months 0, 1, ...: its figures for
    the months still to come (floats), and its residual standard deviation."""
    n = len(actuals)
    xs = list(range(n))
    ys = [float(a) for a in actuals]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread
    intercept = mean_y - slope * mean_x
    residual = math.sqrt(sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys)) / max(n - 2, 1))
    return [intercept + slope * x for x in range(n, months)], residual


def by_trend(actuals, aggregation="sum", months=12):
    """Forecast from a straight line through `actuals` (the year's months so far, in order),
    combined by `aggregation` (sum, mean or last) over the whole year."""
    n = len(actuals)
    if n < 2:
        return Forecast(BY_TREND, None, reason="A trend needs at least two months")
    line, residual = _line(actuals, months)
    projected = [(n + i, _q(Decimal(repr(y)))) for i, y in enumerate(line)]
    future = [p for _, p in projected]
    ahead = len(future)
    if aggregation == "mean":
        value = (sum(actuals, Decimal(0)) + sum(future, Decimal(0))) / months
        width = 2 * residual * math.sqrt(ahead) / months
    elif aggregation == "last":
        value = future[-1] if future else actuals[-1]
        width = 2 * residual
    else:
        aggregation = "sum"
        value = sum(actuals, Decimal(0)) + sum(future, Decimal(0))
        width = 2 * residual * math.sqrt(ahead)
    width = Decimal(repr(width))
    return Forecast(BY_TREND, _q(value), _q(value - width), _q(value + width), projected,
                    basis=TREND_BASES[aggregation])


def by_trend_of_parts(numerators, denominators, scale_by=Decimal(1), months=12):
    """Forecast of a measure rolled up from its numerator and denominator: a straight line
    through each part's months so far, the year's numerators (held and projected) over its
    denominators x `scale_by`; the range from two residual standard deviations of the
    numerators. Each projected month is its projected parts' ratio."""
    n = len(numerators)
    if n < 2 or len(denominators) != n:
        return Forecast(BY_TREND, None, reason="A trend needs at least two months of both figures")
    tops, top_residual = _line(numerators, months)
    bottoms, _ = _line(denominators, months)
    top = float(sum(numerators, Decimal(0))) + sum(tops)
    bottom = float(sum(denominators, Decimal(0))) + sum(bottoms)
    if bottom <= 0 or any(b <= 0 for b in bottoms):
        return Forecast(BY_TREND, None, reason="The denominator's trend falls to 0")
    scale_by = float(scale_by)
    projected = [(n + i, _q(Decimal(repr(t / b * scale_by)))) for i, (t, b) in enumerate(zip(tops, bottoms))]
    value = top / bottom * scale_by
    width = 2 * top_residual * math.sqrt(len(tops)) / bottom * scale_by
    return Forecast(BY_TREND, _q(Decimal(repr(value))), _q(Decimal(repr(value - width))),
                    _q(Decimal(repr(value + width))), projected, basis=TREND_BASES["ratio"])


def forecast_misses(forecast_value, year_target, polarity):
    """True when the forecast falls short of the year-end target on the polarity's side."""
    if forecast_value is None or year_target is None or polarity not in ("higher", "lower"):
        return False
    if polarity == "higher":
        return forecast_value < year_target
    return forecast_value > year_target
