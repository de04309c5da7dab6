"""The public pages: signed out, residents read the measures and snapshots marked public, with
published figures only; anything else is not found, here or through the API without a token."""

import pytest
from django.test import Client

from measures.models import Value
from tests.api.conftest import framework  # noqa: F401 - a fixture
from tests.factories import ValueFactory, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident():
    return Client()


def test_the_index_lists_public_measures_with_their_latest_published_figure(framework, resident):  # noqa: F811
    page = resident.get("/public/").content.decode()
    assert "People supported at home" in page
    assert f'href="/public/measures/{framework["supported"].pk}/"' in page
    assert "Homes built" not in page and "Healthy life expectancy" not in page
    assert "No measures are published yet." not in page


def test_the_index_links_only_the_latest_public_snapshot_of_each_committee(framework, resident):  # noqa: F811
    page = resident.get("/public/").content.decode()
    assert f'/public/snapshots/{framework["snapshot"].pk}/' in page
    assert f'/public/snapshots/{framework["hidden_snapshot"].pk}/' not in page


def test_a_public_measure_shows_its_published_figures_chart_and_table_only(framework, resident):  # noqa: F811
    supported = framework["supported"]
    ValueFactory(measure=supported, period=month(2020, 11), value=999, status=Value.Status.SUBMITTED)
    response = resident.get(f"/public/measures/{supported.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "80.5" in page and "Fewer carers" in page
    assert 'type="application/json"' in page  # the chart's data block
    assert "<caption" in page  # the chart's data table and the values table
    assert "Nov-20" not in page and "999" not in page
    assert "/_export" not in page and "/measures/" + str(supported.pk) + "/?" not in page


def test_an_unmarked_measure_and_an_unmarked_snapshot_are_not_found(framework, resident):  # noqa: F811
    assert resident.get(f"/public/measures/{framework['homes'].pk}/").status_code == 404
    assert resident.get(f"/public/snapshots/{framework['hidden_snapshot'].pk}/").status_code == 404


def test_a_public_snapshot_shows_its_rows_without_links_to_member_pages(framework, resident):  # noqa: F811
    response = resident.get(f"/public/snapshots/{framework['snapshot'].pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and "People supported at home" in page and "Fewer carers" in page
    assert f'/measures/{framework["supported"].pk}/' not in page


def test_the_member_pages_and_the_api_stay_closed_to_residents(framework, resident):  # noqa: F811
    for url in ["/dashboard/", f"/measures/{framework['supported'].pk}/", "/reports/snapshots/"]:
        assert resident.get(url).status_code == 302
    for url in ["/api/v1/values/", "/api/v1/measures/", "/api/v1/snapshots/", "/api/v1/values/?format=csv",
                f"/api/v1/values/{framework['october'].pk}/",
                "/api/v1/reports/exception/?committee=people-and-health&as_at=2020-10"]:
        assert resident.get(url).status_code == 401, url


def test_the_bi_team_chooses_whether_a_published_snapshot_is_public(framework, client, bi_user):  # noqa: F811
    from reports.models import CommitteeSnapshot

    client.force_login(bi_user)
    data = {"committee": "people-and-health", "as_at": "2020-10", "meeting_date": "2021-01-28"}
    client.post("/reports/snapshots/publish/", {**data, "audience": "public"})
    client.post("/reports/snapshots/publish/", {**data, "meeting_date": "2021-02-28", "audience": "members"})
    published = dict(CommitteeSnapshot.objects.filter(meeting_date__year=2021).values_list("meeting_date__month", "is_public"))
    assert published == {1: True, 2: False}


def test_the_bi_team_marks_measures_public_in_the_admin(framework, client, bi_user, lead):  # noqa: F811
    homes = framework["homes"]
    client.force_login(bi_user)
    client.post("/admin/measures/measure/", {"action": "make_public", "_selected_action": [homes.pk]})
    homes.refresh_from_db()
    assert homes.is_public and homes.history.latest().is_public
    client.force_login(lead)
    supported = framework["supported"]
    client.post("/admin/measures/measure/", {"action": "make_not_public", "_selected_action": [supported.pk]})
    supported.refresh_from_db()
    assert supported.is_public  # a service lead cannot take it off


@pytest.mark.parametrize("count", [1, 20])
def test_the_index_runs_a_fixed_number_of_queries(db, resident, django_assert_num_queries, count):
    from tests.factories import MeasureFactory

    for number in range(count):
        measure = MeasureFactory(is_public=True)
        ValueFactory(measure=measure, period=month(2020, 10), status=Value.Status.PUBLISHED)
    with django_assert_num_queries(5):
        page = resident.get("/public/").content.decode()
    assert page.count("/public/measures/") == count
