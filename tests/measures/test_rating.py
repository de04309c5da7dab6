from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures.rating import (
    FLOOR, RAG, REPORTED, TOLERANCE, Direction, Polarity, direction_of_travel, direction_words,
    compared_figure, parse_direction, parse_rag, polarity_from_floor, Rule, rate, rule_problems, suggest_rag,
    suggest_rag_floor,
)

TEN = D(10)
figures = st.decimals(min_value=-10**6, max_value=10**6, places=2)
tolerances = st.decimals(min_value=0, max_value=200, places=2)
bands = st.decimals(min_value=0, max_value=1000, places=2)
polarities = st.sampled_from([Polarity.HIGHER, Polarity.LOWER])
RANK = {RAG.RED: 0, RAG.AMBER: 1, RAG.GREEN: 2}
MIRRORED = {
    Direction.IMPROVING: Direction.WORSENING,
    Direction.WORSENING: Direction.IMPROVING,
    Direction.SAME: Direction.SAME,
}


# The seed exception report's Appendix 1, rated with a 10% tolerance.

def test_children_in_care_above_a_lower_is_better_target_is_red():
    assert suggest_rag(D("70.00"), D("60.00"), Polarity.LOWER, TEN) == RAG.RED


def test_foster_carers_just_short_of_target_are_amber():
    assert suggest_rag(D("206"), D("215"), Polarity.HIGHER, TEN) == RAG.AMBER


def test_reablement_exactly_on_the_band_edge_is_amber():
    assert suggest_rag(D("72.00"), D("80.00"), Polarity.HIGHER, TEN) == RAG.AMBER


def test_affordable_homes_far_below_target_are_red():
    assert suggest_rag(D("47"), D("75"), Polarity.HIGHER, TEN) == RAG.RED


def test_a_value_just_above_a_higher_is_better_target_is_green():
    assert suggest_rag(D("72.86"), D("72.60"), Polarity.HIGHER, TEN) == RAG.GREEN


def test_value_on_target_is_green():
    assert suggest_rag(D("60"), D("60"), Polarity.HIGHER, TEN) == RAG.GREEN
    assert suggest_rag(D("60"), D("60"), Polarity.LOWER, TEN) == RAG.GREEN


def test_lower_is_better_on_the_band_edge_is_amber_and_beyond_it_red():
    assert suggest_rag(D("66"), D("60"), Polarity.LOWER, TEN) == RAG.AMBER
    assert suggest_rag(D("66.01"), D("60"), Polarity.LOWER, TEN) == RAG.RED


def test_the_band_is_a_share_of_the_size_of_a_negative_target():
    assert suggest_rag(D("-11"), D("-10"), Polarity.HIGHER, TEN) == RAG.AMBER
    assert suggest_rag(D("-11.01"), D("-10"), Polarity.HIGHER, TEN) == RAG.RED


def test_zero_tolerance_leaves_no_amber():
    assert suggest_rag(D("79.99"), D("80"), Polarity.HIGHER, D(0)) == RAG.RED


@pytest.mark.parametrize("value, target, polarity", [
    (None, D("60"), Polarity.HIGHER),
    (D("70"), None, Polarity.LOWER),
    (D("70"), D("60"), Polarity.NONE),
])
def test_no_value_no_target_or_no_polarity_is_nd(value, target, polarity):
    assert suggest_rag(value, target, polarity, TEN) == RAG.ND


def test_a_negative_tolerance_is_refused():
    with pytest.raises(ValueError):
        suggest_rag(D("70"), D("60"), Polarity.HIGHER, D("-1"))


def test_an_unknown_polarity_is_refused():
    with pytest.raises(ValueError):
        suggest_rag(D("70"), D("60"), "sideways", TEN)


def test_children_in_care_falling_is_improving():
    assert direction_of_travel(D("70.00"), D("71.50"), Polarity.LOWER) == Direction.IMPROVING


def test_a_rise_is_improving_when_higher_is_better_and_worsening_when_lower_is():
    assert direction_of_travel(D("5"), D("4"), Polarity.HIGHER) == Direction.IMPROVING
    assert direction_of_travel(D("5"), D("4"), Polarity.LOWER) == Direction.WORSENING


