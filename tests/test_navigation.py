"""The service navigation (perfhub.context_processors.navigation): each role's items, in order,
with the page at hand marked current."""

import re

import pytest

pytestmark = pytest.mark.django_db

EVERYONE = ["Home", "Dashboard", "Exception report", "SPC exceptions", "Outcomes and risks"]


def items(client, user, path="/"):
    client.force_login(user)
    html = client.get(path).content.decode()
    nav = html[html.index('<ul class="govuk-service-navigation__list"'):html.index("</nav>")]
    return re.findall(r'<a class="govuk-service-navigation__link" href="([^"]+)"( aria-current="page")?>(?:<strong[^>]*>)?([^<]+)<', nav)


def texts(found):
    return [text for _, _, text in found]


def not_staff(user):
    user.is_staff = False
    user.save()
    return user


def test_a_member_sees_the_reports_and_api_tokens(client, member):
    assert texts(items(client, not_staff(member))) == [*EVERYONE, "Notifications", "API tokens"]


def test_a_service_lead_also_sees_their_measures(client, lead):
    assert texts(items(client, not_staff(lead))) == [*EVERYONE, "My measures", "Notifications", "API tokens"]


def test_the_bi_team_also_sees_the_work_of_publishing(client, bi_user):
    assert texts(items(client, not_staff(bi_user))) == [
        *EVERYONE, "My measures", "Approvals", "Outstanding", "Set up", "People", "Import", "Jobs", "Notifications", "API tokens",
    ]


def test_staff_who_enter_figures_also_see_the_framework_admin(client, lead):
    found = items(client, lead)
    assert texts(found) == [*EVERYONE, "My measures", "Notifications", "API tokens", "Framework admin"]
    assert found[-1][0] == "/admin/"


def test_a_member_is_not_offered_the_read_only_framework_admin(client, member):
    assert member.is_staff
    assert texts(items(client, member)) == [*EVERYONE, "Notifications", "API tokens"]


def test_the_page_at_hand_is_marked_current_and_no_other(client, member):
    found = items(client, member, "/dashboard/")
    assert [(href, text) for href, current, text in found if current] == [("/dashboard/", "Dashboard")]
    assert dict((text, href) for href, _, text in found)["Home"] == "/"
