"""The framework admin, as each of the three roles sees it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Value
from tests.factories import MeasureFactory, ServiceFactory, TargetFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_and_other(adult_care):
    housing = ServiceFactory(name="Legal Services")
    own = MeasureFactory(title="Total number of service users", service=adult_care)
    other = MeasureFactory(title="Court cases within 26 weeks", service=housing)
    return own, other


def test_service_lead_lists_only_their_services_measures(client, lead, own_and_other):
    own, other = own_and_other
    client.force_login(lead)
    page = client.get(reverse("admin:measures_measure_changelist"))
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [own]


def test_service_lead_gets_403_for_another_services_measure(client, lead, own_and_other):
    own, other = own_and_other
    client.force_login(lead)
    assert client.get(reverse("admin:measures_measure_change", args=[other.pk])).status_code == 403
    assert client.get(reverse("admin:measures_measure_change", args=[own.pk])).status_code == 200


def test_service_lead_gets_403_for_another_services_value_and_target(client, lead, own_and_other):
    own, other = own_and_other
    value = ValueFactory(measure=other)
    target = TargetFactory(measure=other)
    client.force_login(lead)
    assert client.get(reverse("admin:measures_value_change", args=[value.pk])).status_code == 403
    assert client.get(reverse("admin:measures_target_change", args=[target.pk])).status_code == 403
    values = client.get(reverse("admin:measures_value_changelist"))
    assert list(values.context["cl"].result_list) == []


def test_service_lead_cannot_add_a_value_to_another_services_measure(client, lead, own_and_other):
    own, other = own_and_other
    period = month(2020, 10)
    client.force_login(lead)
    response = client.post(
        reverse("admin:measures_value_add"),
        {"measure": other.pk, "period": period.pk, "value": "5"},
    )
    assert response.status_code == 200
    assert "measure" in response.context["adminform"].form.errors
    assert not Value.objects.filter(measure=other).exists()


def test_service_lead_adds_a_value_to_their_own_measure_and_it_is_rated(client, lead, own_and_other):
    own, _ = own_and_other
    period = month(2020, 10)
    TargetFactory(measure=own, period=period, value=Decimal("100"))
    client.force_login(lead)
    response = client.post(
        reverse("admin:measures_value_add"),
        {"measure": own.pk, "period": period.pk, "value": "80", "status": "draft"},
    )
    assert response.status_code == 302
    value = Value.objects.get(measure=own)
    assert value.rag == "Red"
    assert value.entered_by == lead


def test_scrutiny_member_reads_but_cannot_change(client, member, own_and_other):
    own, other = own_and_other
    client.force_login(member)
    url = reverse("admin:measures_measure_change", args=[other.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = client.post(url, {"title": "Renamed"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.title == "Court cases within 26 weeks"
    assert client.get(reverse("admin:measures_value_add")).status_code == 403


def test_scrutiny_member_sees_every_service(client, member, own_and_other):
    client.force_login(member)
    page = client.get(reverse("admin:measures_measure_changelist"))
    assert set(page.context["cl"].result_list) == set(own_and_other)


def test_bi_team_changes_any_measure(client, bi_user, own_and_other):
    _, other = own_and_other
    client.force_login(bi_user)
    page = client.get(reverse("admin:measures_measure_change", args=[other.pk]))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is True
    assert client.get(reverse("admin:risks_risk_add")).status_code == 200


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(reverse("admin:measures_measure_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_period_search_finds_a_period_by_its_label(client, bi_user):
    october = month(2020, 10)
    month(2020, 9)
    client.force_login(bi_user)
    page = client.get(reverse("admin:measures_period_changelist"), {"q": "Oct-20"})
    assert list(page.context["cl"].result_list) == [october]


def test_every_admin_list_answers_for_the_bi_team(client, bi_user, own_and_other):
    ValueFactory(measure=own_and_other[0])
    client.force_login(bi_user)
    for model in ["measure", "value", "target", "comparatorvalue", "populationindicator",
                  "outcome", "service", "committee", "period"]:
        assert client.get(reverse(f"admin:measures_{model}_changelist")).status_code == 200, model
    assert client.get(reverse("admin:risks_risk_changelist")).status_code == 200
