"""Reading one cell as councils write it (plain functions, no database)."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from imports.cells import CellError, read_flag, read_number, read_word

MISSING = ("n/a", "ND", "-", "")


@pytest.mark.parametrize("text, number", [
    ("4,469", Decimal("4469")), ("4,469*", Decimal("4469")), ("41.4%", Decimal("41.4")),
    ("£1,250.50", Decimal("1250.50")), ("-28", Decimal("-28")), ("0.04%", Decimal("0.04")),
    ("  12  ", Decimal("12")), (".5", Decimal(".5")), ("–3", Decimal("-3")),
])
def test_figures_with_separators_signs_and_stars(text, number):
    assert read_number(text) == number


@pytest.mark.parametrize("text", ["n/a", "N/A", "ND", "-", "", "  "])
def test_no_data_markers_are_none(text):
    assert read_number(text, MISSING) is None


@pytest.mark.parametrize("text", ["12..5", "about 40", "4,46,9", "1e5", "NaN", "12 13"])
def test_text_that_is_not_a_figure_is_refused_with_the_text(text):
    with pytest.raises(CellError, match="is not a number"):
        read_number(text, MISSING)


def test_zero_is_missing_only_when_asked():
    assert read_number("0") == 0
    assert read_number("0", zero_is_missing=True) is None


def test_money_scales_only_when_asked():
    assert read_number("£1.2m", scale_money=True) == Decimal("1200000")
    assert read_number("£75k", scale_money=True) == Decimal("75000")
    with pytest.raises(CellError):
        read_number("£75k")


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_a_figure_written_with_thousands_separators_reads_back(number):
    assert read_number(f"{number:,}") == number


def test_flags_and_words():
    assert read_flag("Provisional") is True and read_flag("") is False
    with pytest.raises(CellError):
        read_flag("maybe")
    assert read_word(" lg ", {"lg": "Green"}, "RAG") == "Green"
    with pytest.raises(CellError, match="'zz' is not a RAG this layout knows"):
        read_word("zz", {"lg": "Green"}, "RAG")
