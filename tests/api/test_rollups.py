"""The API's roll-ups and the parts of a figure (issue 21)."""

from decimal import Decimal as D

import pytest

from measures.models import Value
from tests.api.conftest import token_client
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def cp_rate(db):
    measure = MeasureFactory(title="CP rate", code="CPP", unit="Rate per 10,000", decimal_places=2,
                             aggregation="ratio", polarity="lower", numerator_label="Children on a plan",
                             denominator_label="Population aged 0-17")
    for m, top, bottom in [(10, 336, 67878), (11, 340, 68000)]:
        ValueFactory(measure=measure, period=month(2020, m), numerator=D(top), denominator=D(bottom),
                     value=measure.derive(D(top), D(bottom)).value, status=Value.Status.PUBLISHED)
    TargetFactory(measure=measure, period=month(2020, 10), value=D(45))
    return measure


def test_a_measure_carries_its_roll_ups_as_at_the_day_asked(cp_rate, member):
    api = token_client(member)
    body = api.get(f"/api/v1/measures/{cp_rate.pk}/", {"as_at": "2020-11"}).json()
    assert (body["numerator_label"], body["aggregation"]) == ("Children on a plan", "ratio")
    quarter = next(r for r in body["rollups"] if r["window"] == "quarter")
    assert quarter == {
        "window": "quarter", "name": "Quarter", "period": "Q3 20-21", "start": "2020-10-01",
        "end": "2020-12-31", "value": 49.7505, "numerator": 676.0, "denominator": 135878.0,
        "months": 2, "months_in_period": 3, "target": 45.0, "rag": "ND",
    }
    listed = api.get("/api/v1/measures/", {"as_at": "2020-11"}).json()["results"][0]
    assert len(listed["rollups"]) == 4


def test_values_carry_their_numerator_and_denominator(cp_rate, member):
    body = token_client(member).get("/api/v1/values/", {"measure": cp_rate.pk}).json()["results"]
    assert {(v["numerator"], v["denominator"]) for v in body} == {(336.0, 67878.0), (340.0, 68000.0)}
