"""Calculated measures: a formula over other measures' figures for the same period (issue 21).

A formula is arithmetic over measure codes: `+ - * /`, parentheses, constants, and
`sum(...)`, `mean(...)`, `min(...)`, `max(...)` over a list of codes or expressions, e.g.
`(ASC01 + ASC02) / POP18 * 10000` or `sum(NORTH, SOUTH, EAST, WEST)`. A code that is not a
Python name (it has a hyphen or a space) is written in square brackets: `[CS-01] / [POP 0-17]`.

It is read with Python's `ast` and only a whitelist of node types is accepted: never `eval`.
`parse` refuses anything else with a FormulaError that says why; `evaluate` works it out from
the inputs' figures, giving no figure with the reason (an input with no figure, division by 0).
`find_cycle` refuses a formula whose measure would depend on itself.
"""

import ast
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation

from measures.derived import PLACES

FUNCTIONS = ("sum", "mean", "min", "max")
MAX_LENGTH = 1000
_BRACKETED = re.compile(r"\[([^\[\]]+)\]")
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


class FormulaError(ValueError):
    """A formula PerfHub will not work out: bad syntax, something not on the whitelist, a cycle."""


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.Expression
    names: dict  # the placeholder name in the tree -> the measure code

    @property
    def codes(self):
        """The measure codes the formula reads, in the order they first appear."""
        seen = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and node.id not in FUNCTIONS:
                code = self.names.get(node.id, node.id)
                if code not in seen:
                    seen.append(code)
        return seen


@dataclass(frozen=True)
class Result:
    value: Decimal | None
    reason: str = ""


def parse(text):
    """The Formula in `text`, or FormulaError saying what is wrong with it."""
    text = (text or "").strip()
    if not text:
        raise FormulaError("The formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"A formula has at most {MAX_LENGTH} characters")
    names = {}

    def bracket(match):
        code = match[1].strip()
        name = f"_code{len(names)}"
        names[name] = code
        # Spaced, so that a bracket beside a name ("A[0]") never joins it into one name.
        return f" {name} "

    source = _BRACKETED.sub(bracket, text).strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        raise FormulaError(f"'{text}' is not a formula PerfHub can read") from None
    _check(tree.body)
    return Formula(text, tree, names)


def _check(node):
    if isinstance(node, ast.BinOp) and isinstance(node.op, _OPERATORS):
        _check(node.left)
        _check(node.right)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise FormulaError(f"{node.id} is a function: write {node.id}(A, B)")
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise FormulaError(f"Only the functions {', '.join(FUNCTIONS)} may be used")
        if node.keywords or not node.args:
            raise FormulaError(f"{node.func.id}() takes one or more codes or figures")
        for arg in node.args:
            _check(arg)
    else:
        raise FormulaError(f"'{ast.unparse(node)}' is not allowed in a formula")


def evaluate(formula, figures):
    """Work out `formula` (a Formula or its text) from `figures` (code -> Decimal or None)."""
    if isinstance(formula, str):
        formula = parse(formula)
    try:
        value = _value(formula.tree.body, formula, figures)
    except _NoData as missing:
        return Result(None, str(missing))
    except (DivisionByZero, ZeroDivisionError):
        return Result(None, "Division by 0")
    except InvalidOperation:
        return Result(None, "Division by 0")
    try:
        return Result(value.quantize(PLACES, rounding=ROUND_HALF_UP))
    except InvalidOperation:  # more digits than a Decimal keeps at four places
        return Result(None, "The result is too large to keep")


class _NoData(Exception):
    pass


def _value(node, formula, figures):
    if isinstance(node, ast.BinOp):
        left, right = _value(node.left, formula, figures), _value(node.right, formula, figures)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if right == 0:
            raise ZeroDivisionError
        return left / right
    if isinstance(node, ast.UnaryOp):
        operand = _value(node.operand, formula, figures)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        code = formula.names.get(node.id, node.id)
        if code not in figures:
            raise _NoData(f"No measure has the code {code}")
        if figures[code] is None:
            raise _NoData(f"No figure for {code}")
        return Decimal(figures[code])
    args = [_value(arg, formula, figures) for arg in node.args]
    name = node.func.id
    if name == "sum":
        return sum(args, Decimal(0))
    if name == "mean":
        return sum(args, Decimal(0)) / len(args)
    return min(args) if name == "min" else max(args)


def find_cycle(depends_on):
    """A list of codes that depend on each other in a circle ([A, B, A]), or None.

    `depends_on` maps each calculated measure's code to the codes its formula reads.
    """
    state = {}

    def visit(code, path):
        state[code] = "open"
        for needed in depends_on.get(code, ()):
            if state.get(needed) == "open":
                return path[path.index(needed):] + [needed] if needed in path else [code, needed]
            if needed not in state:
                found = visit(needed, path + [needed])
                if found:
                    return found
        state[code] = "done"
        return None

    for code in depends_on:
        if code not in state:
            found = visit(code, [code])
            if found:
                return found
    return None


def order(depends_on):
    """The calculated codes in an order where each comes after the calculated codes it reads."""
    done, ordered = set(), []

    def visit(code):
        if code in done:
            return
        done.add(code)
        for needed in depends_on.get(code, ()):
            if needed in depends_on:
                visit(needed)
        ordered.append(code)

    for code in depends_on:
        visit(code)
    return ordered
