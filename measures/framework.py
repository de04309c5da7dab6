"""The BI team's framework set-up: a year of targets at once, a new measure with its first year
of targets, a framework copied into the next year, and rating rules set by hand or learnt from
the council's published ratings (measures.bands). Each write runs in one transaction and leaves
the figures to be re-rated by the background worker once it commits (services.rerate)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from measures import bands, periods, rating
from measures.models import Measure, Period, Target, Value
from measures.services import rerate
from measures.targets import in_force_each


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
    `removed` were deleted), have the measures re-rated. Returns how many changed."""
    for target in targets:
        target._change_reason = reason
        target.save()
    if targets or removed:
        rerate(measure_ids, reason)
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
    Has the measures changed re-rated; returns how many targets were set."""
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
        rerate({target.measure_id for target in changed}, "Targets copied a year on")
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


# Rating rules


RULE_FIELDS = ("rating_rule", "rag_tolerance", "amber_band_unit", "green_band", "green_band_unit")


@dataclass
class BandSuggestion:
    """What suggest_bands makes of one measure's published ratings."""

    measure: Measure
    found: bands.Suggestion

    @property
    def changes(self):
        """Whether applying the suggestion would change the measure's rule."""
        return self.found.rule != self.measure.rule

    @property
    def now_text(self):
        return self.measure.rule.describe(self.measure.unit)

    @property
    def suggested_text(self):
        return self.found.rule.describe(self.measure.unit)

    @property
    def range_text(self):
        return self.found.range_text(self.measure.unit)

    @property
    def agrees_now(self):
        """How many of the published ratings the measure's present rule reproduces."""
        return len(bands.explained_by(self.measure.rule, self.found.ratings))


def published_ratings(measures):
    """{measure id: [bands.Rating]}: each figure of `measures` that the council published a RAG
    for (Value.reported_rag), with the target and minimum standard in force for its period, in
    period order. Three queries however many measures."""
    measures = {m.pk: m for m in measures}
    targets = defaultdict(list)
    for target in Target.objects.filter(measure_id__in=measures).select_related("period"):
        targets[target.measure_id].append(target)
    lookups = {pk: in_force_each(found) for pk, found in targets.items()}
    ratings = defaultdict(list)
    values = (Value.objects.filter(measure_id__in=measures).exclude(reported_rag="")
              .exclude(status=Value.Status.WITHDRAWN).select_related("period").order_by("measure_id", "period_start"))
    for value in values:
        measure = measures[value.measure_id]
        target = lookups[value.measure_id](value.period.span) if value.measure_id in lookups else None
        ratings[value.measure_id].append(bands.Rating(
            value.value, target.value if target else None, measure.polarity, value.reported_rag,
            target.floor if target else None, value.period.label,
        ))
    return ratings


def suggest_bands(measures):
    """(the council's rule, [BandSuggestion]): the one rule in per cent that explains most of the
    published ratings of all `measures` together, and for each measure with published ratings the
    simplest rule reproducing its own (its present rule where that does as well, else the
    council's, else one of its own), with the range of bands and the contradictions."""
    measures = [m for m in measures]
    ratings = published_ratings(measures)
    by_pk = {m.pk: m for m in measures}
    pooled = [bands.Rating(r.value, r.target, r.polarity, r.published, r.floor,
                           f"{by_pk[pk].code or by_pk[pk].title} {r.label}")
              for pk, found in ratings.items() for r in found]
    council = bands.suggest(pooled, families=[(rating.TOLERANCE, rating.PERCENT), (rating.FLOOR, rating.PERCENT)])
    suggestions = [
        BandSuggestion(by_pk[pk], bands.suggest(found, prefer=[by_pk[pk].rule, council.rule]))
        for pk, found in ratings.items()
    ]
    suggestions.sort(key=lambda s: (s.found.consistent, not s.changes, s.measure.title))
    return council, suggestions


@transaction.atomic
def set_rule(measure, rule, reason, user=None):
    """Give `measure` the rating `rule` (measures.rating.Rule) and have it re-rated: its history says
    why and who; a published figure whose RAG changes gets a revision in its own. Returns whether
    the rule changed."""
    if not _give_rule(measure, rule, reason, user):
        return False
    rerate([measure.pk], reason, user)
    return True


def _give_rule(measure, rule, reason, user):
    """Save `measure` with `rule`, its history saying why and who; whether the rule changed."""
    wanted = dict(zip(RULE_FIELDS, (rule.kind, rule.amber, rule.amber_unit, rule.green, rule.green_unit)))
    if all(getattr(measure, name) == value for name, value in wanted.items()):
        return False
    for name, value in wanted.items():
        setattr(measure, name, value)
    measure._change_reason = reason[:100]  # as long as a history row's reason may be
    if user is not None:
        measure._history_user = user
    measure.save()
    return True


@transaction.atomic
def apply_suggestions(suggestions, user=None):
    """Give each measure of `suggestions` (BandSuggestion) its suggested rule, each measure's
    history saying from how many published ratings, and have them re-rated in one job. Returns
    how many rules changed."""
    changed = []
    for suggestion in suggestions:
        rule, found = suggestion.found.rule, suggestion.found.ratings
        reason = (f"Rule suggested from {len(found)} published rating{'s' if len(found) != 1 else ''} "
                  f"applied: {rule.describe(suggestion.measure.unit)}")
        if _give_rule(suggestion.measure, rule, reason, user):
            changed.append(suggestion.measure.pk)
    if changed:
        rerate(changed, "Rule suggested from published ratings applied", user)
    return len(changed)


@transaction.atomic
def save_rule(measure, changed, user=None, reason="Rating rule set on the framework pages"):
    """Save `measure` (its rule and direction-of-travel fields edited: `changed` names them) and
    have it re-rated; returns whether anything changed."""
    if not changed:
        return False
    measure._change_reason = reason
    if user is not None:
        measure._history_user = user
    measure.save()
    rerate([measure.pk], reason, user)
    return True


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
