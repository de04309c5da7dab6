"""{% collection_deadlines month %}: when the figures due in a month are due, and how far off."""

from datetime import date

from django import template

from measures.selectors import schedules_due
from notifications.selectors import Timetable

register = template.Library()


def deadlines(month, today, plan):
    """[(frequency label, timetable.Due), ...] for each frequency with figures due in `month`."""
    from measures.models import Measure

    labels = dict(Measure.Frequency.choices)
    frequencies = list(dict.fromkeys(frequency for frequency, _, _ in schedules_due(month)))
    return [(labels[f], plan.due(f, month.end, today)) for f in frequencies]


@register.inclusion_tag("notifications/deadlines.html")
def collection_deadlines(month):
    if not month:
        return {"deadlines": []}
    return {"month": month, "deadlines": deadlines(month, date.today(), Timetable.load([month.start]))}
