"""Committee snapshots: the exception report as published for a meeting never changes."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from measures import services
from measures.models import Measure, Value
from reports.models import CommitteeSnapshot
from tests.reports.conftest import table_rows

pytestmark = pytest.mark.django_db

PUBLISH = reverse("snapshot_publish")
REPORT = reverse("exception_report")
PARAMS = {"committee": "people-and-health", "as_at": "2020-10"}


def publish(client, **data):
    return client.post(PUBLISH, {**PARAMS, "meeting_date": "2021-01-28", **data})


def test_publish_change_a_value_the_snapshot_keeps_the_old_one(demo_council, client, bi_user, member):
    client.force_login(bi_user)
    response = publish(client)
    snapshot = CommitteeSnapshot.objects.get()
    assert response.status_code == 302 and response["Location"] == snapshot.get_absolute_url()
    assert (snapshot.committee.slug, snapshot.as_at, snapshot.meeting_date) == ("people-and-health", date(2020, 10, 31), date(2021, 1, 28))
    assert snapshot.published_by == bi_user and snapshot.red_amber_count == 28

    # A correction is published: foster carers were 206, now 210.
    measure = Measure.objects.get(title="Number of active foster carers (including connected persons)")
    value = measure.values.get(period__start=date(2020, 10, 1))
    value.value = Decimal(210)
    value.save()
    services.rate_measure(measure)

    client.force_login(member)
    kept = table_rows(client.get(snapshot.get_absolute_url()).content.decode(), "app-exception-table")
    live = table_rows(client.get(REPORT, PARAMS).content.decode(), "app-exception-table")
    def carers(rows):
        return next(row for row in rows if row[0] == measure.title)
    assert carers(kept)[5] == "206"
    assert carers(live)[5] == "210"
    assert len(kept) == 28


def test_the_snapshot_exports_the_stored_rows(demo_council, client, bi_user):
    client.force_login(bi_user)
    publish(client)
    snapshot = CommitteeSnapshot.objects.get()
    Value.objects.all().delete()
    csv = client.get(snapshot.get_absolute_url(), {"_export": "csv"}).getvalue().decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("Indicator,Service,Period,Unit,Monthly / Quarterly / Annual,Data,RAG,D.O.T.")
    assert len(lines) == 29
    assert lines[1].startswith('"Rates of children in care per 10,000",Care & Protection,Oct-20,No.,Monthly,70.00,Red,Improving,60.00,67.10')


def test_only_the_bi_team_may_publish(demo_council, client, member, lead):
    for user in (member, lead):
        client.force_login(user)
        assert publish(client).status_code == 403
        assert client.get(PUBLISH, PARAMS).status_code == 403
    assert not CommitteeSnapshot.objects.exists()


def test_the_report_offers_publishing_to_the_bi_team_only(demo_council, client, bi_user, member):
    client.force_login(member)
    assert "Publish for meeting" not in client.get(REPORT, PARAMS).content.decode()
    client.force_login(bi_user)
    assert "Publish for meeting" in client.get(REPORT, PARAMS).content.decode()


def test_publishing_with_bad_input_explains_and_stores_nothing(demo_council, client, bi_user):
    client.force_login(bi_user)
    response = publish(client, meeting_date="28th Jan", as_at="soon")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter the meeting date like 2021-01-28" in html and "Enter the as-at month like 2020-10" in html
    assert not CommitteeSnapshot.objects.exists()


def test_past_snapshots_are_listed_per_committee(demo_council, client, bi_user):
    from tests.factories import CommitteeFactory

    CommitteeFactory(name="Place and Resources")
    client.force_login(bi_user)
    publish(client, meeting_date="2021-01-28")
    publish(client, meeting_date="2021-03-04", as_at="2020-12")
    publish(client, committee="place-and-resources", meeting_date="2021-01-25")

    html = client.get(reverse("snapshot_list"), {"committee": "people-and-health"}).content.decode()
    rows = table_rows(html, "app-table")
    assert [row[:3] for row in rows] == [
        ["People and Health", "4 March 2021", "Dec-20"],
        ["People and Health", "28 January 2021", "Oct-20"],
    ]
    everything = table_rows(client.get(reverse("snapshot_list")).content.decode(), "app-table")
    assert len(everything) == 3
