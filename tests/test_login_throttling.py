"""Sign-in throttling (django-axes): five wrong passwords for a username from one IP address
lock that pair out for 30 minutes, with a page that says so."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.test_pages import directives

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
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]
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


def use_proxy_count(settings, proxy_count):
    """Applies the client-address settings perfhub/settings.py makes with PROXY_COUNT set so."""
    import os
    import runpy
    from pathlib import Path

    from django.conf import settings

    names = ("AXES_IPWARE_PROXY_ORDER", "AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER",
             "IPWARE_STRICT")
    env = {**os.environ, "PROXY_COUNT": str(proxy_count)}
    saved, os.environ = os.environ, env
    try:
        made = runpy.run_path(str(Path(settings.BASE_DIR) / "perfhub" / "settings.py"))
    finally:
        os.environ = saved
    # A name the settings leave unset takes django-axes' (and django-ipware's) default.
    defaults = {"AXES_IPWARE_PROXY_ORDER": "left-most", "AXES_IPWARE_PROXY_COUNT": None, "IPWARE_STRICT": None}
    for name in names:
        setattr(settings, name, made.get(name, defaults.get(name)))


PROXY = "172.18.0.2"  # every request reaches PerfHub from the proxy's own address


def through_proxy(client, username, password, forwarded_for):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_one_proxy_a_lockout_keys_on_the_forwarded_client_address(client, member, settings):
    use_proxy_count(settings, 1)
    for _ in range(LIMIT):
        through_proxy(client, "member", "wrong", "81.2.69.160")

    assert through_proxy(client, "member", PASSWORD, "81.2.69.160").status_code == 429
    # Another person behind the same proxy is not locked out with the attacker.
    assert through_proxy(client, "member", PASSWORD, "81.2.69.192").status_code == 302

    from axes.models import AccessAttempt
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["81.2.69.160"]


def test_behind_one_proxy_a_forged_forwarded_address_does_not_escape_the_lockout(client, member, settings):
    use_proxy_count(settings, 1)

    # The client writes its own X-Forwarded-For; the proxy appends the address it really came from.
    for forged in range(LIMIT):
        through_proxy(client, "member", "wrong", f"203.0.113.{forged}, 81.2.69.160")

    assert through_proxy(client, "member", PASSWORD, "198.51.100.9, 81.2.69.160").status_code == 429


def test_with_no_proxy_configured_the_forwarded_header_is_ignored(client, member, settings):
    use_proxy_count(settings, 0)
    for forged in range(LIMIT):
        through_proxy(client, "member", "wrong", f"203.0.113.{forged}")

    assert through_proxy(client, "member", PASSWORD, "198.51.100.9").status_code == 429