def test_a_change_within_the_same_band_is_same():
    assert direction_of_travel(D("72.86"), D("72.80"), Polarity.HIGHER, D("0.1")) == Direction.SAME
    assert direction_of_travel(D("72.90"), D("72.80"), Polarity.HIGHER, D("0.1")) == Direction.SAME
    assert (
        direction_of_travel(D("72.91"), D("72.80"), Polarity.HIGHER, D("0.1"))
        == Direction.IMPROVING
    )


@pytest.mark.parametrize("current, previous, polarity", [
    (None, D("1"), Polarity.HIGHER),
    (D("1"), None, Polarity.LOWER),
    (D("2"), D("1"), Polarity.NONE),
])
def test_a_missing_figure_or_no_polarity_is_no_trend(current, previous, polarity):
    assert direction_of_travel(current, previous, polarity) == Direction.NO_TREND


def test_a_negative_same_band_is_refused():
    with pytest.raises(ValueError):
        direction_of_travel(D("2"), D("1"), Polarity.HIGHER, D("-0.1"))


@pytest.mark.parametrize("text, expected", [
    ("Red", RAG.RED), ("R", RAG.RED), ("red ", RAG.RED),
    ("Amber", RAG.AMBER), ("A", RAG.AMBER), ("AMBER", RAG.AMBER),
    ("Green", RAG.GREEN), (" G", RAG.GREEN),
    ("ND", RAG.ND), ("N/D", RAG.ND), ("", RAG.ND), ("  ", RAG.ND),
])
def test_parse_rag_reads_the_ratings_as_written(text, expected):
    assert parse_rag(text) == expected


@pytest.mark.parametrize("text", ["Blue", "Amber-ish", "RA"])
def test_parse_rag_refuses_anything_else_naming_it(text):
    with pytest.raises(ValueError, match=f"'{text}'"):
        parse_rag(text)


@pytest.mark.parametrize("text, expected", [
    ("Improving", Direction.IMPROVING), ("IMPROVING", Direction.IMPROVING),
    ("Same", Direction.SAME), ("Unchanged", Direction.SAME), ("UNCHANGED", Direction.SAME),
    ("Marginal change", Direction.SAME), ("MARGINAL CHANGE", Direction.SAME),
    ("Worsening", Direction.WORSENING), ("No trend", Direction.NO_TREND), ("", Direction.NO_TREND),
])
def test_parse_direction_reads_the_directions_as_written(text, expected):
    assert parse_direction(text) == expected


@pytest.mark.parametrize("text", ["Better", "Up", "Improved"])
def test_parse_direction_refuses_anything_else_naming_it(text):
    with pytest.raises(ValueError, match=f"'{text}'"):
        parse_direction(text)


@given(figures, figures, tolerances)
def test_swapping_polarity_mirrors_the_rating(value, target, tolerance):
    assert suggest_rag(value, target, Polarity.HIGHER, tolerance) == suggest_rag(
        2 * target - value, target, Polarity.LOWER, tolerance
    )


@given(figures, figures, bands)
def test_swapping_polarity_swaps_improving_and_worsening(current, previous, band):
    higher = direction_of_travel(current, previous, Polarity.HIGHER, band)
    assert direction_of_travel(current, previous, Polarity.LOWER, band) == MIRRORED[higher]
    assert direction_of_travel(-current, -previous, Polarity.LOWER, band) == higher


@given(figures, figures, polarities, tolerances)
def test_a_value_on_or_better_than_target_is_always_green(target, margin, polarity, tolerance):
    value = target + abs(margin) if polarity == Polarity.HIGHER else target - abs(margin)
    assert suggest_rag(value, target, polarity, tolerance) == RAG.GREEN


@given(figures, figures, polarities, tolerances, tolerances)
def test_widening_the_tolerance_never_makes_a_rating_worse(value, target, polarity, a, b):
    narrow, wide = sorted([a, b])
    assert RANK[suggest_rag(value, target, polarity, wide)] >= RANK[
        suggest_rag(value, target, polarity, narrow)
    ]


@given(figures, polarities, bands)
def test_equal_current_and_previous_is_always_same(figure, polarity, band):
    assert direction_of_travel(figure, figure, polarity, band) == Direction.SAME


