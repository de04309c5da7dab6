"""Checks on a figure before it is submitted (issue 21): validation rules across measures, and
outlier flags.

**Validation rules**, as the BI team writes them: a left side, an operator and a right side
(each a formula over measure codes, measures.formulas), an importance (an error refuses the
figure, a warning is shown) and a message: "ASC65 <= ASCALL: admissions of people aged 65+
cannot exceed all admissions". A rule with a side that has no figure is not checked.
`broken_rules` is the one rule the entry page, the importer and the report call.

**Outlier flags**: a figure outside the measure's bounds (min, max), beyond the SPC process
limits of its history, or far from its history (more than `FAR` standard deviations from the
history's mean, with at least `HISTORY_POINTS` points). `outlier_flags` returns what is wrong,
in words; the lead confirms the figure and says why before it is submitted.
"""

import operator
from decimal import Decimal
import statistics
from dataclasses import dataclass

from measures import formulas, spc

OPERATORS = {
    "<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt,
    "==": operator.eq, "!=": operator.ne,
}
OPERATOR_CHOICES = [(o, o) for o in OPERATORS]
ERROR, WARNING = "error", "warning"
IMPORTANCE_CHOICES = [(ERROR, "Error: the figure is refused"), (WARNING, "Warning: the figure is flagged")]
FAR = 3
HISTORY_POINTS = 6


@dataclass(frozen=True)
class Rule:
    left: str
    op: str
    right: str
    importance: str = WARNING
    message: str = ""
    name: str = ""

    @property
    def codes(self):
        return formulas.parse(self.left).codes + formulas.parse(self.right).codes


@dataclass(frozen=True)
class Broken:
    rule: Rule
    left: object
    right: object

    @property
    def is_error(self):
        return self.rule.importance == ERROR

    def __str__(self):
        return self.rule.message or f"{self.rule.left} {self.rule.op} {self.rule.right} is not met"


def check_rule(rule, figures):
    """A Broken when `rule` fails on `figures` (code -> figure or None); None when it holds or
    a side has no figure."""
    left = formulas.evaluate(rule.left, figures)
    right = formulas.evaluate(rule.right, figures)
    if left.value is None or right.value is None:
        return None
    if OPERATORS[rule.op](left.value, right.value):
        return None
    return Broken(rule, left.value, right.value)


def broken_rules(rules, figures, codes=None):
    """The rules among `rules` broken by `figures`; with `codes`, only the rules reading one of
    them (the rules a figure just entered touches)."""
    found = []
    for rule in rules:
        if codes is not None and not set(rule.codes) & set(codes):
            continue
        broken = check_rule(rule, figures)
        if broken:
            found.append(broken)
    return found


def outlier_flags(figure, history, minimum=None, maximum=None, settings=None):
    """Why `figure` looks wrong beside the measure's bounds and `history` (its earlier figures,
    in order): a list of sentences, empty when nothing is odd."""
    if figure is None:
        return []
    flags = []
    shown = _plain(figure)
    if minimum is not None and figure < minimum:
        flags.append(f"{shown} is below the measure's minimum of {_plain(minimum)}")
    if maximum is not None and figure > maximum:
        flags.append(f"{shown} is above the measure's maximum of {_plain(maximum)}")
    numbers = [float(h) for h in history if h is not None]
    settings = settings or spc.Settings()
    if len(numbers) >= settings.minimum_points:
        limits = spc.xmr_limits(numbers, settings.baseline_points, settings.screen_moving_ranges)
        if not limits.lower <= float(figure) <= limits.upper:
            flags.append(
                f"{shown} is beyond the SPC process limits ({limits.lower:,.2f} to {limits.upper:,.2f})"
            )
    if len(numbers) >= HISTORY_POINTS:
        mean, deviation = statistics.fmean(numbers), statistics.pstdev(numbers)
        if deviation and abs(float(figure) - mean) > FAR * deviation:
            flags.append(
                f"{shown} is far from the measure's history (more than {FAR} standard deviations "
                f"from its mean of {mean:,.2f})"
            )
        elif not deviation and float(figure) != mean:
            flags.append(f"{shown} differs from every earlier figure ({mean:,.2f})")
    return flags


def _plain(number):
    """A figure as a person writes it: 95, not 95.0000."""
    return format(Decimal(number).normalize(), "f")
