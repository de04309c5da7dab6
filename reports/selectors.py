"""The queries the dashboards and reports share: each measure's latest published figure.

"As at" a day means "periods ending on or before that day"; pages take it as a month (2020-10)
and use the month's last day. Every function here runs a fixed number of SQL queries, however
many measures there are: the ratings are annotated as subqueries, and the figures that go with
the latest values (the period and the value's words are read with the measure; its target and
the same period a year earlier) are fetched in one query each and matched up in Python.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Value as SQLValue, When
from django.db.models.functions import Coalesce

from measures import periods
from measures.models import Committee, ComparatorValue, Measure, Value
from measures.rating import RAG, Direction, as_reported
from measures.selectors import targets_in_force
from measures.targets import in_force_each

RAG_ORDER = [RAG.RED, RAG.AMBER, RAG.GREEN, RAG.ND]
FREQUENCIES = {value: str(label) for value, label in Measure.Frequency.choices}


def with_latest_ratings(measures, as_at):
    """Annotate `measures` with their latest published value as at `as_at`: `latest_value_id`,
    `latest_rag`, `latest_dot`, its SPC `latest_variation` (a nature), `latest_side` and
    `latest_assurance`,
    and for sorting `latest_period_end`, `latest_number` and `rag_rank` (Red first, ND last).
    One join, read from the published values' index.

    A measure with no published value by then is ND with No trend, so that it can be filtered
    and counted like the others.
    """
    return measures.with_latest_value(as_at).annotate(
        latest_rag=Coalesce(F("latest__rag"), SQLValue(RAG.ND.value)),
        latest_dot=Coalesce(F("latest__direction_of_travel"), SQLValue(Direction.NO_TREND.value)),
        latest_period_end=F("latest__period_end"),
        latest_number=F("latest__value"),
        latest_variation=F("latest__spc_variation"),
        latest_side=F("latest__spc_side"),
        latest_assurance=F("latest__spc_assurance"),
        rag_rank=Case(
            *(When(latest_rag=rag.value, then=rank) for rank, rag in enumerate(RAG_ORDER[:-1])),
            default=len(RAG_ORDER) - 1, output_field=IntegerField(),
        ),
    )


# What a Row reads of its measure (the rest is deferred: a row never touches it).
ROW_MEASURE_FIELDS = (
    "title", "unit", "unit_label", "decimal_places", "frequency", "polarity",
    "spc_baseline_points", "spc_screen_moving_ranges",
    # Issue 21: what roll-ups and forecasts read.
    "aggregation", "year_basis", "rate_per", "numerator_label", "denominator_label",
    "rating_rule", "rag_tolerance", "dot_basis", "same_band",
    # The rating rule's bands (measures.rating.Rule) and the direction of travel's basis.
    "amber_band_unit", "green_band", "green_band_unit", "same_band_unit", "dot_baseline", "dot_baseline_period",
)


@dataclass(slots=True)
class LatestValue:
    """What a Row shows of a measure's latest published value, read as plain columns."""

    pk: int
    measure_id: int
    value: Decimal | None
    rag: str
    direction_of_travel: str
    commentary: str
    actions: str
    spc_variation: str | None
    spc_side: str | None
    spc_assurance: str | None
    span: periods.Span
    synthetic_series: bool = False  # the published series up to it holds synthetic figures

    # Read with the measure, from the join to its latest value that with_latest_ratings makes.
    COLUMNS = {
        "latest_commentary": F("latest__commentary"),
        "latest_actions": F("latest__actions"),
        "latest_kind": F("latest__period__kind"),
        "latest_start": F("latest__period__start"),
        "latest_end": F("latest__period__end"),
        "latest_synthetic": Exists(
            Value.objects.published().filter(
                measure=OuterRef("pk"), period_end__lte=OuterRef("latest__period_end"), synthetic=True,
            )
        ),
    }

    @classmethod
    def of(cls, measure):
        """The latest value of `measure`, read with it (`COLUMNS`, and with_latest_ratings'
        annotations), or None where it has none."""
        if measure.latest_value_id is None:
            return None
        return cls(
            measure.latest_value_id, measure.pk, measure.latest_number, measure.latest_rag,
            measure.latest_dot, measure.latest_commentary, measure.latest_actions,
            measure.latest_variation, measure.latest_side, measure.latest_assurance,
            periods.Span(measure.latest_kind, measure.latest_start, measure.latest_end),
            measure.latest_synthetic,
        )


