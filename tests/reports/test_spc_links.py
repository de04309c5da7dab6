"""The SPC exception view is reachable (issue 12, point 4): from the navigation, each role's home
page and the RAG exception report, for the same committee and as-at month."""

import html
import re

import pytest
from django.urls import reverse

from tests.reports.test_spc_pages import committee, trio  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

SPC = reverse("spc_exceptions")


def spc_links(page):
    """The addresses of the page's links to the SPC exception view for a committee, unescaped."""
    return [html.unescape(href) for href in re.findall(rf'href="({SPC}\?[^"]*)"', page.content.decode())]


def follow(client, href):
    page = client.get(href)
    assert page.status_code == 200
    return page.context["committee"], page.context["report_month"], [row.measure.title for row in page.context["report"].rows]


def test_the_navigation_opens_a_filled_spc_exception_view(client, member, trio):  # noqa: F811
    client.force_login(member)
    assert f'<a class="govuk-service-navigation__link" href="{SPC}">SPC exceptions</a>' in (
        client.get(reverse("dashboard")).content.decode()
    )
    shown, month, titles = follow(client, SPC)
    assert (shown, month) == (trio[0].committees.get(), "Sep-20")
    assert titles == ["Days to assess", "Delayed transfers", "Carers approved"]


def test_the_rag_exception_report_links_to_the_spc_view_for_its_committee_and_month(client, member, committee, trio):  # noqa: F811
    client.force_login(member)
    report = client.get(reverse("exception_report"), {"committee": committee.slug, "as_at": "2020-08"})
    [link] = spc_links(report)
    assert link == f"{SPC}?committee={committee.slug}&as_at=2020-08"
    shown, month, titles = follow(client, link)
    assert (shown, month, titles) == (committee, "Aug-20", [])  # before Sep-20's signals


def test_a_members_home_page_links_to_each_committees_spc_view_as_at_the_latest_month(client, member, committee, trio):  # noqa: F811
    client.force_login(member)
    [link] = spc_links(client.get(reverse("home")))
    assert link == f"{SPC}?committee={committee.slug}&as_at=2020-09"
    assert follow(client, link)[:2] == (committee, "Sep-20")


def test_the_bi_teams_home_page_links_to_each_committees_spc_view(client, bi_user, committee, trio):  # noqa: F811
    client.force_login(bi_user)
    [link] = spc_links(client.get(reverse("home")))
    assert link == f"{SPC}?committee={committee.slug}"
    assert follow(client, link)[:2] == (committee, "Sep-20")
