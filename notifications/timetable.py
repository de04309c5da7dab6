"""The collection timetable's rules: working days (England and Wales bank holidays, from the
`holidays` package), a figure's deadline N working days after its period ends, and how far off
a deadline is. Plain functions: dates in, dates and numbers out."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def bank_holidays(year):
    """England and Wales's bank holidays in `year` (substitute days included)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start, count):
    """The `count`-th working day after `start` (count >= 1), or the `-count`-th before it
    (count <= -1); `start` itself when count is 0."""
    step = 1 if count >= 0 else -1
    day, left = start, abs(count)
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def deadline(period_end, working_days):
    """The day a figure is due: `working_days` working days after its period ends."""
    return add_working_days(period_end, working_days)


def working_days_between(start, end):
    """Working days after `start` up to and including `end`; negative when `end` is before."""
    if end < start:
        return -working_days_between(end, start)
    return sum(is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


@dataclass(frozen=True)
class Due:
    """Where a deadline stands on a day: `state` is "due", "due today" or "overdue"."""

    deadline: date
    state: str
    working_days: int  # left before the deadline, or past it when overdue

    @property
    def text(self):
        day = f"{self.deadline:%a} {self.deadline.day} {self.deadline:%b %Y}"
        if self.state == "due today":
            return f"due today, {day}"
        plural = "s" if self.working_days != 1 else ""
        if self.state == "overdue":
            return f"overdue: was due {day}, {self.working_days} working day{plural} ago"
        return f"due by {day}, {self.working_days} working day{plural} left"


def due(today, deadline_day):
    """Where `deadline_day` stands on `today`."""
    if today == deadline_day:
        return Due(deadline_day, "due today", 0)
    if today > deadline_day:
        return Due(deadline_day, "overdue", max(1, working_days_between(deadline_day, today)))
    return Due(deadline_day, "due", working_days_between(today, deadline_day))


def moment(deadline_day, offset, hour):
    """When a reminder set `offset` working days from a deadline (negative: before it) is sent,
    at `hour` o'clock (a naive local time)."""
    return datetime.combine(add_working_days(deadline_day, offset), time(hour))
