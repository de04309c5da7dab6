"""Reporting periods: what a period label means, and how periods are labelled and stepped through.

A period is a `Span` of some kind (month, financial quarter, financial, academic or calendar year,
or a single snapshot date) from its first day to its last, both inclusive. The financial year
runs April to March, so Q1 is April-June; the academic year runs September to August.

`parse_period` reads every form the council's reports use ("Oct-20", "Nov 2017", "Q2 17-18",
"Qtr. 3 2017-18", "2016-17", "2016/17", "2016", "2020-10", "2017-11-30", "30 Nov 2017").
Two-digit years mean 20YY; periods outside the years 1990-2100 are refused. A pair of
consecutive years ("2016-17") is a financial or an academic year, which the caller says through
`year_basis`; that reading wins over an ISO month, so "2011-12" is the year 2011-12 and never
December 2011.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models

MONTH, QUARTER, FINANCIAL_YEAR, ACADEMIC_YEAR, CALENDAR_YEAR, SNAPSHOT = (
    "month", "quarter", "financial_year", "academic_year", "calendar_year", "snapshot")


class Kind(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    FINANCIAL_YEAR = "financial_year", "Financial year (April-March)"
    ACADEMIC_YEAR = "academic_year", "Academic year (September-August)"
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    SNAPSHOT = "snapshot", "Snapshot date"


class PeriodError(ValueError):
    """Text, or a date, that is not a period PerfHub recognises."""


# Spelled out rather than taken from strftime or the calendar module, which follow the locale.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)
_MONTH_NUMBERS = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)},
    **{name.lower(): number for number, name in enumerate(MONTH_ABBREVIATIONS, 1)},
    "sept": 9,
}
# The years PerfHub holds figures for: anything else is a typing slip (and year 1 has no year
# before it to compare with).
FIRST_YEAR, LAST_YEAR = 1990, 2100
YEAR_FIRST_MONTHS = {FINANCIAL_YEAR: 4, ACADEMIC_YEAR: 9, CALENDAR_YEAR: 1}
QUARTER_LAST_MONTHS = (6, 9, 12, 3)

_YEAR = r"(\d{2}|\d{4})"
_YEARS = rf"{_YEAR}\s*[-/]\s*{_YEAR}"
_MONTH_RE = re.compile(rf"([a-z]+)(?:\s*-\s*|\s+){_YEAR}", re.ASCII)
_QUARTER_RE = re.compile(rf"(?:quarter|qtr\.?|q)\s*([1-4])\s+{_YEARS}", re.ASCII)
_YEARS_RE = re.compile(_YEARS, re.ASCII)
_ISO_MONTH_RE = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DAY_RE = re.compile(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", re.ASCII)
_CALENDAR_YEAR_RE = re.compile(r"\d{4}", re.ASCII)


@dataclass(frozen=True)
class Span:
    """A period of one kind, from its first day to its last, both inclusive."""

    kind: str
    start: date
    end: date

    @property
    def label(self):
        return label(self.kind, self.start)

    @property
    def iso(self):
        """The ISO 8601 form where there is one (2017-11-30, 2020-10, 2016); otherwise the label."""
        if self.kind == SNAPSHOT:
            return self.start.isoformat()
        if self.kind == MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.kind == CALENDAR_YEAR:
            return f"{self.start.year:04d}"
        return self.label


def span(kind, day):
    """The period of that kind containing `day`."""
    kind = _kind(kind)
    if kind == SNAPSHOT:
        return Span(kind, day, day)
    if kind == MONTH:
        start, months = day.replace(day=1), 1
    elif kind == QUARTER:
        # Financial quarters start in April, July, October and January, as calendar ones do.
        start, months = date(day.year, day.month - (day.month - 1) % 3, 1), 3
    else:
        first_month = YEAR_FIRST_MONTHS[kind]
        year = day.year if day.month >= first_month else day.year - 1
        start, months = date(year, first_month, 1), 12
    return Span(kind, start, _add_months(start, months) - timedelta(days=1))


def label(kind, start):
    """How the reports label the period of that kind that contains `start`."""
    s = span(kind, start)
    if s.kind == MONTH:
        return month_label(s.start)
    if s.kind == QUARTER:
        number, year = (s.start.month - 4) % 12 // 3 + 1, _financial_year(s.start)
        return f"Q{number} {year % 100:02d}-{(year + 1) % 100:02d}"
    if s.kind in (FINANCIAL_YEAR, ACADEMIC_YEAR):
        return f"{s.start.year}-{(s.start.year + 1) % 100:02d}"
    if s.kind == CALENDAR_YEAR:
        return str(s.start.year)
    return f"{s.start.day} {MONTH_ABBREVIATIONS[s.start.month - 1]} {s.start.year}"


def month_label(day):
    """The month containing `day`, as "Oct-20"; the exception report labels quarters so too."""
    return f"{MONTH_ABBREVIATIONS[day.month - 1]}-{day.year % 100:02d}"


def parse_period(text, year_basis=FINANCIAL_YEAR):
    """The period a label such as "Oct-20", "Q2 17-18" or "2016-17" stands for.

    `year_basis` says whether a pair of years is a financial or an academic year.
    """
    if year_basis not in (FINANCIAL_YEAR, ACADEMIC_YEAR):
        raise PeriodError(f"{year_basis!r} is not a basis for years such as 2016-17")
    shown = text.strip()
    found = _read_period(shown, year_basis)
    if not (FIRST_YEAR <= found.start.year and found.end.year <= LAST_YEAR):
        raise PeriodError(f"'{shown}' is not a period PerfHub holds: give one from {FIRST_YEAR} to {LAST_YEAR}")
    return found


def _read_period(shown, year_basis):
    t = shown.lower()
    try:
        if m := _QUARTER_RE.fullmatch(t):
            first = _full_year(m[2])
            if not _follows(first, m[3]):
                raise _not_consecutive(shown)
            return span(QUARTER, _add_months(date(first, 4, 1), 3 * (int(m[1]) - 1)))
        if m := _YEARS_RE.fullmatch(t):
            first = _full_year(m[1])
            if _follows(first, m[2]):
                return span(year_basis, date(first, YEAR_FIRST_MONTHS[year_basis], 1))
            if not (_ISO_MONTH_RE.fullmatch(t) and 1 <= int(m[2]) <= 12):
                raise _not_consecutive(shown)
        if m := _ISO_MONTH_RE.fullmatch(t):
            return span(MONTH, date(int(m[1]), int(m[2]), 1))
        if _ISO_DATE_RE.fullmatch(t):
            return span(SNAPSHOT, date.fromisoformat(t))
        if (m := _MONTH_RE.fullmatch(t)) and m[1] in _MONTH_NUMBERS:
            return span(MONTH, date(_full_year(m[2]), _MONTH_NUMBERS[m[1]], 1))
        if (m := _DAY_RE.fullmatch(t)) and m[2] in _MONTH_NUMBERS:
            return span(SNAPSHOT, date(int(m[3]), _MONTH_NUMBERS[m[2]], int(m[1])))
        if _CALENDAR_YEAR_RE.fullmatch(t):
            return span(CALENDAR_YEAR, date(int(t), 1, 1))
    except PeriodError:
        raise
    except ValueError:  # a date that does not exist, such as month 13 or 31 Feb
        pass
    raise PeriodError(
        f"'{shown}' is not a period PerfHub recognises "
        "(try Oct-20, Q2 17-18, 2016-17, 2016 or 2020-10)"
    )


def check_open_for_entry(month, today):
    """Figures are entered for a month once it has begun, never for one still to come."""
    if month.start > today:
        raise PeriodError(f"{month.label} has not begun: figures are entered once their month has started")


def year_earlier(s):
    """The same period one year before; a snapshot on 29 February goes back to 28 February."""
    try:
        day = s.start.replace(year=s.start.year - 1)
    except ValueError:
        day = s.start.replace(year=s.start.year - 1, day=28)
    return span(s.kind, day)


def previous(s):
    """The period of the same kind just before `s`."""
    if s.kind == SNAPSHOT:
        raise PeriodError(f"A snapshot ({s.label}) has no previous period of its own kind")
    return span(s.kind, s.start - timedelta(days=1))


def quarter_ending(month_end):
    """The financial quarter whose last month contains `month_end`."""
    if month_end.month not in QUARTER_LAST_MONTHS:
        raise PeriodError(f"{month_label(month_end)} is not the last month of a financial quarter")
    return span(QUARTER, month_end)


def due(frequency, month):
    """Whether a measure of that frequency reports for the month: quarterly ones at quarter ends,
    annual ones at the financial year end (March), irregular ones never on a schedule."""
    last_month = month.end.month
    rules = {
        "monthly": True,
        "quarterly": last_month in QUARTER_LAST_MONTHS,
        "annual": last_month == 3,
        "irregular": False,
    }
    if frequency not in rules:
        raise ValueError(f"{frequency!r} is not a reporting frequency ({', '.join(rules)})")
    return rules[frequency]


def reporting_span(frequency, month):
    """The period a measure of that frequency reports on in the month `month` (a Span) when it is
    due: the month itself, the financial quarter ending in it, or the financial year ending in it."""
    if not due(frequency, month):
        raise PeriodError(f"A {frequency} measure does not report in {month_label(month.end)}")
    if frequency == "quarterly":
        return quarter_ending(month.end)
    if frequency == "annual":
        return span(FINANCIAL_YEAR, month.end)
    return span(MONTH, month.end)


def _kind(kind):
    try:
        return Kind(kind).value
    except ValueError:
        raise PeriodError(f"{kind!r} is not a kind of period") from None


def _add_months(first_of_month, months):
    years, month = divmod(first_of_month.month - 1 + months, 12)
    return date(first_of_month.year + years, month + 1, 1)


def _financial_year(day):
    """The year in which the financial year containing `day` starts."""
    return day.year if day.month >= 4 else day.year - 1


def _full_year(digits):
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _follows(first_year, digits):
    """Whether `digits` ("17" or "2017") name the year after `first_year`."""
    if len(digits) == 2:
        return int(digits) == (first_year + 1) % 100
    return int(digits) == first_year + 1


def _not_consecutive(shown):
    return PeriodError(
        f"'{shown}' is not a period PerfHub recognises: "
        "its second year must be the one after its first (as in 2016-17)"
    )
