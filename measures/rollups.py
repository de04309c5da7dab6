"""Roll-ups of a monthly measure: its quarter, financial year, year to date and rolling 12 months.

A measure's `aggregation` says how months combine:
- sum: the months' figures added (admissions, days delayed);
- mean: their average (a monthly average of a caseload);
- last: the latest month's figure (a snapshot: children in care on the last day);
- ratio: from the numerator and denominator, the summed numerators over the summed
  denominators x the measure's scale: never the mean of the months' percentages.
A roll-up is worked out from the months at hand within its window; it says how many months it
used and how many the window holds, so an incomplete quarter is never shown as a whole one.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from measures import derived, periods


class Aggregation(models.TextChoices):
    SUM = "sum", "Sum of the months"
    MEAN = "mean", "Mean of the months"
    LAST = "last", "Latest month"
    RATIO = "ratio", "From the numerator and denominator"


@dataclass(frozen=True)
class Month:
    """One month's figure, with its parts where the measure is entered as two figures."""

    start: date
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


QUARTER, YEAR_TO_DATE, FULL_YEAR, ROLLING_12 = "quarter", "year_to_date", "year", "rolling_12"
WINDOWS = {
    QUARTER: "Quarter", YEAR_TO_DATE: "Year to date", FULL_YEAR: "Financial year",
    ROLLING_12: "Rolling 12 months",
}


@dataclass(frozen=True)
class RollUp:
    window: str
    span: periods.Span
    value: Decimal | None
    months: int
    months_in_window: int
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    reason: str = ""

    @property
    def label(self):
        if self.window == YEAR_TO_DATE:
            return f"{self.span.label} to {periods.month_label(self.span.end)}"
        return self.span.label

    @property
    def name(self):
        return WINDOWS[self.window]

    @property
    def complete(self):
        return self.months == self.months_in_window


def combine(months, aggregation, scale_by=Decimal(1)):
    """(figure, numerator sum, denominator sum, reason) of `months` by `aggregation`."""
    months = sorted(months, key=lambda m: m.start)
    if aggregation == Aggregation.RATIO:
        parts = [m for m in months if m.numerator is not None and m.denominator is not None]
        if not parts:
            return None, None, None, "No month has both a numerator and a denominator"
        top = sum((m.numerator for m in parts), Decimal(0))
        bottom = sum((m.denominator for m in parts), Decimal(0))
        result = derived.derive(top, bottom, scale_by)
        return result.value, top, bottom, result.reason
    figures = [m.value for m in months if m.value is not None]
    if not figures:
        return None, None, None, "No figures in the period"
    if aggregation == Aggregation.SUM:
        return sum(figures, Decimal(0)), None, None, ""
    if aggregation == Aggregation.MEAN:
        mean = sum(figures, Decimal(0)) / len(figures)
        return mean.quantize(derived.PLACES, rounding=ROUND_HALF_UP), None, None, ""
    return figures[-1], None, None, ""


def window_span(window, month_start, year_basis=periods.FINANCIAL_YEAR):
    """The span (of a kind Period can hold) of `window` for the month starting `month_start`;
    the year to date is a span of the year's kind ending with the month."""
    if window == QUARTER:
        return periods.span(periods.QUARTER, month_start)
    if window == ROLLING_12:
        return periods.span(periods.ROLLING_12, month_start)
    year = periods.span(periods.year_kind(year_basis), month_start)
    if window == FULL_YEAR:
        return year
    return periods.Span(year.kind, year.start, periods.span(periods.MONTH, month_start).end)


def months_in(span):
    return (span.end.year - span.start.year) * 12 + span.end.month - span.start.month + 1


def roll_up(months, window, month_start, aggregation, scale_by=Decimal(1), year_basis=periods.FINANCIAL_YEAR):
    """The RollUp of `window` for the month starting `month_start`, from the measure's `months`."""
    span = window_span(window, month_start, year_basis)
    inside = [m for m in months if span.start <= m.start <= span.end]
    value, top, bottom, reason = combine(inside, aggregation, scale_by)
    counted = len([m for m in inside if m.value is not None or m.numerator is not None])
    whole = months_in(span)
    return RollUp(window, span, value, counted, whole, top, bottom, reason)


def roll_ups(months, month_start, aggregation, scale_by=Decimal(1), year_basis=periods.FINANCIAL_YEAR):
    """Every window's RollUp for the month starting `month_start`."""
    return [roll_up(months, w, month_start, aggregation, scale_by, year_basis) for w in WINDOWS]
