"""The BI team's framework set-up: a year of targets at once, a new measure with its first year
of targets, and a framework copied into the next year. Each write runs in one transaction and
leaves the ratings current (services.rate_measure)."""

from dataclasses import dataclass, field

from django.db import transaction

from measures import periods
from measures.models import Period, Target
from measures.services import rate_measure


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
    changed = 0
    for entry in entries:
        target = existing.get((entry.span.kind, entry.span.start))
        if entry.value is None:
            if target is not None:
                target._change_reason = reason
                target.delete()
                changed += 1
            continue
        if target is None:
            target = Target(measure=measure, period=Period.for_span(entry.span))
        elif (target.value, target.floor) == (entry.value, entry.floor):
            continue
        target.value, target.floor = entry.value, entry.floor
        target._change_reason = reason
        target.save()
        changed += 1
    if changed:
        rate_measure(measure)
    return changed


@transaction.atomic
def end_targets(measure, last_day):
    """Stop `measure`'s targets carrying forward past `last_day` (None: carry forward again).
    Targets for periods starting after it are left alone: they start later, and apply then."""
    targets = measure.targets.select_related("period")
    if last_day is not None:
        targets = targets.filter(period__start__lte=last_day)
    changed = 0
    for target in targets:
        if target.ends != last_day:
            target.ends = last_day
            target._change_reason = f"Ended after {last_day:%d %b %Y}" if last_day else "Carried forward again"
            target.save()
            changed += 1
    if changed:
        rate_measure(measure)
    return changed


@transaction.atomic
def create_measure(measure, committees, entries):
    """Save the new `measure` (unsaved), its committees and its first year of targets."""
    measure._change_reason = "Created with its first year of targets"
    measure.save()
    measure.committees.set(committees)
    set_targets(measure, entries, reason="First year of targets")
    return measure


@dataclass
class CopyResult:
    copied: int = 0
    already_set: int = 0
    measures: set = field(default_factory=set)


@transaction.atomic
def copy_targets_to_next_year(measures, year, replace=False):
    """Copy the targets of `measures` for periods starting in the financial year `year` (a Span)
    to the same periods a year on. A target already set there is kept unless `replace`."""
    result = CopyResult()
    targets = list(
        Target.objects.filter(measure__in=measures, period__start__range=(year.start, year.end))
        .select_related("period", "measure")
    )
    later = {t.pk: periods.year_later(t.period.span) for t in targets}
    taken = {
        (t.measure_id, t.period.kind, t.period.start): t
        for t in Target.objects.filter(
            measure__in=measures, period__start__in={s.start for s in later.values()}
        ).select_related("period")
    }
    by_measure = {}
    for target in targets:
        span = later[target.pk]
        there = taken.get((target.measure_id, span.kind, span.start))
        if there is not None and not replace:
            result.already_set += 1
            continue
        by_measure.setdefault(target.measure, []).append(TargetEntry(span, target.value, target.floor))
    reason = f"Copied from {periods.label(year.kind, year.start)}"
    for measure, entries in by_measure.items():
        result.copied += set_targets(measure, entries, reason=reason)
        result.measures.add(measure.pk)
    return result


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
