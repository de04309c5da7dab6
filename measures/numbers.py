"""Reading figures as people type them ("4,469", "41.4%", "£1.2m") and showing them the way the
reports do.

Figures are always Decimal. Thousands separators must be commas in groups of three. What else
is allowed follows the measure's unit (Measure.Unit's stored values):
- "%" (and figures of no stated unit): a trailing "%"; a percentage must be between 0 and 100.
- "% change" (a reduction or growth, "-16%", "150%"): a trailing "%", any sign and size.
- "£": a leading "£" (after any minus sign) and a trailing "k", "m" or "bn" that scales it.
- "Ratio": "2.5:1" or "1:4" (the first figure over the second) as well as a plain figure.
- "No. (Days)": a trailing "days" or "day".
- "Yes/No": Yes, Y, True or 1 is 1; No, N, False or 0 is 0.
Exponents, NaN and infinity are refused: nobody types them on purpose.

`format_value` shows a figure in its unit: money with £ and, from £10,000, in £k or £m
("£9,950", "£45.6k", "£1.23m"); yes/no as Yes or No; everything else as `format_number`,
unchanged from the figures the reports have always printed.

Scaled units ("£m", "£k", "No. (000s)"): the figure is stored as the council counts it (12.3 for
£12.3m), shown and exported as that plain number, with the unit in the column's header
(`unit_in_header`); a figure typed with the unit's own suffix ("£12.3m" for a £m measure) is read.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

PERCENT, MONEY, RATIO, DAYS, YES_NO = "%", "£", "Ratio", "No. (Days)", "Yes/No"
MONEY_THOUSANDS, MONEY_MILLIONS, THOUSANDS = "£k", "£m", "No. (000s)"
SCALED_UNITS = (MONEY_THOUSANDS, MONEY_MILLIONS, THOUSANDS)
PERCENT_CHANGE = "% change"

_NUMBER_RE = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|-?\.[0-9]+")
_PERCENT_UNITS = (PERCENT, PERCENT_CHANGE, "")
# Figures are stored as DecimalField(max_digits=16, decimal_places=4) (values, targets).
STORED_DIGITS, STORED_PLACES = 16, 4
LARGEST = Decimal(10) ** (STORED_DIGITS - STORED_PLACES)
# How many decimal places a measure may be shown to.
MAX_DECIMAL_PLACES = 6
_MONEY_RE = re.compile(r"(-?)\s*£\s*(.+?)\s*(k|m|bn)?", re.IGNORECASE)
_MONEY_SCALES = {"k": Decimal(1000), "m": Decimal(10**6), "bn": Decimal(10**9)}
_DAYS_RE = re.compile(r"(.+?)\s*days?", re.IGNORECASE)
_YES_NO = {"yes": Decimal(1), "y": Decimal(1), "true": Decimal(1), "1": Decimal(1),
           "no": Decimal(0), "n": Decimal(0), "false": Decimal(0), "0": Decimal(0)}


class NumberError(ValueError):
    """Text that is not a figure PerfHub can read."""


def parse_number(text, unit=""):
    """The figure in `text`, or None when it is blank. `unit` is the measure's unit ("%", "No.")."""
    number = _parse(text, unit)
    if number is not None:
        check_figure(number, unit, text.strip())
    return number


def check_figure(number, unit, shown=None):
    """Refuse a figure no measure in `unit` can have, however it was read: the one rule that
    My measures, the admin and the importer apply (a percentage from 0 to 100, yes/no as 1 or
    0, and what the figures' columns store exactly)."""
    shown = shown or str(number)
    if unit == PERCENT and not 0 <= number <= 100:
        raise NumberError(f"Percentages must be between 0 and 100 ('{shown}' is not)")
    if unit == YES_NO and number not in (0, 1):
        raise NumberError(f"'{shown}' is not Yes or No")
    check_storable(number, shown)
    return number


