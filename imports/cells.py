"""Reading one cell as councils write it: "4,469*", "£1.2m", "41.4%", "n/a", "ND", "-".

Plain functions: they take the cell's text and the mapping's markers and return a value, or
raise CellError with a reason a person can act on.
"""

import re
from functools import cache
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(
    r"(?P<sign>[-−–]?)\s*£?\s*(?P<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
    r"\s*(?P<scale>[km]?)\s*(?P<percent>%?)\s*\**",
    re.IGNORECASE,
)
_SCALES = {"": 1, "k": 1000, "m": 1000000}
_TRUE = {"yes", "y", "true", "1", "provisional", "p"}
_FALSE = {"no", "n", "false", "0", ""}


class CellError(ValueError):
    """A cell that cannot be read as the field it is mapped to."""


def read_number(text, missing=(), zero_is_missing=False, scale_money=False):
    """The Decimal in `text`, or None when the cell is blank or one of the `missing` markers.

    Thousands separators, a leading "£", a trailing "%" and footnote stars ("4,469*") are
    allowed; with `scale_money`, "£1.2m" and "£75k" are read in pounds.
    """
    shown = " ".join(str(text).split())
    if not shown or shown.casefold() in _markers(tuple(missing)):
        return None
    match = _NUMBER.fullmatch(shown)
    if not match or (match["scale"] and not scale_money):
        raise CellError(f"'{shown}' is not a number")
    try:
        number = Decimal(match["digits"].replace(",", ""))
    except InvalidOperation:
        raise CellError(f"'{shown}' is not a number") from None
    number *= _SCALES[match["scale"].lower()]
    if match["sign"]:
        number = -number
    if zero_is_missing and number == 0:
        return None
    return number


@cache
def _markers(missing):
    return frozenset(m.casefold() for m in missing)


def read_flag(text):
    """True or False from a yes/no cell ("Yes", "Y", "Provisional", blank is False)."""
    shown = " ".join(str(text).split()).casefold()
    if shown in _TRUE:
        return True
    if shown in _FALSE:
        return False
    raise CellError(f"'{text}' is not yes or no")


def read_word(text, words, what):
    """The value the mapping's `words` table gives for `text` (matched ignoring case and spaces)."""
    shown = " ".join(str(text).split())
    table = {key.casefold(): value for key, value in words.items()}
    try:
        return table[shown.casefold()]
    except KeyError:
        known = ", ".join(sorted(words)) or "none"
        raise CellError(f"'{shown}' is not a {what} this layout knows ({known})") from None
