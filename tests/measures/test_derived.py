from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from measures.derived import derive, scale


def test_children_in_care_per_10000_from_count_and_population():
    # The seed exception report: 336 children on a child protection plan, 49.50 per 10,000.
    assert derive(D(336), D(67878), scale("Rate per 10,000")).value == D("49.5006")


def test_a_percentage_is_numerator_over_denominator_times_100():
    assert derive(D(1), D(3), scale("%")).value == D("33.3333")


def test_a_zero_denominator_gives_no_figure_with_the_reason():
    result = derive(D(5), D(0), scale("%"))
    assert result.value is None and result.reason == "The denominator is 0"


def test_one_figure_without_the_other_gives_no_figure():
    assert derive(D(5), None).reason == "No denominator: both figures are needed"
    assert derive(None, D(5)).reason == "No numerator: both figures are needed"
    assert derive(None, None).value is None


def test_scale_reads_the_unit_or_the_measures_rate_per():
    assert scale("Rate per 1,000") == 1000
    assert scale("Rate per 100,000") == 100000
    assert scale("No.", 500) == 500
    assert scale("Ratio") == 1


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_the_derived_percentage_is_within_rounding_of_the_exact_ratio(top, bottom):
    figure = derive(D(top), D(bottom), D(100)).value
    assert abs(figure - D(top) * 100 / D(bottom)) <= D("0.00005")
