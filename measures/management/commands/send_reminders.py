"""E-mail each service lead the measures they still have to submit for a month."""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from measures import periods, selectors


class Command(BaseCommand):
    help = "E-mail each service lead their measures with no submission for the month (e.g. --period 2020-10)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="The month, such as 2020-10 or Oct-20")

    def handle(self, *args, period, **options):
        try:
            month = selectors.month_span(period)
        except periods.PeriodError as error:
            raise CommandError(str(error)) from None
        by_lead = {}
        for service, items in selectors.outstanding(month):
            for lead in service.leads.all():
                by_lead.setdefault(lead, []).extend(item for item in items if item.awaits_lead)
        sent = 0
        for lead, items in sorted(by_lead.items(), key=lambda pair: pair[0].username):
            if not items:
                continue
            if not lead.email:
                self.stderr.write(f"{lead.username} has no e-mail address: not reminded.")
                continue
            context = {"lead": lead, "items": items, "month": month, "base_url": settings.PERFHUB_URL}
            subject = f"PerfHub: {len(items)} measure{'s' if len(items) != 1 else ''} to submit for {month.label}"
            body = render_to_string("measures/reminder.txt", context)
            send_mail(subject, body, None, [lead.email])
            _record(lead, subject, body)
            sent += 1
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''} for {month.label}.")


def _record(lead, subject, body):
    """Every e-mail sent is shown to the BI team (notifications.models.SentEmail)."""
    from notifications.models import SentEmail

    SentEmail.objects.create(recipient=lead, address=lead.email, kind="reminder", subject=subject, body=body)
