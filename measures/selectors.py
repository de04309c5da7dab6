"""Reads for data entry and its oversight, each a fixed number of queries however many measures.

`entry_rows` gathers, for the measures on a "My measures" page, everything a row shows: the
period the measure reports on, its value (if any), the target in force, previous figure and the
figure a year earlier. `outstanding` says, for each measure due in a month, what is still to be
done. `targets_in_force` finds the target in force for many measures and periods at once.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, Subquery

from measures import periods
from measures.models import Measure, Period, Service, Target, Value
from measures.rating import RAG
from measures.targets import in_force


@dataclass
class Row:
    """One measure as its "My measures" row shows it, for one month."""

    measure: Measure
    span: periods.Span | None  # None when the measure does not report in the month
    value: Value | None = None
    target: Decimal | None = None
    floor: Decimal | None = None
    previous: Value | None = None
    year_earlier: Value | None = None

    @property
    def due(self):
        return self.span is not None

    @property
    def status(self):
        return self.value.status if self.value else "new"

    @property
    def target_shown(self):
        return "" if self.target is None else self.measure.format(self.target)

    def suggested(self, number):
        """The RAG and direction of travel that `number` would get for this row."""
        return self.measure.suggested_ratings(
            number,
            self.target,
            self.previous.value if self.previous else None,
            self.year_earlier.value if self.year_earlier else None,
            self.floor,
            (self.value.reported_rag or self.value.rag) if self.value else RAG.ND,
            self.measure.baseline_for(self.span) if self.span else None,
        )


def targets_in_force(pairs):
    """{(measure id, span): the Target in force (or None)} for each (measure id, periods.Span)
    of `pairs` (see measures.targets), in one query, or two when some measure has no target
    overlapping its period and one may carry forward from earlier.

    Only the targets that can be in force are read: those overlapping each period (exact,
    containing, or ending within it), then, for a measure with none in force among them, its
    latest target ending before the period starts.
    """
    by_span = defaultdict(set)
    for measure_id, span in pairs:
        by_span[span].add(measure_id)
    if not by_span:
        return {}
    overlapping = Q(pk__in=[])
    for span, ids in by_span.items():
        overlapping |= Q(measure_id__in=ids, period__start__lte=span.end, period__end__gte=span.start)
    candidates = defaultdict(list)
    for target in Target.objects.filter(overlapping).select_related("period"):
        candidates[target.measure_id].append(target)
    found = {
        (measure_id, span): in_force(candidates[measure_id], span)
        for span, ids in by_span.items() for measure_id in ids
    }
    missing = defaultdict(set)
    for (measure_id, span), target in found.items():
        if target is None:
            missing[span].add(measure_id)
    if missing:
        earlier = defaultdict(list)
        for target in Target.objects.filter(_latest_before(missing)).select_related("period"):
            earlier[target.measure_id].append(target)
        for span, ids in missing.items():
            for measure_id in ids:
                found[measure_id, span] = in_force(earlier[measure_id], span)
    return found


def _latest_before(spans):
    """Targets: each measure's latest one ending before its span starts and not ended by then."""
    condition = Q(pk__in=[])
    for span, ids in spans.items():
        latest = (
            Target.objects.filter(measure=OuterRef("pk"), period__end__lt=span.start)
            .filter(Q(ends__isnull=True) | Q(ends__gte=span.start))
            .order_by("-period__end", "-period__start")
            .values("pk")[:1]
        )
        condition |= Q(pk__in=Measure.objects.filter(pk__in=ids).values(latest=Subquery(latest)))
    return condition


def month_span(text):
    """The month a `period` parameter such as "2020-10" or "Oct-20" names (PeriodError if not)."""
    span = periods.parse_period(text)
    if span.kind != periods.MONTH:
        raise periods.PeriodError(f"'{text}' is not a month (try 2020-10 or Oct-20)")
    return span


def month_at_hand(values, pending):
    """The month to open a page of work on: see periods.month_at_hand. `values` are the page's
    values, `pending` the statuses that are its work; one query."""
    ends = values.aggregate(
        pending=Max("period__end", filter=Q(status__in=pending)),
        handed_over=Max("period__end", filter=~Q(status__in=pending)),
    )
    return periods.month_at_hand(ends["pending"], ends["handed_over"], date.today())


def due_measures(measures, month):
    """Those of `measures` that report in `month`, in title order."""
    return [m for m in measures.order_by("title") if periods.due(m.frequency, month, m.year_basis)]


def enterable_measures(measures, month):
    """Those of `measures` whose figure may be entered in `month`, in title order: the ones due,
    and irregular ones, which are never due (nobody chases them) but may report any month."""
    return [m for m in measures.order_by("title")
            if m.frequency == Measure.Frequency.IRREGULAR or periods.due(m.frequency, month, m.year_basis)]


