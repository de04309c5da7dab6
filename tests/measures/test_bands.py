from decimal import Decimal as D

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from measures.bands import Rating, shortfall, suggest
from measures.rating import FLOOR, PERCENT, RAG, TOLERANCE, UNITS, Polarity, Rule, rate

HIGHER, LOWER = Polarity.HIGHER, Polarity.LOWER


def rated(rows, polarity=HIGHER):
    return [Rating(D(v), D(t), polarity, rag, label=f"P{i}") for i, (v, t, rag) in enumerate(rows, 1)]


def test_a_council_that_calls_anything_short_of_target_red_gets_no_bands():
    found = suggest(rated([("80", "80", RAG.GREEN), ("79.9", "80", RAG.RED), ("50", "80", RAG.RED)]))

    assert found.rule == Rule(TOLERANCE, D(0), PERCENT, D(0), PERCENT)
    assert found.consistent and found.agrees == 3


def test_amber_short_of_target_is_an_amber_band_the_roundest_figure_its_range_allows():
    found = suggest(rated([("78", "80", RAG.AMBER), ("70", "80", RAG.RED)]))

    # Amber 2.5% short, Red 12.5% short: any amber band from 2.5% to below 12.5% would do.
    assert found.rule == Rule(TOLERANCE, D(10), PERCENT, D(0), PERCENT)
    assert found.amber_range == (D("2.5"), D("12.5"))
    assert "amber band from 2.5% up to (not including) 12.5%" in found.range_text()


def test_green_a_little_short_of_target_is_a_green_band():
    found = suggest(rated([("73.4", "75", RAG.GREEN), ("72.8", "76", RAG.AMBER), ("60", "76", RAG.RED)]))

    assert found.rule.green == D(3) and found.rule.green_unit == PERCENT
    assert found.consistent


def test_the_measures_own_rule_is_kept_where_it_explains_as_much():
    own = Rule(TOLERANCE, D(10))
    found = suggest(rated([("78", "80", RAG.AMBER)]), prefer=[own])

    assert found.rule == own


def test_a_target_of_zero_gets_a_band_in_units():
    found = suggest(rated([("1", "0", RAG.GREEN), ("5", "0", RAG.RED)], LOWER))

    assert found.rule.green_unit == UNITS and D(1) <= found.rule.green < D(5)
    assert found.consistent


def test_the_minimum_standard_is_suggested_where_the_council_gives_one():
    ratings = [Rating(D("94"), D("90"), HIGHER, RAG.GREEN, D("85")),
               Rating(D("88"), D("90"), HIGHER, RAG.AMBER, D("85")),
               Rating(D("80"), D("90"), HIGHER, RAG.RED, D("85"))]

    found = suggest(ratings, prefer=[Rule(FLOOR)])

    assert found.rule.kind == FLOOR and found.consistent


def test_a_contradiction_is_named_with_its_figures():
    found = suggest(rated([("70", "75", RAG.GREEN), ("72.8", "76", RAG.AMBER), ("74", "75", RAG.RED)]))

    # The nearer the target, the worse the rating: one rating at most is explained (the Red,
    # by no bands at all), and each other is named with the nearer one rated worse.
    assert found.agrees == 1 and found.rule == Rule(TOLERANCE, D(0), PERCENT, D(0), PERCENT)
    assert [text for _, text in found.contradictions] == [
        "P1: 70/75 Green but P2: 72.8/76 Amber", "P2: 72.8/76 Amber but P3: 74/75 Red"]


def test_a_met_target_rated_red_is_a_contradiction_no_band_explains():
    found = suggest(rated([("2.7", "3.15", RAG.RED)], LOWER))

    assert found.contradictions[0][1] == "P1: 2.7/3.15 Red, though it meets its target"


def test_a_rating_without_a_figure_is_named():
    found = suggest([Rating(None, D("10"), LOWER, RAG.RED, label="Q1")])

    assert found.contradictions[0][1] == "Q1: no figure, yet published Red"


# Properties

