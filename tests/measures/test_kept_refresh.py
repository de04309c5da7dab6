"""What published values keep (RAG, direction of travel and SPC: issue 18, findings 3 and 4)
stays equal to the rules worked out afresh, whichever door changed the targets, change points or
polarity: the admin (one object, a bulk delete, the measure's own form), the framework's targets
page or an import.
Each door ends in measures.services.rate_measures, the one refresh service (the admin's and the
framework pages' through the worker's re-rating job). The API is read only.

The SPC's target is the one in force (measures.targets, the rule RAG uses): a year's target for
each of its months, none after its `ends` date."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.services import import_file
from measures import periods, services
from measures.models import ChangePoint, Measure, Period, Target, Value
from measures.rating import RAG, Polarity
from reports import selectors
from reports.variation import measure_spc
from tests.factories import MeasureFactory, TargetFactory
from tests.imports.test_figures import HEADER, csv_bytes

pytestmark = pytest.mark.django_db

FIGURES = [30, 32, 29, 31, 30, 28, 33, 30, 31, 29, 30, 32, 31, 30]  # Jan-19 to Feb-20


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """A POST as the test client's signed-in user, after which the worker runs the re-rating job
    the change queued for when it commits (measures.services.rerate)."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def months(count=len(FIGURES), first=date(2019, 1, 1)):
    spans = [periods.span(periods.MONTH, first)]
    while len(spans) < count:
        spans.append(periods.span(periods.MONTH, spans[-1].end + timedelta(days=1)))
    return [Period.for_span(s) for s in spans]


def published_measure(**fields):
    measure = MeasureFactory(code="M1", title="Missed bin collections", **fields)
    Value.objects.bulk_create(
        Value(measure=measure, period=p, value=Decimal(f), status=Value.Status.PUBLISHED)
        for p, f in zip(months(), FIGURES)
    )
    services.rate_measure(measure)
    return measure


def kept(measure):
    return {
        v.period.label: (v.rag, v.direction_of_travel, v.spc_variation, v.spc_side, v.spc_assurance)
        for v in Value.objects.filter(measure=measure).select_related("period")
    }


def recomputed(measure):
    """The rules from scratch: RAG and direction by services.ratings_in_force against the targets
    as stored now, SPC by reports.variation.measure_spc as at each value's period."""
    measure = Measure.objects.get(pk=measure.pk)
    values = list(Value.objects.filter(measure=measure).select_related("period").order_by("period__start"))
    targets = list(Target.objects.filter(measure=measure).select_related("period"))
    found = {}
    for value, (rag, dot) in services.ratings_in_force(measure, values, targets):
        series = measure_spc([measure], value.period.end)[measure.pk]
        variation = series.variation
        found[value.period.label] = (
            rag, dot, variation.nature.value if variation else "", variation.side if variation else "",
            series.assurance.value if series.assurance else "",
        )
    return found


