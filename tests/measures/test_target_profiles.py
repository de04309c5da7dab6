"""Target profiles on the targets page (issue 21): a year's target spread over its months in
one step, evenly, cumulatively or in last year's shape."""

from decimal import Decimal as D

import pytest

from measures.models import Target, Value
from tests.factories import MeasureFactory, ValueFactory, month
from tests.measures.test_framework import targets_url

pytestmark = pytest.mark.django_db


def monthly_targets(measure):
    return [t.value for t in Target.objects.filter(measure=measure, period__kind="month").order_by("period__start")]


def post_profile(client, measure, method, total="1200"):
    form = client.get(targets_url(measure)).context["form"]
    data = {name: "" for name in form.fields}
    data.update({"year_target": total, "profile": method, "seen": form.initial["seen"]})  # as a browser sends it
    return client.post(targets_url(measure), data)


def test_an_even_profile_sets_twelve_months_that_sum_to_the_year(client, bi_user):
    measure = MeasureFactory(aggregation="sum")
    client.force_login(bi_user)
    assert post_profile(client, measure, "even").status_code == 302
    assert monthly_targets(measure) == [D(100)] * 12


def test_a_cumulative_profile_ends_on_the_years_target(client, bi_user):
    measure = MeasureFactory(aggregation="sum")
    client.force_login(bi_user)
    post_profile(client, measure, "cumulative")
    targets = monthly_targets(measure)
    assert targets[0] == 100 and targets[-1] == 1200


def test_last_years_shape_follows_last_years_months(client, bi_user):
    measure = MeasureFactory(aggregation="sum")
    for m, figure in zip([4, 5, 6, 7, 8, 9, 10, 11, 12], [3] * 9):
        ValueFactory(measure=measure, period=month(2019, m), value=D(figure), status=Value.Status.PUBLISHED)
    for m in (1, 2, 3):
        ValueFactory(measure=measure, period=month(2020, m), value=D(1), status=Value.Status.PUBLISHED)
    client.force_login(bi_user)
    assert post_profile(client, measure, "last_year", "300").status_code == 302
    targets = monthly_targets(measure)
    assert targets[:9] == [D(30)] * 9 and targets[9:] == [D(10)] * 3 and sum(targets) == 300


def test_a_profile_without_the_years_target_or_last_years_figures_is_refused(client, bi_user):
    measure = MeasureFactory(aggregation="sum")
    client.force_login(bi_user)
    response = post_profile(client, measure, "even", total="")
    assert "Give the whole year&#x27;s target to spread over the months" in response.content.decode()
    response = post_profile(client, measure, "last_year")
    assert "Last year has no published monthly figures" in response.content.decode()
    assert not Target.objects.filter(measure=measure).exists()
