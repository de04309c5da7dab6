"""Requests are limited per token (per person for a signed-in browser), at API_THROTTLE_RATE."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        # Read on each request rather than at import, so that settings can change it.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class DocsRateThrottle(TokenRateThrottle):
    """The documentation (Swagger UI and the OpenAPI description it reads) counts apart from the
    figures: reading the docs spends none of a reader's quota, yet no one fetches it endlessly."""

    scope = "docs"
