"""factory_boy factories for the framework's models."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from measures import periods
from measures.models import Committee, Measure, Outcome, Period, Service, Target, Value
from measures.rating import Polarity
from risks.models import Risk

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Officer{n}")
    password = factory.django.Password(PASSWORD)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ["name"]

    name = "People and Health"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Outcome {n}")
    short_name = factory.Sequence(lambda n: f"Outcome{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.short_name))


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    title = factory.Sequence(lambda n: f"Measure {n}")
    service = factory.SubFactory(ServiceFactory)
    unit = Measure.Unit.NUMBER
    frequency = Measure.Frequency.MONTHLY
    polarity = Polarity.HIGHER
    decimal_places = 0


def month(year, month_number):
    """The Period for a calendar month."""
    return Period.for_span(periods.span(periods.MONTH, date(year, month_number, 1)))


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Value

    measure = factory.SubFactory(MeasureFactory)
    period = factory.LazyFunction(lambda: month(2020, 10))
    value = Decimal("10")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    measure = factory.SubFactory(MeasureFactory)
    period = factory.LazyFunction(lambda: month(2020, 10))
    value = Decimal("10")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    code = factory.Sequence(lambda n: f"R{n:02d}")
    title = factory.Sequence(lambda n: f"Risk {n}")
    level = Risk.Level.MEDIUM
