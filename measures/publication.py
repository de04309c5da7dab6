"""What the published pages show: each published value's time in force, and the version of
the published pages for their shared cache.

**In force.** A measure's published values, in period order (period end, then start), form a
chain: each is in force from its period's end until the next one's period ends. Each keeps that
day as `valid_until` (date.max for the newest, which has no end; None for a value not published),
so that "the latest published value as at a day" is `period_end <= day < valid_until`: a join on
one range of an index, read from the index alone, with no probe per measure.
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

from collections import defaultdict
from datetime import date

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "perfhub:published-version"


def published_version():
    """The current version (a number that only goes up while the cache keeps it)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh or emptied cache: any number not used before will do.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def published_changed():
    """Retire every cached published page, now and again once the transaction commits (so that
    a page built from the data before the commit, while it ran, is retired too)."""
    _bump()
    transaction.on_commit(_bump)


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def in_force_until(chain):
    """`valid_until` for each of a measure's published values, given as (period end, period
    start) in any order: {index in `chain`: the end of the next one's period (date.max for the
    last)}. Values ending on the same day are in force one after the other, by start."""
    order = sorted(range(len(chain)), key=lambda i: chain[i])
    return {i: (chain[after][0] if after is not None else date.max)
            for i, after in zip(order, order[1:] + [None])}


def refresh_chains(measure_ids):
    """Set `valid_until` on every value of the measures of `measure_ids` (None where a value is
    not published), writing only what changed: one query to read, one to write if needed."""
    from measures.models import Value

    measure_ids = [pk for pk in set(measure_ids) if pk is not None]
    if not measure_ids:
        return
    chains, stored, wanted = defaultdict(list), {}, {}
    rows = Value.objects.filter(measure_id__in=measure_ids).order_by().values_list(
        "pk", "measure_id", "status", "period_end", "period_start", "valid_until")
    for pk, measure_id, status, end, start, valid_until in rows:
        stored[pk] = valid_until
        wanted[pk] = None
        if status == Value.Status.PUBLISHED:
            chains[measure_id].append((pk, end, start))
    for chain in chains.values():
        for index, until in in_force_until([(end, start) for _, end, start in chain]).items():
            wanted[chain[index][0]] = until
    changed = [Value(pk=pk, valid_until=until) for pk, until in wanted.items() if until != stored[pk]]
    if changed:
        Value.objects.bulk_update(changed, ["valid_until"], batch_size=1000)
