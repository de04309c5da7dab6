"""The shared cache of published pages: a change shows at once, and what one reader may do never
reaches another reader's copy of the page."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.http import HttpResponse

from measures import services
from measures.models import Value
from measures.publication import VERSION_KEY, published_changed, published_version
from measures.rating import RAG
from reports.cache import PublishedPart
from tests.reports.conftest import table_rows
from tests.factories import CommitteeFactory, MeasureFactory, ValueFactory, month

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
EXCEPTION = "/reports/exception/"


@pytest.fixture
def committee():
    committee = CommitteeFactory(name="People and Health")
    measure = MeasureFactory(title="Number of active foster carers")
    measure.committees.add(committee)
    ValueFactory(measure=measure, period=month(2020, 9), value=Decimal("10"), rag=RAG.RED,
                 status=Value.Status.PUBLISHED)
    return committee


def signed_in(user):
    return f"Signed in as {user.get_full_name() or user.get_username()}"


def test_a_publish_shows_at_once(committee, client, member, bi_user):
    measure = committee.measures.get()
    approved = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("25"),
                            rag=RAG.AMBER, status=Value.Status.APPROVED)
    client.force_login(member)
    before = client.get(DASHBOARD, {"as_at": "2020-10"}).content.decode()
    assert [row[2] for row in table_rows(before, "app-table")] == ["Sep-20"]
    version = published_version()
    services.publish(bi_user, [approved])
    assert published_version() > version
    after = client.get(DASHBOARD, {"as_at": "2020-10"}).content.decode()
    assert [row[2:7] for row in table_rows(after, "app-table")] == [["Oct-20", "Monthly", "No.", "25", "Amber"]]
    report = client.get(EXCEPTION, {"committee": committee.slug, "as_at": "2020-10"}).content.decode()
    assert "Amber" in report and "25" in report


def test_a_revision_and_an_override_show_at_once(committee, client, member, bi_user):
    value = Value.objects.get()
    client.force_login(member)
    params = {"committee": committee.slug, "as_at": "2020-10"}
    assert "1 measure was identified as red or amber" in client.get(EXCEPTION, params).content.decode()
    services.override_rating(bi_user, value, RAG.GREEN, "Judged on track by the service")
    assert "0 measures were identified as red or amber" in client.get(EXCEPTION, params).content.decode()


def test_one_readers_rights_never_reach_anothers_cached_page(committee, client, member, bi_user):
    params = {"committee": committee.slug, "as_at": "2020-10"}
    client.force_login(bi_user)
    bi_page = client.get(EXCEPTION, params).content.decode()
    assert "Publish for meeting" in bi_page and "Signed in as" in bi_page
    client.force_login(member)
    member_page = client.get(EXCEPTION, params).content.decode()
    assert "Publish for meeting" not in member_page
    assert signed_in(member) in member_page and signed_in(bi_user) not in member_page
    # ...and the other way round, with the member's copy cached first.
    cache.clear()
    assert "Publish for meeting" not in client.get(EXCEPTION, params).content.decode()
    client.force_login(bi_user)
    assert "Publish for meeting" in client.get(EXCEPTION, params).content.decode()


def test_the_cached_parts_are_the_pages_parts(committee, client, member):
    """The page from the cache is the page built afresh, byte for byte, for every parameter."""
    client.force_login(member)
    for params in ({"as_at": "2020-10"}, {"as_at": "2020-10", "rag": "Red"}, {"as_at": "2020-09", "sort": "-data"}):
        fresh = main(client.get(DASHBOARD, params))
        assert main(client.get(DASHBOARD, params)) == fresh
    params = {"committee": committee.slug, "as_at": "2020-10"}
    fresh = main(client.get(EXCEPTION, params))
    assert main(client.get(EXCEPTION, params)) == fresh


def main(response):
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def test_a_withdrawal_shows_at_once(committee, client, member, bi_user):
    value = Value.objects.get()
    client.force_login(member)
    params = {"committee": committee.slug, "as_at": "2020-10"}
    assert "1 measure was identified as red or amber" in client.get(EXCEPTION, params).content.decode()
    services.withdraw(bi_user, value, "Figure was wrong", value.version)
    assert "0 measures were identified as red or amber" in client.get(EXCEPTION, params).content.decode()


def test_a_dashboard_served_whole_from_the_cache_selects_no_rows(committee, client, member):
    client.force_login(member)
    params = {"as_at": "2020-10", "rag": "Red"}
    built = client.get(DASHBOARD, params)
    assert not built.context["object_list"].query.is_empty()
    cached = client.get(DASHBOARD, params)
    assert cached.context["object_list"].query.is_empty()
    assert main(cached) == main(built)
    # An export never comes from the cache: its rows are selected.
    export = client.get(DASHBOARD, {**params, "_export": "csv"})
    assert "Number of active foster carers" in b"".join(export.streaming_content).decode()


def test_a_part_built_before_a_publish_and_stored_after_it_is_never_served(committee, rf, member):
    """As when another process began the page before the publish and stored it after."""
    request = rf.get(DASHBOARD, {"as_at": "2020-10"})
    late = PublishedPart("dashboard", request, names=("table",))
    assert not late.hit
    published_changed()
    late.store("table", "figures from before the publish")
    assert not PublishedPart("dashboard", request, names=("table",)).hit
    fresh = PublishedPart("dashboard", request, names=("table",))
    fresh.store("table", "figures after it")
    assert PublishedPart("dashboard", request, names=("table",)).html == {"table": b"figures after it"}


def test_the_version_and_the_parts_are_read_in_one_query(committee, rf, member, django_assert_num_queries):
    request = rf.get(DASHBOARD, {"as_at": "2020-10"})
    PublishedPart("dashboard", request, names=("table", "summary")).store("table", "a table")
    with django_assert_num_queries(1):
        part = PublishedPart("dashboard", request, names=("table", "summary"))
    assert part.html == {"table": b"a table"}


def test_a_cache_that_lost_the_version_never_serves_a_part_stored_before(committee, rf, member):
    """A cache may evict the version's key and keep pages (the database cache culls, Redis evicts
    under memory pressure): the version it starts again from must be above every one before."""
    request = rf.get(DASHBOARD, {"as_at": "2020-10"})
    PublishedPart("dashboard", request, names=("table",)).store("table", "figures from before")
    for _ in range(3):
        published_changed()
    cache.delete(VERSION_KEY)
    assert not PublishedPart("dashboard", request, names=("table",)).hit
    before = published_version()
    cache.delete(VERSION_KEY)
    published_changed()  # a bump with no version to bump starts afresh too
    assert published_version() > before


def test_a_parts_html_is_kept_compressed_and_spliced_into_the_page_as_it_was(committee, rf, member):
    request = rf.get(DASHBOARD, {"as_at": "2020-10"})
    html = "<table><caption>Measures – as at Oct-20</caption></table>" * 200
    PublishedPart("dashboard", request, names=("table",)).store("table", html)
    part = PublishedPart("dashboard", request, names=("table",))
    key = part.keys["table"]
    assert len(cache.get(key)[1]) < len(html) // 10  # compressed
    page = HttpResponse(f"<main>{part.placeholder('table')}</main>")
    assert part.splice(page).content.decode() == f"<main>{html}</main>"


def test_a_part_kept_uncompressed_before_is_still_served(committee, rf, member):
    request = rf.get(DASHBOARD, {"as_at": "2020-10"})
    part = PublishedPart("dashboard", request, names=("table",))
    cache.set(part.keys["table"], (part.version, "<p>Kept – before</p>"))
    part = PublishedPart("dashboard", request, names=("table",))
    assert part.splice(HttpResponse(part.placeholder("table"))).content.decode() == "<p>Kept – before</p>"


def test_a_dashboard_from_the_cache_builds_no_filter_form_and_is_the_page_built_afresh(committee, client, member):
    client.force_login(member)
    # No month asked for: the latest published one (Sep-20), as the filter form would say.
    for params, month in (({}, "Sep-20"), ({"as_at": "2020-10", "committee": committee.slug}, "Oct-20")):
        fresh = client.get(DASHBOARD, params)
        cached = client.get(DASHBOARD, params)
        assert fresh.context["filter"] is not None and cached.context["filter"] is None
        assert main(cached) == main(fresh)
        assert f"as at {month}" in main(cached)


def test_a_dashboard_with_a_bad_filter_shows_its_errors_never_a_cached_page(committee, client, member):
    client.force_login(member)
    client.get(DASHBOARD, {"as_at": "2020-10"})
    for params in ({"as_at": "2020-13"}, {"as_at": "2020-10", "committee": "no-such-committee"}):
        for _ in range(2):
            page = client.get(DASHBOARD, params).content.decode()
            assert "There is a problem" in page and "<title>Error: " in page


def test_the_exception_reports_form_comes_from_the_cache_only_when_valid(committee, client, member):
    client.force_login(member)
    params = {"committee": committee.slug, "as_at": "2020-10"}
    fresh, cached = (main(client.get(EXCEPTION, params)) for _ in range(2))
    assert cached == fresh and 'name="committee"' in cached
    for _ in range(2):
        page = client.get(EXCEPTION, {**params, "as_at": "2020-13"}).content.decode()
        assert "There is a problem" in page and 'name="committee"' in page


def test_a_committee_renamed_or_deleted_is_never_shown_from_the_cache(committee, client, member):
    # Whatever the door (here the model itself, as the admin and framework pages save it).
    client.force_login(member)
    params = {"committee": committee.slug, "as_at": "2020-10"}
    assert "People and Health" in client.get(DASHBOARD, params).content.decode()
    committee.name = "Health and Care"
    committee.save()
    page = client.get(DASHBOARD, params).content.decode()
    assert "Health and Care" in page and "People and Health" not in page

    committee.delete()
    page = client.get(DASHBOARD, params).content.decode()
    assert "Select a committee from the list" in page
