"""Database rules of the framework's models, and the latest-value query."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError

from measures import periods
from measures.models import Measure, Period
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


def test_one_value_per_measure_and_period():
    value = ValueFactory()
    with pytest.raises(IntegrityError):
        ValueFactory(measure=value.measure, period=value.period)


def test_one_target_per_measure_and_period():
    target = TargetFactory()
    with pytest.raises(IntegrityError):
        TargetFactory(measure=target.measure, period=target.period)


def test_an_override_without_a_reason_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        ValueFactory(rag_override="Amber", override_reason="")


def test_period_from_text_is_made_once_and_labelled():
    first = Period.parse("Q2 17-18")
    again = Period.parse("Qtr. 2 17-18")
    assert first == again
    assert (first.label, first.start, first.end) == ("Q2 17-18", date(2017, 7, 1), date(2017, 9, 30))
    assert first.month_label == "Sep-17"


def test_academic_and_financial_years_are_different_periods():
    academic = Period.parse("13-14", periods.ACADEMIC_YEAR)
    financial = Period.parse("2013-14")
    assert academic != financial
    assert academic.start == date(2013, 9, 1)


def test_value_is_formatted_with_the_measures_decimal_places():
    value = ValueFactory(measure=MeasureFactory(decimal_places=0), value=Decimal("4469"))
    assert value.formatted == "4,469"


def test_latest_value_per_measure_ignores_later_periods(django_assert_max_num_queries):
    measures = MeasureFactory.create_batch(3)
    for measure in measures:
        for number in (8, 9, 10, 11):
            ValueFactory(measure=measure, period=month(2020, number), status="published")
    ValueFactory(measure=measures[0], period=month(2020, 7), status="draft")
    with django_assert_max_num_queries(1):
        rows = list(Measure.objects.with_latest_value(date(2020, 10, 31)).values_list("latest_value_id", flat=True))
    expected = [m.values.get(period__start=date(2020, 10, 1)).pk for m in measures]
    assert sorted(rows) == sorted(expected)


def test_latest_value_counts_only_published_values():
    measure = MeasureFactory()
    published = ValueFactory(measure=measure, period=month(2020, 9), status="published")
    ValueFactory(measure=measure, period=month(2020, 10), status="submitted")
    as_at = date(2020, 10, 31)
    assert Measure.objects.with_latest_value(as_at).get().latest_value_id == published.pk
    assert Measure.objects.with_latest_value(as_at, published=False).get().latest_value_id != published.pk
