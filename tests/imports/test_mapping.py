"""Mapping files: each one shipped loads, recognises its own files, and a bad one is explained."""

import pytest

from imports import mapping
from imports.demo import EXCEPTION_REPORT, OUTCOME_MEASURES, OUTCOME_RISKS
from imports.readers import read_table
from tests.imports.conftest import FIXTURES

FILES = {
    "hart-kpi-tiles": FIXTURES / "hart-dc-kpis-2014-15-q1.csv",
    "kent-qpr": FIXTURES / "kent-cc-qpr-kpis-2024-25-q3.csv",
    "kent-budget-risks": FIXTURES / "kent-cc-budget-risk-register-2025-26.csv",
    "dorset-exception-appendix": EXCEPTION_REPORT,
    "dorset-outcome-measures": OUTCOME_MEASURES,
    "dorset-risks": OUTCOME_RISKS,
}


def test_every_shipped_mapping_loads():
    assert set(mapping.names()) == set(FILES) | {"perfhub"}
    for found in mapping.all_mappings():
        assert found.columns


@pytest.mark.parametrize("name, path", FILES.items())
def test_each_layout_is_recognised_from_its_headers(name, path):
    assert mapping.for_headers(read_table(path.read_bytes(), path.name)).slug == name


@pytest.mark.parametrize("data, message", [
    ({"kind": "budget", "columns": {"title": "A"}}, "kind must be one of"),
    ({"columns": {"colour": "A"}}, "PerfHub has no field colour"),
    ({"columns": {}}, "give at least one column"),
    ({"columns": {"title": "A"}, "rewrite": [{"field": "title", "pattern": "("}]}, "incomplete"),
    ({"columns": {"title": "A"}, "previous_months": "a quarter"}, "previous_months must be a whole number"),
])
def test_a_bad_mapping_says_what_is_wrong(data, message):
    with pytest.raises(mapping.MappingError, match=message):
        mapping.parse(data, "bad")


def test_an_unknown_mapping_name_lists_the_known_ones():
    with pytest.raises(mapping.MappingError, match="known: dorset-exception-appendix"):
        mapping.load("nowhere")
