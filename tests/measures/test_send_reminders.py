"""send_reminders e-mails each lead the measures they still have to submit."""

import pytest
from django.core.management import CommandError, call_command

from measures.models import Value
from notifications.models import SentEmail
from tests.factories import MeasureFactory, ServiceFactory, UserFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


def test_each_lead_gets_their_outstanding_measures(mailoutbox, lead, adult_care):
    lead.email = "lead@example.org"
    lead.save()
    housing_lead = UserFactory(username="housing", email="housing@example.org")
    housing = ServiceFactory(name="Housing")
    housing.leads.add(housing_lead)
    missing = MeasureFactory(title="Missing measure", service=adult_care)
    draft = MeasureFactory(title="Draft measure", service=adult_care)
    ValueFactory(measure=draft, period=month(2020, 10))
    submitted = MeasureFactory(title="Submitted measure", service=adult_care)
    ValueFactory(measure=submitted, period=month(2020, 10), status=Value.Status.SUBMITTED)
    done = MeasureFactory(title="Housing measure", service=housing)
    ValueFactory(measure=done, period=month(2020, 10), status=Value.Status.PUBLISHED)
    MeasureFactory(title="Quarterly measure", service=adult_care, frequency="quarterly")

    call_command("send_reminders", "--period", "2020-10")

    [mail] = mailoutbox
    assert mail.to == ["lead@example.org"]
    assert "2 measures to submit for Oct-20" in mail.subject
    assert "Missing measure" in mail.body and "Draft measure" in mail.body
    assert "Submitted measure" not in mail.body and "Quarterly measure" not in mail.body
    assert "/my-measures/?period=2020-10" in mail.body
    [record] = SentEmail.objects.all()
    assert (record.recipient, record.address, record.subject) == (lead, "lead@example.org", mail.subject)


def test_a_bad_period_is_a_clear_error(db):
    with pytest.raises(CommandError, match="not a period"):
        call_command("send_reminders", "--period", "October")
