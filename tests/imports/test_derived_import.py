"""Importing issue 21's figures through PerfHub's template: numerators and denominators (the
value derived from them), their labels, bounds and aggregation; validation rules across
measures refuse rows (errors) or list them (warnings)."""

from decimal import Decimal as D

import pytest

from imports import template
from measures.checks import ERROR, WARNING
from measures.models import Measure, ValidationRule, Value
from tests.imports.test_figures import csv_bytes, run

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Measure", "Unit", "Frequency", "Polarity", "Period", "Value", "Numerator", "Denominator",
          "Numerator label", "Denominator label", "Minimum", "Maximum", "Aggregation"]


def test_the_template_has_the_new_columns():
    headers = template.headers()
    for name in ("Numerator", "Denominator", "Numerator label", "Denominator label", "Minimum", "Maximum", "Aggregation"):
        assert name in headers


def test_numerator_and_denominator_are_imported_and_the_value_derived_from_them():
    report = run(csv_bytes([HEADER, [
        "CPP", "CP plan rate", "Rate per 10,000", "Monthly", "lower", "Oct-20", "", "336", "67,878",
        "Children on a plan", "Population aged 0-17", "0", "200", "From the numerator and denominator",
    ]]))
    assert not report.errors
    measure = Measure.objects.get(code="CPP")
    assert (measure.numerator_label, measure.denominator_label) == ("Children on a plan", "Population aged 0-17")
    assert (measure.minimum, measure.maximum, measure.aggregation) == (D(0), D(200), "ratio")
    value = Value.objects.get(measure=measure)
    assert (value.numerator, value.denominator, value.value) == (D(336), D(67878), D("49.5006"))


def test_a_zero_denominator_refuses_the_row():
    report = run(csv_bytes([HEADER, [
        "CPP", "CP plan rate", "Rate per 10,000", "Monthly", "lower", "Oct-20", "", "3", "0",
        "Children on a plan", "Population aged 0-17", "", "", "ratio",
    ]]))
    assert report.errors == ["row 2, Denominator: The denominator is 0"]
    assert not Value.objects.exists()


def test_validation_rules_refuse_rows_or_warn_by_importance():
    ValidationRule.objects.create(name="65+ within all", left="ASC65", operator="<=", right="ASCALL",
                                  importance=ERROR, message="Admissions of people aged 65+ cannot exceed all admissions")
    ValidationRule.objects.create(name="Half", left="ASC65", operator="<=", right="ASCALL / 2",
                                  importance=WARNING, message="Usually no more than half are 65+")
    header = ["Code", "Measure", "Period", "Value"]
    report = run(csv_bytes([header, ["ASCALL", "All admissions", "Oct-20", "10"],
                            ["ASC65", "Admissions 65+", "Oct-20", "12"]]))
    # The rule reads both rows' figures: each is refused, saying why.
    assert report.errors == [f"row {n}, Period: Admissions of people aged 65+ cannot exceed all admissions" for n in (2, 3)]
    assert not Value.objects.exists()
    report = run(csv_bytes([header, ["ASCALL", "All admissions", "Oct-20", "10"],
                            ["ASC65", "Admissions 65+", "Oct-20", "7"]]))
    assert not report.errors
    assert report.warnings == [f"row {n}: Usually no more than half are 65+" for n in (2, 3)]
    assert Value.objects.count() == 2
