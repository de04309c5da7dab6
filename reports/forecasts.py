"""Year-end forecasts read for the reports (issue 21): where each monthly measure that rolls up
is forecast to end its year, by the target profile and by the trend (measures.profiles), and
whether that misses the year-end target.

`forecasts_for(measures, as_at)` reads two queries however many measures: their published
monthly values in the year to the as-at month, and their targets. The year-end target is the
target set for the year where there is one; for a summed measure, else its monthly targets
added up. The profile is the monthly targets (the year's target spread evenly where the months
have none of their own; for a mean, the year's target every month); a forecast by the profile is
made for summed and mean measures, by the trend for every aggregation (measures.profiles says
why a snapshot or a ratio has no forecast by the profile).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from measures import periods, profiles, rollups
from measures.models import Target, Value
from measures.targets import in_force_each
from reports.rollups import rolled_measures


@dataclass
class YearForecast:
    measure: object
    year: periods.Span
    target: Decimal | None
    forecasts: list = field(default_factory=list)  # profiles.Forecast
    month_ends: list = field(default_factory=list)  # the last day of each month of the year

    @property
    def misses(self):
        """Forecast to miss the year-end target by any method that made a forecast."""
        return any(profiles.forecast_misses(f.value, self.target, self.measure.polarity) for f in self.forecasts)

    @property
    def lines(self):
        """(forecast, figure, low, high) shown in the measure's unit, for its page."""
        fmt = self.measure.format
        return [(f, fmt(f.value), fmt(f.low), fmt(f.high)) for f in self.forecasts if f.value is not None]

    @property
    def target_shown(self):
        return self.measure.format(self.target)

    @property
    def summary(self):
        """The forecasts in words, for a column of the reports."""
        shown = [
            f"{f.label}: {self.measure.format(f.value)} ({self.measure.format(f.low)} to {self.measure.format(f.high)})"
            for f in self.forecasts if f.value is not None
        ]
        return "; ".join(shown)


def forecasts_for(measures, as_at):
    """{measure id: YearForecast} for those of `measures` that roll up, as at `as_at`."""
    measures = rolled_measures(measures)
    if not measures:
        return {}
    month = periods.span(periods.MONTH, as_at)
    years = {m.pk: periods.span(periods.year_kind(m.year_basis), month.start) for m in measures}
    earliest = min(y.start for y in years.values())
    figures, targets = defaultdict(dict), defaultdict(list)
    for measure_id, start, value, numerator, denominator in Value.objects.filter(
        measure_id__in=list(years), status=Value.Status.PUBLISHED, period__kind=periods.MONTH,
        period_start__gte=earliest, period_end__lte=month.end, value__isnull=False,
    ).values_list("measure_id", "period_start", "value", "numerator", "denominator"):
        figures[measure_id][start] = rollups.Month(start, value, numerator, denominator)
    for target in Target.objects.filter(measure__in=measures).select_related("period"):
        targets[target.measure_id].append(target)
    return {m.pk: _forecast(m, years[m.pk], month, figures[m.pk], targets[m.pk]) for m in measures}


def _forecast(measure, year, month, figures, targets):
    months = periods.reporting_spans("monthly", year, measure.year_basis)
    lookup = in_force_each(targets)
    year_target = lookup(year)
    exact_year = year_target is not None and year_target.period.span == year
    monthly = [lookup(m) for m in months]
    monthly = [t.value if t is not None and t.period.kind == periods.MONTH else None for t in monthly]
    summed = measure.aggregation == rollups.Aggregation.SUM
    if exact_year:
        target = year_target.value
    elif summed and all(t is not None for t in monthly):
        target = sum(monthly, Decimal(0))
    else:
        last = lookup(months[-1])
        target = last.value if last is not None and not summed else None
    held = []
    for m in months:
        if m.start > month.start or m.start not in figures:
            break
        held.append(figures[m.start])
    actuals = [h.value for h in held]
    result = YearForecast(measure, year, target, month_ends=[m.end for m in months])
    if not actuals:
        return result
    mean = measure.aggregation == rollups.Aggregation.MEAN
    if (summed or mean) and target is not None:
        if all(t is not None for t in monthly):
            profile = monthly
        else:
            profile = profiles.profile(target, profiles.EVEN) if summed else [target] * len(months)
        result.forecasts.append(profiles.by_profile(actuals, profile, target))
    if measure.aggregation == rollups.Aggregation.RATIO:
        # A month with no parts leaves the measure with no forecast rather than a guess.
        if all(h.numerator is not None and h.denominator is not None for h in held):
            result.forecasts.append(profiles.by_trend_of_parts(
                [h.numerator for h in held], [h.denominator for h in held], measure.scale, len(months),
            ))
    else:
        result.forecasts.append(profiles.by_trend(actuals, measure.aggregation, len(months)))
    result.forecasts = [f for f in result.forecasts if f.value is not None]
    return result


FORECAST_COLOURS = {profiles.BY_PROFILE: "#00703c", profiles.BY_TREND: "#912b88"}


def add_to_chart(chart, forecast):
    """Draw `forecast`'s projected months on a measure's trend chart (presentation.charts.Chart on a
    date axis) as a dashed line per method with its range shaded, and add each year-end forecast
    to the chart's data table."""
    for f in forecast.forecasts:
        if not f.projected:
            continue
        xs = [forecast.month_ends[i].isoformat() for i, _ in f.projected]
        colour = FORECAST_COLOURS[f.method]
        spread_low = [float(f.low - f.value) for _ in xs]
        spread_high = [float(f.high - f.value) for _ in xs]
        chart.figure["data"].append({
            "type": "scatter", "x": xs, "y": [float(v) for _, v in f.projected], "name": f.label,
            "mode": "lines", "line": {"color": colour, "dash": "dash"},
            "error_y": {"type": "data", "symmetric": False, "array": spread_high,
                        "arrayminus": [-s for s in spread_low], "color": colour, "thickness": 1},
        })
        chart.figure["layout"]["showlegend"] = True
        width = len(chart.headers) - 2
        chart.rows.append(
            [f"{f.label}, year end {forecast.year.label}",
             f"{forecast.measure.format(f.value)} ({forecast.measure.format(f.low)} to "
             f"{forecast.measure.format(f.high)})", *[""] * width]
        )
    return chart


def latest_month_end(values):
    """The as-at day of a measure page's forecast and roll-ups: its latest published month."""
    ends = [v.period.end for v in values if v.period.kind == periods.MONTH]
    return max(ends) if ends else date.min


def attach(rows, as_at):
    """Give each of `rows` (selectors.Row) its measure's YearForecast as `forecast` (None where
    the measure does not roll up): three queries however many rows."""
    found = forecasts_for([row.measure for row in rows], as_at)
    for row in rows:
        row.forecast = found.get(row.measure.pk)
    return rows
