"""Each person's notifications (read, mark read, choose e-mails), unsubscribing from digests,
and the BI team's record of every e-mail sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from measures.roles import is_bi_team
from notifications.delivery import user_for_unsubscribe
from notifications.forms import PreferenceForm
from notifications.models import Notification, Preference, SentEmail

SHOWN = 100


@login_required
def notification_list(request):
    """GET: my notifications, newest first. POST: mark one or all read, or save my choice."""
    preference, _ = Preference.objects.get_or_create(user=request.user)
    form = PreferenceForm(instance=preference)
    mine = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "read_all":
            mine.filter(read_at__isnull=True).update(read_at=timezone.now())
            return redirect("notifications:list")
        if action == "read":
            mine.filter(pk=_int(request.POST.get("notification")), read_at__isnull=True).update(read_at=timezone.now())
            return redirect("notifications:list")
        if action == "preference":
            form = PreferenceForm(request.POST, instance=preference)
            if form.is_valid():
                form.save()
                messages.success(request, "Your choice of e-mails is saved.")
                return redirect("notifications:list")
    return render(request, "notifications/list.html", {
        "notifications": mine[:SHOWN], "unread": mine.filter(read_at__isnull=True).count(), "form": form,
    }, status=400 if form.errors else 200)


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def unsubscribe(request, token):
    """From a digest's link, signed in or not: stop the e-mails (the list in PerfHub stays)."""
    person = user_for_unsubscribe(token)
    if person is None:
        raise Http404("This unsubscribe link is not valid.")
    done = False
    if request.method == "POST":
        Preference.objects.update_or_create(user=person, defaults={"email": Preference.Email.NONE})
        done = True
    return render(request, "notifications/unsubscribe.html", {"done": done})


@login_required
@require_GET
def sent(request):
    if not is_bi_team(request.user):
        raise PermissionDenied("Only the BI team sees the e-mails sent.")
    emails = SentEmail.objects.select_related("recipient")[:200]
    return render(request, "notifications/sent.html", {"emails": emails})
