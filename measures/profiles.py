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
  months' ratios;
- by the trend: a straight line through the year's months so far (least squares), carried on to
  the year's end and combined by the measure's aggregation, with a range of two residual
  standard deviations.
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

    @property
    def label(self):
        return METHOD_LABELS[self.method]


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
    low = actual + sum(rest, Decimal(0)) * min(ratios)
    high = actual + sum(rest, Decimal(0)) * max(ratios)
    return Forecast(BY_PROFILE, _q(Decimal(year_target) * ratio), _q(low), _q(high), projected)


def by_trend(actuals, aggregation="sum", months=12):
    """Forecast from a straight line through `actuals` (the year's months so far, in order),
    combined by `aggregation` (sum, mean or last) over the whole year."""
    n = len(actuals)
    if n < 2:
        return Forecast(BY_TREND, None, reason="A trend needs at least two months")
    xs = list(range(n))
    ys = [float(a) for a in actuals]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread
    intercept = mean_y - slope * mean_x
    residual = math.sqrt(sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys)) / max(n - 2, 1))
    ahead = list(range(n, months))
    projected = [(x, _q(Decimal(repr(intercept + slope * x)))) for x in ahead]
    future = [p for _, p in projected]
    if aggregation == "mean":
        value = (sum(actuals, Decimal(0)) + sum(future, Decimal(0))) / months
        width = 2 * residual * math.sqrt(len(ahead)) / months
    elif aggregation == "last":
        value = future[-1] if future else actuals[-1]
        width = 2 * residual
    else:
        value = sum(actuals, Decimal(0)) + sum(future, Decimal(0))
        width = 2 * residual * math.sqrt(len(ahead))
    width = Decimal(repr(width))
    return Forecast(BY_TREND, _q(value), _q(value - width), _q(value + width), projected)


def forecast_misses(forecast_value, year_target, polarity):
    """True when the forecast falls short of the year-end target on the polarity's side."""
    if forecast_value is None or year_target is None or polarity not in ("higher", "lower"):
        return False
    if polarity == "higher":
        return forecast_value < year_target
    return forecast_value > year_target
