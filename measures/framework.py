"""The BI team's framework set-up: a year of targets at once, a new measure with its first year
of targets, and a framework copied into the next year. Each write runs in one transaction and
leaves the ratings current (services.rate_measure)."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from measures import periods
from measures.models import Measure, Period, Target
from measures.services import rate_measures


@dataclass(frozen=True)
class TargetEntry:
    """A target (and its floor) typed for one period; a blank target removes the one set."""

    span: periods.Span
    value: object = None  # Decimal, or None to remove
    floor: object = None


@transaction.atomic
def set_targets(measure, entries, reason="Targets set for the year"):
    """Set `measure`'s targets for the periods of `entries`, leaving unchanged ones alone (so their
    history gains no row), then re-rate the measure. Returns how many targets changed."""
    existing = {
        (t.period.kind, t.period.start): t
        for t in measure.targets.select_related("period").filter(
            period__start__in={entry.span.start for entry in entries}
        )
    }
    changed, removed = [], 0
    for entry in entries:
        target = existing.get((entry.span.kind, entry.span.start))
        if entry.value is None:
            if target is not None:
                target._change_reason = reason
                target.delete()
                removed += 1
        elif target is None:
            changed.append(Target(measure=measure, period=Period.for_span(entry.span), value=entry.value,
                                  floor=entry.floor))
        elif _set(target, value=entry.value, floor=entry.floor):
            changed.append(target)
    return _save_and_rate(changed, reason, [measure.pk], removed)


@transaction.atomic
def end_targets(measure, last_day):
    """Stop `measure`'s targets carrying forward past `last_day` (None: carry forward again).
    Targets for periods starting after it are left alone: they start later, and apply then."""
    targets = measure.targets.select_related("period")
    if last_day is not None:
        targets = targets.filter(period__start__lte=last_day)
    changed = [target for target in targets if _set(target, ends=last_day)]
    reason = f"Ended after {last_day:%d %b %Y}" if last_day else "Carried forward again"
    return _save_and_rate(changed, reason, [measure.pk])


def _set(target, **fields):
    """Give `target` the `fields`; whether any of them changed."""
    changed = [name for name, value in fields.items() if getattr(target, name) != value]
    for name in changed:
        setattr(target, name, fields[name])
    return bool(changed)


def _save_and_rate(targets, reason, measure_ids, removed=0):
    """Save the changed `targets` with `reason` in their history and, if anything changed (or
    `removed` were deleted), re-rate the measures. Returns how many changed."""
    for target in targets:
        target._change_reason = reason
        target.save()
    if targets or removed:
        rate_measures(measure_ids)
    return len(targets) + removed


@transaction.atomic
def create_measure(measure, committees, entries):
    """Save the new `measure` (unsaved), its committees and its first year of targets."""
    measure._change_reason = "Created with its first year of targets"
    measure.save()
    measure.committees.set(committees)
    set_targets(measure, entries, reason="First year of targets")
    return measure


@dataclass
class CopyPlan:
    """What copying one measure's framework a year on would do: `copies` are (target, the period
    a year on), `taken` are (target, the target already set for that period in the new year)."""

    measure: Measure
    year: periods.Span  # the measure's own year copied from
    copies: list = field(default_factory=list)
    taken: list = field(default_factory=list)

    @property
    def new_year(self):
        return periods.year_later(self.year)


def plan_copy(measures, financial_year):
    """A CopyPlan for each of `measures` (three queries however many): what is set for the
    measure's own year beginning in the calendar year `financial_year` begins in (the financial
    year itself, the academic year from September, the calendar year), and what is already set a
    year on. What is per year is a measure's targets, with their profile through the year (a
    target per month or quarter), floors and ends; its unit, frequency, rating rule, tolerance
    and band belong to the measure and need no copy."""
    measures = list(measures)
    years = {m.pk: _year_of(m, financial_year.start.year) for m in measures}
    first = min((y.start for y in years.values()), default=financial_year.start)
    last = max((y.end for y in years.values()), default=financial_year.end)
    plans = {m.pk: CopyPlan(m, years[m.pk]) for m in measures}
    source = Target.objects.filter(measure__in=measures, period__start__range=(first, last)).select_related("period")
    wanted = {}
    for target in source.order_by("period__start", "period__end"):
        plan = plans[target.measure_id]
        if plan.year.start <= target.period.start <= plan.year.end:
            wanted[target] = periods.year_later(target.period.span)
    taken = {
        (t.measure_id, t.period.kind, t.period.start): t
        for t in Target.objects.filter(
            measure__in=measures, period__start__in={s.start for s in wanted.values()}
        ).select_related("period")
    }
    for target, span in wanted.items():
        there = taken.get((target.measure_id, span.kind, span.start))
        plan = plans[target.measure_id]
        if there is None:
            plan.copies.append((target, span))
        else:
            plan.taken.append((target, there))
    return list(plans.values())


@transaction.atomic
def copy_framework(plans, replace=False):
    """Carry out `plans` (plan_copy) in one transaction: set each target again a year on (its
    floor, and its end a year on); a target already set in the new year is kept unless `replace`.
    Re-rates the measures changed; returns how many targets were set."""
    changed = []
    for plan in plans:
        reason = f"Copied from {plan.year.label}"
        for target, span in plan.copies:
            changed.append(_copied(Target(measure=plan.measure, period=Period.for_span(span)), target, reason))
        for target, there in plan.taken if replace else ():
            if _set(there, value=target.value, floor=target.floor, ends=_year_on(target.ends)):
                there._change_reason = reason
                changed.append(there)
    for target in changed:
        target.save()
    if changed:
        rate_measures({target.measure_id for target in changed})
    return len(changed)


def _copied(new, target, reason):
    new.value, new.floor, new.ends = target.value, target.floor, _year_on(target.ends)
    new._change_reason = reason
    return new


def _year_on(day):
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _year_of(measure, calendar_year):
    kind = periods.year_kind(measure.year_basis)
    return periods.span(kind, date(calendar_year, periods.YEAR_FIRST_MONTHS[kind], 1))


def year_for(measure, text):
    """The year `text` names for the measure's year basis ("2020-21"; "2020" for a calendar
    year), or PeriodError."""
    kind = periods.year_kind(measure.year_basis)
    span = periods.parse_period(text, kind)
    if span.kind != kind:
        example = "2020" if kind == periods.CALENDAR_YEAR else "2020-21"
        raise periods.PeriodError(f"'{text.strip()}' is not a {kind.replace('_', ' ')} (try {example})")
    return span


def current_year(measure, today):
    """The year of the measure's basis that holds the last whole month before `today`."""
    last_month = periods.previous(periods.span(periods.MONTH, today))
    return periods.span(periods.year_kind(measure.year_basis), last_month.start)


def last_year_months(measure, year):
    """The measure's published monthly figures of the year before `year` (a Span), one per month
    (None where there is none): the shape a target profile may follow (measures.profiles)."""
    from measures.models import Value

    before = periods.previous(year)
    figures = dict(Value.objects.filter(
        measure=measure, status=Value.Status.PUBLISHED, period__kind=periods.MONTH,
        period_start__range=(before.start, before.end),
    ).values_list("period_start", "value"))
    spans = periods.reporting_spans(Measure.Frequency.MONTHLY, before, measure.year_basis)
    return [figures.get(span.start) for span in spans]