def entry_span(measure, month):
    """The period a figure entered in `month` is for: the one the measure reports on then (see
    periods.reporting_span), or the month itself for an irregular measure; None when neither."""
    if measure.frequency == Measure.Frequency.IRREGULAR:
        return month
    try:
        return periods.reporting_span(measure.frequency, month, measure.year_basis)
    except (periods.PeriodError, ValueError):
        return None


def entry_rows(measures, month):
    """A Row for each of `measures` in `month`, in the order given, in a fixed number of queries."""
    rows = []
    for measure in measures:
        span = entry_span(measure, month)
        rows.append(Row(measure, span))
    due = [row for row in rows if row.due]
    if not due:
        return rows
    spans = {row.span for row in due}
    earlier = {span: periods.year_earlier(span) for span in spans}
    found = Period.objects.filter(
        _any_span(spans | set(earlier.values()))
    )
    period_ids = {(p.kind, p.start): p.pk for p in found}

    def period_id(span):
        return period_ids.get((span.kind, span.start))

    ids = [row.measure.pk for row in due]
    current = [period_id(s) for s in spans if period_id(s)]
    values = {
        (v.measure_id, v.period_id): v
        for v in Value.objects.filter(measure__in=ids, period__in=current).select_related("period")
    }
    targets = targets_in_force((row.measure.pk, row.span) for row in due)
    year_ago_ids = [period_id(s) for s in earlier.values() if period_id(s)]
    year_ago = {
        (v.measure_id, v.period_id): v
        for v in Value.objects.filter(measure__in=ids, period__in=year_ago_ids).select_related("period")
    }
    previous = {v.measure_id: v for v in _previous_values(due)}
    for row in due:
        pid = period_id(row.span)
        row.value = values.get((row.measure.pk, pid))
        target = targets[row.measure.pk, row.span]
        row.target, row.floor = (target.value, target.floor) if target else (None, None)
        row.year_earlier = year_ago.get((row.measure.pk, period_id(earlier[row.span])))
        row.previous = previous.get(row.measure.pk)
        for value in (row.value, row.year_earlier, row.previous):
            if value is not None:
                value.measure = row.measure  # formatting a figure needs its measure: no query per row
    return rows


@dataclass
class ServiceProgress:
    """A service's measures due in a month (Rows) and how far their figures have got."""

    service: Service
    rows: list[Row]

    def _count(self, *statuses):
        return sum(row.status in statuses for row in self.rows)

    @property
    def due(self):
        return len(self.rows)

    @property
    def entered(self):
        return sum(row.value is not None for row in self.rows)

    @property
    def missing(self):
        """Due and not yet submitted: no figure, or a draft."""
        return self._count("new", Value.Status.DRAFT)

    @property
    def submitted(self):
        return self._count(Value.Status.SUBMITTED)

    @property
    def approved(self):
        return self._count(Value.Status.APPROVED)

    @property
    def published(self):
        return self._count(Value.Status.PUBLISHED)

    @property
    def returned(self):
        """The drafts the BI team sent back, each with its comment."""
        return [row for row in self.rows if row.status == Value.Status.DRAFT and row.value.returned_comment]


def progress(measures, month):
    """Each service's measures of `measures` due in `month`, with their Rows, in service order
    and each service's measures in title order; a fixed number of queries."""
    rows = entry_rows(due_measures(measures.filter(service__isnull=False).select_related("service"), month), month)
    groups = {}
    for row in rows:
        groups.setdefault(row.measure.service, []).append(row)
    return [ServiceProgress(service, rows) for service, rows in sorted(groups.items(), key=lambda i: i[0].name)]


def _any_span(spans):
    condition = Q(pk__in=[])
    for span in spans:
        condition |= Q(kind=span.kind, start=span.start)
    return condition


def _previous_values(rows):
    """Each row's latest earlier figure (skipping periods with no data), in one query."""
    by_start = {}
    for row in rows:
        by_start.setdefault(row.span.start, []).append(row.measure.pk)
    condition = Q(pk__in=[])
    for start, ids in by_start.items():
        latest = (
            Value.objects.filter(measure=OuterRef("pk"), value__isnull=False, period__end__lt=start)
            .order_by("-period__end")
            .values("pk")[:1]
        )
        condition |= Q(pk__in=Measure.objects.filter(pk__in=ids).values(previous=Subquery(latest)))
    return Value.objects.filter(condition).select_related("period")


OUTSTANDING = {
    None: "No submission",
    Value.Status.DRAFT: "No submission",
    Value.Status.SUBMITTED: "Submitted, not approved",
    Value.Status.APPROVED: "Approved, not published",
    Value.Status.WITHDRAWN: "Withdrawn, to enter again",
}


