"""load_demo --synthetic-history: generated history, labelled, and only when asked for."""

import pytest
from django.core.management import call_command

from measures.models import Measure, Value
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def real_values():
    return sorted(Value.objects.filter(synthetic=False).values_list("measure_id", "period_id", "value", "rag"))


def test_the_default_demo_has_only_the_councils_figures(client):
    call_command("load_demo", stdout=None)
    assert not Value.objects.filter(synthetic=True).exists()
    measure = Measure.objects.get(title__startswith="Number of active foster carers")
    client.force_login(UserFactory(username="reader"))  # after the demo, which has its own users
    html = client.get(measure.get_absolute_url()).content.decode()
    assert "No SPC chart is drawn: An SPC chart needs at least 12 figures; this measure has" in html


def test_synthetic_history_comes_before_the_real_figures_and_leaves_them_alone(client):
    call_command("load_demo", stdout=None)
    before = real_values()
    call_command("load_demo", "--synthetic-history", stdout=None)
    assert real_values() == before
    synthetic = Value.objects.filter(synthetic=True).select_related("period", "measure")
    assert synthetic.exists()
    assert {v.status for v in synthetic} == {Value.Status.PUBLISHED}
    for value in synthetic:
        first_real = value.measure.values.filter(synthetic=False).order_by("period__start").first()
        assert value.period.end < first_real.period.start
    count = synthetic.count()
    call_command("load_demo", "--synthetic-history", stdout=None)
    assert Value.objects.filter(synthetic=True).count() == count  # safe to run again

    measure = synthetic.first().measure
    client.force_login(UserFactory(username="reader"))  # after the demo, which has its own users
    html = client.get(measure.get_absolute_url()).content.decode()
    assert "This chart includes synthetic history" in html
    assert f'id="measure-{measure.pk}-spc"' in html
    assert "(synthetic)" in html
