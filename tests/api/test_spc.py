"""SPC in the API (issue 12): each measure's variation and assurance, with their words, in the
measures list and detail and the exception report, in a fixed number of queries.

The series are tests/reports/test_spc_pages.py's (NHSRplotthedots' rnorm test data, scaled).
"""

import pytest

from tests.api.test_schema import schema, validate  # noqa: F401 - a fixture
from tests.reports.conftest import bulk_framework
from tests.reports.test_spc_pages import committee, trio  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

IMPROVING_BUT_FAILING = {
    "variation": "improvement",
    "variation_text": "Special cause variation of an improving nature: higher values",
    "assurance": "failing",
    "assurance_text": "The process will consistently fail the target",
}
CONCERN_AND_FAILING = {
    "variation": "concern",
    "variation_text": "Special cause variation of a concerning nature: higher values",
    "assurance": "failing",
    "assurance_text": "The process will consistently fail the target",
}
SPC_FIELDS = list(IMPROVING_BUT_FAILING)


def spc_of(item):
    return {name: item[name] for name in SPC_FIELDS}


def test_measures_carry_the_variation_and_assurance_of_their_latest_value(trio, member_api):  # noqa: F811
    carers, days, delayed = trio
    rows = {m["title"]: spc_of(m) for m in member_api.get("/api/v1/measures/?as_at=2020-09").json()["results"]}
    assert rows["Carers approved"] == IMPROVING_BUT_FAILING
    assert rows["Days to assess"] == {
        "variation": "concern",
        "variation_text": "Special cause variation of a concerning nature: higher values",
        "assurance": "passing",
        "assurance_text": "The process will consistently pass the target",
    }
    assert rows["Delayed transfers"] == CONCERN_AND_FAILING


def test_a_measures_spc_is_as_at_the_month_asked_for(trio, member_api):  # noqa: F811
    carers = trio[0]
    now = member_api.get(f"/api/v1/measures/{carers.pk}/?as_at=2020-09").json()
    assert spc_of(now) == IMPROVING_BUT_FAILING
    # Before Sep-20's 160 the series is common cause, and the target (set for Sep-20) not yet in force.
    before = member_api.get(f"/api/v1/measures/{carers.pk}/?as_at=2020-08").json()
    assert spc_of(before) == {
        "variation": "common", "variation_text": "Common cause variation: no signal",
        "assurance": None, "assurance_text": None,
    }


def test_the_exception_report_rows_carry_their_measures_spc(trio, committee, member_api):  # noqa: F811
    report = member_api.get(f"/api/v1/reports/exception/?committee={committee.slug}&as_at=2020-09").json()
    [row] = report["rows"]  # only Delayed transfers is Red
    assert row["indicator"] == "Delayed transfers"
    assert spc_of(row) == CONCERN_AND_FAILING
    assert list(row)[-5:] == [*SPC_FIELDS, "spc_synthetic"]  # after Appendix 1's columns
    assert row["spc_synthetic"] is False
    csv = member_api.get(f"/api/v1/reports/exception/?committee={committee.slug}&as_at=2020-09&format=csv")
    header, line = csv.content.decode().splitlines()[:2]
    assert header.endswith("variation,variation_text,assurance,assurance_text,spc_synthetic")
    assert line.endswith("concern,Special cause variation of a concerning nature: higher values,failing,"
                         "The process will consistently fail the target,false")


@pytest.mark.parametrize("query, titles", [
    ("variation=concern", {"Days to assess", "Delayed transfers"}),
    ("assurance=failing", {"Carers approved", "Delayed transfers"}),
    ("variation=concern&assurance=failing", {"Delayed transfers"}),
    ("variation=common", set()),
])
def test_measures_filter_by_variation_and_assurance_as_the_dashboard_does(trio, member_api, query, titles):  # noqa: F811
    found = member_api.get(f"/api/v1/measures/?as_at=2020-09&{query}").json()["results"]
    assert {m["title"] for m in found} == titles


def test_a_wrong_variation_is_a_400_with_the_dashboards_message(trio, member_api):  # noqa: F811
    response = member_api.get("/api/v1/measures/?variation=worse")
    assert response.status_code == 400
    assert response.json() == {"variation": ["Select concern, improvement, neither or common cause"]}


def test_the_spc_fields_validate_against_the_schema(trio, committee, member_api, schema):  # noqa: F811
    measures = member_api.get("/api/v1/measures/?as_at=2020-09").json()
    assert {m["variation"] for m in measures["results"]} == {"improvement", "concern"}
    validate(schema, "/api/v1/measures/", measures)
    carers = member_api.get(f"/api/v1/measures/{trio[0].pk}/?as_at=2020-09").json()
    validate(schema, "/api/v1/measures/{id}/", carers)
    report = member_api.get(f"/api/v1/reports/exception/?committee={committee.slug}&as_at=2020-09").json()
    validate(schema, "/api/v1/reports/exception/", report)


# The token and the throttle's cache (7), then the measures list: the default as-at month, the
# page (with the SPC kept on each measure's latest value), its committees and which of its
# series hold synthetic figures; the exception report: the committee and its rows' four queries
# (each row's value, read with its measure, keeps its SPC, and whether its series is synthetic).
MEASURES_QUERIES = 7 + 4
EXCEPTION_QUERIES = 7 + 5


@pytest.mark.parametrize("size", [3, 30])
def test_the_measures_list_with_spc_runs_the_same_queries_at_any_size(size, member_api, django_assert_num_queries):
    bulk_framework(size)
    with django_assert_num_queries(MEASURES_QUERIES):
        results = member_api.get("/api/v1/measures/?page_size=100").json()["results"]
    assert len(results) == size
    assert all(m["variation"] is not None for m in results)


@pytest.mark.parametrize("size", [3, 30])
def test_the_measures_list_filtered_by_variation_runs_the_same_queries_at_any_size(
    size, member_api, django_assert_num_queries,
):
    bulk_framework(size)  # rising series: a trend, special cause improvement
    # In SQL, on the SPC each published value keeps: the same queries as the list unfiltered.
    with django_assert_num_queries(MEASURES_QUERIES):
        results = member_api.get("/api/v1/measures/?page_size=100&variation=improvement").json()["results"]
    assert len(results) == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_exception_report_with_spc_runs_the_same_queries_at_any_size(
    size, member_api, django_assert_num_queries,
):
    committee, _ = bulk_framework(size)
    with django_assert_num_queries(EXCEPTION_QUERIES):
        rows = member_api.get(f"/api/v1/reports/exception/?committee={committee.slug}&as_at=2020-10").json()["rows"]
    assert len(rows) == sum(1 for i in range(size) if i % 4 < 2)  # ratings cycle Red, Amber, Green, ND
    assert all(row["variation"] is not None for row in rows)
