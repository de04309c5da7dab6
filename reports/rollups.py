"""Roll-ups read for the reports (issue 21): each monthly measure's quarter, year to date,
financial year and rolling 12 months as at a month, rated against the targets for those periods.

Two queries however many measures: the measures' published monthly values in the 24 months to
the as-at month, and their targets. The rule is measures.rollups; the target a roll-up is
rated against is, in order: a target set for exactly that period (a quarter's, a year's); for a
summed measure, the months' targets added up (the profile to date); else the target in force
for the window's last month (a rate or a percentage keeps its target across months).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from measures import periods, rollups
from measures.models import Measure, Target, Value
from measures.rating import RAG
from measures.targets import in_force_each


@dataclass(frozen=True)
class RatedRollUp:
    roll_up: rollups.RollUp
    target: Decimal | None
    rag: str
    formatted: str
    target_shown: str

    def __getattr__(self, name):
        return getattr(self.roll_up, name)


def rolled_measures(measures):
    return [m for m in measures if m.aggregation and m.frequency == Measure.Frequency.MONTHLY]


def rollups_for(measures, as_at, windows=tuple(rollups.WINDOWS)):
    """{measure id: [RatedRollUp for each of `windows`]} as at the month containing `as_at`,
    for those of `measures` that roll up (monthly, with an aggregation)."""
    measures = rolled_measures(measures)
    if not measures:
        return {}
    month = periods.span(periods.MONTH, as_at)
    earliest = periods.months_before(month, 23).start
    months, targets = defaultdict(list), defaultdict(list)
    rows = Value.objects.filter(
        measure_id__in=[m.pk for m in measures], status=Value.Status.PUBLISHED,
        period__kind=periods.MONTH, period_start__gte=earliest, period_end__lte=month.end,
    ).values_list("measure_id", "period_start", "value", "numerator", "denominator")
    for measure_id, start, value, numerator, denominator in rows:
        months[measure_id].append(rollups.Month(start, value, numerator, denominator))
    for target in Target.objects.filter(measure__in=measures).select_related("period"):
        targets[target.measure_id].append(target)
    found = {}
    for measure in measures:
        lookup = in_force_each(targets[measure.pk])
        found[measure.pk] = [
            rate(measure, rollups.roll_up(months[measure.pk], window, month.start, measure.aggregation,
                                          measure.scale, measure.year_basis), lookup)
            for window in windows
        ]
    return found


def window_target(measure, roll_up, lookup):
    """The target a roll-up is rated against (see the module docstring), or None."""
    span = roll_up.span
    exact = lookup(span)
    if exact is not None and exact.period.span == span:
        return exact.value
    if measure.aggregation == rollups.Aggregation.SUM:
        monthly, start = [], span.start
        while start <= span.end:
            target = lookup(periods.span(periods.MONTH, start))
            if target is None or target.period.kind != periods.MONTH:
                return None
            monthly.append(target.value)
            start = periods.months_before(periods.span(periods.MONTH, start), -1).start
        return sum(monthly, Decimal(0))
    target = lookup(periods.span(periods.MONTH, span.end))
    return target.value if target is not None else None


def rate(measure, roll_up, lookup):
    target = window_target(measure, roll_up, lookup)
    rag = measure.suggested_ratings(roll_up.value, target, None, None)[0] if roll_up.complete else RAG.ND
    return RatedRollUp(roll_up, target, rag, measure.format(roll_up.value),
                       "" if target is None else measure.format(target))


def attach(rows, window, as_at):
    """Give each of `rows` (selectors.Row) its measure's RatedRollUp of `window` as `rollup`
    (None where it does not roll up): two queries however many rows."""
    found = rollups_for([row.measure for row in rows], as_at, windows=(window,))
    for row in rows:
        row.rollup = found.get(row.measure.pk, [None])[0]
    return rows
