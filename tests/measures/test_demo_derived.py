"""Issue 21 in the demo: a numerator/denominator measure, a calculated measure and roll-ups,
from what the seed exception report supports, with the report's own figures unchanged."""

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from measures.models import Measure, Value

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_the_numerator_and_denominator_measure_shows_the_reports_rate(demo):
    measure = Measure.objects.get(code="CPPND")
    value = Value.objects.get(measure=measure)
    assert (value.numerator, value.denominator, value.value) == (D(336), D(67878), D("49.5006"))
    assert value.formatted == "49.50" == Value.objects.get(measure__code="CP10K", period=value.period).formatted


def test_the_calculated_measure_is_worked_out_from_the_reports_figures_and_published(demo):
    value = Value.objects.get(measure__code="POP17")
    assert value.value == D("67878.7879") and value.status == Value.Status.PUBLISHED
    assert value.formatted == "67,879"
    assert value.inputs == {"CPPN": "336.0000", "CP10K": "49.5000"}


def test_the_reports_monthly_rates_roll_up_by_their_latest_month(demo, client):
    client.force_login(_member())
    rate = Measure.objects.get(code="CP10K")
    response = client.get(reverse("measure_detail", args=[rate.pk]))
    quarter = {u.window: u for u in response.context["rollups"]}["quarter"]
    assert (quarter.label, quarter.value, quarter.months) == ("Q3 20-21", D("49.5"), 1)
    assert Value.objects.get(measure=rate, period__start__year=2020).value == D("49.50")


def _member():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="member")
