"""Tell people things: write their notifications (e-mailed later by notifications.delivery).

The lifecycle of a figure (measures.services), a committee's published report (reports) and a
failed job (jobs) each call one function here."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.roles import BI_TEAM
from notifications.models import Notification


def notify(recipients, *, kind, subject, body, url="", key="", digest=False):
    """A notification for each of `recipients` (active people); one with a `key` is written
    once per person, however often this is called. Returns those written."""
    made = []
    for person in {p.pk: p for p in recipients if p.is_active}.values():
        if key and Notification.objects.filter(recipient=person, key=key).exists():
            continue
        made.append(Notification.objects.create(
            recipient=person, kind=kind, subject=subject[:300], body=body, url=url, key=key[:200],
            digest=digest,
        ))
    return made


def bi_team():
    return get_user_model().objects.filter(groups__name=BI_TEAM, is_active=True)


def notify_bi_team(**message):
    return notify(bi_team(), **message)


def _leads(values):
    """{lead: [value, ...]} of the services of `values` (each with its measure and period)."""
    by_lead, leads = defaultdict(list), {}
    for value in values:
        service_id = value.measure.service_id
        if service_id is None:
            continue
        if service_id not in leads:  # one query per service, however many values
            leads[service_id] = list(value.measure.service.leads.all())
        for lead in leads[service_id]:
            by_lead[lead].append(value)
    return by_lead


def _month_param(value):
    return f"{value.period.end:%Y-%m}"


def figures_returned(values, comment, by):
    """Each lead hears which of their figures the BI team returned, and why."""
    for lead, returned in _leads(values).items():
        for value in returned:
            url = f"{reverse('my_measures')}?period={_month_param(value)}#service-{value.measure.service.slug}"
            notify(
                [lead], kind=Notification.Kind.RETURNED,
                subject=f"Returned to you: {value.measure.title} ({value.period.label})",
                body=f"{by.get_full_name() or by.get_username()} returned your figure for "
                     f"{value.measure.title}, {value.period.label}, saying:\n\n{comment}",
                url=url,
            )


def figures_published(values):
    """Each lead hears which of their figures were published, one message per month."""
    for lead, published in _leads(values).items():
        by_period = defaultdict(list)
        for value in published:
            by_period[value.period.label].append(value)
        for label, items in by_period.items():
            titles = "\n".join(f"- {v.measure.title}" for v in items)
            notify(
                [lead], kind=Notification.Kind.PUBLISHED,
                subject=f"{len(items)} of your figures for {label} published",
                body=f"These figures for {label} are now published and in the reports:\n\n{titles}",
                url=items[0].measure.get_absolute_url() if len(items) == 1 else reverse("dashboard"),
            )


def figures_submitted(values, by):
    """The BI team hears of submissions in its daily digest."""
    by_period = defaultdict(list)
    for value in values:
        by_period[value.period].append(value)
    for period, items in by_period.items():
        services = ", ".join(sorted({v.measure.service.name for v in items if v.measure.service}))
        notify_bi_team(
            kind=Notification.Kind.SUBMITTED, digest=True,
            subject=f"{by.get_full_name() or by.get_username()} submitted {len(items)} figure"
                    f"{'s' if len(items) != 1 else ''} for {period.label} ({services})",
            body="\n".join(f"- {v.measure.title}" for v in items),
            url=f"{reverse('approvals')}?period={period.end:%Y-%m}",
        )


def committee_report_published(snapshot):
    """The members of the snapshot's committee hear that its report is published."""
    committee = snapshot.committee
    notify(
        committee.members.all(), kind=Notification.Kind.REPORT,
        subject=f"{committee.name}: the exception report for {snapshot} is published",
        body=f"The exception report of the {committee.name} committee for {snapshot} is published.",
        url=snapshot.get_absolute_url(), key=f"snapshot:{snapshot.pk}",
    )
