"""SPC for the reports: each measure's published series, analysed by measures.spc.

`measure_spc(measures, as_at)` reads every series in three queries however many measures there
are (the values, the targets and the change points, each as plain tuples from `values_list`) and
runs the rules in Python. A series holds the published figures for periods ending by `as_at`,
oldest first; periods with no figure are gaps, at which moving ranges and runs break
(measures.spc). Each point's target is the one in force for its period (measures.targets, the
rule RAG uses): a year's target for its months, the latest one carried forward, none past its end.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef

from measures import periods, spc
from measures.models import ChangePoint, Measure, Target, Value
from measures.targets import in_force_each
from measures.spc import Assurance, Nature
from reports import selectors

VARIATION_CHOICES = [
    (Nature.CONCERN.value, "Special cause: concern"),
    (Nature.IMPROVEMENT.value, "Special cause: improvement"),
    (Nature.NEITHER.value, "Special cause: neither (no polarity)"),
    (Nature.COMMON.value, "Common cause"),
]
ASSURANCE_CHOICES = [
    (Assurance.FAILING.value, "Consistently failing the target"),
    (Assurance.HIT_AND_MISS.value, "Hit and miss"),
    (Assurance.PASSING.value, "Consistently passing the target"),
]


@dataclass
class MeasureSPC:
    """A measure's series as the SPC chart draws it, and what the rules make of it."""

    measure: object
    periods: list = field(default_factory=list, repr=False)  # (kind, first day, synthetic) per point
    values: list[Decimal] = field(default_factory=list)
    targets: list[Decimal | None] = field(default_factory=list)
    change_points: dict = field(default_factory=dict)  # point index -> reason
    synthetic: bool = False
    analysis: spc.Analysis | None = None

    @property
    def labels(self):
        """Each point's period as the reports write it; "(synthetic)" after generated figures."""
        return [
            periods.label(kind, start) + (" (synthetic)" if synthetic else "")
            for kind, start, synthetic in self.periods
        ]

    @property
    def target(self):
        """The target in force at the last point (measures.targets)."""
        return self.targets[-1] if self.targets else None

    @property
    def spans(self):
        return [periods.span(kind, start) for kind, start, _ in self.periods]

    @property
    def gaps(self):
        """The indexes of the points that follow missing periods."""
        return periods.gaps(self.spans)

    @property
    def gap_labels(self):
        """For each gap, the last period before it and the first after, as the reports write them."""
        labels = [periods.label(kind, start) for kind, start, _ in self.periods]
        return [(labels[i - 1], labels[i]) for i in sorted(self.gaps)]

    @property
    def variation(self):
        return self.analysis.variation if self.analysis else None

    @property
    def assurance(self):
        return self.analysis.assurance if self.analysis else None

    @property
    def reason(self):
        return self.analysis.reason if self.analysis else ""

    def analyse(self):
        self.analysis = spc.analyse(
            self.values, self.measure.polarity, self.target, self.change_points.keys(),
            self.measure.spc_settings, self.gaps,
        )
        return self


def measure_spc(measures, as_at):
    """A MeasureSPC per measure of `measures` (model instances), by measure id. Three queries."""
    by_id = {m.pk: MeasureSPC(m) for m in measures}
    if not by_id:
        return {}
    ids = list(by_id)
    rows = (
        Value.objects.published()
        .filter(measure_id__in=ids, period__end__lte=as_at, value__isnull=False)
        .order_by("measure_id", "period__end", "period__start")
        .values_list("measure_id", "period_id", "period__kind", "period__start", "value", "synthetic")
    )
    for measure_id, period_id, kind, start, value, synthetic in rows:
        series = by_id[measure_id]
        series.periods.append((kind, start, synthetic))
        series.values.append(value)
        series.synthetic |= synthetic
    targets = defaultdict(list)
    for target in Target.objects.filter(measure_id__in=ids).select_related("period"):
        targets[target.measure_id].append(target)
    for measure_id, series in by_id.items():
        target_for = in_force_each(targets[measure_id])
        series.targets = [getattr(target_for(s), "value", None) for s in series.spans]
    points = ChangePoint.objects.filter(measure_id__in=ids).values_list("measure_id", "period__start", "reason")
    for measure_id, start, reason in points:
        series = by_id[measure_id]
        index = next((i for i, s in enumerate(series.periods) if s[1] >= start), None)
        if index:  # a change point at the first point (index 0) or after the last changes nothing
            series.change_points[index] = reason
    return {pk: series.analyse() for pk, series in by_id.items()}