@dataclass
class Row:
    """A measure with its latest published value, that period's target and last year's value.

    Its attributes named after the exception report's columns hold the figures as the report
    prints them, so a Table reads a Row and a stored snapshot row (a dict) alike.
    """

    measure: Measure  # only ROW_MEASURE_FIELDS read, and its service's name as `service_name`
    value: LatestValue | None
    target_value: Decimal | None
    last_year_value: Decimal | None
    spc: object = None  # reports.variation.MeasureSPC, where a page shows SPC (issue 12)

    @property
    def measure_id(self):
        return self.measure.pk

    @property
    def indicator(self):
        return self.measure.title

    @property
    def service(self):
        return self.measure.service_name or ""

    @property
    def period(self):
        """The period as Appendix 1 prints it: the month it ends ("Sep-20" for a quarter)."""
        return periods.month_label(self.value.span.end) if self.value else ""

    @property
    def period_label(self):
        """The period as the pages label it (measures.periods.label): a quarter as a quarter."""
        return self.value.span.label if self.value else ""

    @property
    def period_end(self):
        return self.value.span.end if self.value else None

    @property
    def unit(self):
        return self.measure.unit_shown

    @property
    def frequency(self):
        # What get_frequency_display gives, without its look-up through the field's choices.
        return FREQUENCIES.get(self.measure.frequency, self.measure.frequency)

    @property
    def data(self):
        return self.measure.format(self.value.value) if self.value else ""

    @property
    def number(self):
        return self.value.value if self.value else None

    @property
    def rag(self):
        return self.value.rag if self.value else RAG.ND.value

    @property
    def dot(self):
        return self.value.direction_of_travel if self.value else Direction.NO_TREND.value

    @property
    def target(self):
        return self.measure.format(self.target_value)

    @property
    def last_year(self):
        return self.measure.format(self.last_year_value)

    # Sort keys for the dashboard's columns: None never meets a number or a date.
    @property
    def period_sort(self):
        return self.value.span.end if self.value else date.min

    @property
    def number_sort(self):
        number = self.number
        return (number is None, number or 0)

    @property
    def rag_sort(self):
        return RAG_ORDER.index(self.rag)

    @property
    def commentary(self):
        return self.value.commentary if self.value else ""

    @property
    def action(self):
        return self.value.actions if self.value else ""


def latest_rows(measures):
    """A Row per measure of `measures`, a queryset annotated by `with_latest_ratings`, in its order.

    Three or four queries: the measures with their latest values, the targets in force for
    those periods (one query, or two when some carry forward), and the values a year earlier.
    """
    measures = list(
        measures.only(*ROW_MEASURE_FIELDS).annotate(service_name=F("service__name"), **LatestValue.COLUMNS)
    )
    values = {m.pk: value for m in measures if (value := LatestValue.of(m))}
    measure_ids = list(values)
    targets = targets_in_force((v.measure_id, v.span) for v in values.values())
    wanted = {v.measure_id: periods.year_earlier(v.span) for v in values.values()}
    # Filtered loosely in SQL (on the measures and the periods' first days), exactly in Python.
    earlier = {
        (measure_id, periods.Span(kind, start, end)): number
        for measure_id, kind, start, end, number in Value.objects.published()
        .filter(measure_id__in=measure_ids, period__start__in={s.start for s in wanted.values()})
        .order_by()
        .values_list("measure_id", "period__kind", "period__start", "period__end", "value")
    }
    rows = []
    for measure in measures:
        value = values.get(measure.pk)
        target = targets[measure.pk, value.span] if value else None
        rows.append(Row(
            measure,
            value,
            target.value if target else None,
            earlier.get((measure.pk, wanted[measure.pk])) if value else None,
        ))
    return rows


def latest_published_month(measures=None):
    """The last day of the latest month with published figures (of `measures` if given): what
    the reports show when no month is asked for. One query."""
    values = Value.objects.published()
    if measures is not None:
        values = values.filter(measure__in=measures)
    latest = values.aggregate(end=Max("period__end"))["end"]
    return periods.latest_month(latest, date.today())


def as_at_or_latest(as_at):
    """The as-at day a report is for: the month asked for (its last day), else the latest month
    with published figures."""
    return as_at or latest_published_month()


def default_committee():
    """The committee a report opens on when none is asked for: the one whose report was
    published last, else the first (by name) with measures; None without committees."""
    from reports.models import CommitteeSnapshot

    snapshot = CommitteeSnapshot.objects.select_related("committee").order_by("-published_at").first()
    if snapshot:
        return snapshot.committee
    return Committee.objects.filter(measures__isnull=False).order_by("name").first()