@dataclass
class Outstanding:
    row: Row
    stage: str

    @property
    def awaits_lead(self):
        return self.row.status in ("new", Value.Status.DRAFT, Value.Status.WITHDRAWN)

    @property
    def status(self):
        """Where the value is in its lifecycle: No submission, Draft, Submitted or Approved."""
        return self.row.value.get_status_display() if self.row.value else "No submission"

    @property
    def leads(self):
        """The names of the service's leads (prefetched by `outstanding`)."""
        return [lead.get_full_name() or lead.get_username() for lead in self.row.measure.service.leads.all()]


def outstanding(month, measures=None):
    """What is still to be done for each measure with a service that is due in `month`, grouped
    per service: [(service, [Outstanding, ...]), ...] in service order."""
    if measures is None:
        measures = Measure.objects.filter(service__isnull=False)
    measures = due_measures(measures.select_related("service").prefetch_related("service__leads"), month)
    groups = {}
    for row in entry_rows(measures, month):
        status = row.value.status if row.value else None
        if status != Value.Status.PUBLISHED:
            groups.setdefault(row.measure.service, []).append(Outstanding(row, OUTSTANDING[status]))
    return sorted(groups.items(), key=lambda item: item[0].name)


def schedules_due(month):
    """(frequency, year basis, the period reported on) for each schedule that reports in `month`:
    a monthly measure's month, a quarterly measure's quarter or a termly one's term ending in it,
    an annual measure's year (of its basis) ending in it, a rolling one's 12 months to it."""
    bases = [value for value, _ in Measure._meta.get_field("year_basis").choices]
    return [
        (frequency, basis, periods.reporting_span(frequency, month, basis))
        for frequency in Measure.Frequency.values
        for basis in bases
        if frequency != Measure.Frequency.IRREGULAR and periods.due(frequency, month, basis)
    ]


def due_condition(month, prefix=""):
    """A Q on measures (or on what `prefix` leads to them) that report in `month`."""
    condition = Q(pk__in=[])
    for frequency, basis, _ in schedules_due(month):
        condition |= Q(**{f"{prefix}frequency": frequency, f"{prefix}year_basis": basis})
    return condition


def values_due(month):
    """The values for the period each measure reports on in `month` (see `schedules_due`)."""
    condition = Q(pk__in=[])
    for frequency, basis, span in schedules_due(month):
        condition |= Q(
            measure__frequency=frequency, measure__year_basis=basis,
            period__kind=span.kind, period__start=span.start,
        )
    return Value.objects.filter(condition)


def period_filter(month):
    """Values whose period any measure reports on in `month` (see `schedules_due`)."""
    condition = Q(pk__in=[])
    for span in {span for _, _, span in schedules_due(month)}:
        condition |= Q(period__kind=span.kind, period__start=span.start)
    return condition


@dataclass
class Change:
    """One entry of an audit trail: who did what when, and each field from what to what."""

    when: object
    who: str
    what: str
    reason: str
    fields: list  # (label, old, new)
    subject: str = ""


_HIDDEN = {"version", "entered_at", "entered_by"}


def changes(records, measure, per=None):
    """The audit trail of simple-history `records` (oldest first), each against the one before it
    for the same object. `per` names a field that says which object a record is about."""
    trail = []
    before = {}
    for record in records:
        earlier = before.get(record.id)
        fields = []
        if earlier is not None:
            delta = record.diff_against(earlier, excluded_fields=_HIDDEN)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                fields.append((field.verbose_name, _shown(field, change.old, measure),
                               _shown(field, change.new, measure)))
        else:
            fields = [
                (f.verbose_name, "", _shown(f, getattr(record, f.attname), measure))
                for f in record.instance_type._meta.concrete_fields
                # Derived fields kept out of the history (Value.valid_until, its SPC) are skipped.
                if f.name not in _HIDDEN | {"id", "measure"} and getattr(record, f.attname, None) not in (None, "")
            ]
        user = record.history_user
        trail.append(Change(
            when=record.history_date,
            who=(user.get_full_name() or user.get_username()) if user else "PerfHub",
            what={"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type],
            reason=record.history_change_reason or "",
            fields=fields,
            subject=str(getattr(record, per)) if per else "",
        ))
        before[record.id] = record
    return trail


def _shown(field, raw, measure):
    if raw is None or raw == "":
        return ""
    if isinstance(raw, Decimal) and field.name == "value":
        return measure.format(raw)
    if field.choices:
        return dict(field.flatchoices).get(raw, raw)
    if isinstance(raw, bool):
        return "Yes" if raw else "No"
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=raw).first() or raw)
    return str(raw)
