from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from measures.profiles import (
    BY_PROFILE, BY_TREND, CUMULATIVE, EVEN, LAST_YEAR, by_profile, by_trend, forecast_misses, profile,
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


def test_a_trend_needs_two_months():
    assert by_trend([D(5)]).reason == "A trend needs at least two months"


def test_forecast_misses_by_polarity():
    assert forecast_misses(D(90), D(100), "higher")
    assert not forecast_misses(D(90), D(100), "lower")
    assert not forecast_misses(D(90), D(100), "none")
    assert not forecast_misses(None, D(100), "higher")
