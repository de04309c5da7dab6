"""A figure worked out from its numerator and denominator (issue 21).

A measure entered as two figures ("Children in care" over "Population aged 0-17") keeps both on
its value; the value itself is the derived figure, which every rating, chart and report reads:
numerator / denominator x the measure's scale (100 for a percentage, N for a rate per N, 1 for
a ratio or a plain proportion), kept to the places PerfHub stores (half up).

`derive` is the one rule: the entry page, the admin, the importer and the roll-ups call it.
A denominator of 0, or only one of the two figures, gives no figure and says why.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from measures.numbers import STORED_PLACES

RATE_UNITS = {"Rate per 1,000": 1000, "Rate per 10,000": 10000, "Rate per 100,000": 100000}
PLACES = Decimal(1).scaleb(-STORED_PLACES)


@dataclass(frozen=True)
class Derived:
    value: Decimal | None
    reason: str = ""


def scale(unit, rate_per=None):
    """What numerator / denominator is multiplied by to give a figure in `unit`."""
    if unit == "%":
        return Decimal(100)
    if unit in RATE_UNITS:
        return Decimal(RATE_UNITS[unit])
    return Decimal(rate_per) if rate_per else Decimal(1)


def derive(numerator, denominator, scale_by=Decimal(1)):
    """The figure numerator / denominator x `scale_by`, or no figure with the reason."""
    if numerator is None and denominator is None:
        return Derived(None, "")
    if numerator is None or denominator is None:
        missing = "numerator" if numerator is None else "denominator"
        return Derived(None, f"No {missing}: both figures are needed")
    if denominator == 0:
        return Derived(None, "The denominator is 0")
    figure = Decimal(numerator) * Decimal(scale_by) / Decimal(denominator)
    return Derived(figure.quantize(PLACES, rounding=ROUND_HALF_UP))
