from django.contrib.auth import views as auth
from django.urls import path

from accounts import sso, views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("signed-in/", views.signed_in, name="signed_in"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # Named as mozilla-django-oidc expects; 404 unless single sign-on is set up.
    path("oidc/authenticate/", sso.authenticate, name="oidc_authentication_init"),
    path("oidc/callback/", sso.callback, name="oidc_authentication_callback"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("people/<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("people/<int:pk>/clear-lockout/", views.clear_lockout, name="clear_lockout"),
    path(
        "people/<int:pk>/send-invitation-again/", views.send_invitation_again,
        name="send_invitation_again",
    ),
]
