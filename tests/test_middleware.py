"""Project-wide rules on every request and response: NUL characters are refused, and pages
and downloads are never kept in a shared or browser cache."""

import pytest
from django.urls import reverse

from tests.factories import RiskFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url, params", [
    (reverse("dashboard"), {"q": "care\x00"}),
    (reverse("dashboard"), {"service": "adult-care\x00"}),
    (reverse("exception_report"), {"committee": "\x00", "as_at": "2020-10"}),
    (reverse("my_measures"), {"service": "\x00"}),
    (reverse("risks:list"), {"owner\x00": "x"}),
    ("/risks/R1%00/", {}),
])
def test_a_nul_character_in_the_address_is_a_bad_request(client, bi_user, url, params):
    RiskFactory(code="R1")
    ServiceFactory(name="Adult Care")
    client.force_login(bi_user)
    response = client.get(url, params)
    assert response.status_code == 400


def test_a_nul_character_in_a_posted_form_is_a_bad_request(client, lead):
    client.force_login(lead)
    response = client.post(reverse("my_measures"), {"period": "2020-10", "action": "save", "measure": "1\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize("url, params", [
    (reverse("home"), {}),
    (reverse("dashboard"), {}),
    (reverse("dashboard"), {"_export": "csv"}),
    (reverse("risks:list"), {"_export": "xlsx"}),
    (reverse("my_measures"), {}),
    (reverse("approvals"), {"_export": "json"}),
])
def test_data_pages_and_exports_are_private_and_never_stored(client, bi_user, url, params):
    client.force_login(bi_user)
    response = client.get(url, params)
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_the_sign_in_page_is_not_stored_either(client):
    response = client.get(reverse("login"))
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_a_nul_character_in_a_multipart_form_is_refused(client, lead):
    """Issue 22, finding 7: the middleware checked urlencoded bodies only."""
    client.force_login(lead)
    response = client.post("/my-measures/", {"commentary": "a\x00b"})  # the test client sends multipart
    assert response.status_code == 400
    assert b"NUL character" in response.content
