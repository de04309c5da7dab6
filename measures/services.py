"""Writes that span several models, each inside one transaction."""

from django.db import transaction

from measures import periods
from measures.models import Measure, Value
from measures.rating import direction_of_travel, suggest_rag


@transaction.atomic
def rate_measure(measure):
    """Recompute the RAG and direction of travel in force for every value of `measure`.

    Call it after any change to the measure's values, targets, polarity or tolerance: a value's
    direction of travel depends on the one before it, so the whole series is rated in order.
    """
    measure = Measure.objects.get(pk=measure.pk)
    targets = {t.period_id: t.value for t in measure.targets.all()}
    series = list(measure.values.select_related("period").order_by("period__start"))
    by_span = {v.period.span: v for v in series}
    previous = None
    for value in series:
        if measure.dot_basis == Measure.Basis.YEAR_AGO:
            compared = by_span.get(periods.year_earlier(value.period.span))
        else:
            compared = previous
        suggested_rag = suggest_rag(
            value.value, targets.get(value.period_id), measure.polarity, measure.rag_tolerance
        )
        suggested_dot = direction_of_travel(
            value.value, compared.value if compared else None, measure.polarity, measure.same_band
        )
        value.rag = value.rag_override or suggested_rag
        value.direction_of_travel = value.dot_override or suggested_dot
        if value.value is not None:
            previous = value
    Value.objects.bulk_update(series, ["rag", "direction_of_travel"])
