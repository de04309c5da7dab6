"""python manage.py rate_measures: values stored before targets carried forward are rated."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from measures.models import Value
from measures.rating import RAG
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


def test_rate_measures_rates_values_stored_as_no_data_against_the_target_in_force():
    measure = MeasureFactory()
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("100"))
    stale = ValueFactory(measure=measure, period=month(2020, 11), value=Decimal("50"), rag=RAG.ND)
    out = StringIO()
    call_command("rate_measures", stdout=out)
    assert Value.objects.get(pk=stale.pk).rag == RAG.RED
    assert "Rated 1 measures; 1 values changed their RAG." in out.getvalue()
    again = StringIO()
    call_command("rate_measures", stdout=again)
    assert "0 values changed" in again.getvalue()
