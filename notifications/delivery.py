"""E-mail people their notifications: each on its own, or in one daily digest (with a link to
unsubscribe), as each person chose; and keep a record of every e-mail sent (SentEmail)."""

from email.utils import formataddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.models import Notification, Preference, SentEmail

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def sender():
    """The council's name on every e-mail, at DEFAULT_FROM_EMAIL."""
    return formataddr((f"{settings.COUNCIL_NAME} performance team", settings.DEFAULT_FROM_EMAIL))


def absolute(url):
    return f"{settings.PERFHUB_URL}{url}" if url.startswith("/") else url


def unsubscribe_url(user):
    token = signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("notifications:unsubscribe", args=[token]))


def user_for_unsubscribe(token):
    """The user a token from a digest names, or None if it is not one of ours."""
    from django.contrib.auth import get_user_model

    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first()


def send_email(person, kind, subject, template, context, unsubscribe=None):
    """Send one e-mail, plain text and HTML, to `person`, and record it. Returns the record."""
    context = {**context, "person": person, "council_name": settings.COUNCIL_NAME, "unsubscribe": unsubscribe}
    text = render_to_string(f"{template}.txt", context)
    message = EmailMultiAlternatives(
        f"{settings.COUNCIL_NAME} PerfHub: {subject}", text, sender(), [person.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>"} if unsubscribe else None,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
    return SentEmail.objects.create(recipient=person, address=person.email, kind=kind,
                                    subject=message.subject, body=text)


def _choice(person):
    pref = getattr(person, "notification_preference", None)
    return pref.email if pref else Preference.Email.EACH


def _unsent():
    return Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True).exclude(
        recipient__email="").select_related("recipient__notification_preference")


def deliver_pending(now):
    """E-mail each notification not yet sent to those who want one e-mail each; returns how many."""
    sent = 0
    pending = _unsent().filter(digest=False).exclude(
        recipient__notification_preference__email__in=[Preference.Email.DIGEST, Preference.Email.NONE])
    for note in pending.order_by("pk"):
        send_email(note.recipient, note.kind, note.subject, "notifications/email/one",
                   {"note": note, "link": absolute(note.url) if note.url else ""})
        Notification.objects.filter(pk=note.pk).update(emailed_at=now)
        sent += 1
    return sent


def send_digests(now):
    """One e-mail to each person with notifications waiting for the digest (theirs, or those
    that always wait, like the BI team's submissions), unless they unsubscribed."""
    waiting = _unsent().filter(
        Q(digest=True) | Q(recipient__notification_preference__email=Preference.Email.DIGEST)
    ).exclude(recipient__notification_preference__email=Preference.Email.NONE).order_by("recipient", "pk")
    by_person = {}
    for note in waiting:
        by_person.setdefault(note.recipient, []).append(note)
    for person, notes in by_person.items():
        items = [{"note": n, "link": absolute(n.url) if n.url else ""} for n in notes]
        send_email(person, "digest", f"your daily digest: {len(notes)} update{'s' if len(notes) != 1 else ''}",
                   "notifications/email/digest", {"items": items,
                                                  "all_link": absolute(reverse("notifications:list"))},
                   unsubscribe=unsubscribe_url(person))
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
    return len(by_person)
