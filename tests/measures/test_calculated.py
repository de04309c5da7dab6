"""Calculated measures (measures.calculated): checked on save, recomputed when an input is
published or revised, audited with their inputs, published only when every input is."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from measures import services
from measures.models import Value
from tests.factories import MeasureFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(adult_care):
    count = MeasureFactory(title="Children on a child protection plan", code="CPPN", service=adult_care)
    population = MeasureFactory(title="Population aged 0-17", code="POP17", service=adult_care)
    rate = MeasureFactory(title="CP plan rate per 10,000", code="CPPR", unit="Rate per 10,000",
                          decimal_places=2, formula="CPPN / POP17 * 10000")
    return count, population, rate


def test_unknown_codes_and_cycles_are_refused_on_save(parts):
    count, population, rate = parts
    rate.formula = "CPPN / NOPE"
    with pytest.raises(ValidationError, match="No measure has the code NOPE"):
        rate.full_clean()
    count.formula = "CPPR * 2"
    with pytest.raises(ValidationError, match="refers back to itself: CPPR -> CPPN -> CPPR"):
        count.full_clean()
    rate.formula = "__import__('os')"
    with pytest.raises(ValidationError, match="Only the functions sum, mean, min, max may be used"):
        rate.full_clean()


def test_a_calculated_figure_is_published_only_when_every_input_is(parts, bi_user):
    count, population, rate = parts
    oct20 = month(2020, 10)
    ValueFactory(measure=population, period=oct20, value=Decimal(67878), status=Value.Status.PUBLISHED)
    submitted = ValueFactory(measure=count, period=oct20, value=Decimal(336), status=Value.Status.APPROVED)
    services.rate_measures([population.pk])
    waiting = Value.objects.get(measure=rate, period=oct20)
    assert waiting.status == Value.Status.DRAFT and waiting.value is None
    assert waiting.no_data_reason == "Waiting for CPPN to be published"
    services.publish(bi_user, [submitted])
    value = Value.objects.get(measure=rate, period=oct20)
    assert (value.status, value.value) == (Value.Status.PUBLISHED, Decimal("49.5006"))
    assert value.inputs == {"CPPN": "336.0000", "POP17": "67878.0000"}
    assert value.history.first().history_change_reason == "Calculated from CPPN = 336.0000, POP17 = 67878.0000"


def test_a_revised_input_recomputes_and_division_by_zero_is_no_data(parts, bi_user):
    count, population, rate = parts
    oct20 = month(2020, 10)
    ValueFactory(measure=count, period=oct20, value=Decimal(336), status=Value.Status.PUBLISHED)
    pop = ValueFactory(measure=population, period=oct20, value=Decimal(0), status=Value.Status.PUBLISHED)
    services.rate_measures([count.pk])
    value = Value.objects.get(measure=rate, period=oct20)
    assert value.value is None and value.no_data_reason == "Division by 0"
    pop.value = Decimal(67200)
    pop.save()
    services.rate_measures([population.pk])
    assert Value.objects.get(measure=rate, period=oct20).value == Decimal(50)
    assert Value.objects.get(measure=rate, period=oct20).history.count() == 2


def test_a_calculated_measure_of_calculated_measures_follows_its_inputs(parts):
    count, population, rate = parts
    double = MeasureFactory(title="Twice the rate", code="TWICE", formula="CPPR * 2")
    oct20 = month(2020, 10)
    ValueFactory(measure=count, period=oct20, value=Decimal(10), status=Value.Status.PUBLISHED)
    ValueFactory(measure=population, period=oct20, value=Decimal(10000), status=Value.Status.PUBLISHED)
    services.rate_measures([count.pk])
    assert Value.objects.get(measure=double, period=oct20).value == Decimal(20)
