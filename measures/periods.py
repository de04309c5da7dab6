"""Reporting periods: what a period label means, and how periods are labelled and stepped through.

A period is a `Span` of some kind (month, financial quarter, school term, financial, academic or
calendar year, rolling 12 months, or a single snapshot date) from its first day to its last, both
inclusive. The financial year runs April to March, so Q1 is April-June; the academic year runs
September to August.

School terms are three per academic year, on whole months so that every month falls in exactly
one term (schools' own dates move with Easter, which a monthly figure cannot follow):
Term 1 (Autumn) September-December, Term 2 (Spring) January-March, Term 3 (Summer) April-August.

Rolling 12 months are the twelve months ending with a month, labelled by it ("12 months to
Dec-24"); `span(ROLLING_12, day)` is the twelve months ending with the month containing `day`.

`parse_period` reads every form the council's reports use ("Oct-20", "Nov 2017", "Jan 2024",
"Q2 17-18", "Q2 18/19", "Qtr. 3 2017-18", "Quarter 3 2024 to 2025", "2016-17", "2016/17",
"2017-18 AY", "FY 2023/24", "Term 1 2024/25", "Autumn term 2024-25", "Spring 2025",
"Dec 2024 (rolling 12 months)", "12 months to Dec-24", "2016", "2020-10", "2017-11-30",
"30 Nov 2017"). Two-digit years mean 20YY; periods outside the years 1990-2100 are refused. A pair of consecutive years ("2016-17") is a financial
or an academic year, which the caller says through `year_basis` (a calendar-year basis reads it
as a financial year) unless the text says "AY" or "FY"; that reading wins over an ISO month, so
"2011-12" is the year 2011-12 and never December 2011.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models

MONTH, QUARTER, TERM, FINANCIAL_YEAR, ACADEMIC_YEAR, CALENDAR_YEAR, ROLLING_12, SNAPSHOT = (
    "month", "quarter", "term", "financial_year", "academic_year", "calendar_year", "rolling_12",
    "snapshot")


class Kind(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    TERM = "term", "School term"
    FINANCIAL_YEAR = "financial_year", "Financial year (April-March)"
    ACADEMIC_YEAR = "academic_year", "Academic year (September-August)"
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    ROLLING_12 = "rolling_12", "Rolling 12 months"
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
_YEARS = rf"{_YEAR}\s*(?:[-/]|\s+to\s+)\s*{_YEAR}"
_MONTH_RE = re.compile(rf"([a-z]+)(?:\s*-\s*|\s+){_YEAR}", re.ASCII)
_QUARTER_RE = re.compile(rf"(?:quarter|qtr\.?|q)\s*([1-4])\s+{_YEARS}", re.ASCII)
_YEARS_RE = re.compile(_YEARS, re.ASCII)
_ISO_MONTH_RE = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DAY_RE = re.compile(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", re.ASCII)
_CALENDAR_YEAR_RE = re.compile(r"\d{4}", re.ASCII)
_YEAR_BASIS_RE = re.compile(
    rf"(?:(?P<before>ay|fy|academic year|financial year)\s+)?(?P<years>{_YEARS})"
    rf"(?:\s+(?P<after>ay|fy|academic year|financial year))?",
    re.ASCII,
)
_TERM_RE = re.compile(
    rf"(?:term\s*([1-3])|(autumn|spring|summer)(?:\s+term)?)(?:\s*\(\w+\))?\s+{_YEARS}", re.ASCII
)
_TERM_IN_YEAR_RE = re.compile(r"(autumn|spring|summer)(?:\s+term)?\s+(\d{4})", re.ASCII)
_ROLLING_RES = (
    re.compile(r"(.+?)\s*\(\s*rolling\s+12\s+months?\s*\)", re.ASCII),
    re.compile(r"(?:rolling\s+)?12\s+months?\s+(?:to|ending)\s+(.+)", re.ASCII),
    re.compile(r"(?:r12|rolling\s+12)\s+(.+)", re.ASCII),
)
_BASIS_WORDS = {"ay": "academic_year", "academic year": "academic_year",
                "fy": "financial_year", "financial year": "financial_year"}
TERM_NAMES = ("Autumn", "Spring", "Summer")
TERM_FIRST_MONTHS = (9, 1, 4)
TERM_LAST_MONTHS = (12, 3, 8)
YEAR_LAST_MONTHS = {FINANCIAL_YEAR: 3, ACADEMIC_YEAR: 8, CALENDAR_YEAR: 12}


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
    elif kind == ROLLING_12:
        start, months = _add_months(day.replace(day=1), -11), 12
    elif kind == TERM:
        number = _term_number(day)
        first = TERM_FIRST_MONTHS[number - 1]
        start = date(day.year, first, 1)
        months = (TERM_LAST_MONTHS[number - 1] - first) % 12 + 1
    elif kind == QUARTER:
        # Financial quarters start in April, July, October and January, as calendar ones do.
        start, months = date(day.year, day.month - (day.month - 1) % 3, 1), 3
    else:
        first_month = YEAR_FIRST_MONTHS[kind]
        year = day.year if day.month >= first_month else day.year - 1
        start, months = date(year, first_month, 1), 12
    return Span(kind, start, _add_months(start, months) - timedelta(days=1))


def label(kind, start):
    """How the reports label the period of that kind that contains `start` (for rolling 12
    months: the twelve months starting with the month of `start`)."""
    if _kind(kind) == ROLLING_12:
        return f"12 months to {month_label(_add_months(start.replace(day=1), 11))}"
    s = span(kind, start)
    if s.kind == MONTH:
        return month_label(s.start)
    if s.kind == QUARTER:
        number, year = (s.start.month - 4) % 12 // 3 + 1, _financial_year(s.start)
        return f"Q{number} {year % 100:02d}-{(year + 1) % 100:02d}"
    if s.kind == TERM:
        number, year = _term_number(s.start), _academic_year(s.start)
        return f"Term {number} ({TERM_NAMES[number - 1]}) {year}-{(year + 1) % 100:02d}"
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
    if year_basis not in YEAR_FIRST_MONTHS:
        raise PeriodError(f"{year_basis!r} is not a basis for years such as 2016-17")
    shown = text.strip()
    found = _read_period(shown, year_basis)
    if not (FIRST_YEAR <= found.start.year and found.end.year <= LAST_YEAR):
        raise PeriodError(f"'{shown}' is not a period PerfHub holds: give one from {FIRST_YEAR} to {LAST_YEAR}")
    return found


def _read_period(shown, year_basis):
    t = " ".join(shown.lower().split())
    for rolling in _ROLLING_RES:
        if m := rolling.fullmatch(t):
            month = _parse(m[1], shown, year_basis)
            if month.kind != MONTH:
                raise PeriodError(f"'{shown}' is not a period PerfHub recognises: "
                                  "rolling 12 months end with a month, as in Dec 2024 (rolling 12 months)")
            return span(ROLLING_12, month.start)
    return _parse(t, shown, year_basis)


def _parse(t, shown, year_basis):
    try:
        if m := _QUARTER_RE.fullmatch(t):
            first = _full_year(m[2])
            if not _follows(first, m[3]):
                raise _not_consecutive(shown)
            return span(QUARTER, _add_months(date(first, 4, 1), 3 * (int(m[1]) - 1)))
        if m := _TERM_RE.fullmatch(t):
            first = _full_year(m[3])
            if not _follows(first, m[4]):
                raise _not_consecutive(shown)
            number = int(m[1]) if m[1] else TERM_NAMES.index(m[2].title()) + 1
            month = TERM_FIRST_MONTHS[number - 1]
            return span(TERM, date(first if month >= 9 else first + 1, month, 1))
        if m := _TERM_IN_YEAR_RE.fullmatch(t):
            return span(TERM, date(int(m[2]), TERM_FIRST_MONTHS[TERM_NAMES.index(m[1].title())], 1))
        if (m := _YEAR_BASIS_RE.fullmatch(t)) and (m["before"] or m["after"]):
            if m["before"] and m["after"]:
                raise PeriodError(f"'{shown}' names its kind of year twice")
            first, second = _YEARS_RE.fullmatch(m["years"]).groups()
            if not _follows(_full_year(first), second):
                raise _not_consecutive(shown)
            basis = _BASIS_WORDS[m["before"] or m["after"]]
            return span(basis, date(_full_year(first), YEAR_FIRST_MONTHS[basis], 1))
        if m := _YEARS_RE.fullmatch(t):
            first = _full_year(m[1])
            if _follows(first, m[2]):
                basis = ACADEMIC_YEAR if year_basis == ACADEMIC_YEAR else FINANCIAL_YEAR
                return span(basis, date(first, YEAR_FIRST_MONTHS[basis], 1))
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
        "(try Oct-20, Q2 17-18, 2016-17, 2017-18 AY, Term 1 2024/25, 2016 or 2020-10)"
    )


def check_open_for_entry(month, today):
    """Figures are entered for a month once it has begun, never for one still to come."""
    if month.start > today:
        raise PeriodError(f"{month.label} has not begun: figures are entered once their month has started")


def year_earlier(s):
    """The same period one year before; a snapshot on 29 February goes back to 28 February."""
    if s.kind == ROLLING_12:
        return span(ROLLING_12, s.end.replace(year=s.end.year - 1, day=1))
    try:
        day = s.start.replace(year=s.start.year - 1)
    except ValueError:
        day = s.start.replace(year=s.start.year - 1, day=28)
    return span(s.kind, day)


def previous(s):
    """The period of the same kind just before `s` (for rolling 12 months: the twelve months to
    the month before, the figure reported a month earlier)."""
    if s.kind == SNAPSHOT:
        raise PeriodError(f"A snapshot ({s.label}) has no previous period of its own kind")
    if s.kind == ROLLING_12:
        return span(ROLLING_12, s.end.replace(day=1) - timedelta(days=1))
    return span(s.kind, s.start - timedelta(days=1))


def gaps(spans):
    """The indexes of `spans` (a series' periods, oldest first) that follow missing periods: the
    one before is of the same kind but not the period just before it. Snapshots and a change of
    kind are never a gap (they have no period of their own kind just before)."""
    found = set()
    for i, (before, after) in enumerate(zip(spans, spans[1:]), 1):
        if before.kind == after.kind != SNAPSHOT and previous(after).start != before.start:
            found.add(i)
    return found


def months_before(s, months):
    """The period of the same kind ending `months` months before `s` ends (a figure reported
    "one quarter in arrears" is 3 months before; a quarterly report's previous figure for a
    rolling 12 months measure is the twelve months to 3 months earlier)."""
    if s.kind == SNAPSHOT:
        raise PeriodError(f"A snapshot ({s.label}) has no earlier period of its own kind")
    return span(s.kind, _add_months(s.end.replace(day=1), -months))


def month_at_hand(pending_end, handed_over_end, today):
    """The month whose figures are the work at hand.

    The month of the latest figures still being worked on (`pending_end`, the last day of their
    period), else the month after the latest figures already handed on (`handed_over_end`),
    else the last whole month; never a month that has not ended by `today`.
    """
    last_whole = previous(span(MONTH, today))
    if pending_end:
        month = span(MONTH, pending_end)
    elif handed_over_end:
        month = span(MONTH, handed_over_end + timedelta(days=1))
    else:
        return last_whole
    return month if month.start <= last_whole.start else last_whole


def latest_month(latest_end, today):
    """The last day of the month of `latest_end` (the latest published figures' period end), or
    of the current month when there are none or they end later."""
    this_month = span(MONTH, today)
    if latest_end is None or latest_end > this_month.end:
        return this_month.end
    return span(MONTH, latest_end).end


def quarter_ending(month_end):
    """The financial quarter whose last month contains `month_end`."""
    if month_end.month not in QUARTER_LAST_MONTHS:
        raise PeriodError(f"{month_label(month_end)} is not the last month of a financial quarter")
    return span(QUARTER, month_end)


def due(frequency, month, year_basis=FINANCIAL_YEAR):
    """Whether a measure of that frequency reports for the month: quarterly ones at quarter ends,
    termly ones at term ends (December, March, August), annual ones at the end of their year
    (March, August or December, as `year_basis` says), rolling-12-month ones every month,
    irregular ones never on a schedule."""
    last_month = month.end.month
    rules = {
        "monthly": True,
        "quarterly": last_month in QUARTER_LAST_MONTHS,
        "termly": last_month in TERM_LAST_MONTHS,
        "annual": last_month == YEAR_LAST_MONTHS.get(year_basis, 3),
        "rolling_12": True,
        "irregular": False,
    }
    if frequency not in rules:
        raise ValueError(f"{frequency!r} is not a reporting frequency ({', '.join(rules)})")
    return rules[frequency]


def reporting_span(frequency, month, year_basis=FINANCIAL_YEAR):
    """The period a measure of that frequency reports on in the month `month` (a Span) when it is
    due: the month itself, the quarter, term or year (of `year_basis`) ending in it, or the
    twelve months ending with it."""
    if not due(frequency, month, year_basis):
        raise PeriodError(f"A {frequency} measure does not report in {month_label(month.end)}")
    if frequency == "quarterly":
        return quarter_ending(month.end)
    if frequency == "termly":
        return span(TERM, month.end)
    if frequency == "annual":
        return span(year_basis if year_basis in YEAR_LAST_MONTHS else FINANCIAL_YEAR, month.end)
    if frequency == "rolling_12":
        return span(ROLLING_12, month.end)
    return span(MONTH, month.end)


def reporting_spans(frequency, year, year_basis=FINANCIAL_YEAR):
    """The periods a measure of that frequency reports on through the year `year` (a Span), in
    order: twelve months (or rolling twelve months), four quarters, three terms, or the year.
    An irregular measure has no schedule, so its targets are set by month."""
    frequency = "monthly" if frequency == "irregular" else frequency
    months, month = [], span(MONTH, year.start)
    while month.start <= year.end:
        months.append(month)
        month = span(MONTH, month.end + timedelta(days=1))
    return [reporting_span(frequency, m, year_basis) for m in months if due(frequency, m, year_basis)]


def year_later(s):
    """The same period one year on."""
    if s.kind == ROLLING_12:
        return span(ROLLING_12, s.end.replace(year=s.end.year + 1, day=1))
    try:
        return span(s.kind, s.start.replace(year=s.start.year + 1))
    except ValueError:  # 29 February
        return span(s.kind, s.start.replace(year=s.start.year + 1, day=28))


def year_kind(year_basis):
    """The kind of year a measure of that basis counts in."""
    return year_basis if year_basis in YEAR_FIRST_MONTHS else FINANCIAL_YEAR


def _kind(kind):
    try:
        return Kind(kind).value
    except ValueError:
        raise PeriodError(f"{kind!r} is not a kind of period") from None


def _add_months(first_of_month, months):
    years, month = divmod(first_of_month.month - 1 + months, 12)
    return date(first_of_month.year + years, month + 1, 1)


def _term_number(day):
    return 1 if day.month >= 9 else 2 if day.month <= 3 else 3


def _academic_year(day):
    """The year in which the academic year containing `day` starts."""
    return day.year if day.month >= 9 else day.year - 1


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


# Periods as councils label them: a month label for a longer period.

FIRST, LAST, WITHIN = "first", "last", "within"
MONTH_LABEL_RULES = {
    FIRST: "the first month of the period",
    LAST: "the last month of the period",
    WITHIN: "any month of the period",
}
# The kinds of period a measure of each frequency has figures for; an irregular measure's
# figures are for any period (snapshots, mostly).
FREQUENCY_KINDS = {
    "monthly": (MONTH,),
    "quarterly": (QUARTER,),
    "termly": (TERM,),
    "annual": (FINANCIAL_YEAR, ACADEMIC_YEAR, CALENDAR_YEAR),
    "rolling_12": (ROLLING_12,),
}
_KIND_NAMES = {MONTH: "a month", QUARTER: "a quarter", TERM: "a school term", FINANCIAL_YEAR: "a year",
               ACADEMIC_YEAR: "a year", CALENDAR_YEAR: "a year", ROLLING_12: "rolling 12 months",
               SNAPSHOT: "a single date"}


def reported_span(labelled, frequency, month_is=LAST, year_basis=FINANCIAL_YEAR):
    """The period a measure of `frequency` reports on, given the period its label names.

    A label that names the measure's own kind of period is that period. A month label for a
    longer period ("Jan 2024" for a quarter) is read by `month_is`: the period's first month
    (Jan-Mar 2024), its last (Nov 2023-Jan 2024 is no quarter: an error), or any month of it.
    Rolling 12 months are labelled by their last month or by a quarter, whose end they run to.
    Anything else (a quarter for an annual measure, a month for a termly one that is not a term's
    first or last) is a PeriodError saying what the label should be: never a shorter period.
    An irregular measure's label is taken as it is.
    """
    if month_is not in MONTH_LABEL_RULES:
        raise PeriodError(f"{month_is!r} is not a rule for month labels ({', '.join(MONTH_LABEL_RULES)})")
    if frequency == "irregular":
        return labelled
    if frequency not in FREQUENCY_KINDS:
        raise PeriodError(f"{frequency!r} is not a reporting frequency ({', '.join(FREQUENCY_KINDS)}, irregular)")
    kinds = FREQUENCY_KINDS[frequency]
    if labelled.kind in kinds:
        return labelled
    if frequency == "rolling_12" and labelled.kind in (MONTH, QUARTER):
        if labelled.kind == MONTH and month_is == FIRST:  # "12 months from Jan 2024"
            return span(ROLLING_12, _add_months(labelled.start, 11))
        return span(ROLLING_12, labelled.end)
    if labelled.kind == MONTH and frequency != "monthly":
        kind = year_kind(year_basis) if frequency == "annual" else kinds[0]
        found = span(kind, labelled.start)
        fits = {FIRST: found.start == labelled.start, LAST: found.end == labelled.end, WITHIN: True}[month_is]
        if fits:
            return found
        raise PeriodError(
            f"'{labelled.label}' is not the {month_is} month of {_KIND_NAMES[kind]}, as the mapping reads "
            f"month labels for {_an(frequency)} measure ({found.label} runs {month_label(found.start)} to {month_label(found.end)}): "
            f"label it {_month_example(kind, month_is)}, or change the mapping's rule for {frequency} month labels"
        )
    raise PeriodError(
        f"'{labelled.label}' is {_KIND_NAMES[labelled.kind]}, which does not fit {_an(frequency)} measure: "
        f"give {_KIND_NAMES[kinds[0]]}{_label_examples(kinds[0])}"
    )


def _an(word):
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _month_example(kind, month_is):
    example = span(kind, date(2024, 1, 1))
    if month_is == FIRST:
        return f"by its first month (as {month_label(example.start)} for {example.label})"
    return f"by its last month (as {month_label(example.end)} for {example.label})"


def _label_examples(kind):
    return {
        MONTH: " (as Oct-20)", QUARTER: " (as Q2 17-18, or a month the mapping's rule reads as a quarter)",
        TERM: " (as Term 1 2024/25)", FINANCIAL_YEAR: " (as 2016-17)", ROLLING_12: " (as 12 months to Dec-24)",
    }.get(kind, "")



def check_fits(frequency, s):
    """Raise PeriodError unless a measure reported at `frequency` may have a figure for the
    period `s`: a month for a monthly measure, a quarter for a quarterly one, a term, a year,
    twelve months to a month; any period for an irregular one. A figure on a period of another
    kind would vanish from every report once published. Every door that gives a figure a period
    (My measures, the admin, the importer) calls it."""
    check_whole(s)
    kinds = FREQUENCY_KINDS.get(frequency)
    if kinds is not None and s.kind not in kinds:
        shown = " or ".join(_kind_name(kind) for kind in kinds)
        what = frequency.replace("_", " ")
        raise PeriodError(
            f"{s.label} is a {_kind_name(s.kind)}: {'an' if what[0] in 'aeiou' else 'a'} {what} "
            f"measure's figures are each for a {shown}"
        )


def _kind_name(kind):
    return Kind(kind).label.split(" (")[0].lower()


def check_whole(s):
    """Raise PeriodError unless `s` is the period its kind and start make (1 Nov 2026 to 31 Dec
    2099 is no month): periods are made from their kind and start, never by hand."""
    if s.kind not in Kind.values:
        raise PeriodError(f"{s.kind!r} is not a kind of period")
    made = span(s.kind, s.end)
    if (made.start, made.end) != (s.start, s.end):
        raise PeriodError(
            f"{s.start:%-d %b %Y} to {s.end:%-d %b %Y} is not a {_kind_name(s.kind)}: "
            f"that one runs {made.start:%-d %b %Y} to {made.end:%-d %b %Y}"
        )


def last_complete_month(today):
    """The month before the one `today` is in (a Span): the latest whose figures can be whole."""
    return span(MONTH, today.replace(day=1) - timedelta(days=1))


def month_hint(today=None):
    """A hint for a month input that names a month that makes sense today: "A month, such as
    2026-11 or Nov-26" (the last complete month), never a fixed one."""
    month = last_complete_month(today or date.today())
    return f"A month, such as {month.iso} or {month.label}"
