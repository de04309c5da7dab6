"""format_number, worked out with its quantum and format spec kept per number of places, writes
the text it always wrote."""

import random
from decimal import ROUND_HALF_UP, Decimal

from measures.numbers import format_number


def written_before(value, places):
    # format_number as it read before its quantum and spec were kept: the reference.
    if value is None:
        return ""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{places}f}"


def test_format_number_writes_what_it_always_wrote():
    chosen = random.Random(19)
    figures = [None, 0, 7, -1, 2.5, "12.345", Decimal("-0.0004"), Decimal("-0.00"), Decimal("0.5"),
               Decimal("-1.5"), Decimal("999999999999.9999"), Decimal("1234567.89555")]
    figures += [Decimal(chosen.randint(-10**12, 10**12)).scaleb(-chosen.randint(0, 6)) for _ in range(500)]
    for figure in figures:
        for places in range(8):
            assert format_number(figure, places) == written_before(figure, places), (figure, places)
