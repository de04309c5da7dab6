"""The error pages and the admin wear PerfHub's layout and the council's name, with a way back."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from reports.views import server_error
from tests.factories import MeasureFactory, TargetFactory, month

pytestmark = pytest.mark.django_db


def test_a_forbidden_page_has_the_header_the_reason_and_a_way_home(client, member):
    client.force_login(member)
    response = client.get(reverse("approvals"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "app-header" in html and "Dorset Council" in html
    assert "You cannot see this page" in html and "Only the BI team may do that." in html
    assert f'href="{reverse("home")}">Go to your home page' in html


def test_a_missing_page_has_the_header_and_a_way_home(client, member):
    client.force_login(member)
    response = client.get(reverse("measure_detail", args=[999999]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "app-header" in html and "Go to your home page" in html


def test_the_server_error_page_needs_neither_a_user_nor_the_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with PerfHub" in html and "Dorset Council" in html
    assert 'href="/">Go to your home page' in html


def test_the_admin_is_titled_with_the_council_and_perfhub(client, bi_user):
    client.force_login(bi_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Dorset Council PerfHub" in html
    assert "Django administration" not in html


def test_the_admin_lists_targets_to_the_measures_decimal_places(client, bi_user):
    TargetFactory(measure=MeasureFactory(decimal_places=0), period=month(2020, 10), value=Decimal("4"))
    TargetFactory(measure=MeasureFactory(decimal_places=1), period=month(2020, 10), value=Decimal("82.5"))
    client.force_login(bi_user)
    html = client.get(reverse("admin:measures_target_changelist")).content.decode()
    assert "4.0000" not in html and "82.5000" not in html
    assert ">4<" in html and ">82.5<" in html