@pytest.mark.parametrize("text, words", [
    ("MARGINAL CHANGE", "Marginal change"),
    ("marginal  change", "Marginal change"),
    ("Same", ""),
    ("UNCHANGED", ""),
    ("Improving", ""),
    ("", ""),
])
def test_direction_words_keep_what_the_report_said_beyond_the_directions_name(text, words):
    assert direction_words(text) == words


def test_direction_words_refuse_what_is_no_direction():
    with pytest.raises(ValueError):
        direction_words("sideways")


# Against a floor: an absolute amber threshold beside the target.

@pytest.mark.parametrize("value, expected", [
    (D("80"), RAG.GREEN), (D("95"), RAG.GREEN),  # target met
    (D("79.99"), RAG.AMBER), (D("70"), RAG.AMBER),  # between floor and target; the floor is Amber
    (D("69.99"), RAG.RED), (D("0"), RAG.RED),  # beyond the floor
])
def test_floor_rule_when_higher_is_better(value, expected):
    assert suggest_rag_floor(value, D("80"), D("70"), Polarity.HIGHER) == expected


@pytest.mark.parametrize("value, expected", [
    (D("12"), RAG.GREEN), (D("3"), RAG.GREEN),
    (D("12.01"), RAG.AMBER), (D("15"), RAG.AMBER),
    (D("15.01"), RAG.RED),
])
def test_floor_rule_when_lower_is_better(value, expected):
    assert suggest_rag_floor(value, D("12"), D("15"), Polarity.LOWER) == expected


@pytest.mark.parametrize("value, target, floor, polarity", [
    (None, D("80"), D("70"), Polarity.HIGHER),
    (D("75"), None, D("70"), Polarity.HIGHER),
    (D("75"), D("80"), None, Polarity.HIGHER),
    (D("75"), D("80"), D("70"), Polarity.NONE),
])
def test_floor_rule_without_value_target_floor_or_polarity_is_nd(value, target, floor, polarity):
    assert suggest_rag_floor(value, target, floor, polarity) == RAG.ND


def test_a_floor_on_the_better_side_of_the_target_is_refused():
    with pytest.raises(ValueError, match="must not be above the target"):
        suggest_rag_floor(D("75"), D("80"), D("90"), Polarity.HIGHER)
    with pytest.raises(ValueError, match="must not be below the target"):
        suggest_rag_floor(D("75"), D("12"), D("10"), Polarity.LOWER)


def test_a_floor_equal_to_the_target_leaves_no_amber():
    assert suggest_rag_floor(D("80"), D("80"), D("80"), Polarity.HIGHER) == RAG.GREEN
    assert suggest_rag_floor(D("79.99"), D("80"), D("80"), Polarity.HIGHER) == RAG.RED


@pytest.mark.parametrize("target, floor, expected", [
    (D("80"), D("70"), Polarity.HIGHER),
    (D("12"), D("15"), Polarity.LOWER),
    (D("-5"), D("-10"), Polarity.HIGHER),
    (D("80"), D("80"), None),
    (None, D("70"), None),
    (D("80"), None, None),
])
def test_the_order_of_target_and_floor_gives_the_polarity(target, floor, expected):
    assert polarity_from_floor(target, floor) == expected


def test_rating_rules_choose_the_rule():
    args = dict(value=D("75"), target=D("80"), polarity=Polarity.HIGHER)
    assert rate(**args, rule=Rule(TOLERANCE, TEN)) == RAG.AMBER  # within 10% of 80
    assert rate(**args, rule=Rule(FLOOR, TEN), floor=D("78")) == RAG.RED  # beyond the floor
    assert rate(**args, rule=Rule(FLOOR, TEN)) == RAG.ND  # no floor set
    assert rate(**args, rule=Rule(REPORTED), reported=RAG.GREEN) == RAG.GREEN
    assert rate(**args, rule=Rule(REPORTED)) == RAG.ND
    with pytest.raises(ValueError, match="'gut feel' is not a rating rule"):
        Rule("gut feel")


@pytest.mark.parametrize("text, expected", [
    ("Green", Direction.IMPROVING), ("G", Direction.IMPROVING), (" green ", Direction.IMPROVING),
    ("Amber", Direction.SAME), ("Red", Direction.WORSENING), ("R", Direction.WORSENING),
    ("Grey", Direction.NO_TREND), ("Improving", Direction.IMPROVING), ("", Direction.NO_TREND),
])
def test_parse_direction_reads_colours_when_the_council_writes_them(text, expected):
    assert parse_direction(text, colours=True) == expected


