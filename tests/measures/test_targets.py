"""The target in force: exact, then the shortest period containing it, then carried forward."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from measures import periods
from measures.models import Measure, Period, Target, Value
from measures.rating import RAG, Polarity
from measures.selectors import targets_in_force
from measures.services import rate_measure
from measures.targets import in_force, in_force_each
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month


def target(text, value, ends=None, floor=None):
    """An unsaved Target for the period `text` names, as the rule sees it."""
    s = periods.parse_period(text)
    return Target(period=Period(kind=s.kind, start=s.start, end=s.end), value=D(value), ends=ends, floor=floor)


def span(text):
    return periods.parse_period(text)


def value_in_force(targets, text):
    found = in_force(targets, span(text))
    return found.value if found else None


def test_the_target_for_exactly_the_period_wins():
    targets = [target("2020-21", "90"), target("Oct-20", "80"), target("Sep-20", "70")]
    assert value_in_force(targets, "Oct-20") == D("80")


def test_a_years_target_applies_to_every_month_and_quarter_in_it():
    targets = [target("2020-21", "90"), target("Mar-20", "70")]
    for text in ("Apr-20", "Nov-20", "Mar-21", "Q3 20-21"):
        assert value_in_force(targets, text) == D("90"), text


def test_the_shortest_containing_period_wins():
    targets = [target("2020-21", "90"), target("Q3 20-21", "85")]
    assert value_in_force(targets, "Nov-20") == D("85")
    assert value_in_force(targets, "Jan-21") == D("90")


def test_an_academic_years_target_applies_to_its_terms_and_months():
    targets = [target("2020-21 AY", "60")]
    assert value_in_force(targets, "Term 2 2020/21") == D("60")
    assert value_in_force(targets, "Aug-21") == D("60")
    assert value_in_force(targets, "Aug-20") is None


def test_the_latest_target_carries_forward_until_a_new_one_is_set():
    targets = [target("Sep-20", "70"), target("Oct-20", "80"), target("Feb-21", "95")]
    assert value_in_force(targets, "Nov-20") == D("80")
    assert value_in_force(targets, "Jan-21") == D("80")
    assert value_in_force(targets, "Jun-21") == D("95")


def test_a_target_carries_into_the_next_year():
    assert value_in_force([target("2019-20", "50")], "Q1 20-21") == D("50")


def test_no_target_before_the_first_one_is_set():
    assert value_in_force([target("Oct-20", "80")], "Sep-20") is None
    assert value_in_force([], "Sep-20") is None


def test_an_ended_target_applies_to_no_period_starting_after_its_end():
    ended = target("Oct-20", "80", ends=date(2020, 12, 31))
    assert value_in_force([ended], "Dec-20") == D("80")
    assert value_in_force([ended], "Jan-21") is None
    # An earlier target does not come back when a later one ends.
    assert value_in_force([target("Sep-20", "70"), ended], "Jan-21") == D("70")


def test_a_profiled_cumulative_target_is_a_target_per_month():
    profile = [target(f"{name}-20", str(10 * n)) for n, name in enumerate(["Apr", "May", "Jun"], 1)]
    assert [value_in_force(profile, t) for t in ("Apr-20", "May-20", "Jun-20", "Jul-20")] == [
        D("10"), D("20"), D("30"), D("30")
    ]


def test_rolling_twelve_months_carry_forward_from_the_month_before():
    targets = [target("12 months to Oct-20", "5")]
    assert value_in_force(targets, "Dec 2020 (rolling 12 months)") == D("5")


def test_the_floor_comes_with_its_target():
    found = in_force([target("Oct-20", "80", floor=D("70"))], span("Nov-20"))
    assert (found.value, found.floor) == (D("80"), D("70"))


kinds = st.sampled_from([periods.MONTH, periods.QUARTER, periods.TERM, periods.FINANCIAL_YEAR,
                         periods.ACADEMIC_YEAR, periods.CALENDAR_YEAR])
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


def unsaved(s, value):
    return Target(period=Period(kind=s.kind, start=s.start, end=s.end), value=D(value))


@given(st.lists(st.tuples(kinds, days), max_size=6), kinds, days)
def test_the_target_in_force_never_starts_after_the_period_and_an_exact_one_always_wins(set_for, kind, day):
    targets = [unsaved(periods.span(k, d), str(i)) for i, (k, d) in enumerate(set_for)]
    s = periods.span(kind, day)
    found = in_force(targets, s)
    if found is not None:
        assert found.period.start <= s.start
    exact = [t for t in targets if (t.period.kind, t.period.start) == (s.kind, s.start)]
    if exact:
        assert (found.period.kind, found.period.start) == (s.kind, s.start)
    if targets and all(t.period.end < s.start for t in targets):
        latest_end = max(t.period.end for t in targets)
        assert found.period.end == latest_end


@given(st.lists(st.tuples(kinds, days), min_size=1, max_size=6), kinds, days, st.integers(0, 400))
def test_ending_a_target_only_ever_takes_it_away_after_its_end(set_for, kind, day, days_after):
    targets = [unsaved(periods.span(k, d), str(i)) for i, (k, d) in enumerate(set_for)]
    s = periods.span(kind, day)
    found = in_force(targets, s)
    if found is None:
        return
    found.ends = found.period.start + timedelta(days=days_after)
    again = in_force(targets, s)
    if s.start <= found.ends:
        assert again is found
    else:
        assert again is not found


@given(st.lists(st.tuples(kinds, days, st.none() | st.integers(0, 400)), max_size=6), kinds, days)
def test_in_force_each_finds_the_same_target_as_the_rule(set_for, kind, day):
    targets = [unsaved(periods.span(k, d), str(i)) for i, (k, d, _) in enumerate(set_for)]
    for t, (_, _, days_after) in zip(targets, set_for):
        t.ends = None if days_after is None else t.period.start + timedelta(days=days_after)
    s = periods.span(kind, day)
    assert in_force_each(targets)(s) is in_force(targets, s)


# Reading and rating through the database

@pytest.mark.django_db
def test_targets_in_force_reads_every_measures_targets_in_one_or_two_queries(django_assert_num_queries):
    measures = [MeasureFactory() for _ in range(5)]
    for i, measure in enumerate(measures):
        TargetFactory(measure=measure, period=month(2020, 10), value=D(i))
    TargetFactory(measure=measures[0], period=Period.parse("2020-21"), value=D(99))
    with django_assert_num_queries(1):  # each has a target overlapping Oct-20
        found = targets_in_force([(m.pk, span("Oct-20")) for m in measures])
    assert [found[m.pk, span("Oct-20")].value for m in measures] == [D(0), D(1), D(2), D(3), D(4)]
    pairs = [(m.pk, span("Nov-20")) for m in measures] + [(measures[1].pk, span("Sep-20"))]
    with django_assert_num_queries(2):  # then the latest earlier ones, for those with none
        found = targets_in_force(pairs)
    assert [found[m.pk, span("Nov-20")].value for m in measures] == [D(99), D(1), D(2), D(3), D(4)]
    assert found[measures[1].pk, span("Sep-20")] is None


@pytest.mark.django_db
def test_targets_in_force_of_nothing_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert targets_in_force([]) == {}


def rated(measure, figures_by_month, year=2020):
    """Store the figures (month number -> text), rate the measure, return the RAGs in order."""
    values = [
        ValueFactory(measure=measure, period=month(year, n), value=D(v)) for n, v in figures_by_month
    ]
    rate_measure(measure)
    return [Value.objects.get(pk=v.pk).rag for v in values]


@pytest.mark.django_db
def test_a_month_after_the_last_target_is_rated_against_the_target_in_force():
    measure = MeasureFactory(polarity=Polarity.HIGHER)
    TargetFactory(measure=measure, period=month(2020, 10), value=D("100"))
    assert rated(measure, [(10, "100"), (11, "95"), (12, "50")]) == [RAG.GREEN, RAG.AMBER, RAG.RED]


@pytest.mark.django_db
def test_an_ended_target_leaves_later_months_unrated():
    measure = MeasureFactory()
    TargetFactory(measure=measure, period=month(2020, 10), value=D("100"), ends=date(2020, 10, 31))
    later = ValueFactory(measure=measure, period=month(2020, 11), value=D("50"))
    rate_measure(measure)
    assert Value.objects.get(pk=later.pk).rag == RAG.ND


@pytest.mark.django_db
def test_a_floor_rated_measure_uses_the_floor_of_the_target_in_force():
    measure = MeasureFactory(rating_rule=Measure.RatingRule.FLOOR, polarity=Polarity.LOWER)
    TargetFactory(measure=measure, period=Period.parse("2020-21"), value=D("12"), floor=D("15"))
    assert rated(measure, [(4, "11"), (5, "15"), (6, "15.5")]) == [RAG.GREEN, RAG.AMBER, RAG.RED]


@pytest.mark.django_db
def test_a_reported_only_measure_keeps_the_rag_as_reported():
    measure = MeasureFactory(rating_rule=Measure.RatingRule.REPORTED)
    TargetFactory(measure=measure, period=month(2020, 10), value=D("100"))
    reported = ValueFactory(measure=measure, period=month(2020, 10), value=D("10"), rag=RAG.GREEN)
    rate_measure(measure)
    assert Value.objects.get(pk=reported.pk).rag == RAG.GREEN


@pytest.mark.django_db
def test_a_floor_on_the_wrong_side_of_the_target_is_refused_by_validation():
    from django.core.exceptions import ValidationError

    measure = MeasureFactory(polarity=Polarity.HIGHER)
    bad = Target(measure=measure, period=month(2020, 10), value=D("80"), floor=D("90"))
    with pytest.raises(ValidationError, match="must not be above the target"):
        bad.full_clean()
    early = Target(measure=measure, period=month(2020, 10), value=D("80"), ends=date(2020, 9, 1))
    with pytest.raises(ValidationError, match="cannot end before its period starts"):
        early.full_clean()


@pytest.mark.django_db
def test_targets_in_force_carries_forward_from_long_ago_in_a_second_query(django_assert_num_queries):
    measures = [MeasureFactory() for _ in range(3)]
    TargetFactory(measure=measures[0], period=month(2018, 4), value=D("1"))
    TargetFactory(measure=measures[0], period=month(2018, 5), value=D("2"), ends=date(2019, 1, 1))
    TargetFactory(measure=measures[1], period=month(2019, 4), value=D("3"), ends=date(2020, 12, 31))
    TargetFactory(measure=measures[2], period=month(2020, 11), value=D("4"))
    pairs = [(m.pk, span("Nov-20")) for m in measures] + [(measures[0].pk, span("Dec-18"))]
    with django_assert_num_queries(2):
        found = targets_in_force(pairs)
    assert [found[m.pk, span("Nov-20")].value for m in measures] == [D("1"), D("3"), D("4")]
    assert found[measures[0].pk, span("Dec-18")].value == D("2")


@pytest.mark.django_db
@settings(deadline=None, max_examples=60)  # each example writes to the database
@given(st.lists(st.tuples(st.sampled_from([periods.MONTH, periods.QUARTER, periods.FINANCIAL_YEAR]),
                          st.dates(min_value=date(2018, 1, 1), max_value=date(2021, 12, 31)),
                          st.one_of(st.none(), st.integers(0, 900))), max_size=5),
       st.dates(min_value=date(2018, 1, 1), max_value=date(2022, 6, 30)))
def test_targets_in_force_agrees_with_the_rule_on_all_the_targets(set_for, day):
    measure = MeasureFactory()
    targets = []
    for kind, start, ends_after in set_for:
        s = periods.span(kind, start)
        period = Period.for_span(s)
        if Target.objects.filter(measure=measure, period=period).exists():
            continue
        ends = s.start + timedelta(days=ends_after) if ends_after is not None else None
        targets.append(Target.objects.create(measure=measure, period=period, value=D(len(targets)), ends=ends))
    s = periods.span(periods.MONTH, day)
    expected = in_force(targets, s)
    assert targets_in_force([(measure.pk, s)])[measure.pk, s] == expected
