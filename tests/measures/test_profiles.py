from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from measures.profiles import (
    BY_PROFILE, BY_TREND, CUMULATIVE, EVEN, LAST_YEAR, by_profile, by_trend, by_trend_of_parts, forecast_misses,
    profile,
)

totals = st.decimals(min_value=0, max_value=10**8, places=4)


def test_an_even_profile_of_1200_is_100_a_month():
    assert profile(D(1200)) == [D(100)] * 12


def test_a_cumulative_profile_ends_on_the_years_target():
    running = profile(D(1200), CUMULATIVE)
    assert running[0] == 100 and running[5] == 600 and running[-1] == 1200


def test_last_years_shape_follows_its_months():
    shares = profile(D(200), LAST_YEAR, last_year=[D(2)] * 6 + [D(0)] * 6)
    assert shares[:6] == [D("33.3333")] * 5 + [D("33.3333")] and sum(shares) == 200


@given(totals)
def test_an_even_profile_sums_to_the_years_target(total):
    assert sum(profile(total, EVEN)) == total


@given(totals, st.lists(st.integers(0, 1000), min_size=12, max_size=12))
def test_last_years_shape_sums_to_the_years_target(total, last_year):
    assert sum(profile(total, LAST_YEAR, last_year=[D(x) for x in last_year])) == total


@given(totals)
def test_a_cumulative_profile_ends_on_the_years_target_for_any_target(total):
    assert profile(total, CUMULATIVE)[-1] == total


def test_on_profile_the_forecast_is_the_target():
    forecast = by_profile([D(100)] * 4, [D(100)] * 12, D(1200))
    assert forecast.value == 1200 and forecast.method == BY_PROFILE
    assert forecast.label == "Forecast by the target profile"
    assert len(forecast.projected) == 8


def test_ten_percent_behind_profile_forecasts_ten_percent_short_with_a_range():
    forecast = by_profile([D(80), D(100)], [D(100)] * 12, D(1200))
    assert forecast.value == 1080
    assert forecast.low == 180 + 800 and forecast.high == 180 + 1000


def test_a_rising_trend_is_carried_to_the_years_end():
    forecast = by_trend([D(1), D(2), D(3)], "sum")
    assert forecast.value == sum(range(1, 13)) and forecast.method == BY_TREND
    assert forecast.low == forecast.high == forecast.value  # a perfect line has no spread
    assert by_trend([D(1), D(2), D(3)], "last").value == 12


def test_a_trend_is_labelled_with_how_the_months_combine():
    assert by_trend([D(1), D(2), D(3)], "sum").label == "Forecast by the trend (months added up)"
    assert by_trend([D(1), D(2), D(3)], "mean").label == "Forecast by the trend (mean of the months)"
    assert by_trend([D(1), D(2), D(3)], "last").label == "Forecast by the trend (last month)"


def test_a_mean_trend_is_the_mean_of_the_held_and_projected_months():
    forecast = by_trend([D(1), D(2), D(3)], "mean")
    assert forecast.value == D("6.5")  # (1 + 2 + ... + 12) / 12


def test_a_mean_on_its_level_profile_forecasts_its_target():
    forecast = by_profile([D(50)] * 4, [D(50)] * 12, D(50))
    assert forecast.value == 50 and forecast.low == forecast.high == 50


def test_a_ratio_is_forecast_from_its_parts_never_from_a_line_through_its_rates():
    # Numerators 10, 20, 30 (rising by 10) over denominators 100, 100, 100: the year's 780 / 1,200.
    forecast = by_trend_of_parts([D(10), D(20), D(30)], [D(100)] * 3, D(100))
    assert forecast.value == D(65) and forecast.method == BY_TREND
    assert forecast.label == "Forecast by the trend (summed numerators over summed denominators)"
    assert forecast.projected[0] == (3, D(40))  # April's 40 / 100 as a percentage
    # A denominator that grows: the summed parts' ratio, not the mean of the monthly rates.
    forecast = by_trend_of_parts([D(10), D(20)], [D(100), D(200)], D(1), months=4)
    assert forecast.value == D(100) / D(1000)
    assert by_trend_of_parts([D(1)], [D(2)]).value is None


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=2, max_size=11),
       st.integers(min_value=1, max_value=10**6))
def test_with_a_steady_denominator_the_parts_forecast_is_the_summed_trend_over_the_year(numerators, each):
    parts = by_trend_of_parts([D(n) for n in numerators], [D(each)] * len(numerators))
    summed = by_trend([D(n) for n in numerators], "sum")
    assert abs(parts.value - summed.value / (12 * each)) < D("0.001")


def test_a_trend_needs_two_months():
    assert by_trend([D(5)]).reason == "A trend needs at least two months"


def test_forecast_misses_by_polarity():
    assert forecast_misses(D(90), D(100), "higher")
    assert not forecast_misses(D(90), D(100), "lower")
    assert not forecast_misses(D(90), D(100), "none")
    assert not forecast_misses(None, D(100), "higher")