def test_parse_direction_refuses_colours_unless_asked():
    with pytest.raises(ValueError, match="'Green' is not a direction of travel"):
        parse_direction("Green")
    with pytest.raises(ValueError, match="or a colour"):
        parse_direction("Purple", colours=True)


floor_gaps = st.decimals(min_value=0, max_value=10**4, places=2)


@given(figures, figures, floor_gaps)
def test_swapping_polarity_mirrors_the_floor_rating(value, target, gap):
    assert suggest_rag_floor(value, target, target - gap, Polarity.HIGHER) == suggest_rag_floor(
        2 * target - value, target, target + gap, Polarity.LOWER
    )


@given(figures, floor_gaps.filter(lambda gap: gap > 0), polarities)
def test_a_floor_apart_from_the_target_is_itself_amber_and_gives_the_polarity(target, gap, polarity):
    floor = target - gap if polarity == Polarity.HIGHER else target + gap
    assert suggest_rag_floor(floor, target, floor, polarity) == RAG.AMBER
    assert polarity_from_floor(target, floor) == polarity


@given(figures, figures, figures, floor_gaps, polarities)
def test_a_better_value_never_gets_a_worse_floor_rating(a, b, target, gap, polarity):
    floor = target - gap if polarity == Polarity.HIGHER else target + gap
    worse, better = sorted([a, b]) if polarity == Polarity.HIGHER else sorted([a, b], reverse=True)
    assert RANK[suggest_rag_floor(better, target, floor, polarity)] >= RANK[
        suggest_rag_floor(worse, target, floor, polarity)
    ]


# Rating bands (issue 17): a green band short of the target, an amber band, in % or units.

PERCENT_BANDS = Rule(TOLERANCE, D(10), "percent", D(5), "percent")


@pytest.mark.parametrize("value, expected", [
    (D("100"), RAG.GREEN), (D("95"), RAG.GREEN),  # within 5% short: still Green, the edge too
    (D("94.99"), RAG.AMBER), (D("90"), RAG.AMBER),  # within 10% short: Amber, the edge too
    (D("89.99"), RAG.RED),
])
def test_a_green_band_short_of_the_target_is_still_green(value, expected):
    assert rate(value, D("100"), Polarity.HIGHER, PERCENT_BANDS) == expected


@pytest.mark.parametrize("value, expected", [
    (D("3.5"), RAG.GREEN), (D("3.7"), RAG.GREEN), (D("3.71"), RAG.AMBER), (D("4.5"), RAG.AMBER),
    (D("4.51"), RAG.RED),
])
def test_bands_in_units_when_lower_is_better(value, expected):
    rule = Rule(TOLERANCE, D("1"), "units", D("0.2"), "units")  # sickness days: 0.2 and 1 day over
    assert rate(value, D("3.5"), Polarity.LOWER, rule) == expected


def test_zero_width_bands_call_anything_short_of_target_red():
    rule = Rule(TOLERANCE, D(0), "percent", D(0), "percent")
    assert rate(D("80"), D("80"), Polarity.HIGHER, rule) == RAG.GREEN
    assert rate(D("79.99"), D("80"), Polarity.HIGHER, rule) == RAG.RED


def test_an_amber_band_of_zero_beside_a_green_band_leaves_no_amber():
    rule = Rule(TOLERANCE, D(0), "percent", D(5), "percent")
    assert rate(D("95"), D("100"), Polarity.HIGHER, rule) == RAG.GREEN
    assert rate(D("94.9"), D("100"), Polarity.HIGHER, rule) == RAG.RED


def test_two_targets_green_at_the_stretch_amber_at_the_minimum_red_below():
    rule = Rule(FLOOR)
    assert rate(D("92"), D("90"), Polarity.HIGHER, rule, D("85")) == RAG.GREEN
    assert rate(D("85"), D("90"), Polarity.HIGHER, rule, D("85")) == RAG.AMBER
    assert rate(D("84.9"), D("90"), Polarity.HIGHER, rule, D("85")) == RAG.RED
    with_green = Rule(FLOOR, green=D(2), green_unit="units")
    assert rate(D("88"), D("90"), Polarity.HIGHER, with_green, D("85")) == RAG.GREEN