def attach(rows, as_at):
    """Sets `row.spc` on each selectors.Row of `rows` (a list): three queries."""
    found = measure_spc([row.measure for row in rows], as_at)
    for row in rows:
        row.spc = found.get(row.measure_id)
    return rows


@dataclass
class KeptSPC:
    """A measure's variation and assurance as kept on its latest published value."""

    variation: spc.Variation | None
    assurance: Assurance | None
    synthetic: bool = False  # whether the series holds generated figures (where it was read)


def kept_spc(nature, side, assurance, synthetic=False):
    """The SPC kept on a published value (its `spc_variation`, `spc_side`, `spc_assurance`; see
    measures.publication.refresh_chains): what `measure_spc` works out as at the value's month."""
    return KeptSPC(
        spc.Variation(Nature(nature), side) if nature else None,
        Assurance(assurance) if assurance else None,
        synthetic,
    )


def kept_spc_as_at(measure_ids, as_at):
    """{measure id: KeptSPC} read from each measure's latest published value as at `as_at`, and
    whether its series holds synthetic figures: what `measure_spc` gives, in one query and
    without reading a series."""
    synthetic = Value.objects.published().filter(
        measure=OuterRef("pk"), period_end__lte=as_at, value__isnull=False, synthetic=True,
    )
    rows = (
        selectors.with_latest_ratings(Measure.objects.filter(pk__in=measure_ids), as_at)
        .annotate(synthetic=Exists(synthetic))
        .values_list("pk", "latest_variation", "latest_side", "latest_assurance", "synthetic")
    )
    return {pk: kept_spc(*kept) for pk, *kept in rows}


def synthetic_measures(measure_ids):
    """The ids among `measure_ids` whose published series holds synthetic (generated) figures:
    their SPC icons are labelled so wherever they appear. One query."""
    measure_ids = {pk for pk in measure_ids if pk is not None}
    if not measure_ids:
        return set()
    return set(Value.objects.published().filter(measure_id__in=measure_ids, synthetic=True)
               .values_list("measure_id", flat=True).distinct())


def attach_kept(rows):
    """Sets `row.spc` on each selectors.Row of `rows` from the SPC kept on its value: the same
    as `attach`, with no query."""
    for row in rows:
        value = row.value
        row.spc = (kept_spc(value.spc_variation, value.spc_side, value.spc_assurance, value.synthetic_series)
                   if value else KeptSPC(None, None))
    return rows


def is_exception(series):
    """Special cause concern now, or a process that consistently fails its target."""
    return bool(series and (
        (series.variation and series.variation.nature == Nature.CONCERN)
        or series.assurance == Assurance.FAILING
    ))


@dataclass
class SPCExceptions:
    rows: list
    measure_count: int


def spc_exceptions(committee, as_at):
    """The committee's measures showing special cause concern or failing assurance as at
    `as_at`, whatever their RAG: concern first, then in framework order. Seven queries."""
    measures = selectors.with_latest_ratings(selectors.committee_measures(committee), as_at).order_by("pk")
    rows = attach(selectors.latest_rows(measures), as_at)
    exceptions = [row for row in rows if is_exception(row.spc)]
    exceptions.sort(key=lambda row: (row.spc.variation.nature != Nature.CONCERN, row.measure_id))
    return SPCExceptions(exceptions, len(rows))
