"""rate_measure keeps the ratings in force on every value of a measure."""

from decimal import Decimal

import pytest

from measures.models import Measure
from measures.rating import Polarity
from measures.services import rate_measure
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


def test_values_are_rated_against_their_target_and_previous_value():
    measure = MeasureFactory(polarity=Polarity.LOWER)
    september = ValueFactory(measure=measure, period=month(2020, 9), value=Decimal("72"))
    october = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("70"))
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("60"))
    rate_measure(measure)
    september.refresh_from_db()
    october.refresh_from_db()
    assert (september.rag, september.direction_of_travel) == ("ND", "No trend")
    assert (october.rag, october.direction_of_travel) == ("Red", "Improving")


def test_an_override_wins_over_the_suggestion():
    measure = MeasureFactory(polarity=Polarity.LOWER)
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("280"))
    value = ValueFactory(
        measure=measure, period=month(2020, 10), value=Decimal("355.2"),
        rag_override="Amber", dot_override="Same", override_reason="As reported",
    )
    rate_measure(measure)
    value.refresh_from_db()
    assert (value.rag, value.direction_of_travel) == ("Amber", "Same")
    assert value.suggested_rag(Decimal("280")) == "Red"


def test_direction_skips_periods_with_no_data():
    measure = MeasureFactory()
    ValueFactory(measure=measure, period=month(2020, 8), value=Decimal("5"))
    ValueFactory(measure=measure, period=month(2020, 9), value=None, no_data_reason="System outage")
    october = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("4"))
    rate_measure(measure)
    october.refresh_from_db()
    assert october.direction_of_travel == "Worsening"


def test_direction_against_the_same_period_a_year_earlier():
    measure = MeasureFactory(dot_basis=Measure.Basis.YEAR_AGO)
    ValueFactory(measure=measure, period=month(2019, 10), value=Decimal("4110"))
    ValueFactory(measure=measure, period=month(2020, 9), value=Decimal("5000"))
    october = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("4469"))
    rate_measure(measure)
    october.refresh_from_db()
    assert october.direction_of_travel == "Improving"
