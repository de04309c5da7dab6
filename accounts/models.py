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
