"""Reading the API with a token: `Authorization: Bearer perfhub_...` (accounts/tokens.py).

A token acts as its owner, with their rights, until it expires or is revoked; an unknown,
expired or revoked token is refused with 401 and says which.
"""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts import tokens
from accounts.models import ApiToken

KEYWORDS = (b"bearer", b"token")


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token after the word Bearer, with no spaces in it.")
        secret = header[1].decode(errors="replace")
        token = (
            ApiToken.objects.select_related("user").filter(digest=tokens.digest(secret)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("This token is not known: make a new one on your API tokens page.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed("This token has expired: make a new one on your API tokens page.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token's owner can no longer sign in.")
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    """Describes the token in the OpenAPI document, as an HTTP bearer scheme."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token from your API tokens page."}
