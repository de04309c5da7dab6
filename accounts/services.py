"""Writes to people's accounts by the BI team, each in one transaction with its audit record.

An invitation is a password-reset link (Django's token machinery) sent to a new account that
has no usable password yet: following it, the person chooses their password and can sign in.
"""

from axes.utils import reset as reset_axes_attempts
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils import timezone
from django.utils.http import urlsafe_base64_encode

from accounts import tokens
from accounts.models import AccountEvent, ApiToken
from accounts.selectors import role_of
from measures.roles import ROLES, SERVICE_LEAD


class AccountError(Exception):
    """A change the BI team may not make (said in words fit for the page)."""


def set_password_link(user, site_url):
    """The one-use link that lets `user` choose a password (Django's password-reset token)."""
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })
    return f"{site_url.rstrip('/')}{path}"


def _describe(role, services):
    names = ", ".join(service.name for service in services)
    return f"{role}, leading {names}" if names else role


def _assign(user, role, services):
    # Every role works in PerfHub's pages and the framework admin, as the demo users do.
    user.is_staff = True
    user.save()
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(Group.objects.get(name=role))
    user.led_services.set(services if role == SERVICE_LEAD else [])


def _send_invitation(user, actor, site_url):
    context = {"user": user, "actor": actor, "link": set_password_link(user, site_url)}
    send_mail(
        render_to_string("accounts/invitation_subject.txt", context).strip(),
        render_to_string("accounts/invitation_email.txt", context),
        None,
        [user.email],
    )


@transaction.atomic
def invite(actor, *, email, first_name, last_name, role, services, site_url):
    """Create an account for `email` in `role` and e-mail them a link to set their password.

    Nothing is saved if the e-mail cannot be sent."""
    user = get_user_model().objects.create_user(
        username=email.lower(), email=email, first_name=first_name, last_name=last_name
    )
    _assign(user, role, services)
    AccountEvent.objects.create(
        user=user, actor=actor, action=AccountEvent.Action.INVITED, detail=_describe(role, services)
    )
    _send_invitation(user, actor, site_url)
    return user


@transaction.atomic
def send_invitation_again(actor, user, site_url):
    """A fresh set-password link, for someone who has not chosen a password yet."""
    if user.has_usable_password():
        raise AccountError(f"{user.email} has already chosen a password: they can reset it.")
    AccountEvent.objects.create(user=user, actor=actor, action=AccountEvent.Action.INVITATION_SENT_AGAIN)
    _send_invitation(user, actor, site_url)


def _changes(user, role, services, details):
    """What an edit changes, in words: "e-mail address: a to b; role: Service lead, leading X"."""
    labels = {"email": "e-mail address", "first_name": "first name", "last_name": "last name"}
    changes = [
        f"{labels[name]}: {getattr(user, name) or 'none'} to {value or 'none'}"
        for name, value in details.items() if getattr(user, name) != value
    ]
    before = _describe(role_of(user) or "no role", user.led_services.order_by("name"))
    after = _describe(role, services if role == SERVICE_LEAD else [])
    if before != after:
        changes.append(f"role: {before} to {after}")
    return "; ".join(changes)


@transaction.atomic
def change_account(actor, user, *, role, services, **details):
    """Set `user`'s role, services and details (e-mail address, names); record what changed.

    Nobody changes their own role, so the BI team can never be left without a member."""
    if user == actor and role != role_of(user):
        raise AccountError("You cannot change your own role: ask another member of the BI team.")
    changes = _changes(user, role, services, details)
    if not changes:
        return ""
    for name, value in details.items():
        setattr(user, name, value)
    _assign(user, role, services)
    AccountEvent.objects.create(user=user, actor=actor, action=AccountEvent.Action.CHANGED, detail=changes)
    return changes


@transaction.atomic
def deactivate(actor, user):
    """Stop `user` signing in (their open sessions end too: Django refuses inactive users)."""
    if user == actor:
        raise AccountError("You cannot deactivate your own account.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    AccountEvent.objects.create(user=user, actor=actor, action=AccountEvent.Action.DEACTIVATED)


@transaction.atomic
def reactivate(actor, user):
    user.is_active = True
    user.save(update_fields=["is_active"])
    AccountEvent.objects.create(user=user, actor=actor, action=AccountEvent.Action.REACTIVATED)


@transaction.atomic
def clear_lockout(actor, user):
    """Forget `user`'s failed sign-ins (django-axes), from every address."""
    cleared = reset_axes_attempts(username=user.get_username())
    AccountEvent.objects.create(
        user=user, actor=actor, action=AccountEvent.Action.LOCKOUT_CLEARED,
        detail=f"{cleared} record{'' if cleared == 1 else 's'} of failed sign-ins cleared",
    )
    return cleared


class TokenLimit(ValueError):
    """The person has as many usable tokens as anyone may."""


def check_token_limit(user, now=None):
    """Raise TokenLimit if `user` already holds tokens.MAX_USABLE usable tokens."""
    if ApiToken.objects.usable(now or timezone.now()).filter(user=user).count() >= tokens.MAX_USABLE:
        raise TokenLimit(f"You have {tokens.MAX_USABLE} tokens that open the API: revoke one to make another")


def create_token(user, name, days, now=None):
    """A new API token for `user`: (the ApiToken, its secret text, which is never stored)."""
    now = now or timezone.now()
    check_token_limit(user, now)
    secret = tokens.new_secret()
    token = ApiToken.objects.create(
        user=user, name=name, digest=tokens.digest(secret), prefix=secret[: tokens.SHOWN_PREFIX],
        expires_at=tokens.expiry(now, days),
    )
    return token, secret


def revoke_token(token, now=None):
    """Stops `token` opening the API from now on (its record stays, for the request logs)."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])


PASSWORD_RESETS_PER_HOUR = 3  # e-mails to one address; more requests are answered alike, unsent


def password_reset_allowed(email):
    """Whether another password-reset e-mail may go to `email` this hour (counted in the shared
    cache, so across app servers): a form posted in a loop cannot fill someone's inbox."""
    from hashlib import sha256

    from django.core.cache import cache

    key = "perfhub:password-reset:" + sha256(email.strip().lower().encode()).hexdigest()
    cache.add(key, 0, timeout=3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # the cache lost the key (or is not answering): allow, as it fails open
        return True
    return sent <= PASSWORD_RESETS_PER_HOUR
