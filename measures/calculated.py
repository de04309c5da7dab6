"""Calculated measures kept current (issue 21): a service over measures.formulas.

`check_formula(measure)` is the rule every door applies on save (the admin's form, the importer,
the framework pages): the formula parses, every code it reads is a measure's, and no measure
would depend on itself. `recalculate(measure_ids)` works out again every calculated measure that
reads one of `measure_ids` (and those that read them, in order) for each period where an input
has a figure: measures.services.rate_measures calls it, so every publish, revision, withdrawal
and import recomputes. Each calculated figure is saved through the model, so the audit trail
records it with its inputs; it is published only when every input's figure for the period is
published, and otherwise kept as a draft with "no data" and the reason.
"""

from collections import defaultdict

from django.db import transaction

from measures import formulas


def _graph(rows):
    return {code: formulas.parse(text).codes for _, code, text in rows if code}


def check_formula(measure):
    """Raise FormulaError when `measure`'s formula cannot be saved."""
    from measures.models import Measure

    parsed = formulas.parse(measure.formula)
    if not measure.code:
        raise formulas.FormulaError("A calculated measure needs a code, so other formulas and rules can name it")
    known = set(Measure.objects.filter(code__in=parsed.codes).values_list("code", flat=True))
    unknown = [code for code in parsed.codes if code not in known and code != measure.code]
    if unknown:
        raise formulas.FormulaError(f"No measure has the code {', '.join(unknown)}")
    rows = Measure.objects.exclude(formula="").exclude(pk=measure.pk).values_list("pk", "code", "formula")
    graph = _graph(rows)
    graph[measure.code] = parsed.codes
    cycle = formulas.find_cycle(graph)
    if cycle:
        raise formulas.FormulaError(f"The formula refers back to itself: {' -> '.join(cycle)}")


@transaction.atomic
def recalculate(measure_ids):
    """Recompute the calculated measures that read any of `measure_ids`; returns their ids."""
    from measures.models import Measure, Value

    rows = list(Measure.objects.exclude(formula="").exclude(code="").values_list("pk", "code", "formula"))
    if not rows:
        return set()
    graph = _graph(rows)
    by_code = {code: pk for pk, code, _ in rows}
    measure_ids = set(measure_ids)
    changed_codes = set(Measure.objects.filter(pk__in=measure_ids).exclude(code="").values_list("code", flat=True))
    # A calculated measure rated or saved itself (its formula changed) is worked out again too.
    affected = {code for pk, code, _ in rows if pk in measure_ids}
    grew = True
    while grew:
        grew = False
        for code, needs in graph.items():
            if code not in affected and (set(needs) & (changed_codes | affected)):
                affected.add(code)
                grew = True
    if not affected:
        return set()
    written = set()
    for code in formulas.order({c: graph[c] for c in affected}):
        if code in affected:
            _recalculate_one(Measure.objects.get(pk=by_code[code]), Value)
            written.add(by_code[code])
    from measures.services import rate_measures

    rate_measures(written, recalculate=False)
    return written


def _recalculate_one(measure, Value):
    parsed = formulas.parse(measure.formula)
    inputs = defaultdict(dict)
    for code, period_id, figure, status in Value.objects.filter(
        measure__code__in=parsed.codes
    ).values_list("measure__code", "period_id", "value", "status"):
        inputs[period_id][code] = (figure, status)
    existing = {v.period_id: v for v in Value.objects.filter(measure=measure)}
    for period_id, found in inputs.items():
        published = {c: f for c, (f, s) in found.items() if s == Value.Status.PUBLISHED}
        figures = {code: published.get(code) for code in parsed.codes}
        result = formulas.evaluate(parsed, figures)
        all_published = all(code in published for code in parsed.codes)
        status = Value.Status.PUBLISHED if all_published and result.value is not None else Value.Status.DRAFT
        reason = result.reason if result.value is None else ""
        if not all_published:
            waiting = [code for code in parsed.codes if code not in published]
            reason = f"Waiting for {', '.join(waiting)} to be published"
        recorded = {code: (None if f is None else str(f)) for code, f in figures.items()}
        if period_id not in existing and not all(code in found for code in parsed.codes):
            continue  # an input has no figure at all for the period: nothing to work out yet
        value = existing.get(period_id) or Value(measure=measure, period_id=period_id)
        new = (result.value if all_published else None, reason[:300], status, recorded)
        if value.pk and (value.value, value.no_data_reason, value.status, value.inputs) == new:
            continue
        value.value, value.no_data_reason, value.status, value.inputs = new
        value._change_reason = "Calculated from " + (
            ", ".join(f"{code} = {f if f is not None else 'no data'}" for code, f in recorded.items())
        )
        value.save()
