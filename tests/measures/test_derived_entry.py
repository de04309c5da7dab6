"""Issue 21 at the entry door, through real HTTP: numerator and denominator, validation rules
across measures, outlier flags that the lead confirms, and what the BI team sees in approvals."""

from decimal import Decimal

import pytest
from django.urls import reverse

from measures.checks import ERROR, WARNING
from measures.models import Measure, ValidationRule, Value
from measures.rating import Polarity
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month
from tests.measures.test_data_entry import MY, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def cpp(adult_care):
    measure = MeasureFactory(
        title="Rate of children with a child protection plan per 10,000", code="CPP", service=adult_care,
        unit=Measure.Unit.RATE, decimal_places=2, polarity=Polarity.LOWER,
        numerator_label="Children on a child protection plan", denominator_label="Population aged 0-17",
    )
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("40"))
    return measure


def test_a_measure_entered_as_two_figures_shows_both_labels(client, lead, cpp):
    client.force_login(lead)
    html = client.get(MY, {"period": "2020-10"}).content.decode()
    assert "Children on a child protection plan" in html and "Population aged 0-17" in html
    assert f'name="row-{cpp.pk}-value"' not in html


def test_the_value_is_derived_from_numerator_and_denominator_and_rated_on_it(client, lead, cpp):
    client.force_login(lead)
    response = post(client, [(cpp, {"numerator": "336", "denominator": "67,878", "commentary": "Up"})])
    assert response.status_code == 302
    value = Value.objects.get(measure=cpp)
    assert (value.numerator, value.denominator, value.value) == (Decimal(336), Decimal(67878), Decimal("49.5006"))
    assert value.rag == "Red"  # 49.50 against a lower-is-better target of 40 with 10% tolerance


def test_a_zero_denominator_is_refused_with_the_reason(client, lead, cpp):
    client.force_login(lead)
    response = post(client, [(cpp, {"numerator": "3", "denominator": "0"})])
    assert response.status_code == 200
    assert "The denominator is 0" in response.content.decode()
    assert not Value.objects.filter(measure=cpp).exists()


def test_a_figure_outside_the_bounds_needs_the_leads_reason_and_the_bi_team_sees_the_flag(
    client, lead, bi_user, adult_care
):
    measure = MeasureFactory(title="Reviews on time", service=adult_care, unit="%", maximum=Decimal(95))
    client.force_login(lead)
    response = post(client, [(measure, {"value": "99"})], action="submit")
    assert response.status_code == 200
    assert "This figure looks unusual: 99 is above the measure&#x27;s maximum of 95" in response.content.decode()
    assert not Value.objects.exists()
    response = post(client, [(measure, {"value": "99", "flag_reason": "A new team cleared the backlog"})],
                    action="submit")
    assert response.status_code == 302
    value = Value.objects.get()
    assert value.flags == ["99 is above the measure's maximum of 95"]
    assert value.flag_reason == "A new team cleared the backlog"
    client.force_login(bi_user)
    html = client.get(reverse("approvals")).content.decode()
    assert "A new team cleared the backlog" in html and "above the measure" in html


def test_a_figure_far_from_its_history_is_flagged(client, lead, adult_care):
    measure = MeasureFactory(title="Admissions", service=adult_care)
    for m, figure in zip(range(1, 10), [50, 51, 49, 50, 52, 48, 50, 51, 49]):
        ValueFactory(measure=measure, period=month(2020, m), value=Decimal(figure), status=Value.Status.PUBLISHED)
    client.force_login(lead)
    response = post(client, [(measure, {"value": "500"})])
    assert "far from the measure&#x27;s history" in response.content.decode()
    assert post(client, [(measure, {"value": "50"})]).status_code == 302


def test_an_error_rule_across_measures_refuses_the_figure_and_a_warning_asks_for_a_reason(client, lead, adult_care):
    everyone = MeasureFactory(title="All admissions", code="ASCALL", service=adult_care)
    older = MeasureFactory(title="Admissions aged 65+", code="ASC65", service=adult_care)
    ValueFactory(measure=everyone, period=month(2020, 10), value=Decimal(10))
    ValidationRule.objects.create(name="65+ within all", left="ASC65", operator="<=", right="ASCALL",
                                  importance=ERROR, message="Admissions of people aged 65+ cannot exceed all admissions")
    client.force_login(lead)
    response = post(client, [(older, {"value": "12"})])
    assert "Admissions of people aged 65+ cannot exceed all admissions" in response.content.decode()
    assert post(client, [(older, {"value": "8"})]).status_code == 302
    ValidationRule.objects.create(name="Half at most", left="ASC65", operator="<=", right="ASCALL / 2",
                                  importance=WARNING, message="Usually no more than half are 65+")
    response = post(client, [(older, {"value": "9", "version": str(Value.objects.get(measure=older).version)})])
    assert "Usually no more than half are 65+" in response.content.decode()


def test_the_admin_derives_the_figure_and_asks_for_a_reason_for_an_unusual_one(client, lead, cpp):
    cpp.maximum = Decimal(45)
    cpp.save()
    client.force_login(lead)
    add = reverse("admin:measures_value_add")
    fields = {"measure": cpp.pk, "period": month(2020, 10).pk, "numerator": "336", "denominator": "67878",
              "commentary": "Up"}
    response = client.post(add, fields)
    assert "flag_reason" in response.context["adminform"].form.errors
    assert client.post(add, {**fields, "flag_reason": "A sibling group of nine"}).status_code == 302
    value = Value.objects.get(measure=cpp)
    assert (value.value, value.flags) == (Decimal("49.5006"), ["49.5006 is above the measure's maximum of 45"])