def _parse(text, unit):
    shown = text.strip()
    if not shown:
        return None
    if unit == YES_NO:
        try:
            return _YES_NO[shown.lower()]
        except KeyError:
            raise NumberError(f"'{shown}' is not Yes or No") from None
    if unit in (MONEY_THOUSANDS, MONEY_MILLIONS) and (m := _MONEY_RE.fullmatch(shown)):
        if (m[3] or "").lower() not in ("", unit[1:]):
            raise NumberError(f"'{shown}' is in £{m[3]}, but this measure is counted in {unit}: "
                              f"write the figure in {unit}")
        number = _read(m[2], shown)
        return -number if m[1] else number
    if unit == MONEY and (m := _MONEY_RE.fullmatch(shown)):
        number = _read(m[2], shown)
        scale = _MONEY_SCALES[m[3].lower()] if m[3] else 1
        return (-number if m[1] else number) * scale
    if unit == RATIO and ":" in shown:
        first, second = (_read(part.strip(), shown) for part in shown.split(":", 1))
        if second == 0:
            raise NumberError(f"'{shown}' is not a ratio PerfHub can read: its second figure is 0")
        # A ratio is kept to the places PerfHub stores: "1:3" is 0.3333.
        return (first / second).quantize(Decimal(1).scaleb(-STORED_PLACES), rounding=ROUND_HALF_UP)
    if unit == DAYS and (m := _DAYS_RE.fullmatch(shown)):
        return _read(m[1], shown)
    digits = shown
    if digits.endswith("%"):
        if unit not in _PERCENT_UNITS:
            raise NumberError(f"'{shown}' has a % sign, but this measure is counted in {unit}")
        digits = digits[:-1].rstrip()
    return _read(digits, shown)


def _read(digits, shown):
    if not _NUMBER_RE.fullmatch(digits):
        raise NumberError(
            f"'{shown}' is not a number PerfHub can read (write it like 4,469 or 41.4)"
        )
    return Decimal(digits.replace(",", ""))


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
    if type(value) is not Decimal:
        value = Decimal(value)
    quantum, spec = _PLACES.get(places) or _places(places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    if not rounded:
        rounded = abs(rounded)  # no "-0.00" for a tiny negative
    return format(rounded, spec)


def _places(places):
    """The quantum and format spec of `places` decimal places, worked out once (format_number
    runs for each of a report's thousands of figures)."""
    return _PLACES.setdefault(places, (Decimal(1).scaleb(-places), f",.{places}f"))


_PLACES = {}


def figure_to_edit(value, places):
    """`value` as a form's input holds it: to `places` decimal places (4.0000 at one place is 4.0,
    at none 4), or to more where the stored figure has digits there, so that nothing is lost."""
    if value is None:
        return None
    value = Decimal(value)
    exponent = min(-places, value.normalize().as_tuple().exponent)
    return value.quantize(Decimal(1).scaleb(exponent))


def format_value(value, unit, places):
    """`value` as the reports show a figure in `unit` (see the module docstring)."""
    if value is None:
        return ""
    if unit == YES_NO:
        return "Yes" if value else "No"
    if unit == MONEY:
        return format_money(value, places)
    return format_number(value, places)


def unit_in_header(unit, label=""):
    """The unit a table's figures column names in its header ("Data (£m)"), for a scaled unit
    whose figures are shown as plain numbers; "" for the others, whose figures show their unit."""
    return (label or unit) if unit in SCALED_UNITS else ""


def format_money(value, places=0):
    """£ with thousands separators below £10,000, in £k (one place) below £1m, else in £m (two)."""
    value = Decimal(value)
    size = abs(value)
    if size >= 10**6:
        shown = f"{format_number(size / 10**6, 2)}m"
    elif size >= 10**4:
        shown = f"{format_number(size / 1000, 1)}k"
    else:
        shown = format_number(size, places)
    negative = value < 0 and shown.strip("0.,km") != ""
    return f"{'-' if negative else ''}£{shown}"
