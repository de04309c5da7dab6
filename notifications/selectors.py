"""The collection timetable as the BI team set it, read once for a page or a run of reminders."""

from datetime import date

from notifications import timetable
from notifications.models import Deadline, DeadlineException

DEFAULT_WORKING_DAYS = 10


class Timetable:
    """Each frequency's deadline for the figures due in a month, exceptions first."""

    def __init__(self, working_days, exceptions):
        self.working_days = working_days  # {frequency: working days}
        self.exceptions = exceptions  # {(first of month, frequency or ""): date}

    @classmethod
    def load(cls, months=None):
        """Read the rules, and the exceptions of `months` (all when None): two queries."""
        exceptions = DeadlineException.objects.all()
        if months is not None:
            exceptions = exceptions.filter(month__in=[m.replace(day=1) for m in months])
        return cls(
            dict(Deadline.objects.values_list("frequency", "working_days")),
            {(e.month, e.frequency): e.deadline for e in exceptions},
        )

    def deadline(self, frequency, month_end):
        """The deadline of the figures of `frequency` due in the month ending `month_end`."""
        first = month_end.replace(day=1)
        for key in ((first, frequency), (first, "")):
            if key in self.exceptions:
                return self.exceptions[key]
        return timetable.deadline(month_end, self.working_days.get(frequency, DEFAULT_WORKING_DAYS))

    def due(self, frequency, month_end, today=None):
        return timetable.due(today or date.today(), self.deadline(frequency, month_end))
