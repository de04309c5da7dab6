"""Each API resource: its fields, filters, cursor pagination, published-only figures for
everyone but the BI team, the BI team's own fields, CSV, and a fixed number of queries."""

import csv
import io
from decimal import Decimal

import pytest

from measures.models import Value
from tests.factories import MeasureFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def csv_rows(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_outcomes_services_committees_and_periods_list_their_fields(framework, member_api):
    assert results(member_api.get("/api/v1/outcomes/"))[0] == {
        "id": framework["outcome"].pk, "name": "People are Independent", "short_name": "Independent",
        "slug": "independent", "plan": "", "sponsor": "", "sponsor_role": "", "contacts": "",
    }
    assert [s["slug"] for s in results(member_api.get("/api/v1/services/"))] == ["adult-care", "housing"]
    assert results(member_api.get("/api/v1/committees/"))[0]["slug"] == "people-and-health"
    periods = results(member_api.get("/api/v1/periods/"))
    assert {"kind": "month", "start": "2020-10-01", "end": "2020-10-31", "label": "Oct-20"}.items() <= periods[-1].items()


def test_population_indicators_name_their_outcome_and_headline_measure(framework, member_api):
    [indicator] = results(member_api.get("/api/v1/population-indicators/"))
    assert indicator["outcome"] == "independent"
    assert indicator["headline_measure"] == framework["headline"].pk
    assert indicator["number"] == "01"


def test_measures_carry_their_rating_rules_and_the_ratings_in_force(framework, member_api):
    rows = results(member_api.get("/api/v1/measures/?as_at=2020-10"))
    supported = next(m for m in rows if m["id"] == framework["supported"].pk)
    assert supported == {
        "id": framework["supported"].pk, "code": supported["code"], "title": "People supported at home",
        "definition": "How many people", "service": "adult-care", "unit": "No.", "unit_label": "",
        "rate_per": supported["rate_per"], "frequency": "monthly", "year_basis": "financial_year",
        "polarity": "higher", "decimal_places": 1, "rating_rule": supported["rating_rule"],
        "green_band": 0.0, "green_band_unit": "percent", "rag_tolerance": 10.0, "amber_band_unit": "percent",
        "dot_basis": "previous", "dot_baseline": None, "same_band": 0.0, "same_band_unit": "units", "committees": ["people-and-health"], "outcome": "independent",
        "population_indicator": None, "reported_elsewhere": False, "is_public": True,
        "latest_value": framework["october"].pk, "rag": "Red", "dot": "Worsening",
        # Two figures are too few for SPC limits.
        "variation": None, "variation_text": None, "assurance": None, "assurance_text": None,
        "spc_synthetic": False,
        "numerator_label": "", "denominator_label": "", "aggregation": "", "formula": "",
        "minimum": None, "maximum": None, "rollups": [],
    }
    # As at September the October value is not yet in force.
    september = results(member_api.get("/api/v1/measures/?as_at=2020-09&q=supported"))
    assert [(m["rag"], m["latest_value"]) for m in september] == [("Green", framework["september"].pk)]


@pytest.mark.parametrize("query, titles", [
    ("committee=people-and-health", {"People supported at home", "Homes built"}),
    ("service=housing", {"Homes built"}),
    ("rag=Red&as_at=2020-10", {"People supported at home"}),
    ("dot=Worsening&as_at=2020-10", {"People supported at home"}),
    ("frequency=Monthly&q=homes", {"Homes built"}),
    ("q=EXPECTANCY", {"Healthy life expectancy"}),
])
def test_measures_take_the_dashboards_filters(framework, member_api, query, titles):
    assert {m["title"] for m in results(member_api.get(f"/api/v1/measures/?{query}"))} == titles


def test_a_bad_filter_value_is_a_400_with_the_dashboards_message(framework, member_api):
    response = member_api.get("/api/v1/measures/?rag=Purple")
    assert response.status_code == 400
    assert response.json() == {"rag": ["Select Red, Amber, Green or ND"]}
    assert member_api.get("/api/v1/values/?as_at=Smarch").json() == {"as_at": ["Enter the as-at month like 2020-10"]}


def test_members_read_only_published_values(framework, member_api):
    rows = results(member_api.get("/api/v1/values/"))
    assert {r["id"] for r in rows} == {framework["september"].pk, framework["october"].pk}
    assert not {"status", "returned_comment", "flags", "flag_reason"} & set(rows[0])
    assert member_api.get(f"/api/v1/values/{framework['draft'].pk}/").status_code == 404


def test_values_carry_ratings_override_commentary_actions_and_revision(framework, member_api):
    october = member_api.get(f"/api/v1/values/{framework['october'].pk}/").json()
    assert october == {
        "id": framework["october"].pk, "measure": framework["supported"].pk, "period": "Oct-20",
        "period_kind": "month", "period_start": "2020-10-01", "period_end": "2020-10-31", "value": 80.5, "numerator": None, "denominator": None,
        "no_data_reason": "", "provisional": False, "caveat": "", "rag": "Red",
        "direction_of_travel": "Worsening", "overridden": True, "rag_override": "Red", "dot_override": "",
        "override_reason": "Below plan", "commentary": "Fewer carers", "actions": "Recruit",
        "revision": 1, "updated_at": october["updated_at"],
    }


def test_numbers_are_json_numbers_at_their_stored_precision(framework, member_api):
    september = member_api.get(f"/api/v1/values/{framework['september'].pk}/").json()
    assert september["value"] == 123456789.1234
    assert isinstance(september["value"], float)


def test_the_bi_team_reads_every_value_with_its_status(framework, bi_api):
    rows = {r["id"]: r for r in results(bi_api.get("/api/v1/values/"))}
    assert rows[framework["draft"].pk]["status"] == "draft"
    assert rows[framework["draft"].pk]["returned_comment"] == "Check the figure"
    assert rows[framework["october"].pk]["status"] == "published"


def test_the_bi_team_reads_the_flags_an_unusual_figure_was_entered_or_imported_with(framework, bi_api):
    value = framework["draft"]
    value.flags, value.flag_reason = ["7 is above the measure's maximum of 5"], "A one-off inspection"
    value.save()
    row = bi_api.get(f"/api/v1/values/{value.pk}/").json()
    assert (row["flags"], row["flag_reason"]) == (["7 is above the measure's maximum of 5"], "A one-off inspection")


@pytest.mark.parametrize("query, names", [
    ("committee=people-and-health", {"september", "october", "draft"}),
    ("service=housing", {"draft"}),
    ("rag=Red", {"october"}),
    ("dot=Worsening", {"october"}),
    ("as_at=2020-09", {"september"}),
    ("frequency=monthly&q=homes", {"draft"}),
    ("measure={supported}", {"september", "october"}),
])
def test_values_take_the_dashboards_filter_names(framework, bi_api, query, names):
    query = query.format(supported=framework["supported"].pk)
    got = {r["id"] for r in results(bi_api.get(f"/api/v1/values/?{query}"))}
    assert got == {framework[name].pk for name in names}


def test_updated_since_gives_only_values_saved_since(framework, bi_api):
    Value.objects.filter(pk=framework["september"].pk).update(entered_at="2020-01-01T00:00:00Z", updated_at="2020-01-01T00:00:00Z")
    got = {r["id"] for r in results(bi_api.get("/api/v1/values/?updated_since=2021-01-01T00:00:00Z"))}
    assert got == {framework["october"].pk, framework["draft"].pk}
    assert bi_api.get("/api/v1/values/?updated_since=yesterday").status_code == 400


def test_targets_and_comparators_by_measure(framework, member_api):
    [target] = results(member_api.get(f"/api/v1/targets/?measure={framework['supported'].pk}"))
    assert target == {
        "id": framework["target"].pk, "measure": framework["supported"].pk, "period": "Oct-20",
        "period_kind": "month", "period_start": "2020-10-01", "period_end": "2020-10-31", "value": 100.0,
        "floor": None, "ends": None,
    }
    assert results(member_api.get("/api/v1/targets/?service=housing")) == []
    [comparator] = results(member_api.get("/api/v1/comparators/?committee=people-and-health"))
    assert comparator["value"] == 90.25 and comparator["name"] == "South West" and comparator["rank"] is None


def test_risks_come_with_their_reviews(framework, member_api):
    [risk] = results(member_api.get("/api/v1/risks/"))
    assert risk["code"] == "01c" and risk["score"] == 16 and risk["outcomes"] == ["independent"]
    assert risk["reviews"] == [{
        "reviewed_on": "2020-10-01", "likelihood": 4, "impact": 4, "score": 16, "level": "HIGH",
        "trend": "UNCHANGED", "note": "",
    }]


def test_snapshots_come_with_their_rows_as_printed(framework, member_api):
    rows = results(member_api.get("/api/v1/snapshots/?committee=people-and-health"))
    snapshot = next(s for s in rows if s["id"] == framework["snapshot"].pk)
    assert snapshot["rows"][0]["data"] == "80.5"
    assert snapshot["as_at"] == "2020-10-31" and snapshot["meeting_date"] == "2020-11-20"


def test_cursor_pagination_walks_every_value_once(db, bi_api):
    measure = MeasureFactory()
    for number in range(1, 8):
        ValueFactory(measure=measure, period=month(2020, number), status=Value.Status.PUBLISHED)
    seen, url = [], "/api/v1/values/?page_size=3"
    while url:
        response = bi_api.get(url)
        page = response.json()
        assert len(page["results"]) <= 3
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
        if url:
            assert response["Link"] == f'<{url}>; rel="next"'
    assert sorted(seen) == seen and len(seen) == 7


def test_csv_is_flat_with_full_numbers_blanks_and_neutralised_formulas(framework, member_api):
    rows = csv_rows(member_api.get("/api/v1/values/?format=csv"))
    september = next(r for r in rows if r["id"] == str(framework["september"].pk))
    assert september["value"] == "123456789.1234"
    assert september["commentary"] == "'=HYPERLINK(\"http://x\")"
    assert september["caveat"] == "" and september["overridden"] == "false"
    measures = csv_rows(member_api.get("/api/v1/measures/?format=csv&service=adult-care"))
    assert {m["title"] for m in measures} == {"People supported at home", "Healthy life expectancy"}
    supported = next(m for m in measures if m["title"] == "People supported at home")
    assert supported["committees"] == '["people-and-health"]' and supported["population_indicator"] == ""


@pytest.mark.parametrize("resource", [
    "outcomes", "population-indicators", "services", "committees", "measures", "periods", "targets",
    "values", "comparators", "risks", "snapshots",
])
def test_every_list_has_a_csv_rendering(framework, bi_api, resource):
    rows = csv_rows(bi_api.get(f"/api/v1/{resource}/?format=csv"))
    assert rows and "id" in rows[0]


THROTTLE_QUERIES = 6  # at most, for the throttle's count in the database cache (read, cull, write)
LIST_QUERIES = {
    # The token, the throttle, then the page, and one query per prefetched relation (values: and
    # the BI check; measures: the latest month with published figures, the dashboard's default
    # as-at month, and the SPC series' three queries, and which series hold synthetic figures).
    name: THROTTLE_QUERIES + count for name, count in {
        "outcomes": 2, "population-indicators": 2, "services": 2, "committees": 2, "measures": 8,
        "periods": 2, "targets": 2, "values": 3, "comparators": 2, "risks": 5, "snapshots": 2,
    }.items()
}


@pytest.mark.parametrize("resource", LIST_QUERIES)
@pytest.mark.parametrize("many", [1, 25])
def test_every_list_runs_a_fixed_number_of_queries_whatever_the_page_size(
    db, bi_api, django_assert_max_num_queries, resource, many,
):
    from tests.api.conftest import framework_rows

    framework_rows(many)
    with django_assert_max_num_queries(LIST_QUERIES[resource]):
        response = bi_api.get(f"/api/v1/{resource}/?page_size=100")
    assert len(response.json()["results"]) >= many


def test_a_snapshot_row_stored_without_some_columns_reads_them_as_blank(framework, member_api):
    snapshot = framework["hidden_snapshot"]
    snapshot.rows = [{"indicator": "People supported", "data": "41.4", "rag": "Red", "measure_id": 1}]
    snapshot.save()
    [row] = member_api.get(f"/api/v1/snapshots/{snapshot.pk}/").json()["rows"]
    assert row["service"] == "" and row["data"] == "41.4" and row["commentary"] == ""
