"""Importing issue 21's figures through PerfHub's template: numerators and denominators (the
value derived from them), their labels, bounds and aggregation; validation rules across
measures refuse rows (errors) or list them (warnings); outlier flags listed as warnings and kept
on the value, or refusing the row where the mapping says so."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.urls import reverse

from imports import mapping, template
from imports.services import import_file
from measures.checks import ERROR, WARNING
from measures.models import Measure, ValidationRule, Value
from tests.factories import MeasureFactory, ValueFactory, month
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


FLAG_HEADER = ["Code", "Measure", "Period", "Value", "Minimum", "Maximum", "Why an unusual figure is right"]


def test_a_figure_outside_the_bounds_is_a_warning_kept_on_the_value_for_approvals(client, bi_user):
    report = run(csv_bytes([FLAG_HEADER, ["REV", "Reviews on time", "Oct-20", "99", "0", "95", ""],
                            ["REV", "Reviews on time", "Nov-20", "90", "0", "95", ""]]),
                 status=Value.Status.SUBMITTED)
    assert not report.errors
    assert report.warnings == ["row 2: 99 is above the measure's maximum of 95"]
    flagged = Value.objects.get(value=D(99))
    assert flagged.flags == ["99 is above the measure's maximum of 95"]
    assert Value.objects.get(value=D(90)).flags == []
    client.force_login(bi_user)
    html = client.get(reverse("approvals"), {"period": "2020-10"}).content.decode()
    assert "99 is above the measure&#x27;s maximum of 95" in html


def test_the_files_reason_confirms_a_flagged_figure():
    report = run(csv_bytes([FLAG_HEADER, ["REV", "Reviews on time", "Oct-20", "99", "0", "95",
                                          "A new team cleared the backlog"]]))
    assert report.warnings == ["row 2: 99 is above the measure's maximum of 95 (confirmed: A new team cleared the backlog)"]
    value = Value.objects.get()
    assert (value.flags, value.flag_reason) == (["99 is above the measure's maximum of 95"], "A new team cleared the backlog")


def test_a_figure_far_from_the_published_history_is_flagged_but_not_against_the_file_itself():
    measure = MeasureFactory(code="ADM", title="Admissions")
    for m, figure in zip(range(1, 10), [50, 51, 49, 50, 52, 48, 50, 51, 49]):
        ValueFactory(measure=measure, period=month(2020, m), value=D(figure), status=Value.Status.PUBLISHED)
    report = run(csv_bytes([["Code", "Measure", "Period", "Value"], ["ADM", "Admissions", "Oct-20", "500"],
                            ["ADM", "Admissions", "Nov-20", "50"]]))
    assert report.warnings == ["row 2: 500 is far from the measure's history (more than 3 standard "
                               "deviations from its mean of 50.00)"]
    # A new measure's file of history is read beside nothing: none of its rows is flagged.
    rows = [["NEW", "New measure", f"2019-{m:02}", str(f)] for m, f in zip(range(1, 13), [5] * 11 + [500])]
    assert not run(csv_bytes([["Code", "Measure", "Period", "Value"], *rows])).warnings


def test_a_mapping_may_refuse_unconfirmed_unusual_figures():
    strict = replace(mapping.load("perfhub"), unusual_figures="refuse")
    content = csv_bytes([FLAG_HEADER, ["REV", "Reviews on time", "Oct-20", "99", "0", "95", ""]])
    report = import_file(content, "figures.csv", strict)
    assert report.errors == ["row 2, Period: This figure looks unusual: 99 is above the measure's maximum of 95. "
                             "Check it, then confirm it by saying why it is right."]
    assert not Value.objects.exists()
    content = csv_bytes([FLAG_HEADER, ["REV", "Reviews on time", "Oct-20", "99", "0", "95", "Backlog cleared"]])
    assert not import_file(content, "figures.csv", strict).errors
    assert Value.objects.get().flag_reason == "Backlog cleared"


def test_unusual_figures_in_a_mapping_file_is_warn_or_refuse():
    assert mapping.parse({"columns": {"value": "Value"}, "unusual_figures": "refuse"}, "x").unusual_figures == "refuse"
    with pytest.raises(mapping.MappingError, match="unusual_figures must be one of warn, refuse"):
        mapping.parse({"columns": {"value": "Value"}, "unusual_figures": "ignore"}, "x")


def test_a_re_import_of_the_same_flagged_file_changes_nothing():
    content = csv_bytes([FLAG_HEADER, ["REV", "Reviews on time", "Oct-20", "99", "0", "95", "Backlog cleared"]])
    run(content)
    history = Value.history.count()
    report = run(content)
    assert {row.action for row in report.rows} == {"unchanged"}
    assert Value.history.count() == history


def test_a_rate_entered_as_two_figures_is_checked_on_its_derived_figure():
    report = run(csv_bytes([HEADER, [
        "CPP", "CP plan rate", "Rate per 10,000", "Monthly", "lower", "Oct-20", "", "3360", "67,878",
        "Children on a plan", "Population aged 0-17", "0", "200", "ratio",
    ]]))
    assert report.warnings == ["row 2: 495.0057 is above the measure's maximum of 200"]
