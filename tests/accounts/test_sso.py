"""Single sign-on by OpenID Connect, end to end against a provider served by the test itself:
discovery, authorisation (with PKCE), token, userinfo and JWKS over real HTTP on 127.0.0.1,
with an RS256-signed ID token. The person is matched to an existing active account by e-mail,
and no account is ever made."""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db

CLIENT_ID = "perfhub-test-client"
CLIENT_SECRET = "a-client-secret"
KID = "test-key-1"


class FakeProvider:
    """A minimal OpenID Connect provider: who signs in next is `provider.email`."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.email = None
        self.email_verified = True  # None: the claim is left out
        self.grants = {}  # code -> the authorisation request and who it was for
        self.tokens = {}  # access token -> claims
        self.requests = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, data, status=200):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlsplit(self.path)
                provider.requests.append(("GET", url.path))
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._json(provider.discovery())
                if url.path == "/jwks":
                    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    return self._json({"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]})
                if url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.grants[code] = {**query, "email": provider.email}
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}")
                    self.end_headers()
                    return None
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json(provider.tokens[token])
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                provider.requests.append(("POST", self.path))
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                grant = provider.grants.pop(form.get("code"), None)
                if (
                    self.path != "/token" or grant is None
                    or (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET)
                    or form.get("redirect_uri") != grant["redirect_uri"]
                    or provider.challenge(form.get("code_verifier", "")) != grant["code_challenge"]
                ):
                    return self._json({"error": "invalid_grant"}, 400)
                return self._json(provider.issue(grant))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @staticmethod
    def challenge(verifier):
        digest = hashlib.sha256(verifier.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def discovery(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
        }

    def issue(self, grant):
        now = int(time.time())
        claims = {"sub": hashlib.sha256(grant["email"].encode()).hexdigest(), "email": grant["email"]}
        if self.email_verified is not None:
            claims["email_verified"] = self.email_verified
        id_token = jwt.encode(
            {**claims, "iss": self.url, "aud": CLIENT_ID, "iat": now, "exp": now + 300,
             "nonce": grant["nonce"]},
            self.key, algorithm="RS256", headers={"kid": KID},
        )
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = claims
        return {"access_token": access_token, "id_token": id_token, "token_type": "Bearer",
                "expires_in": 300}


@pytest.fixture
def provider():
    fake = FakeProvider()
    fake.thread.start()
    # The endpoints come from the provider's discovery document, as docs/operations.md says.
    endpoints = requests.get(f"{fake.url}/.well-known/openid-configuration", timeout=5).json()
    with override_settings(
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_OP_AUTHORIZATION_ENDPOINT=endpoints["authorization_endpoint"],
        OIDC_OP_TOKEN_ENDPOINT=endpoints["token_endpoint"],
        OIDC_OP_USER_ENDPOINT=endpoints["userinfo_endpoint"],
        OIDC_OP_JWKS_ENDPOINT=endpoints["jwks_uri"],
        OIDC_PROVIDER_NAME="Microsoft",
        OIDC_TIMEOUT=5,
        AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, "accounts.sso.ExistingAccountBackend"],
    ):
        yield fake
    fake.server.shutdown()
    fake.server.server_close()


def single_sign_on(client, provider, email):
    """The browser's round trip: PerfHub -> the provider's sign-in -> PerfHub's callback."""
    provider.email = email
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{provider.url}/authorize?")
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == reverse("oidc_authentication_callback")
    return client.get(f"{back.path}?{back.query}")


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_a_person_is_signed_in_to_the_active_account_with_their_e_mail_address(client, provider, member):
    member.email = "Member@Council.example"
    member.save()

    response = single_sign_on(client, provider, "member@council.example")

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_as(client) == str(member.pk)
    assert "Signed in as" in client.get(reverse("home")).content.decode()
    assert ("POST", "/token") in provider.requests and ("GET", "/userinfo") in provider.requests


