"""The report of every validation rule broken in a period (issue 21), through real HTTP."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from measures.checks import ERROR
from measures.models import ValidationRule
from tests.factories import MeasureFactory, ValueFactory, month

pytestmark = pytest.mark.django_db
URL = reverse("rules_broken")


def test_the_report_lists_each_rule_broken_in_the_period_with_its_figures(client, bi_user):
    everyone = MeasureFactory(code="ASCALL")
    older = MeasureFactory(code="ASC65")
    ValueFactory(measure=everyone, period=month(2020, 10), value=D(10))
    ValueFactory(measure=older, period=month(2020, 10), value=D(12))
    ValueFactory(measure=everyone, period=month(2020, 9), value=D(10))
    ValueFactory(measure=older, period=month(2020, 9), value=D(8))
    ValidationRule.objects.create(name="65+ within all", left="ASC65", operator="<=", right="ASCALL",
                                  importance=ERROR, message="Admissions of people aged 65+ cannot exceed all admissions")
    client.force_login(bi_user)
    response = client.get(URL, {"period": "2020-10"})
    [broken] = response.context["broken"]
    assert (broken.left, broken.right) == (D(12), D(10))
    assert "Admissions of people aged 65+ cannot exceed all admissions" in response.content.decode()
    assert client.get(URL, {"period": "2020-09"}).context["broken"] == []
    assert "No rule is broken in Sep-20" in client.get(URL, {"period": "2020-09"}).content.decode()


def test_a_period_that_cannot_be_read_is_an_error(client, bi_user):
    client.force_login(bi_user)
    response = client.get(URL, {"period": "someday"})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
