"""Generated history for trying SPC on the demo council (`load_demo --synthetic-history`).

The councils' reports give only a few figures per measure, too few for process limits. This adds
`MONTHS` months of made-up published figures before each monthly measure's first real one, marked
`synthetic` so that every page that shows them says so. The real figures are left as they are,
and the default demo never calls this.

Each series wanders about the measure's first real figure (a normal spread of 5% of it, from a
generator seeded by the measure, so that a reload gives the same figures); every third series
steps up or down by three spreads half way through, so that some charts show signals.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from measures import periods
from measures.models import Measure, Period, Value

MONTHS = 24


def _months_before(start, count):
    """The `count` calendar months before the month beginning `start`, oldest first."""
    spans = []
    day = start
    for _ in range(count):
        span = periods.span(periods.MONTH, day - timedelta(days=1))
        spans.append(span)
        day = span.start
    return list(reversed(spans))


def _figures(measure, first, count):
    generator = random.Random(measure.pk)
    spread = abs(float(first)) * 0.05 or 1.0
    step = 0.0
    if measure.pk % 3 == 0:
        step = 3 * spread * (1 if measure.pk % 2 else -1)
    figures = []
    for index in range(count):
        figure = generator.gauss(float(first) - (step if index < count // 2 else 0), spread)
        if measure.unit == Measure.Unit.PERCENT:
            figure = min(max(figure, 0), 100)
        elif float(first) >= 0:
            figure = max(figure, 0)
        figures.append(round(Decimal(repr(figure)), measure.decimal_places))
    return figures


@transaction.atomic
def add_synthetic_history(months=MONTHS):
    """Adds the history to every monthly measure that has a published figure and no synthetic
    history yet; returns how many figures it added."""
    measures = Measure.objects.filter(frequency=Measure.Frequency.MONTHLY).exclude(values__synthetic=True)
    added = 0
    for measure in measures:
        first = (
            measure.values.published().filter(value__isnull=False, period__kind=periods.MONTH)
            .select_related("period").order_by("period__start").first()
        )
        if first is None:
            continue
        spans = _months_before(first.period.start, months)
        taken = set(measure.values.values_list("period__start", flat=True))
        for span, figure in zip(spans, _figures(measure, first.value, months)):
            if span.start in taken:
                continue
            Value.objects.create(
                measure=measure, period=Period.for_span(span), value=figure,
                status=Value.Status.PUBLISHED, synthetic=True,
                caveat="Synthetic: generated for trying SPC, not a council's figure.",
            )
            added += 1
    return added