def test_nobody_is_signed_in_and_no_account_is_made_for_an_unknown_e_mail_address(client, provider, member):
    accounts = get_user_model().objects.count()

    response = single_sign_on(client, provider, "stranger@council.example")

    assert response["Location"] == "/accounts/login/?sso=failed"
    assert signed_in_as(client) is None
    assert get_user_model().objects.count() == accounts
    page = client.get(response["Location"]).content.decode()
    assert "Single sign-on did not find an active PerfHub account with your e-mail address" in page


def test_a_deactivated_account_is_never_signed_in_by_single_sign_on(client, provider):
    UserFactory(username="gone", email="gone@council.example", is_active=False)

    response = single_sign_on(client, provider, "gone@council.example")

    assert response["Location"] == "/accounts/login/?sso=failed"
    assert signed_in_as(client) is None


def test_two_accounts_with_one_address_sign_in_neither(client, provider):
    UserFactory(username="one", email="shared@council.example")
    UserFactory(username="two", email="SHARED@council.example")

    response = single_sign_on(client, provider, "shared@council.example")

    assert response["Location"] == "/accounts/login/?sso=failed"
    assert signed_in_as(client) is None


def test_a_forged_callback_signs_nobody_in(client, provider, member):
    member.email = "member@council.example"
    member.save()
    client.get(reverse("oidc_authentication_init"))

    response = client.get(reverse("oidc_authentication_callback"), {"code": "made-up", "state": "made-up"})

    assert response.status_code in (302, 400)
    assert signed_in_as(client) is None


def test_the_sign_in_page_offers_single_sign_on_when_it_is_set_up(client, provider):
    page = client.get(reverse("login")).content.decode()

    assert "Sign in with Microsoft" in page
    assert f'href="{reverse("oidc_authentication_init")}"' in page


def test_single_sign_on_is_off_unless_its_settings_are_given(client):
    assert not settings.OIDC_RP_CLIENT_ID
    assert "accounts.sso.ExistingAccountBackend" not in settings.AUTHENTICATION_BACKENDS
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert "Sign in with" not in client.get(reverse("login")).content.decode()


SSO_ENV = {
    "OIDC_RP_CLIENT_ID": CLIENT_ID,
    "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.microsoftonline.com/tenant/oauth2/v2.0/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
    "OIDC_OP_USER_ENDPOINT": "https://graph.microsoft.com/oidc/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.microsoftonline.com/tenant/discovery/v2.0/keys",
}


def test_single_sign_on_settings_turn_on_the_backend_and_keep_check_deploy_clean():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DEBUG="False",
        SECRET_KEY="x" * 60 + "production-secret-for-check", ALLOWED_HOSTS="perfhub.example.org",
        COUNCIL_NAME="Example Borough Council", **SSO_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.AUTHENTICATION_BACKENDS)", **SSO_ENV)
    assert "accounts.sso.ExistingAccountBackend" in result.stdout, result.stderr


def test_single_sign_on_half_set_up_refuses_to_start_and_names_what_is_missing():
    result = run_manage("check", OIDC_RP_CLIENT_ID=CLIENT_ID, OIDC_OP_TOKEN_ENDPOINT="https://x/token")

    assert result.returncode != 0
    assert "Single sign-on needs OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT, " in result.stderr
    assert "OIDC_OP_TOKEN_ENDPOINT" not in result.stderr.split("needs", 1)[1].split("as well")[0]


def test_failed_single_sign_ons_do_not_lock_others_out_of_it(client, provider, member):
    member.email = "member@council.example"
    member.save()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = single_sign_on(client.__class__(), provider, "stranger@council.example")
        assert response["Location"] == "/accounts/login/?sso=failed"

    response = single_sign_on(client, provider, "member@council.example")

    assert response["Location"] == reverse("home")
    assert signed_in_as(client) == str(member.pk)


@pytest.mark.parametrize("verified", [False, None, "false"])
def test_an_address_the_provider_has_not_verified_signs_nobody_in(client, provider, member, verified):
    """Issue 18, finding 14: accounts are matched on the e-mail claim only when email_verified is true."""
    member.email = "member@council.example"
    member.save()
    provider.email_verified = verified

    response = single_sign_on(client, provider, "member@council.example")

    assert response["Location"] == "/accounts/login/?sso=failed"
    assert signed_in_as(client) is None
