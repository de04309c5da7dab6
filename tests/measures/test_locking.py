"""Lost updates (issue 18, finding 15): the targets-for-a-year form, the measure admin and the
risk admin refuse to save over a change made since the page was opened, as a value's save does;
saving again, having been told, replaces it."""

from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from measures.locking import STALE
from measures.models import Measure, Target
from risks.models import Risk
from tests.factories import MeasureFactory, RiskFactory, TargetFactory, month

pytestmark = pytest.mark.django_db


def form_data(form):
    """The POST fields of a bound or unbound Django form, as its page would send them."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            continue
        if value is True:
            data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(item) for item in value]
        else:
            data[key] = str(value)
    return data


def admin_data(response):
    """Every field of an admin change page, inlines included, as the browser would post it."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(form_data(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(form_data(form))
    return data


@pytest.fixture
def two_people(bi_user):
    first, second = Client(), Client()
    first.force_login(bi_user)
    second.force_login(bi_user)
    return first, second


def test_the_targets_form_refuses_to_save_over_targets_changed_meanwhile(two_people):
    measure = MeasureFactory()
    TargetFactory(measure=measure, period=month(2020, 5), value=D("50"))
    url = f"{reverse('framework_targets', args=[measure.pk])}?year=2020-21"
    first, second = two_people
    mine = form_data(first.get(url).context["form"])
    theirs = form_data(second.get(url).context["form"])

    assert second.post(url, theirs | {"target_1": "55"}).status_code == 302
    refused = first.post(url, mine | {"target_2": "60"})

    assert refused.status_code == 200 and STALE in refused.content.decode()
    assert {t.period.label: t.value for t in Target.objects.select_related("period")} == {"May-20": D("55")}
    again = first.post(url, form_data(refused.context["form"]))
    assert again.status_code == 302
    assert {t.period.label: t.value for t in Target.objects.select_related("period")} == {
        "May-20": D("50"), "Jun-20": D("60")}


def test_the_measure_admin_refuses_to_save_over_a_change_made_meanwhile(two_people):
    measure = MeasureFactory(title="Reviews on time", definition="Reviews done in 12 months")
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    first, second = two_people
    mine, theirs = admin_data(first.get(url)), admin_data(second.get(url))

    assert second.post(url, theirs | {"title": "Reviews completed on time"}).status_code == 302
    refused = first.post(url, mine | {"definition": "Reviews done within the year"})

    assert refused.status_code == 200 and STALE in refused.content.decode()
    measure.refresh_from_db()
    assert (measure.title, measure.definition) == ("Reviews completed on time", "Reviews done in 12 months")
    assert first.post(url, admin_data(refused)).status_code == 302


def test_the_risk_admin_refuses_to_save_over_a_change_made_meanwhile(two_people):
    risk = RiskFactory(title="Care market", owner="A. Smith")
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    first, second = two_people
    mine, theirs = admin_data(first.get(url)), admin_data(second.get(url))

    assert second.post(url, theirs | {"owner": "B. Jones"}).status_code == 302
    refused = first.post(url, mine | {"title": "Care market sufficiency"})

    assert refused.status_code == 200 and STALE in refused.content.decode()
    risk.refresh_from_db()
    assert (risk.title, risk.owner) == ("Care market", "B. Jones")
    assert first.post(url, admin_data(refused)).status_code == 302
    assert Risk.objects.get(pk=risk.pk).title == "Care market sufficiency"


def test_an_unchanged_measure_saves_from_its_admin_page(two_people):
    measure = MeasureFactory(title="Reviews on time")
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    first, _ = two_people
    assert first.post(url, admin_data(first.get(url)) | {"title": "Reviews"}).status_code == 302
    assert Measure.objects.get(pk=measure.pk).title == "Reviews"