def latest_snapshots():
    """Each committee with measures and its latest published snapshot (or None), by name. Two
    queries."""
    from reports.models import CommitteeSnapshot

    latest = {}
    for snapshot in CommitteeSnapshot.objects.defer("rows", "pdf").select_related("committee").order_by("-meeting_date", "-published_at"):
        latest.setdefault(snapshot.committee_id, snapshot)
    committees = Committee.objects.filter(measures__isnull=False).distinct().order_by("name")
    return [(committee, latest.get(committee.pk)) for committee in committees]


def committee_rag_counts(as_at):
    """{committee id: {RAG: count}} over each committee's measures as its exception report counts
    them, as at `as_at`. One query, however many committees."""
    measures = with_latest_ratings(
        Measure.objects.performance().filter(reported_elsewhere=False, committees__isnull=False), as_at
    )
    counts = {}
    for committee_id, rag in measures.values_list("committees", "latest_rag"):
        counts.setdefault(committee_id, Counter())[rag] += 1
    return {pk: {rag.value: found[rag.value] for rag in RAG_ORDER} for pk, found in counts.items()}


def rag_counts(measures):
    """How many of `measures` (annotated by `with_latest_ratings`) are Red, Amber, Green and ND,
    in that order, zeros included: one GROUP BY."""
    counts = dict(measures.order_by().values_list("latest_rag").annotate(n=Count("pk")))
    return {rag.value: counts.get(rag.value, 0) for rag in RAG_ORDER}


def committee_measures(committee):
    """A committee's performance measures, without those reported elsewhere (risk, complaints)."""
    return Measure.objects.performance().filter(committees=committee, reported_elsewhere=False)


@dataclass
class ExceptionReport:
    rows: list[Row]
    red_amber_count: int
    other_count: int
    no_data_count: int

    @property
    def free_text(self):
        return free_text(self.rows)


def free_text(rows):
    """Characters of commentary and action the exception report's rows print (live Rows or a
    snapshot's dicts): what its PDF is bounded by (reports.pdf), however many measures are red
    or amber, as the committee's framework sets them (issue 18, finding 11)."""
    def text(row, name):
        return (row.get(name) if isinstance(row, dict) else getattr(row, name)) or ""

    return sum(len(text(row, "commentary")) + len(text(row, "action")) for row in rows)


def exception_report(committee, as_at):
    """The committee's Red and Amber measures as at `as_at`, Red first, then in framework order
    (by measure id); with the counts for the report's sentence. Four queries (five when a target
    carries forward)."""
    measures = with_latest_ratings(committee_measures(committee), as_at)
    counts = rag_counts(measures)
    exceptions = measures.filter(latest_rag__in=[RAG.RED, RAG.AMBER]).order_by("rag_rank", "pk")
    return ExceptionReport(
        rows=latest_rows(exceptions),
        red_amber_count=counts[RAG.RED.value] + counts[RAG.AMBER.value],
        other_count=counts[RAG.GREEN.value],
        no_data_count=counts[RAG.ND.value],
    )


def month_param(as_at):
    """The as-at day as the URLs write its month: 2020-10."""
    return periods.span(periods.MONTH, as_at).iso


@dataclass
class MeasureHistory:
    values: list[Value]
    targets: dict  # period id -> the target in force
    last_year: dict  # value id -> the value of the same period a year earlier
    comparators: list[ComparatorValue]
    floors: dict = field(default_factory=dict)  # period id -> the minimum standard (floor) in force

    @property
    def as_reported(self):
        """Whether any rating is kept as a committee paper printed it."""
        return any(as_reported(value.override_reason) for value in self.values)


def measure_history(measure):
    """Every published value of `measure`, oldest first, with the targets in force, each value's
    figure a year earlier, and the comparators. Three queries."""
    # Read through the measure, so that every value's `measure` is this one, not a copy per row.
    values = list(measure.values.published().select_related("period").order_by("period__end", "period__start"))
    target_in_force = in_force_each(list(measure.targets.select_related("period")))
    targets, floors = {}, {}
    for v in values:
        target = target_in_force(v.period.span)
        targets[v.period_id] = target.value if target else None
        floors[v.period_id] = target.floor if target else None
    by_span = {v.period.span: v.value for v in values}
    last_year = {v.pk: by_span.get(periods.year_earlier(v.period.span)) for v in values}
    comparators = list(measure.comparators.select_related("period").order_by("name", "period__end"))
    return MeasureHistory(values, targets, last_year, comparators, floors)
