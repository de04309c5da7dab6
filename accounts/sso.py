"""Optional single sign-on through any OpenID Connect provider (Microsoft Entra ID, Google,
Okta, Keycloak...), by mozilla-django-oidc. Off unless OIDC_RP_CLIENT_ID is set.

The provider proves who the person is; PerfHub still decides what they may do. A signed-in
person is matched by e-mail address, when the provider says it verified it, to an existing,
active account, which the BI team invited
and gave a role: single sign-on never creates an account, and never revives a deactivated one.
"""

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


def enabled():
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class ExistingAccountBackend(OIDCAuthenticationBackend):
    """Signs in the one active account whose e-mail address the provider vouches for."""

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or not email_verified(claims):
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):
        return None


def email_verified(claims):
    """Whether the provider vouches that the person owns the `email` it sends: its
    `OIDC_EMAIL_VERIFIED_CLAIM` (`email_verified` by the standard) is true. Anyone may type any
    address into an account at many providers; only a verified one names a PerfHub account."""
    verified = claims.get(getattr(settings, "OIDC_EMAIL_VERIFIED_CLAIM", "email_verified"))
    return verified is True or (isinstance(verified, str) and verified.strip().lower() == "true")


def is_single_sign_on(request, credentials):
    """django-axes' AXES_WHITELIST_CALLABLE: single sign-on's callback is no password guess
    (the provider throttles its own sign-in, and the code and state are checked), and its
    failures carry no username, so counting them would lock everyone at one address out of it."""
    return request is not None and request.path == reverse("oidc_authentication_callback")


def _only_when_enabled(view_class):
    view = view_class.as_view()

    def guarded(request, *args, **kwargs):
        if not enabled():
            raise Http404("Single sign-on is not set up.")
        return view(request, *args, **kwargs)

    return guarded


authenticate = _only_when_enabled(OIDCAuthenticationRequestView)
callback = _only_when_enabled(OIDCAuthenticationCallbackView)
