"""The home page of each role: a lead's figures due, the BI team's queue, a member's committees."""

from datetime import date

import pytest
from django.urls import reverse

from measures.models import Value
from measures.rating import RAG
from reports.models import CommitteeSnapshot
from tests.factories import CommitteeFactory, MeasureFactory, ServiceFactory, ValueFactory, month

pytestmark = pytest.mark.django_db

HOME = reverse("home")


@pytest.fixture
def october(adult_care):
    """Adult Care's four monthly measures in Oct-20: one published in September and now
    missing, one draft returned by the BI team, one submitted, one approved."""
    measures = [MeasureFactory(title=f"M{i}", service=adult_care) for i in range(4)]
    ValueFactory(measure=measures[0], period=month(2020, 9), status=Value.Status.PUBLISHED)
    ValueFactory(measure=measures[1], period=month(2020, 10), returned_comment="Check the CRM extract.")
    ValueFactory(measure=measures[2], period=month(2020, 10), status=Value.Status.SUBMITTED)
    ValueFactory(measure=measures[3], period=month(2020, 10), status=Value.Status.APPROVED)
    return measures


def test_a_lead_sees_what_is_due_per_service_and_what_came_back(client, lead, october):
    client.force_login(lead)
    html = client.get(HOME).content.decode()
    assert "Your figures for Oct-20" in html
    assert "3 of 4 entered; 2 submitted to the BI team." in html
    assert "M1: Check the CRM extract." in html
    assert f'href="{reverse("my_measures")}?period=2020-10"' in html


def test_a_lead_sees_only_their_services(client, lead, october):
    MeasureFactory(title="Not theirs", service=ServiceFactory(name="Housing"))
    client.force_login(lead)
    html = client.get(HOME).content.decode()
    assert "Adult Care" in html and "Housing" not in html.split("<h2 class=\"govuk-heading-m\">Reports")[0]


def test_the_bi_team_sees_each_services_queue(client, bi_user, october):
    client.force_login(bi_user)
    response = client.get(HOME)
    [adult_care] = response.context["progress"]
    assert (adult_care.due, adult_care.missing, adult_care.submitted, adult_care.approved) == (4, 2, 1, 1)
    html = response.content.decode()
    assert "Waiting for the BI team, Oct-20" in html
    assert f'href="{reverse("approvals")}?period=2020-10"' in html


def test_the_bi_team_sees_the_last_snapshot_per_committee(client, bi_user, october):
    committee = CommitteeFactory()
    october[0].committees.add(committee)
    for meeting in (date(2020, 11, 5), date(2021, 1, 28)):
        CommitteeSnapshot.objects.create(committee=committee, as_at=date(2020, 10, 31), meeting_date=meeting, rows=[], red_amber_count=0, other_count=0)
    client.force_login(bi_user)
    html = client.get(HOME).content.decode()
    assert "meeting of 28 January 2021, as at Oct-20" in html
    assert "meeting of 5 November 2020" not in html


def test_the_bi_home_page_runs_the_same_queries_for_more_measures(client, bi_user, october, adult_care, django_assert_max_num_queries):
    client.force_login(bi_user)
    client.get(HOME)
    with django_assert_max_num_queries(20) as few:
        client.get(HOME)
    for i in range(20):
        ValueFactory(measure=MeasureFactory(service=adult_care), period=month(2020, 10), status=Value.Status.SUBMITTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(HOME)


def test_a_member_sees_their_committees_red_and_amber_counts_linked_to_the_report(client, member, adult_care):
    committee = CommitteeFactory()
    for rag in (RAG.RED, RAG.AMBER, RAG.AMBER, RAG.GREEN):
        measure = MeasureFactory(service=adult_care)
        measure.committees.add(committee)
        ValueFactory(measure=measure, period=month(2020, 10), status=Value.Status.PUBLISHED, rag=rag)
    client.force_login(member)
    response = client.get(HOME)
    [(shown, snapshot, counts)] = response.context["committees"]
    assert shown == committee and snapshot is None
    assert counts == {"Red": 1, "Amber": 2, "Green": 1, "ND": 0}
    assert f'href="{reverse("exception_report")}?committee=people-and-health&amp;as_at=2020-10"' in response.content.decode()



def test_a_member_sees_the_committees_they_sit_on_as_theirs_and_the_others_as_links(client, member, adult_care):
    people, place = CommitteeFactory(), CommitteeFactory(name="Place and Resources")
    for committee in (people, place):
        measure = MeasureFactory(service=adult_care)
        measure.committees.add(committee)
        ValueFactory(measure=measure, period=month(2020, 10), status=Value.Status.PUBLISHED, rag=RAG.RED)
    place.members.add(member)
    client.force_login(member)

    response = client.get(HOME)

    assert [c for c, _, _ in response.context["committees"]] == [place]
    assert [c for c, _, _ in response.context["other_committees"]] == [people]
    html = response.content.decode()
    assert "Your committees, as at Oct-20" in html
    assert html.index("Place and Resources") < html.index('id="other-committees"') < html.index("People and Health")


def test_a_member_on_no_committee_sees_every_committee_and_is_told_so(client, member, adult_care):
    measure = MeasureFactory(service=adult_care)
    measure.committees.add(CommitteeFactory())
    client.force_login(member)

    response = client.get(HOME)

    assert len(response.context["committees"]) == 1 and response.context["other_committees"] == []
    assert "You are not recorded as sitting on a committee" in response.content.decode()
