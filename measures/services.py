"""Writes that span several models, each inside one transaction."""

from django.db import transaction

from measures import periods
from measures.models import Measure, Value


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
        year_earlier = by_span.get(periods.year_earlier(value.period.span))
        suggested_rag, suggested_dot = measure.suggested_ratings(
            value.value,
            targets.get(value.period_id),
            previous.value if previous else None,
            year_earlier.value if year_earlier else None,
        )
        value.rag = value.rag_override or suggested_rag
        value.direction_of_travel = value.dot_override or suggested_dot
        if value.value is not None:
            previous = value
    Value.objects.bulk_update(series, ["rag", "direction_of_travel"])
