from datetime import date
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from measures import periods
from measures.rollups import (
    FULL_YEAR, QUARTER, ROLLING_12, YEAR_TO_DATE, Aggregation, Month, combine, roll_up, roll_ups,
    window_span,
)

APRIL = [date(2020, m, 1) for m in range(4, 13)] + [date(2021, m, 1) for m in range(1, 4)]
counts = st.lists(st.integers(0, 10**6), min_size=12, max_size=12)
parts = st.lists(st.tuples(st.integers(0, 5000), st.integers(1, 10**5)), min_size=12, max_size=12)


def months_of(figures):
    return [Month(start, D(f)) for start, f in zip(APRIL, figures)]


def test_the_quarter_of_november_is_october_to_december():
    span = window_span(QUARTER, date(2020, 11, 1))
    assert (span.kind, span.start, span.end) == (periods.QUARTER, date(2020, 10, 1), date(2020, 12, 31))


def test_the_year_to_date_runs_from_april_to_the_month():
    span = window_span(YEAR_TO_DATE, date(2020, 11, 1))
    assert (span.start, span.end) == (date(2020, 4, 1), date(2020, 11, 30))


def test_an_incomplete_quarter_says_how_many_months_it_used():
    up = roll_up(months_of([1, 2, 3, 4, 5]), QUARTER, date(2020, 8, 1), Aggregation.SUM)
    assert (up.value, up.months, up.months_in_window, up.complete) == (D(9), 2, 3, False)
    assert up.label == "Q2 20-21"


def test_mean_and_last_combine_the_months():
    months = months_of([10, 20, 40])
    assert combine(months, Aggregation.MEAN)[0] == D("23.3333")
    assert combine(months, Aggregation.LAST)[0] == D(40)


def test_a_window_without_figures_has_no_figure_with_the_reason():
    up = roll_up([], FULL_YEAR, date(2020, 5, 1), Aggregation.SUM)
    assert up.value is None and up.reason == "No figures in the period"


def test_the_year_to_date_label_names_the_last_month():
    up = roll_up(months_of([1] * 12), YEAR_TO_DATE, date(2020, 9, 1), Aggregation.SUM)
    assert up.label == "2020-21 to Sep-20" and up.value == D(6)


@given(counts, st.integers(0, 11))
def test_a_roll_up_of_sums_equals_the_sum_of_its_months(figures, index):
    month = APRIL[index]
    for up in roll_ups(months_of(figures), month, Aggregation.SUM):
        inside = [f for start, f in zip(APRIL, figures) if up.span.start <= start <= up.span.end]
        assert up.value == sum(inside)


@given(parts, st.integers(0, 11))
def test_ratio_roll_ups_are_the_ratio_of_summed_parts_not_the_mean_of_percentages(pairs, index):
    months = [Month(start, None, D(n), D(d)) for start, (n, d) in zip(APRIL, pairs)]
    up = roll_up(months, YEAR_TO_DATE, APRIL[index], Aggregation.RATIO, D(100))
    top = sum(n for n, _ in pairs[: index + 1])
    bottom = sum(d for _, d in pairs[: index + 1])
    assert up.numerator == top and up.denominator == bottom
    assert abs(up.value - D(top) * 100 / D(bottom)) <= D("0.00005")


def test_ratio_roll_up_differs_from_the_mean_of_percentages():
    months = [Month(APRIL[0], None, D(1), D(10)), Month(APRIL[1], None, D(90), D(100))]
    up = roll_up(months, QUARTER, APRIL[1], Aggregation.RATIO, D(100))
    assert up.value == D("82.7273")  # 91 / 110, not (10% + 90%) / 2 = 50%


def test_rolling_12_covers_the_twelve_months_to_the_month():
    up = roll_up(months_of([1] * 12), ROLLING_12, APRIL[-1], Aggregation.SUM)
    assert up.value == 12 and up.complete and up.label == "12 months to Mar-21"
