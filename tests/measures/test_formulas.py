from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures.formulas import FormulaError, evaluate, find_cycle, order, parse

figures = st.decimals(min_value=-10**6, max_value=10**6, places=2)


def test_a_rate_per_10000_from_a_count_and_a_population():
    assert evaluate("CPP / POP * 10000", {"CPP": D(336), "POP": D(67878)}).value == D("49.5006")


def test_codes_with_hyphens_are_written_in_brackets():
    formula = parse("[CS-01] + [POP 0-17]")
    assert formula.codes == ["CS-01", "POP 0-17"]
    assert evaluate(formula, {"CS-01": D(1), "POP 0-17": D(2)}).value == 3


def test_sum_mean_min_max_over_lists_of_measures():
    f = {"A": D(1), "B": D(2), "C": D(6)}
    assert evaluate("sum(A, B, C)", f).value == 9
    assert evaluate("mean(A, B, C)", f).value == 3
    assert evaluate("min(A, B, C) + max(A, B)", f).value == 3


@pytest.mark.parametrize("text", [
    "__import__('os')", "A.real", "A ** 2", "A if B else C", "open(A)", "lambda: 1", "A[0]",
    "'text'", "sum", "sum(A, key=B)", "A < B", "", "A +",
])
def test_anything_off_the_whitelist_is_refused(text):
    with pytest.raises(FormulaError):
        parse(text)


def test_division_by_zero_is_no_data_with_the_reason():
    assert evaluate("A / (B - B)", {"A": D(1), "B": D(3)}).reason == "Division by 0"


def test_a_result_too_large_to_keep_is_no_data_with_the_reason():
    assert evaluate("A * 1e40", {"A": D(1)}).reason == "The result is too large to keep"


def test_an_unknown_code_or_a_missing_figure_is_no_data_with_the_reason():
    assert evaluate("A + Z", {"A": D(1)}).reason == "No measure has the code Z"
    assert evaluate("A + B", {"A": D(1), "B": None}).reason == "No figure for B"


def test_cycles_are_found():
    assert find_cycle({"A": ["B"], "B": ["C"], "C": ["A"]}) == ["A", "B", "C", "A"]
    assert find_cycle({"A": ["A"]}) == ["A", "A"]
    assert find_cycle({"A": ["B", "C"], "B": ["C"]}) is None


def test_order_puts_inputs_first():
    ordered = order({"TOTAL": ["NORTH", "SOUTH_TOTAL"], "SOUTH_TOTAL": ["S1", "S2"]})
    assert ordered.index("SOUTH_TOTAL") < ordered.index("TOTAL")


@given(figures, figures, figures.filter(lambda d: d != 0))
def test_a_formulas_result_equals_the_direct_computation(a, b, c):
    result = evaluate("(A + B) * 2 - A / C + max(A, B, 1)", {"A": a, "B": b, "C": c}).value
    direct = (a + b) * 2 - a / c + max(a, b, 1)
    assert abs(result - direct) <= D("0.00005")


@given(st.dictionaries(st.sampled_from("ABCDEF"), st.lists(st.sampled_from("ABCDEF"), max_size=3)))
def test_an_order_exists_exactly_when_there_is_no_cycle(graph):
    cycle = find_cycle(graph)
    if cycle is None:
        ordered = order(graph)
        for code, needs in graph.items():
            for needed in needs:
                if needed in graph:
                    assert ordered.index(needed) < ordered.index(code)
    else:
        assert cycle[0] == cycle[-1]
        for code, needed in zip(cycle, cycle[1:]):
            assert needed in graph[code]
