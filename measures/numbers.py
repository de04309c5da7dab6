"""Reading figures as people type them ("4,469", "41.4%") and showing them the way the reports do.

Figures are always Decimal. Thousands separators must be commas in groups of three; a trailing
"%" is allowed for percentages and for figures of no stated unit. Exponents, NaN and infinity
are refused: nobody types them on purpose.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

_NUMBER_RE = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|-?\.[0-9]+")
_PERCENT_UNITS = ("%", "")
# Figures are stored as DecimalField(max_digits=16, decimal_places=4) (values, targets).
STORED_DIGITS, STORED_PLACES = 16, 4
LARGEST = Decimal(10) ** (STORED_DIGITS - STORED_PLACES)
# How many decimal places a measure may be shown to.
MAX_DECIMAL_PLACES = 6


class NumberError(ValueError):
    """Text that is not a figure PerfHub can read."""


def parse_number(text, unit=""):
    """The figure in `text`, or None when it is blank. `unit` is the measure's unit ("%", "No.")."""
    shown = text.strip()
    digits = shown
    if digits.endswith("%"):
        if unit not in _PERCENT_UNITS:
            raise NumberError(f"'{shown}' has a % sign, but this measure is counted in {unit}")
        digits = digits[:-1].rstrip()
    if not shown:
        return None
    if not _NUMBER_RE.fullmatch(digits):
        raise NumberError(
            f"'{shown}' is not a number PerfHub can read (write it like 4,469 or 41.4)"
        )
    number = Decimal(digits.replace(",", ""))
    if unit == "%" and not 0 <= number <= 100:
        raise NumberError(f"Percentages must be between 0 and 100 ('{shown}' is not)")
    check_storable(number, shown)
    return number


def check_storable(number, shown=None):
    """Refuse a figure PerfHub could not store exactly: too large for its figures' columns, or
    with more decimal places than they keep (it would be rounded, or even stored as 0, silently)."""
    shown = shown or str(number)
    if abs(number) >= LARGEST:
        raise NumberError(f"'{shown}' is too large: figures must be less than {LARGEST:,} in size")
    if number.normalize().as_tuple().exponent < -STORED_PLACES:
        raise NumberError(
            f"'{shown}' has more than {STORED_PLACES} decimal places: round it to {STORED_PLACES} "
            "decimal places or fewer"
        )


def format_number(value, places):
    """`value` rounded half-up to `places` decimal places, with thousands separators.

    None, for no figure, is shown as "".
    """
    if value is None:
        return ""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.00" for a tiny negative
    return f"{rounded:,.{places}f}"