targets = st.decimals(min_value=-1000, max_value=1000, places=1)
offsets = st.decimals(min_value=-200, max_value=200, places=1)
band_sizes = st.decimals(min_value=0, max_value=50, places=2)
units = st.sampled_from([PERCENT, UNITS])
polarities = st.sampled_from([HIGHER, LOWER])


@st.composite
def rules(draw):
    kind = draw(st.sampled_from([TOLERANCE, FLOOR]))
    green, green_unit = draw(band_sizes), draw(units)
    amber = draw(band_sizes)
    amber = max(amber, green) if amber else amber  # 0: no amber band
    return Rule(kind, amber, green_unit, green, green_unit)  # both bands on one scale


@st.composite
def series(draw):
    polarity = draw(polarities)
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        target = draw(targets)
        value = target + draw(offsets)
        gap = draw(st.decimals(min_value=0, max_value=100, places=1))
        floor = target - gap if polarity == HIGHER else target + gap
        rows.append((value, target, floor))
    return polarity, rows


@settings(max_examples=300, deadline=None)
@given(series(), rules())
def test_ratings_from_any_rule_are_reproduced_by_the_rule_suggested_from_them(data, rule):
    polarity, rows = data
    ratings = [Rating(v, t, polarity, rate(v, t, polarity, rule, f), f, f"P{i}")
               for i, (v, t, f) in enumerate(rows)]

    found = suggest(ratings)

    assert found.contradictions == [] and found.agrees == len(ratings)
    for r in ratings:
        assert rate(r.value, r.target, r.polarity, found.rule, r.floor) == r.published


@settings(max_examples=200, deadline=None)
@given(targets.filter(lambda t: t != 0), st.decimals(min_value="0.1", max_value=50, places=1),
       st.decimals(min_value="0.1", max_value=50, places=1), polarities,
       st.sampled_from([(RAG.GREEN, RAG.AMBER), (RAG.GREEN, RAG.RED), (RAG.AMBER, RAG.RED)]))
def test_a_figure_further_from_target_rated_better_is_named_as_a_contradiction(
        target, near, further, polarity, ratings):
    assume(further > near)
    better, worse = ratings
    sign = -1 if polarity == HIGHER else 1
    far_row = Rating(target + sign * further, target, polarity, better, label="far")
    near_row = Rating(target + sign * near, target, polarity, worse, label="near")

    found = suggest([far_row, near_row])

    assert found.agrees == 1 and len(found.contradictions) == 1
    text = found.contradictions[0][1]
    assert f"far: {far_row.figures.split(': ')[1]} {better} but near: {near_row.figures.split(': ')[1]} {worse}" == text


@settings(max_examples=200, deadline=None)
@given(series(), rules())
def test_swapping_polarity_mirrors_the_bands(data, rule):
    polarity, rows = data
    mirrored = HIGHER if polarity == LOWER else LOWER
    ratings = [Rating(v, t, polarity, rate(v, t, polarity, rule, f), f) for v, t, f in rows]
    mirror = [Rating(2 * r.target - r.value, r.target, mirrored, r.published, 2 * r.target - r.floor)
              for r in ratings]

    found, found_mirrored = suggest(ratings), suggest(mirror)

    assert found_mirrored.rule == found.rule
    assert (found_mirrored.green_range, found_mirrored.amber_range) == (found.green_range, found.amber_range)
    assert [shortfall(r, UNITS) for r in mirror] == [shortfall(r, UNITS) for r in ratings]


def test_a_band_of_the_measures_own_rule_is_kept_where_it_lies_in_the_range():
    ratings = rated([("73.4", "75", RAG.GREEN), ("72.8", "76", RAG.AMBER)])

    assert suggest(ratings).rule == Rule(TOLERANCE, D(5), PERCENT, D(3), PERCENT)
    # Its 10% amber band gives both too: only the green band changes.
    assert suggest(ratings, prefer=[Rule(TOLERANCE, D(10))]).rule == Rule(TOLERANCE, D(10), PERCENT, D(3), PERCENT)
