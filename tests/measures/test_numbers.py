import re
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures.numbers import NumberError, figure_to_edit, format_number, format_value, parse_number


@pytest.mark.parametrize("text, unit, expected", [
    ("4,469", "No.", D("4469")),
    ("41.4%", "%", D("41.4")),
    ("41.4%", "", D("41.4")),
    ("41.4", "%", D("41.4")),
    (" 70 ", "", D("70")),
    ("-0.86", "", D("-0.86")),
    ("1,328", "", D("1328")),
    ("0.82", "%", D("0.82")),
    ("1,234,567.5", "", D("1234567.5")),
    (".5", "", D("0.5")),
    ("100%", "%", D("100")),
    ("0", "%", D("0")),
])
def test_parse_number_reads_figures_as_people_type_them(text, unit, expected):
    assert parse_number(text, unit) == expected


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_is_no_figure(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text", [
    "abc", "1.2.3", "1,23", "12,34,567", "--1", "NaN", "Infinity", "1e5", "%", "1,000,00",
    ",100", "1.", "+-1", "١٢",
])
def test_parse_number_refuses_what_is_not_a_number_naming_it(text):
    with pytest.raises(NumberError, match=re.escape(f"'{text}' is not a number")):
        parse_number(text)


@pytest.mark.parametrize("text", ["-0.1", "100.01", "150%"])
def test_percentages_outside_0_to_100_are_refused(text):
    with pytest.raises(NumberError, match="Percentages must be between 0 and 100"):
        parse_number(text, "%")


def test_a_percent_sign_is_refused_for_a_count():
    with pytest.raises(NumberError, match="'41.4%'"):
        parse_number("41.4%", "No.")


@pytest.mark.parametrize("value, places, expected", [
    (D("4469"), 0, "4,469"),
    (D("70"), 2, "70.00"),
    (D("355.2"), 2, "355.20"),
    (D("-0.86"), 2, "-0.86"),
    (D("1062"), 0, "1,062"),
    (D("1234567.891"), 2, "1,234,567.89"),
    (D("2.5"), 0, "3"),
    (D("-2.5"), 0, "-3"),
    (D("0.125"), 2, "0.13"),
    (D("-0.001"), 2, "0.00"),
])
def test_format_number_rounds_half_up_with_thousands_separators(value, places, expected):
    assert format_number(value, places) == expected


def test_no_figure_formats_as_blank():
    assert format_number(None, 2) == ""


@given(
    st.decimals(min_value=-10**9, max_value=10**9, places=6),
    st.integers(min_value=0, max_value=4),
)
def test_a_formatted_figure_reads_back_as_the_rounded_figure(value, places):
    rounded = value.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert parse_number(format_number(value, places)) == rounded


@pytest.mark.parametrize("text, unit, expected", [
    ("£4,469", "£", D("4469")),
    ("4469", "£", D("4469")),
    ("£1.2m", "£", D("1200000")),
    ("£450k", "£", D("450000")),
    ("£450K", "£", D("450000")),
    ("£2bn", "£", D("2000000000")),
    ("-£1,250.50", "£", D("-1250.50")),
    ("2.5:1", "Ratio", D("2.5")),
    ("1:4", "Ratio", D("0.25")),
    ("0.8", "Ratio", D("0.8")),
    ("12 days", "No. (Days)", D("12")),
    ("1 day", "No. (Days)", D("1")),
    ("1,012", "No. (Days)", D("1012")),
    ("Yes", "Yes/No", D("1")),
    ("n", "Yes/No", D("0")),
    ("0", "Yes/No", D("0")),
    ("12.5", "Rate per 1,000", D("12.5")),
    ("355.2", "Rate per 100,000", D("355.2")),
])
def test_parse_number_follows_the_unit(text, unit, expected):
    assert parse_number(text, unit) == expected


@pytest.mark.parametrize("text, unit, message", [
    ("£4,469", "No.", "'£4,469' is not a number"),
    ("£1.2x", "£", "'£1.2x' is not a number"),
    ("Maybe", "Yes/No", "'Maybe' is not Yes or No"),
    ("3:0", "Ratio", "its second figure is 0"),
    ("12%", "Rate per 1,000", "has a % sign"),
    ("twelve days", "No. (Days)", "'twelve days' is not a number"),
])
def test_parse_number_refuses_what_the_unit_does_not_allow(text, unit, message):
    with pytest.raises(NumberError, match=re.escape(message)):
        parse_number(text, unit)


@pytest.mark.parametrize("value, unit, places, expected", [
    (D("9950"), "£", 0, "£9,950"),
    (D("45600"), "£", 0, "£45.6k"),
    (D("1234567"), "£", 0, "£1.23m"),
    (D("-1234567"), "£", 0, "-£1.23m"),
    (D("12.5"), "£", 2, "£12.50"),
    (D("1"), "Yes/No", 0, "Yes"),
    (D("0"), "Yes/No", 0, "No"),
    (D("41.4"), "%", 1, "41.4"),
    (D("355.2"), "Rate per 10,000", 1, "355.2"),
    (D("4469"), "No.", 0, "4,469"),
    (None, "£", 0, ""),
])
def test_format_value_follows_the_unit(value, unit, places, expected):
    assert format_value(value, unit, places) == expected


@given(st.decimals(min_value=-10**11, max_value=10**11, places=2))  # within what PerfHub stores
def test_money_reads_back_as_the_figure_shown(value):
    shown = format_value(value, "£", 2)
    back = parse_number(shown, "£")
    # Shown to two places in £m (to £5,000), one in £k (to £50), else exactly.
    assert abs(back - value) <= (5000 if abs(value) >= 10**6 else 50 if abs(value) >= 10**4 else 0)


def test_a_ratio_is_kept_to_the_places_stored():
    assert parse_number("1:3", "Ratio") == D("0.3333")


@pytest.mark.parametrize("value, places, expected", [
    ("4.0000", 1, "4.0"), ("4.0000", 0, "4"), ("400.0000", 0, "400"), ("4.5000", 0, "4.5"),
    ("4.1234", 2, "4.1234"), ("-0.2500", 3, "-0.250"), ("0.0000", 2, "0.00"),
])
def test_a_figure_to_edit_shows_the_measures_places_and_never_drops_a_digit(value, places, expected):
    assert str(figure_to_edit(D(value), places)) == expected


def test_no_figure_to_edit_is_none():
    assert figure_to_edit(None, 2) is None


@given(st.decimals(min_value=-10**11, max_value=10**11, places=4, allow_nan=False), st.integers(0, 6))
def test_a_figure_to_edit_is_the_same_figure(value, places):
    assert figure_to_edit(value, places) == value
