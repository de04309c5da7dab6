"""What each published value keeps about its chain (measures.publication): the day it stops being
in force (`valid_until`) and the SPC as at it, always equal to the rules worked out from scratch,
whatever sequence of publishing, revising, withdrawing and re-publishing led there."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures import periods, services
from measures.models import ChangePoint, Measure, Period, Value
from measures.publication import in_force_until, refresh_chains
from measures.rating import Polarity
from reports import selectors
from reports.variation import measure_spc
from tests.factories import MeasureFactory, TargetFactory

MARCH, APRIL, MAY = date(2020, 3, 31), date(2020, 4, 30), date(2020, 5, 31)


def test_each_value_is_in_force_until_the_next_ones_period_ends():
    chain = [(APRIL, date(2020, 4, 1)), (MARCH, date(2020, 3, 1)), (MAY, date(2020, 5, 1))]
    assert in_force_until(chain) == {0: MAY, 1: APRIL, 2: date.max}


def test_of_two_periods_ending_the_same_day_the_shorter_is_in_force():
    quarter, month = (MARCH, date(2020, 1, 1)), (MARCH, date(2020, 3, 1))
    assert in_force_until([month, quarter]) == {0: date.max, 1: MARCH}


def test_an_empty_chain_keeps_nothing():
    assert in_force_until([]) == {}


def expected_valid_until(values):
    """The rule from scratch: the end of the next published period, date.max for the last."""
    published = sorted((v for v in values if v.status == Value.Status.PUBLISHED),
                       key=lambda v: (v.period_end, v.period_start))
    found = {v.pk: None for v in values}
    for value, after in zip(published, published[1:] + [None]):
        found[value.pk] = after.period_end if after else date.max
    return found


def assert_kept_as_the_rules_say(measure):
    values = list(Value.objects.filter(measure=measure))
    wanted = expected_valid_until(values)
    assert {v.pk: v.valid_until for v in values} == wanted
    ends = sorted({v.period_end for v in values})
    for as_at in [ends[0] - timedelta(days=1), *ends] if ends else []:
        latest = [v for v in values if v.status == Value.Status.PUBLISHED and v.period_end <= as_at]
        latest = max(latest, key=lambda v: (v.period_end, v.period_start), default=None)
        joined = selectors.with_latest_ratings(Measure.objects.filter(pk=measure.pk), as_at).get()
        assert joined.latest_value_id == (latest.pk if latest else None)
        series = measure_spc([measure], as_at)[measure.pk]
        variation, assurance = series.variation, series.assurance
        assert (latest.spc_variation if latest else "") == (variation.nature if variation else "")
        assert (latest.spc_side if latest else "") == (variation.side if variation else "")
        assert (latest.spc_assurance if latest else "") == (assurance or "")


MONTHS = 16
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["publish", "revise", "withdraw", "blank", "change point"]),
        st.integers(0, MONTHS - 1),
        st.integers(-30, 30),
    ),
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=st.lists(st.integers(0, 60), min_size=12, max_size=12), steps=STEPS,
       polarity=st.sampled_from([Polarity.HIGHER, Polarity.LOWER]))
def test_the_kept_columns_are_the_rules_after_any_publish_revise_withdraw(bi_user, first, steps, polarity):
    with transaction.atomic():
        measure = MeasureFactory(polarity=polarity)
        spans = [periods.span(periods.MONTH, date(2019, 1, 1))]
        while len(spans) < MONTHS:
            spans.append(periods.span(periods.MONTH, spans[-1].end + timedelta(days=1)))
        months = [Period.for_span(s) for s in spans]
        TargetFactory(measure=measure, period=months[11], value=Decimal(30))
        # A year published in bulk, as an import does, then changed one step at a time.
        Value.objects.bulk_create(
            Value(measure=measure, period=months[k], value=Decimal(figure), status=Value.Status.PUBLISHED)
            for k, figure in enumerate(first)
        )
        for action, k, delta in steps:
            value = Value.objects.filter(measure=measure, period=months[k]).first()
            if action == "change point":
                ChangePoint.objects.get_or_create(measure=measure, period=months[k], defaults={"reason": "New model"})
                services.rate_measure(measure)
            elif value is None or value.status != Value.Status.PUBLISHED:
                if action == "publish":
                    value = value or Value(measure=measure, period=months[k])
                    value.value, value.status = Decimal(30 + delta), Value.Status.APPROVED
                    value.save()
                    services.publish(bi_user, [value])
            elif action == "withdraw":
                services.withdraw(bi_user, value, "Wrong figure", value.version)
            elif action in ("revise", "blank"):
                figure = "" if action == "blank" else str((value.value or 0) + delta)
                Value.objects.filter(pk=value.pk).update(pending_revision={"value": figure, "reason": "Corrected"})
                services.approve(bi_user, [Value.objects.get(pk=value.pk)])
        assert_kept_as_the_rules_say(measure)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_deleting_a_value_hands_its_time_in_force_to_the_one_before():
    measure = MeasureFactory()
    march, april = (Period.for_span(periods.span(periods.MONTH, date(2020, m, 1))) for m in (3, 4))
    Value.objects.bulk_create(
        Value(measure=measure, period=p, value=Decimal(1), status=Value.Status.PUBLISHED) for p in (march, april)
    )
    assert Value.objects.get(period=march).valid_until == APRIL
    Value.objects.get(period=april).delete()
    assert Value.objects.get(period=march).valid_until == date.max


@pytest.mark.django_db
def test_refresh_chains_writes_nothing_when_nothing_changed(django_assert_num_queries):
    measure = MeasureFactory()
    Value.objects.bulk_create(
        Value(measure=measure, period=Period.for_span(periods.span(periods.MONTH, date(2020, m, 1))),
              value=Decimal(m), status=Value.Status.PUBLISHED) for m in (1, 2, 3)
    )
    with django_assert_num_queries(4):  # the measure, its targets, change points and values
        refresh_chains([measure.pk])
