"""Sign-in throttling (django-axes): five wrong passwords for a username from one IP address
lock that pair out for 30 minutes, with a page that says so."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 5


def sign_in(client, username, password, ip="192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_right_password_is_refused_after_five_wrong_ones(client, member):
    for attempt in range(LIMIT - 1):
        response = sign_in(client, "member", "wrong")
        assert response.status_code == 200, attempt
        assert "govuk-error-summary" in response.content.decode()
    assert sign_in(client, "member", "wrong").status_code == 429

    response = sign_in(client, "member", PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1 class=\"govuk-heading-xl\">Sign-in locked</h1>" in html
    assert "Wait 30 minutes" in html and "contact the BI team" in html
    assert "Traceback" not in html
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_a_normal_page_under_the_content_security_policy(client, member):
    for _ in range(LIMIT):
        response = sign_in(client, "member", "wrong")
    assert response.status_code == 429
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "<title>Sign-in locked – PerfHub" in response.content.decode()


def test_another_username_from_the_same_ip_address_can_still_sign_in(client, member):
    UserFactory(username="other")
    for _ in range(LIMIT):
        sign_in(client, "member", "wrong")

    response = sign_in(client, "other", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_same_username_from_another_ip_address_can_still_sign_in(client, member):
    for _ in range(LIMIT):
        sign_in(client, "member", "wrong", ip="192.0.2.10")

    response = sign_in(client, "member", PASSWORD, ip="198.51.100.7")

    assert response.status_code == 302


def test_four_wrong_passwords_do_not_stop_the_right_one(client, member):
    for _ in range(LIMIT - 1):
        sign_in(client, "member", "wrong")

    assert sign_in(client, "member", PASSWORD).status_code == 302
