"""What PerfHub accepts is bounded: months, figures, decimal places and the length of words,
each refused with a clear message (never a 500, never saved into another month or rounded away
silently)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from measures import periods
from measures.models import Measure, Period, Value
from measures.numbers import NumberError, parse_number
from tests.factories import MeasureFactory, ValueFactory, month
from tests.measures.test_data_entry import post

pytestmark = pytest.mark.django_db

MY = reverse("my_measures")


@pytest.fixture
def count(adult_care):
    return MeasureFactory(title="People supported", service=adult_care, unit=Measure.Unit.NUMBER, decimal_places=0)


@pytest.mark.parametrize("period", ["garbage", "2020-13", "0001-05", "1989-12"])
def test_a_post_for_a_period_that_is_not_a_month_saves_nothing_anywhere(client, lead, count, period):
    client.force_login(lead)
    response = post(client, [(count, {"value": "12"})], period=period)

    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Value.objects.exists()


def test_a_post_for_a_month_that_has_not_begun_is_refused(client, lead, count):
    client.force_login(lead)
    response = post(client, [(count, {"value": "12"})], period="2099-01")

    assert response.status_code == 400
    assert "Jan-99 has not begun" in response.content.decode()
    assert not Value.objects.exists()


def test_a_get_for_a_month_that_has_not_begun_shows_the_latest_month_due(client, lead, count):
    client.force_login(lead)
    response = client.get(MY, {"period": "2099-01"})
    assert response.status_code == 200
    assert response.context["month"] == periods.previous(periods.span(periods.MONTH, date.today()))
    assert "Jan-99 has not begun" in response.content.decode()


def test_a_post_with_measures_that_are_not_numbers_is_a_bad_request(client, lead, count):
    client.force_login(lead)
    response = client.post(MY, {"period": "2020-10", "action": "save", "measure": ["x"]})
    assert response.status_code == 400


def test_a_figure_too_large_for_its_column_is_refused_on_the_form(client, lead, count):
    client.force_login(lead)
    response = post(client, [(count, {"value": "9999999999999"})])

    assert response.status_code == 200
    assert "is too large" in response.content.decode()
    assert not Value.objects.exists()


def test_a_figure_with_more_decimal_places_than_are_stored_is_refused_not_stored_as_0(client, lead, count):
    client.force_login(lead)
    response = post(client, [(count, {"value": "0.00001"})])

    assert "has more than 4 decimal places" in response.content.decode()
    assert not Value.objects.exists()


@pytest.mark.parametrize("text", ["999,999,999,999.9999", "-999999999999", "0.0001", "0.10000"])
def test_figures_the_columns_hold_are_read(text):
    assert parse_number(text) is not None


@pytest.mark.parametrize("text", ["1,000,000,000,000", "-1000000000000", "0.00001", "1.23456"])
def test_figures_the_columns_cannot_hold_are_refused(text):
    with pytest.raises(NumberError):
        parse_number(text)


def test_commentary_longer_than_4000_characters_is_refused_with_its_limit(client, lead, count):
    client.force_login(lead)
    response = post(client, [(count, {"value": "12", "commentary": "x" * 1_000_000})])

    html = response.content.decode()
    assert "Commentary must be 4,000 characters or fewer (it has 1000000)" in html
    assert not Value.objects.exists()


@pytest.mark.parametrize("field, limit", [("commentary", 4000), ("actions", 4000), ("caveat", 1000),
                                          ("returned_comment", 2000)])
def test_the_model_refuses_words_over_their_limit_whatever_door_they_come_through(count, field, limit):
    value = Value(measure=count, period=month(2020, 10), value=Decimal(1), **{field: "x" * (limit + 1)})
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert field in error.value.message_dict
    setattr(value, field, "x" * limit)
    value.full_clean()


def test_a_value_for_a_period_not_yet_begun_fails_validation(count):
    future = Period.for_span(periods.span(periods.MONTH, date(2099, 1, 1)))
    with pytest.raises(ValidationError) as error:
        Value(measure=count, period=future, value=Decimal(1)).full_clean()
    assert "has not begun" in str(error.value.message_dict["period"])


def test_decimal_places_are_0_to_6(count):
    count.decimal_places = 7
    with pytest.raises(ValidationError):
        count.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=count.pk).update(decimal_places=40)


def test_a_measure_shown_to_6_places_renders_everywhere(client, member, count):
    Measure.objects.filter(pk=count.pk).update(decimal_places=6)
    ValueFactory(measure=count, value=Decimal("1.2345"), status=Value.Status.PUBLISHED)
    client.force_login(member)
    response = client.get(reverse("measure_detail", args=[count.pk]))
    assert "1.234500" in response.content.decode()


def test_a_pdf_too_long_to_lay_out_in_bounded_time_is_refused_with_a_page(client, member, adult_care):
    from tests.factories import CommitteeFactory

    committee = CommitteeFactory()
    for i in range(40):  # each within its limits; together too long for one PDF
        measure = MeasureFactory(title=f"Measure {i}", service=adult_care)
        measure.committees.add(committee)
        ValueFactory(measure=measure, value=Decimal(1), rag="Red", status=Value.Status.PUBLISHED,
                     commentary="word " * 800, actions="act " * 1000)
    client.force_login(member)
    response = client.get(reverse("exception_report"), {"committee": committee.slug, "as_at": "2020-10", "format": "pdf"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "too long to lay out as a PDF" in html and "the limit is 250,000" in html
    assert f"committee={committee.slug}" in html and "format=pdf" not in html
