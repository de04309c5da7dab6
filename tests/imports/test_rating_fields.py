"""An import gives a measure its rating rule and its direction of travel's basis (issue 17):
bands from PerfHub's template or from a mapping's columns and fixed values, a fixed baseline
from a column such as "2023/24 Performance" (the figure kept), and the council's own RAG kept on
each value for suggest_bands."""

from decimal import Decimal as D

from imports import mapping
from imports.services import import_file
from imports.template import headers
from measures.models import Measure, Value
from measures.rating import Direction, Rule
from tests.imports.test_figures import csv_bytes


def portal_mapping(**fixed):
    """A council portal's layout: its "2023/24 Performance" column is the fixed baseline."""
    return mapping.parse({
        "name": "County portal",
        "columns": {"title": "Indicator", "period": "Quarter", "value": "Latest", "target": "Target",
                    "rag": "RAG", "baseline": "2023/24 Performance", "polarity": "Polarity"},
        "fixed": {"frequency": "quarterly", "dot_basis": "baseline", "baseline_period": "2023/24",
                  "green_band": "2", "green_band_unit": "percent", "tolerance": "0", **fixed},
    }, "county-portal")


PORTAL = csv_bytes([
    ["Indicator", "Quarter", "Latest", "Target", "RAG", "2023/24 Performance", "Polarity"],
    ["Calls answered in 20 seconds", "Q2 2024/25", "73.5", "75", "Green", "71.0", "higher"],
    ["Calls answered in 20 seconds", "Q3 2024/25", "72.8", "76", "Red", "71.0", "higher"],
    ["Days to process a claim", "Q3 2024/25", "19.9", "20", "Green", "19.9", "lower"],
])


def test_a_mapping_sets_bands_and_a_fixed_baseline_whose_figure_the_import_keeps(db):
    report = import_file(PORTAL, "portal.csv", portal_mapping(), status="published")

    assert report.written
    calls = Measure.objects.get(title="Calls answered in 20 seconds")
    assert calls.rule == Rule("tolerance", D(0), "percent", D(2), "percent")
    assert (calls.dot_basis, calls.dot_baseline_period.label, calls.dot_baseline) == ("baseline", "2023-24", D("71"))
    values = list(calls.values.order_by("period__start"))
    # 73.5 is 2% short of 75: Green in the green band; 72.8 is 4.2% short of 76: Red (no amber band).
    assert [(v.rag, v.reported_rag) for v in values] == [("Green", "Green"), ("Red", "Red")]
    # Against 2023/24's 71: both better (higher is better).
    assert [v.direction_of_travel for v in values] == [Direction.IMPROVING, Direction.IMPROVING]
    days = Measure.objects.get(title="Days to process a claim")
    assert days.values.get().direction_of_travel == Direction.SAME  # 19.9 against 19.9


def test_a_bad_band_or_baseline_period_is_a_row_error_naming_it(db):
    bad = csv_bytes([
        ["Indicator", "Quarter", "Latest", "Target", "RAG", "2023/24 Performance", "Polarity"],
        ["Calls answered in 20 seconds", "Q2 2024/25", "73.5", "75", "Green", "71.0", "higher"],
    ])
    report = import_file(bad, "portal.csv", portal_mapping(green_band="-2", baseline_period="last year"),
                         dry_run=True)

    errors = " ".join(error for row in report.rows for error in row.errors)
    assert "'-2' is negative" in errors and "last year" in errors
    assert not Measure.objects.exists()


def test_perfhubs_template_carries_the_rule_and_the_basis(db):
    columns = headers()
    assert {"Green band", "Green band unit", "Amber band", "Amber band unit", "D.O.T. compares with",
            "Baseline period", "Baseline", "Same band", "Same band unit"} <= set(columns)
    row = {"Code": "HR11", "Measure": "Sickness days per FTE", "Polarity": "Lower is better",
           "Frequency": "Quarterly", "Period": "Q2 2024/25", "Value": "3.3", "Target": "3.15", "RAG": "Amber",
           "Green band": "0.1", "Green band unit": "units", "Amber band": "0.5", "Amber band unit": "units",
           "D.O.T. compares with": "Target", "Same band": "2", "Same band unit": "%"}

    report = import_file(csv_bytes([columns, [row.get(c, "") for c in columns]]), "template.csv", "perfhub")

    assert report.written
    measure = Measure.objects.get(code="HR11")
    assert measure.rule == Rule("tolerance", D("0.5"), "units", D("0.1"), "units")
    assert (measure.dot_basis, measure.same_band, measure.same_band_unit) == ("target", D(2), "percent")
    value = Value.objects.get(measure=measure)
    # 0.15 days over the target: beyond the green band of 0.1, within the amber band of 0.5.
    assert (value.rag, value.reported_rag) == ("Amber", "Amber")
    # 3.3 against the target 3.15 is 4.8% worse: beyond the 2% same band.
    assert value.direction_of_travel == Direction.WORSENING


def test_a_band_in_per_cent_of_a_target_of_zero_is_named_where_the_import_differs_and_one_in_units_rates(db):
    columns = headers()
    row = {"Code": "RB07", "Measure": "Missed collections", "Polarity": "Lower is better",
           "Frequency": "Quarterly", "Period": "Q1 2024/25", "Value": "4", "Target": "0", "RAG": "Amber"}

    report = import_file(csv_bytes([columns, [row.get(c, "") for c in columns]]), "zero.csv", "perfhub",
                         dry_run=True)

    # PerfHub's default amber band is 10% of the target: of a target of 0, no band at all.
    [difference] = report.differences
    assert (difference.reported, difference.rules) == ("Amber", "Red")
    assert "A target of 0 makes an amber band in per cent no band at all" in difference.why
    assert "Give the band in units instead" in difference.why

    row.update({"Amber band": "5", "Amber band unit": "units"})
    report = import_file(csv_bytes([columns, [row.get(c, "") for c in columns]]), "zero.csv", "perfhub")
    assert report.written and not report.differences
    assert Value.objects.get(measure__code="RB07").rag == "Amber"
