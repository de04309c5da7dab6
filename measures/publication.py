"""What the published pages show: each published value's time in force, and the version of
the published pages for their shared cache.

**In force.** A measure's published values, in period order (period end, then start), form a
chain: each is in force from its period's end until the next one's period ends. Each keeps that
day as `valid_until` (date.max for the newest, which has no end; None for a value not published),
so that "the latest published value as at a day" is `period_end <= day < valid_until`: a join on
one range of an index, read from the index alone, with no probe per measure. Beside it each
keeps the SPC variation and assurance as at it (issue 12), so the dashboard filters on them in
SQL.
`refresh_chains(measure_ids)` is the one place that sets it: Value.save (for a value published
now or when read), Value.delete and Value.objects.bulk_create/delete call it, and so does
measures.services.rate_measures (every publish, revision, withdrawal, override and import).

**Version.**
Every write that changes something a published page shows calls `published_changed()`: a
value published, revised or overridden (measures.services), ratings recomputed after an import
or a change of definition or target (measures.services.rate_measure), a risk reviewed or
re-levelled (risks.services). Cached pages are keyed by the version, so the next request after
a change builds its page afresh, on every app server that shares the cache.
"""

import time
from collections import defaultdict
from datetime import date

from django.core.cache import cache
from django.db import transaction

from measures import periods, spc
from measures.models import ChangePoint, Measure, Target, Value
from measures.targets import in_force_each

VERSION_KEY = "perfhub:published-version"


def published_version():
    """The current version: a number that only goes up, even when the cache loses it."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _fresh_version():
    """A version above any used before: a cache that evicted or lost the version key may still
    hold pages stored under the old numbers, which must never be served again."""
    return time.time_ns()


def published_changed():
    """Retire every cached published page, now and again once the transaction commits (so that
    a page built from the data before the commit, while it ran, is retired too)."""
    _bump()
    transaction.on_commit(_bump)


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)


def in_force_until(chain):
    """`valid_until` for each of a measure's published values, given as (period end, period
    start) in any order: {index in `chain`: the end of the next one's period (date.max for the
    last)}. Values ending on the same day are in force one after the other, by start."""
    order = sorted(range(len(chain)), key=lambda i: chain[i])
    return {i: (chain[after][0] if after is not None else date.max)
            for i, after in zip(order, order[1:] + [None])}


def spc_in_force(chain, polarity, change_starts, settings):
    """The SPC (variation, assurance) as at each of a measure's published values: `chain` is
    them in period order as (figure or None, periods.Span, target in force for the period or
    None; see measures.targets). As reports.variation.measure_spc works it out as at the value's
    period: the figures so far (blanks left out, and gaps where periods are missing), the target
    in force at the last of them, the change points (periods' first days) within them."""
    figures, spans, target, found = [], [], None, (None, None)
    for figure, span, point_target in chain:
        if figure is not None:
            figures.append(figure)
            spans.append(span)
            target = point_target
            indexes = {next((i for i, s in enumerate(spans) if s.start >= cp), None) for cp in change_starts}
            analysis = spc.analyse(figures, polarity, target, [i for i in indexes if i], settings,
                                   periods.gaps(spans))
            found = (analysis.variation, analysis.assurance)
        yield found


def refresh_chains(measure_ids):
    """Set `valid_until` and the SPC columns on every value of the measures of `measure_ids`
    (blank where a value is not published), writing only what changed: four queries to read,
    and one UPDATE per distinct new result. Ratings are kept by measures.services.rate_measures,
    which calls this."""
    measure_ids = {pk for pk in measure_ids if pk is not None}
    if not measure_ids:
        return
    measures = {m.pk: m for m in Measure.objects.filter(pk__in=measure_ids).only(
        "polarity", "spc_baseline_points", "spc_screen_moving_ranges")}
    targets = defaultdict(list)
    for target in Target.objects.filter(measure_id__in=measure_ids).select_related("period"):
        targets[target.measure_id].append(target)
    change_starts = defaultdict(set)
    for measure_id, start in ChangePoint.objects.filter(measure_id__in=measure_ids).values_list(
            "measure_id", "period__start"):
        change_starts[measure_id].add(start)
    fields = ["valid_until", "spc_variation", "spc_side", "spc_assurance"]
    chains, stored, wanted = defaultdict(list), {}, {}
    rows = Value.objects.filter(measure_id__in=measure_ids).order_by(
        "measure_id", "period_end", "period_start").values_list(
        "pk", "measure_id", "status", "period_end", "period_start", "period__kind", "value", *fields)
    for pk, measure_id, status, end, start, kind, figure, *kept in rows:
        stored[pk] = tuple(kept)
        wanted[pk] = (None, "", "", "")
        if status == Value.Status.PUBLISHED:
            chains[measure_id].append((pk, end, start, figure, periods.span(kind, start)))
    for measure_id, chain in chains.items():
        measure = measures[measure_id]
        target_for = in_force_each(targets[measure_id])
        until = in_force_until([(end, start) for _, end, start, _, _ in chain])
        spcs = spc_in_force(
            [(figure, span, getattr(target_for(span), "value", None)) for _, _, _, figure, span in chain],
            measure.polarity, change_starts[measure_id], measure.spc_settings)
        for index, ((pk, *_), (variation, assurance)) in enumerate(zip(chain, spcs)):
            wanted[pk] = (
                until[index], variation.nature.value if variation else "",
                variation.side if variation else "", assurance.value if assurance else "",
            )
    changed = defaultdict(list)
    for pk, new in wanted.items():
        if new != stored[pk]:
            changed[new].append(pk)
    # One UPDATE per distinct result (a publish changes two values: the new one and the one it
    # follows), far cheaper than a CASE per row once a whole history is filled.
    for new, pks in changed.items():
        Value.objects.filter(pk__in=pks).update(**dict(zip(fields, new)))
