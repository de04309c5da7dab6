"""The BI team's people pages: invite, change a role, deactivate, clear a sign-in lockout."""

import smtplib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetView
from django.http import HttpResponseRedirect
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors, services, sso
from accounts.forms import AccountForm, ApiTokenForm, InviteForm
from measures.roles import is_bi_team


@require_GET
@login_required
def signed_in(request):
    """Who is signed in, as a few bytes of text and no template: the benches' trivial view. It
    loads the session and the user, as every real page does, through every middleware."""
    return HttpResponse(f"Signed in as {request.user.get_username()}\n", content_type="text/plain")


def bi_team_required(view):
    """Sign-in first; then the BI team only (403 for anyone else)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_bi_team(request.user):
            raise PermissionDenied("Only the BI team manages people's accounts.")
        return view(request, *args, **kwargs)

    return wrapped


class SignInView(LoginView):
    """Django's sign-in, offering single sign-on too when it is set up."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sso_provider=settings.OIDC_PROVIDER_NAME if sso.enabled() else "",
            sso_failed=self.request.GET.get("sso") == "failed",
            **kwargs,
        )


def _site_url(request):
    return request.build_absolute_uri("/")


@bi_team_required
@require_GET
def people(request):
    locked = selectors.locked_out_usernames()
    rows = [
        {"user": user, "role": selectors.role_of(user), "locked": user.username in locked}
        for user in selectors.people()
    ]
    return render(request, "accounts/people.html", {"rows": rows, "events": selectors.recent_events()})


@bi_team_required
def invite(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invite(
                request.user, email=data["email"], first_name=data["first_name"],
                last_name=data["last_name"], role=data["role"], services=data["services"],
                site_url=_site_url(request),
            )
        except (smtplib.SMTPException, OSError) as error:
            form.add_error(None, f"The invitation could not be sent, so no account was made: {error}")
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("person", pk=user.pk)
    return render(request, "accounts/invite.html", {"form": form})


@bi_team_required
def person(request, pk):
    user = get_object_or_404(selectors.people(), pk=pk)
    initial = {
        "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
        "role": selectors.role_of(user), "services": list(user.led_services.all()),
    }
    form = AccountForm(request.POST or None, initial=initial, person=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes = services.change_account(
                request.user, user, role=data["role"], services=data["services"],
                email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
            )
        except services.AccountError as error:
            form.add_error("role", str(error))
        else:
            name = user.get_full_name() or user.username
            said = f"Saved {name}: {changes}." if changes else f"Nothing changed for {name}."
            messages.success(request, said)
            return redirect("person", pk=user.pk)
    return render(request, "accounts/person.html", {
        "person": user,
        "form": form,
        "locked": user.username in selectors.locked_out_usernames(),
        "events": user.account_events.select_related("actor"),
    })


def _account_action(action, done):
    """A POST-only BI team view that calls `action(actor, user)` and says `done` about it."""

    @bi_team_required
    @require_POST
    def view(request, pk):
        user = get_object_or_404(get_user_model(), pk=pk)
        try:
            action(request.user, user)
        except services.AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done.format(name=user.get_full_name() or user.username))
        return redirect("person", pk=user.pk)

    return view


deactivate = _account_action(services.deactivate, "{name} can no longer sign in.")
reactivate = _account_action(services.reactivate, "{name} can sign in again.")
clear_lockout = _account_action(services.clear_lockout, "{name} may try to sign in again.")


@bi_team_required
@require_POST
def send_invitation_again(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk)
    try:
        services.send_invitation_again(request.user, user, _site_url(request))
    except services.AccountError as error:
        messages.error(request, str(error))
    except (smtplib.SMTPException, OSError) as error:
        messages.error(request, f"The invitation could not be sent: {error}")
    else:
        messages.success(request, f"Invitation sent again to {user.email}.")
    return redirect("person", pk=user.pk)


@login_required
def api_tokens(request):
    """The person's own API tokens; a new one is shown once, on the page that made it."""
    form = ApiTokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token, secret = services.create_token(request.user, form.cleaned_data["name"], form.cleaned_data["days"])
        response = render(request, "accounts/api_token_created.html", {"token": token, "secret": secret})
        add_never_cache_headers(response)
        return response
    tokens = request.user.api_tokens.all()
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "now": timezone.now()})


@require_POST
@login_required
def revoke_api_token(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    services.revoke_token(token)
    messages.success(request, f"Revoked the token “{token.name}”: it no longer opens the API.")
    return redirect("api_tokens")


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, sending at most services.PASSWORD_RESETS_PER_HOUR e-mails to one
    address an hour; the page answers the same either way, so it tells nobody anything."""

    def form_valid(self, form):
        if not services.password_reset_allowed(form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
