"""The shared layout, sign-in, and the promise that nothing loads from another site."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_home_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_shows_the_user_in_the_header(client, member):
    response = client.post(reverse("login"), {"username": "member", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dorset Council" in html
    assert f"{member.first_name} {member.last_name}" in html
    assert 'id="main-content"' in html


def test_a_wrong_password_is_shown_in_an_error_summary(client, member):
    response = client.post(reverse("login"), {"username": "member", "password": "nope"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_pages_load_nothing_from_another_site(client, member):
    client.force_login(member)
    for url in [reverse("login"), reverse("home")]:
        html = client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]*"', html)
        assert external == [], (url, external)


def test_no_gov_uk_branding(client, member):
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert "govuk-header__logo" not in html
    assert "GOV.UK" not in html
    css = open(finders.find("build/app.css")).read()
    assert "GDS Transport" not in css
    assert "@font-face" not in css


def test_plotly_and_govuk_frontend_are_served_from_our_static_files():
    assert finders.find("vendor/plotly/plotly-basic.min.js")
    assert finders.find("vendor/govuk/govuk-frontend.min.js")


def test_home_links_to_every_report(client, member):
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    for name in ["dashboard", "exception_report", "snapshot_list", "outcome_index", "risks:list"]:
        assert f'href="{reverse(name)}"' in html, name


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_sends_a_content_security_policy_with_no_inline_script(client, member):
    client.force_login(member)
    for url in [reverse("login"), reverse("home"), reverse("dashboard")]:
        policy = directives(client.get(url)["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"] and policy["connect-src"] == ["'self'"]


def test_pages_have_no_inline_script_or_event_handler(client, member):
    client.force_login(member)
    for url in [reverse("login"), reverse("home"), reverse("dashboard")]:
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html)
        assert scripts == [], (url, scripts)
        assert re.findall(r"\son[a-z]+=", html) == [], url
