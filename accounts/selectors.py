"""Reads for the BI team's people pages: accounts with their role, services and lockout."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import AccountEvent
from measures.models import Service
from measures.roles import ROLES


def locked_out_usernames():
    """Usernames django-axes is refusing now: too many failures within the cool-off time."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).values_list("username", flat=True)
    )


def role_of(user):
    """The user's role (one of `ROLES`), from their prefetched groups; "" if none."""
    names = {group.name for group in user.groups.all()}
    return next((role for role in reversed(ROLES) if role in names), "")


def people():
    """Every account, with what the people list shows, in a fixed number of queries."""
    return (
        get_user_model().objects.order_by("-is_active", "last_name", "first_name", "username")
        .prefetch_related("groups", Prefetch("led_services", queryset=Service.objects.order_by("name")))
    )


def recent_events(limit=20):
    return AccountEvent.objects.select_related("user", "actor")[:limit]
