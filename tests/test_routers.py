"""With a read replica configured, report pages read from it; data entry, sign-in and every
write stay on the primary."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.factories import CommitteeFactory, MeasureFactory


# A second alias, "replica": a test mirror of the default database, as settings.py makes it
# when DATABASE_REPLICA_URL is set (set up with the test databases, after collection).
connections.settings["replica"] = {**connections.settings["default"], "TEST": {"MIRROR": "default"}}


@pytest.fixture
def replica(settings):
    settings.REPORT_READS_DATABASE = "replica"
    return connections["replica"]


def tables(queries):
    return " ".join(query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_report_reads_go_to_the_replica_and_everything_else_to_the_primary(client, member, lead, replica):
    committee = CommitteeFactory()
    MeasureFactory().committees.add(committee)
    client.force_login(member)
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as read:
        assert client.get("/dashboard/", {"as_at": "2020-10"}).status_code == 200
    assert "measures_measure" in tables(read) and "measures_measure" not in tables(primary)
    assert "django_session" in tables(primary) and "django_session" not in tables(read)

    client.force_login(lead)
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as read:
        assert client.get("/my-measures/").status_code == 200
    assert read.captured_queries == [] and "measures_measure" in tables(primary)


def test_without_a_replica_everything_reads_from_the_primary(settings):
    settings.REPORT_READS_DATABASE = "default"
    from measures.models import Measure
    from perfhub.routers import ReplicaRouter, reading_reports

    with reading_reports():
        assert ReplicaRouter().db_for_read(Measure) == "default"
    assert ReplicaRouter().db_for_write(Measure) == "default"
