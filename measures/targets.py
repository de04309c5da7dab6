"""Which target is in force for a measure in a period.

A target is set for a period, and carries through time. For a period P the target in force is:
1. the target set for exactly P;
2. else the target of the shortest period that contains P: a target for a financial or academic
   year applies to every month, quarter or term in it, a quarter's to each of its months;
3. else the latest target for a period that ends before P does (the latest target applies until
   a new one is set), so a month entered after the last one imported is still rated.
A target applies to no period starting after its `ends` date: the BI team ends a target that
should not carry forward. A cumulative target profiled through the year is a target per month.

`in_force` is the rule, on targets whose period is at hand (unsaved ones do, in tests);
measures.selectors.targets_in_force reads many measures' targets in one query and applies it.
"""


def in_force(targets, span):
    """The target among `targets` (one measure's) in force for the period `span`, or None."""
    exact = containing = earlier = None
    shortest = latest = None  # the containing target's length, the earlier one's (end, start)
    kind, start, end = span.kind, span.start, span.end
    for target in targets:
        if target.ends is not None and start > target.ends:
            continue
        s = target.period.span
        if s.kind == kind and s.start == start:
            exact = target
        elif s.start <= start and end <= s.end:
            if containing is None or s.end - s.start < shortest:
                containing, shortest = target, s.end - s.start
        elif s.end < end and s.start < start:
            if earlier is None or (s.end, s.start) > latest:
                earlier, latest = target, (s.end, s.start)
    return exact or containing or earlier


def in_force_each(targets):
    """`in_force` for many periods of one measure: a function of the period's span. A target set
    for exactly that period (the commonest case, an import's) is found by its key, not a scan."""
    exact = {(t.period.kind, t.period.start): t for t in targets}

    def lookup(span):
        target = exact.get((span.kind, span.start))
        if target is not None and (target.ends is None or span.start <= target.ends):
            return target
        return in_force(targets, span)

    return lookup
