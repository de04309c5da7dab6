"""API tokens: made, named, listed and revoked by their owner on their own page; stored as a
digest only; refused once revoked or expired; each request logged with the token's name;
throttled per token with a clear 429."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from accounts import services, tokens
from accounts.models import ApiToken
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_a_person_makes_a_token_and_sees_it_once(client, member):
    client.force_login(member)
    response = client.post("/accounts/api-tokens/", {"name": "Power BI refresh", "days": "30"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("perfhub_") and secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=member)
    assert token.name == "Power BI refresh"
    assert token.digest == tokens.digest(secret) and secret not in (token.digest, token.prefix)
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    listing = client.get("/accounts/api-tokens/").content.decode()
    assert "Power BI refresh" in listing and secret not in listing and token.prefix in listing
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/measures/").status_code == 200


def test_a_token_name_is_required_and_unique_per_person(client, member):
    client.force_login(member)
    services.create_token(member, "Excel", 30)
    response = client.post("/accounts/api-tokens/", {"name": "Excel", "days": "30"})
    assert "You already have a token with this name" in response.content.decode()
    assert "There is a problem" in client.post("/accounts/api-tokens/", {"name": " ", "days": "30"}).content.decode()
    assert ApiToken.objects.count() == 1


def test_a_person_lists_only_their_own_tokens_and_revokes_only_their_own(client, member, bi_user):
    mine, _ = services.create_token(member, "Mine", 30)
    theirs, _ = services.create_token(bi_user, "Theirs", 30)
    client.force_login(member)
    page = client.get("/accounts/api-tokens/").content.decode()
    assert "Mine" in page and "Theirs" not in page
    assert client.post(f"/accounts/api-tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/api-tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_a_revoked_token_is_refused(member):
    token, secret = services.create_token(member, "Excel", 30)
    services.revoke_token(token)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/values/")
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has been revoked."}


def test_an_expired_token_is_refused(member):
    _, secret = services.create_token(member, "Excel", 30, now=timezone.now() - timedelta(days=31))
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/values/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_an_unknown_token_and_no_token_are_refused(framework):
    assert Client(HTTP_AUTHORIZATION="Bearer perfhub_guess").get("/api/v1/values/").status_code == 401
    response = Client().get("/api/v1/values/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_persons_token_is_refused(member):
    _, secret = services.create_token(member, "Excel", 30)
    member.is_active = False
    member.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/values/").status_code == 401


def test_every_request_is_logged_with_the_tokens_name(member, caplog):
    api = token_client(member, name="Nightly warehouse load")
    with caplog.at_level("INFO", logger="perfhub.api"):
        api.get("/api/v1/services/?format=csv")
    [record] = [r for r in caplog.records if r.name == "perfhub.api"]
    assert record.getMessage() == (
        'API GET /api/v1/services/?format=csv 200 token="Nightly warehouse load" user=member'
    )


@override_settings(API_THROTTLE_RATE="3/minute")
def test_requests_are_throttled_per_token_with_a_clear_429(member, bi_user):
    api = token_client(member, name="Busy")
    for _ in range(3):
        assert api.get("/api/v1/services/").status_code == 200
    response = api.get("/api/v1/services/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many requests: a token may make 3/minute.")
    assert "Expected available in" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    # Another token (of the same person) has its own allowance.
    assert token_client(member, name="Quiet").get("/api/v1/services/").status_code == 200


def test_a_person_holds_at_most_five_usable_tokens(client, member):
    """Issue 22, finding 8: the throttle is per token, so a person may not mint any number."""
    for n in range(tokens.MAX_USABLE):
        services.create_token(member, f"Token {n}", 30)
    with pytest.raises(services.TokenLimit):
        services.create_token(member, "One too many", 30)
    client.force_login(member)
    response = client.post("/accounts/api-tokens/", {"name": "One too many", "days": "30"})
    assert "revoke one to make another" in response.content.decode()
    assert ApiToken.objects.filter(user=member).count() == tokens.MAX_USABLE
    services.revoke_token(ApiToken.objects.filter(user=member).first())
    assert services.create_token(member, "Now there is room", 30)[1]


@override_settings(API_THROTTLE_RATE="3/minute")
def test_reading_the_docs_spends_none_of_the_readers_quota(client, member):
    """Issue 22, finding 8: Swagger UI's own requests (its page, its script, the description it
    reads) counted against the reader's quota."""
    client.force_login(member)
    for url in ("/api/v1/docs/", "/api/v1/docs/?script=", "/api/v1/schema/"):
        assert client.get(url).status_code == 200
    for _ in range(3):
        assert client.get("/api/v1/services/").status_code == 200
    assert client.get("/api/v1/services/").status_code == 429
    # The docs count apart, at the same rate: no one fetches the description endlessly.
    assert client.get("/api/v1/schema/").status_code == 429
