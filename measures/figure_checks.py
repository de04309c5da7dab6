"""The checks a figure meets on its way in (issue 21), read from the database: the one door
that the entry page, the admin and the importer call.

`check_figures(entries)` takes (measure, periods.Span, figure) for each figure being entered and
returns, for each, the errors (validation rules of importance "error" it breaks) and the flags
(outlier flags, and rules of importance "warning") that the lead must confirm with a reason.
Figures for the same period already held (any status) and those being entered together are
what the rules read; the entered ones win. Three queries however many figures: the rules, the
period's figures of the measures they name, and the measures' published history.
"""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from measures import checks, formulas


@dataclass
class Checked:
    errors: list = field(default_factory=list)
    flags: list = field(default_factory=list)


HISTORY_LIMIT = 36


def check_figures(entries, flags=True):
    from measures.models import ValidationRule, Value

    entries = list(entries)
    results = [Checked() for _ in entries]
    if not entries:
        return results
    rules = [r.rule for r in ValidationRule.objects.filter(active=True)]
    codes = {code for rule in rules for code in rule.codes}
    spans = {span for _, span, _ in entries if span is not None}
    held = defaultdict(dict)
    if rules and spans:
        rows = Value.objects.filter(
            measure__code__in=codes, period__kind__in={s.kind for s in spans},
            period__start__in={s.start for s in spans},
        ).values_list("measure__code", "period__kind", "period__start", "value")
        for code, kind, start, figure in rows:
            held[(kind, start)][code] = figure
    for measure, span, figure in entries:
        if span is not None and measure.code:
            held[(span.kind, span.start)][measure.code] = figure
    ends, history = defaultdict(list), defaultdict(list)
    # Each figure is read beside the published history held, never beside the other figures
    # entered with it: a file of history is not flagged against itself.
    ids = {m.pk for m, _, _ in entries if m.pk} if flags else set()
    for measure_id, end, figure in [] if not ids else Value.objects.filter(
        measure_id__in=ids, status=Value.Status.PUBLISHED, value__isnull=False,
    ).order_by("measure_id", "period_end").values_list("measure_id", "period_end", "value"):
        ends[measure_id].append(end)
        history[measure_id].append(figure)
    for (measure, span, figure), result in zip(entries, results):
        if figure is None or span is None:
            continue
        if flags:
            before = bisect_left(ends[measure.pk], span.start)
            earlier = history[measure.pk][max(0, before - HISTORY_LIMIT):before]
            result.flags.extend(checks.outlier_flags(
                figure, earlier, measure.minimum, measure.maximum, measure.spc_settings,
            ))
        if measure.code:
            for broken in checks.broken_rules(rules, held[(span.kind, span.start)], codes=[measure.code]):
                (result.errors if broken.is_error else result.flags).append(str(broken))
    return results


def check_figure(measure, span, figure):
    return check_figures([(measure, span, figure)])[0]


def unconfirmed(checked, reason):
    """What to ask of a figure `checked` flagged as unusual when no `reason` confirms it; "" when
    it is not flagged or is confirmed. Every door asks in these words: My measures, the admin and
    the importer."""
    if not checked.flags or (reason or "").strip():
        return ""
    return ("This figure looks unusual: " + "; ".join(checked.flags)
            + ". Check it, then confirm it by saying why it is right.")


def rules_broken_in(span):
    """Every active validation rule broken by the figures held for the period `span` (any
    status: the BI team checks drafts and submissions too), with its sides' figures."""
    from measures.models import ValidationRule, Value

    rules = [r.rule for r in ValidationRule.objects.filter(active=True)]
    if not rules:
        return []
    return checks.broken_rules(rules, figures_held({code for rule in rules for code in rule.codes}, span))


def figures_held(codes, span):
    """{code: figure} of the measures `codes` name for the period `span`, as held (any status;
    None where a value has no figure): what rules and formulas are tried on."""
    from measures.models import Value

    return dict(Value.objects.filter(
        measure__code__in=codes, period__kind=span.kind, period__start=span.start,
    ).values_list("measure__code", "value"))


@dataclass
class Trial:
    """A rule or formula worked out on a period's figures, for the BI team writing it."""

    span: object
    figures: dict  # code -> figure (None: no figure held)
    results: list  # (side's text, formulas.Result)
    broken: object = None  # checks.Broken, for a rule


def try_rule(rule, span):
    """`rule` (checks.Rule) on the figures held for `span`: each side's result, and whether it breaks."""
    figures = figures_held(rule.codes, span)
    figures = {code: figures.get(code) for code in rule.codes}
    results = [(side, formulas.evaluate(side, figures)) for side in (rule.left, rule.right)]
    return Trial(span, figures, results, checks.check_rule(rule, figures))


def try_formula(text, span):
    """A calculated measure's formula `text` worked out on the figures held for `span`."""
    codes = formulas.parse(text).codes
    held = figures_held(codes, span)
    figures = {code: held.get(code) for code in codes}
    return Trial(span, figures, [(text, formulas.evaluate(text, figures))])


def unknown_codes(codes):
    """The codes among `codes` that no measure has, in order."""
    from measures.models import Measure

    known = set(Measure.objects.filter(code__in=codes).values_list("code", flat=True))
    return [code for code in codes if code not in known]
