"""Every report page runs exactly the same number of queries for a small framework and a large
one: nothing is read per measure, per value or per row."""

from datetime import date

import pytest
from django.test import override_settings

from measures.models import Measure
from reports.models import CommitteeSnapshot
from risks import services as risk_services
from tests.factories import OutcomeFactory, RiskFactory
from tests.reports.conftest import bulk_framework

pytestmark = pytest.mark.django_db

AS_AT = "2020-10"


def framework(count, bi_user, client):
    """`count` measures of one committee and outcome, three reviewed risks, a snapshot."""
    committee, measures = bulk_framework(count)
    outcome = OutcomeFactory(slug="independent")
    Measure.objects.filter(pk__in=[m.pk for m in measures]).update(outcome=outcome)
    for number in range(3):
        risk = RiskFactory(code=f"R{number}")
        risk.outcomes.add(outcome)
        risk_services.record_review(risk, date(2020, 1 + number, 1), 2, 3)
    client.force_login(bi_user)
    response = client.post("/reports/snapshots/publish/", {
        "committee": committee.slug, "as_at": AS_AT, "meeting_date": "2020-11-20",
    })
    assert response.status_code == 302
    return committee, measures[0], CommitteeSnapshot.objects.get()


def pages(committee, measure, snapshot):
    exception = f"/reports/exception/?committee={committee.slug}&as_at={AS_AT}"
    return {
        "dashboard": f"/dashboard/?as_at={AS_AT}",
        "dashboard filtered": f"/dashboard/?committee={committee.slug}&rag=Red&as_at={AS_AT}",
        "dashboard sorted, page 2": f"/dashboard/?as_at={AS_AT}&sort=-data&page=2",
        "dashboard CSV": f"/dashboard/?as_at={AS_AT}&_export=csv",
        "exception report": exception,
        "exception report CSV": exception + "&_export=csv",
        "outcome report": f"/reports/outcomes/independent/?as_at={AS_AT}",
        "measure page": measure.get_absolute_url(),
        "risk register": "/risks/",
        "risk page": "/risks/R1/",
        "snapshot list": "/reports/snapshots/",
        "snapshot": snapshot.get_absolute_url(),
        "snapshot CSV": snapshot.get_absolute_url() + "?_export=csv",
    }


def counts(client, urls):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200, name
            response.getvalue()  # a streamed CSV reads its rows as it is sent
        found[name] = len(queries)
    return found


# Each page's queries, the same for any number of measures (the page cache off).
EXPECTED = {
    "dashboard": 13, "dashboard filtered": 14, "dashboard sorted, page 2": 13, "dashboard CSV": 8,
    "exception report": 10, "exception report CSV": 9, "outcome report": 11, "measure page": 12,
    "risk register": 11, "risk page": 10, "snapshot list": 7, "snapshot": 5, "snapshot CSV": 3,
}


@pytest.mark.parametrize("count", [6, 60])
@override_settings(PERFHUB_PAGE_CACHE=False)
def test_every_report_page_runs_the_same_queries_for_6_or_60_measures(client, bi_user, count):
    assert counts(client, pages(*framework(count, bi_user, client))) == EXPECTED


@pytest.mark.parametrize("count", [6, 120])
def test_the_dashboard_runs_a_fixed_number_of_queries_and_fewer_from_the_cache(client, member, django_assert_num_queries, count):
    committee, _ = bulk_framework(count)
    client.force_login(member)
    with override_settings(PERFHUB_PAGE_CACHE=False), django_assert_num_queries(14):  # the SPC columns read what the values keep
        client.get("/dashboard/", {"committee": committee.slug, "as_at": AS_AT, "sort": "-rag", "page": 1})
    client.get("/dashboard/", {"committee": committee.slug, "as_at": AS_AT})
    # session, user, the cached parts with the version, and the reader's rights for the menu: no
    # filter form is built, so the committee is not looked up
    with django_assert_num_queries(5):
        client.get("/dashboard/", {"committee": committee.slug, "as_at": AS_AT})


def grow(committee, count):
    """`count` more measures of `committee` and its outcome, with their values and targets."""
    first = Measure.objects.filter(committees=committee).first()
    _, measures = bulk_framework(count, committee=committee, service=first.service)
    Measure.objects.filter(pk__in=[m.pk for m in measures]).update(outcome=first.outcome)


def long_pages(committee, snapshot):
    exception = f"/reports/exception/?committee={committee.slug}&as_at={AS_AT}"
    return {
        "exception report": exception,
        **{f"exception report {fmt}": f"{exception}&_export={fmt}" for fmt in ("csv", "xlsx", "json")},
        "outcome report": f"/reports/outcomes/independent/?as_at={AS_AT}",
        "snapshot": snapshot.get_absolute_url(),
        **{f"snapshot {fmt}": f"{snapshot.get_absolute_url()}?_export={fmt}" for fmt in ("csv", "xlsx", "json")},
    }


@override_settings(PERFHUB_PAGE_CACHE=False)
def test_the_long_reports_run_as_many_queries_for_80_measures_as_for_8(client, bi_user, django_assert_num_queries):
    committee, _, small_snapshot = framework(8, bi_user, client)
    at_8 = counts(client, long_pages(committee, small_snapshot))

    grow(committee, 72)
    client.post("/reports/snapshots/publish/", {
        "committee": committee.slug, "as_at": AS_AT, "meeting_date": "2020-12-20",
    })
    large_snapshot = CommitteeSnapshot.objects.latest("meeting_date")
    assert len(large_snapshot.rows) == 10 * len(small_snapshot.rows)
    for name, url in long_pages(committee, large_snapshot).items():
        with django_assert_num_queries(at_8[name]):
            response = client.get(url)
            assert response.status_code == 200, name
            response.getvalue()
