"""Reminders before and on a deadline, and escalation to the head of the service after it: each
rule once for each figure and person, at the times the BI team set (notifications.models)."""

from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from measures import selectors
from measures.roles import is_bi_team
from notifications.models import HeadOfService, Notification, ReminderRule, ReminderSent
from notifications.selectors import Timetable
from notifications.services import notify
from notifications import timetable

# A rule whose moment passed longer ago than this is let go (a new rule, a long-stopped worker):
# nobody wants November's reminder in February.
CATCH_UP = timedelta(days=7)
MONTHS_BACK = 4

# The rules a fresh install starts with (added once, by a migration), so that the monthly cycle
# runs itself before anyone sets it up: (name, working days from the deadline, hour). The BI team
# edits, switches off or deletes them in the admin like any other; they are never added back.
DEFAULT_RULES = [
    ("Three working days before the deadline", -3, 9),
    ("On the deadline", 0, 9),
    ("Escalate two working days after the deadline", 2, 9),
]


def add_default_rules(rules=ReminderRule):
    """Add DEFAULT_RULES if there are no rules at all (`rules`: the model, or a migration's
    historical one). Returns how many were added."""
    if rules.objects.exists():
        return 0
    rules.objects.bulk_create(rules(name=name, offset=offset, hour=hour) for name, offset, hour in DEFAULT_RULES)
    return len(DEFAULT_RULES)


def months_to_watch(today):
    """The spans of the months whose figures may still be chased on `today`: the last few."""
    first = today.replace(day=1)
    spans = []
    for _ in range(MONTHS_BACK):
        first = (first - timedelta(days=1)).replace(day=1)
        spans.append(selectors.month_span(f"{first:%Y-%m}"))
    return spans


def send_due(now):
    """Write the reminders whose moment has come by `now` (aware); returns how many."""
    local = timezone.localtime(now).replace(tzinfo=None)
    today = local.date()
    rules = list(ReminderRule.objects.filter(active=True))
    if not rules:
        return 0
    months = months_to_watch(today)
    plan = Timetable.load([m.start for m in months])
    heads = {h.service_id: h.person for h in HeadOfService.objects.select_related("person")}
    # {(rule, recipient, month span): [Outstanding, ...]}
    batches = defaultdict(list)
    for month in months:
        for service, items in selectors.outstanding(month):
            for item in items:
                if not item.awaits_lead:
                    continue
                deadline = plan.deadline(item.row.measure.frequency, month.end)
                for rule in rules:
                    at = timetable.moment(deadline, rule.offset, rule.hour)
                    if not (at <= local < at + CATCH_UP):
                        continue
                    if rule.escalates:
                        people = [heads[service.pk]] if service.pk in heads else []
                    else:
                        people = list(service.leads.all())
                    for person in people:
                        batches[(rule, person, month, deadline)].append(item)
    written = 0
    for (rule, person, month, deadline), items in batches.items():
        fresh = [item for item in items if _first_time(rule, item.row.measure, month, person)]
        if fresh:
            written += _remind(rule, person, month, deadline, today, fresh)
    return written


def _first_time(rule, measure, month, person):
    """Record that `rule` reminded `person` of `measure`'s figure for `month`; False if it had."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(rule=rule, measure=measure, month=month.start, recipient=person)
    except IntegrityError:
        return False
    return True


def _remind(rule, person, month, deadline, today, items):
    state = timetable.due(today, deadline)
    titles = "\n".join(f"- {item.row.measure.title} ({item.row.measure.service}): {item.status}" for item in items)
    count = f"{len(items)} figure{'s' if len(items) != 1 else ''}"
    if rule.escalates:
        kind = Notification.Kind.ESCALATION
        subject = f"Overdue: {count} for {month.label} not yet submitted by your service"
        body = (f"As head of service you are told that these figures for {month.label} were due by "
                f"{deadline:%d %B %Y} and are still not submitted:\n\n{titles}")
    else:
        kind = Notification.Kind.REMINDER
        subject = f"Reminder: {count} to submit for {month.label}, {state.text}"
        body = f"These figures for {month.label} are {state.text}:\n\n{titles}"
    return len(notify(
        [person], kind=kind, subject=subject, body=body,
        url=_page(rule, person, month),
    ))


def _page(rule, person, month):
    """The page a reminder opens: the lead's My measures for the month; for a head of service,
    the Outstanding list if they are of the BI team, else their notifications (which list the
    figures), since Outstanding is the BI team's alone."""
    if not rule.escalates:
        return f"{reverse('my_measures')}?period={month.start:%Y-%m}"
    if is_bi_team(person):
        return f"{reverse('outstanding')}?period={month.start:%Y-%m}"
    return reverse("notifications:list")
