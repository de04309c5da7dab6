"""The record of who did what to whose account: invitations, roles, deactivation, lockouts."""

from django.conf import settings
from django.db import models


class AccountEvent(models.Model):
    """One change to a person's account, by whom and when, shown on their account page.

    Kept as our own rows rather than a field history, because some events change no field of
    the user (an invitation sent again, a sign-in lockout cleared)."""

    class Action(models.TextChoices):
        INVITED = "invited", "Invited"
        INVITATION_SENT_AGAIN = "invitation_sent_again", "Invitation sent again"
        CHANGED = "changed", "Changed"
        DEACTIVATED = "deactivated", "Deactivated"
        REACTIVATED = "reactivated", "Reactivated"
        LOCKOUT_CLEARED = "lockout_cleared", "Sign-in lockout cleared"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_actions"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.user} by {self.actor}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now):
        """Tokens that still open the API at `now`: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A person's named read token for the API (/api/v1/), with their rights and an expiry.

    Only a SHA-256 digest of the token is kept: the token itself is shown once, when made.
    (The token is 256 random bits, so a fast digest is as safe as a slow password hash.)"""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. Power BI refresh")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False, help_text="The token's first characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="api_token_unique_name_per_user"),
        ]

    def __str__(self):
        return f"{self.name} ({self.user})"

    def is_usable(self, now):
        return self.revoked_at is None and self.expires_at > now
