from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from measures.checks import ERROR, WARNING, Rule, broken_rules, check_rule, outlier_flags

OVER_65 = Rule("ASC65", "<=", "ASCALL", ERROR, "Admissions of people aged 65+ cannot exceed all admissions")


def test_admissions_of_65_plus_above_all_admissions_break_the_rule():
    broken = check_rule(OVER_65, {"ASC65": D(12), "ASCALL": D(10)})
    assert broken.is_error and str(broken) == OVER_65.message


def test_a_rule_with_a_side_without_a_figure_is_not_checked():
    assert check_rule(OVER_65, {"ASC65": D(12), "ASCALL": None}) is None


def test_only_the_rules_touching_the_codes_entered_are_checked():
    other = Rule("X", ">", "0", WARNING)
    figures = {"ASC65": D(12), "ASCALL": D(10), "X": D(-1)}
    assert [b.rule for b in broken_rules([OVER_65, other], figures, codes=["X"])] == [other]
    assert len(broken_rules([OVER_65, other], figures)) == 2


@given(st.integers(0, 1000), st.integers(0, 1000))
def test_the_rule_is_broken_exactly_when_the_operator_fails(left, right):
    broken = check_rule(OVER_65, {"ASC65": D(left), "ASCALL": D(right)})
    assert (broken is not None) == (left > right)


def test_a_figure_outside_the_bounds_is_flagged():
    assert outlier_flags(D(-1), [], minimum=D(0)) == ["-1 is below the measure's minimum of 0"]
    assert outlier_flags(D(101), [], maximum=D(100)) == ["101 is above the measure's maximum of 100"]


def test_a_figure_far_from_its_history_is_flagged():
    history = [D(x) for x in (50, 51, 49, 50, 52, 48, 50, 51, 49, 50, 50, 51)]
    flags = outlier_flags(D(90), history)
    assert any("SPC process limits" in f for f in flags)
    assert any("far from the measure's history" in f for f in flags)
    assert outlier_flags(D(50), history) == []


def test_a_short_history_flags_nothing():
    assert outlier_flags(D(1000), [D(1), D(2)]) == []