def test_deleting_a_target_in_the_admin_clears_the_kept_rag_and_assurance(client, post, bi_user):
    measure = published_measure(polarity=Polarity.HIGHER)
    target = TargetFactory(measure=measure, period=months()[-1], value=Decimal("31"))
    services.rate_measure(measure)
    assert kept(measure)["Feb-20"][0] != RAG.ND and kept(measure)["Feb-20"][4] == "hit-and-miss"
    client.force_login(bi_user)
    response = post(reverse("admin:measures_target_delete", args=[target.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert kept(measure)["Feb-20"][0] == RAG.ND
    assert kept(measure)["Feb-20"][4] == ""
    listed = selectors.with_latest_ratings(Measure.objects.filter(pk=measure.pk), date(2020, 2, 29)).get()
    assert listed.latest_assurance == ""


def test_bulk_deleting_change_points_and_targets_in_the_admin_refreshes_what_is_kept(client, post, bi_user):
    measure = published_measure(polarity=Polarity.HIGHER)
    TargetFactory(measure=measure, period=months()[0], value=Decimal("31"))
    ChangePoint.objects.create(measure=measure, period=months()[2], reason="New model")
    services.rate_measure(measure)
    client.force_login(bi_user)
    for model in ("changepoint", "target"):
        pks = list({"changepoint": ChangePoint, "target": Target}[model].objects.values_list("pk", flat=True))
        response = post(reverse(f"admin:measures_{model}_changelist"),
                               {"action": "delete_selected", "_selected_action": pks, "post": "yes"})
        assert response.status_code == 302
    assert not Target.objects.exists() and not ChangePoint.objects.exists()
    assert kept(measure) == recomputed(measure)
    assert kept(measure)["Feb-20"][0] == RAG.ND


def test_moving_a_target_to_another_measure_in_the_admin_refreshes_both(client, post, bi_user):
    measure = published_measure(polarity=Polarity.HIGHER)
    other = MeasureFactory()
    target = TargetFactory(measure=measure, period=months()[0], value=Decimal("31"))
    services.rate_measure(measure)
    client.force_login(bi_user)
    response = post(reverse("admin:measures_target_change", args=[target.pk]), {
        "measure": other.pk, "period": target.period_id, "value": "31", "floor": "", "ends": "",
    })
    assert response.status_code == 302
    assert kept(measure) == recomputed(measure)
    assert kept(measure)["Feb-20"][0] == RAG.ND


def test_the_spc_assurance_uses_a_financial_years_target_and_respects_its_end(client, bi_user):
    measure = published_measure(polarity=Polarity.HIGHER)
    year = Period.for_span(periods.span(periods.FINANCIAL_YEAR, date(2019, 4, 1)))
    target = TargetFactory(measure=measure, period=year, value=Decimal("10"))
    services.rate_measure(measure)
    series = measure_spc([measure], date(2020, 2, 29))[measure.pk]
    assert series.target == Decimal("10")
    assert series.assurance == "passing"
    assert kept(measure)["Feb-20"][4] == "passing"
    target.ends = date(2019, 12, 31)
    target.save()
    services.rate_measure(measure)
    assert measure_spc([measure], date(2020, 2, 29))[measure.pk].assurance is None
    assert kept(measure)["Feb-20"][4] == ""
    assert kept(measure)["Dec-19"][4] == "passing"


def test_the_spc_exceptions_list_a_measure_failing_its_years_target(client, bi_user):
    from measures.models import Committee
    from reports.variation import spc_exceptions
    committee = Committee.objects.create(name="Place and Resources", slug="place")
    measure = published_measure(polarity=Polarity.HIGHER)
    measure.committees.add(committee)
    year = Period.for_span(periods.span(periods.FINANCIAL_YEAR, date(2019, 4, 1)))
    TargetFactory(measure=measure, period=year, value=Decimal("90"))
    services.rate_measure(measure)
    found = spc_exceptions(committee, date(2020, 2, 29))
    assert [row.measure_id for row in found.rows] == [measure.pk]


DOORS = st.lists(st.tuples(
    st.sampled_from(["admin target", "admin delete target", "admin change point",
                     "admin delete change point", "admin polarity", "framework year", "import"]),
    st.integers(0, len(FIGURES) - 1),
    st.integers(20, 40),
), min_size=1, max_size=5)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=DOORS, polarity=st.sampled_from([Polarity.HIGHER, Polarity.LOWER]))
def test_every_door_leaves_the_kept_fields_as_the_rules_say(client, post, bi_user, steps, polarity):
    client.force_login(bi_user)
    with transaction.atomic():
        measure = published_measure(polarity=polarity)
        periods_ = months()
        for door, k, figure in steps:
            period = periods_[k]
            if door == "admin target":
                existing = Target.objects.filter(measure=measure, period=period).first()
                url = (reverse("admin:measures_target_change", args=[existing.pk]) if existing
                       else reverse("admin:measures_target_add"))
                response = post(url, {"measure": measure.pk, "period": period.pk, "value": figure,
                                             "floor": "", "ends": ""})
            elif door == "admin delete target":
                target = Target.objects.filter(measure=measure).order_by("period__start").first()
                if target is None:
                    continue
                response = post(reverse("admin:measures_target_delete", args=[target.pk]), {"post": "yes"})
            elif door == "admin change point":
                if ChangePoint.objects.filter(measure=measure, period=period).exists():
                    continue
                response = post(reverse("admin:measures_changepoint_add"),
                                       {"measure": measure.pk, "period": period.pk, "reason": "New model"})
            elif door == "admin delete change point":
                point = ChangePoint.objects.filter(measure=measure).first()
                if point is None:
                    continue
                response = post(reverse("admin:measures_changepoint_delete", args=[point.pk]), {"post": "yes"})
            elif door == "admin polarity":
                flipped = Polarity.HIGHER if measure.polarity == Polarity.LOWER else Polarity.LOWER
                response = admin_change_polarity(client, post, measure, flipped)
            elif door == "framework year":
                year = "2018-19" if k < 3 else "2019-20"
                url = f"{reverse('framework_targets', args=[measure.pk])}?year={year}"
                form = client.get(url).context["form"]
                data = {name: form.initial.get(name, "") for name in form.fields}
                data["year_target"] = str(figure)
                response = post(url, data)
            else:
                flipped = "higher" if measure.polarity == Polarity.LOWER else "lower"
                report = import_file(csv_bytes([HEADER, [
                    "M1", "Missed bin collections", measure.service.name, "No.", "Monthly", flipped,
                    period.label, str(FIGURES[k]), str(figure), "",
                ]]), "figures.csv", "perfhub", user=bi_user)
                assert not report.errors
                continue
            assert response.status_code == 302, door
            measure.refresh_from_db()
        assert kept(measure) == recomputed(measure)
        transaction.set_rollback(True)


def admin_change_polarity(client, post, measure, polarity):
    """POSTs the measure's admin change form as shown, with a new polarity."""
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    shown = client.get(url)
    data = {}
    form = shown.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    for inline in shown.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for child in formset.forms:
            for name in child.fields:
                value = child[name].value()
                if value not in (None, False):
                    data[child.add_prefix(name)] = str(value)
    data["polarity"] = polarity
    return post(url, data)


def test_changing_polarity_in_the_measure_admin_refreshes_what_is_kept(client, post, bi_user):
    measure = published_measure(polarity=Polarity.HIGHER)
    TargetFactory(measure=measure, period=months()[-1], value=Decimal("25"))
    services.rate_measure(measure)
    assert kept(measure)["Feb-20"][4] == "passing"
    client.force_login(bi_user)
    response = admin_change_polarity(client, post, measure, Polarity.LOWER)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Measure.objects.get(pk=measure.pk).polarity == Polarity.LOWER
    assert kept(measure)["Feb-20"][4] == "failing"
    assert kept(measure) == recomputed(measure)


def test_an_import_giving_a_target_to_a_figure_already_held_refreshes_what_is_kept(bi_user):
    """The figure is unchanged but its new target changes its rating and SPC assurance."""
    measure = published_measure(polarity=Polarity.LOWER)
    month = months()[1]
    report = import_file(csv_bytes([HEADER, [
        "M1", "Missed bin collections", measure.service.name, "No.", "Monthly", "lower",
        month.label, str(FIGURES[1]), "20", "",
    ]]), "figures.csv", "perfhub", user=bi_user)
    assert [row.action for row in report.rows] == ["changed"]
    assert kept(measure)["Jan-20"][4] == "failing"
    assert kept(measure) == recomputed(measure)