def test_a_percentage_band_of_a_zero_target_is_no_band_and_the_rule_says_so():
    assert rate(D("1"), D("0"), Polarity.LOWER, PERCENT_BANDS) == RAG.RED
    problems = rule_problems(PERCENT_BANDS, [D("5"), D("0")], Polarity.LOWER)
    assert problems == ["A target of 0 makes a green and amber band in per cent no band at all (a percentage "
                        "of 0 is 0). Give the band in units instead (for example 2 units short of the target)."]
    in_units = Rule(TOLERANCE, D(2), "units", D(1), "units")
    assert rule_problems(in_units, [D("0")], Polarity.LOWER) == []
    assert rate(D("1"), D("0"), Polarity.LOWER, in_units) == RAG.GREEN
    assert rule_problems(PERCENT_BANDS, [D("0")], Polarity.NONE) == []


def test_an_amber_band_narrower_than_the_green_one_is_refused_where_the_rule_is_set():
    problems = rule_problems(Rule(TOLERANCE, D(3), "percent", D(5), "percent"), [D("10")], Polarity.HIGHER)
    assert len(problems) == 1 and "narrower than the green band" in problems[0]


def test_a_negative_band_is_refused():
    with pytest.raises(ValueError, match="The green band cannot be negative"):
        Rule(green=D("-1"))


def test_the_rule_in_words():
    assert PERCENT_BANDS.describe() == "Green within 5% short of the target, Amber within 10%, Red beyond"
    assert Rule(TOLERANCE, D(0)).describe() == "Green at the target, Red beyond (no amber band)"
    assert Rule(TOLERANCE, D(2), "units").describe("%") == (
        "Green at the target, Amber within 2 percentage points, Red beyond")


band_rules = st.builds(
    lambda kind, amber, green, unit: Rule(kind, amber, unit, green, unit),
    st.sampled_from([TOLERANCE, FLOOR]), tolerances, tolerances, st.sampled_from(["percent", "units"]),
)


@given(figures, figures, floor_gaps, band_rules)
def test_swapping_polarity_mirrors_any_banded_rating(value, target, gap, rule):
    assert rate(value, target, Polarity.HIGHER, rule, target - gap) == rate(
        2 * target - value, target, Polarity.LOWER, rule, target + gap)


@given(figures, figures, polarities, band_rules, tolerances)
def test_widening_the_green_band_never_makes_a_rating_worse(value, target, polarity, rule, more):
    gap = abs(target) + 1
    floor = target - gap if polarity == Polarity.HIGHER else target + gap
    wider = Rule(rule.kind, rule.amber, rule.amber_unit, rule.green + more, rule.green_unit)
    assert RANK[rate(value, target, polarity, wider, floor)] >= RANK[rate(value, target, polarity, rule, floor)]


# Direction of travel on the council's basis.

def test_the_figure_compared_with_follows_the_basis():
    assert compared_figure("previous", D(1), D(2), D(3), D(4)) == D(1)
    assert compared_figure("year_ago", D(1), D(2), D(3), D(4)) == D(2)
    assert compared_figure("baseline", D(1), D(2), D(3), D(4)) == D(3)
    assert compared_figure("target", D(1), D(2), D(3), D(4)) == D(4)


def test_a_same_band_in_per_cent_of_the_figure_compared_with():
    assert direction_of_travel(D("75.5"), D("75"), Polarity.HIGHER, D(1), "percent") == Direction.SAME
    assert direction_of_travel(D("75.76"), D("75"), Polarity.HIGHER, D(1), "percent") == Direction.IMPROVING
    assert direction_of_travel(D("74.2"), D("75"), Polarity.HIGHER, D(1), "percent") == Direction.WORSENING


@pytest.mark.parametrize("reason, kept", [
    ("As reported", True), ("As reported in people-and-health-2021-01.csv", True),
    ("As reported by the service", False), ("Data quality concern", False), ("", False), (None, False),
])
def test_a_rating_as_reported_is_the_papers_whichever_door_recorded_it(reason, kept, db):
    from measures.models import Value
    from measures.rating import as_reported, as_reported_q
    from tests.factories import ValueFactory

    assert as_reported(reason) is kept
    if reason is not None:
        value = ValueFactory(override_reason=reason)
        assert Value.objects.filter(as_reported_q()).filter(pk=value.pk).exists() is kept
