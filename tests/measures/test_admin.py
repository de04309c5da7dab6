"""The framework admin, as each of the three roles sees it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jobs.models import Job
from measures.models import ComparatorValue, Measure, Target, Value
from measures.services import rate_measure
from tests.factories import MeasureFactory, ServiceFactory, TargetFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_and_other(adult_care):
    housing = ServiceFactory(name="Legal Services")
    own = MeasureFactory(title="Total number of service users", service=adult_care)
    other = MeasureFactory(title="Court cases within 26 weeks", service=housing)
    return own, other


def test_service_lead_lists_only_their_services_measures(client, lead, own_and_other):
    own, other = own_and_other
    client.force_login(lead)
    page = client.get(reverse("admin:measures_measure_changelist"))
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [own]


def test_service_lead_gets_403_for_another_services_measure(client, lead, own_and_other):
    own, other = own_and_other
    client.force_login(lead)
    assert client.get(reverse("admin:measures_measure_change", args=[other.pk])).status_code == 403
    assert client.get(reverse("admin:measures_measure_change", args=[own.pk])).status_code == 200


def test_service_lead_gets_403_for_another_services_value_and_target(client, lead, own_and_other):
    own, other = own_and_other
    value = ValueFactory(measure=other)
    target = TargetFactory(measure=other)
    client.force_login(lead)
    assert client.get(reverse("admin:measures_value_change", args=[value.pk])).status_code == 403
    assert client.get(reverse("admin:measures_target_change", args=[target.pk])).status_code == 403
    values = client.get(reverse("admin:measures_value_changelist"))
    assert list(values.context["cl"].result_list) == []


def test_service_lead_cannot_add_a_value_to_another_services_measure(client, lead, own_and_other):
    own, other = own_and_other
    period = month(2020, 10)
    client.force_login(lead)
    response = client.post(
        reverse("admin:measures_value_add"),
        {"measure": other.pk, "period": period.pk, "value": "5"},
    )
    assert response.status_code == 200
    assert "measure" in response.context["adminform"].form.errors
    assert not Value.objects.filter(measure=other).exists()


def test_service_lead_adds_a_value_to_their_own_measure_and_it_is_rated(client, lead, own_and_other):
    own, _ = own_and_other
    period = month(2020, 10)
    TargetFactory(measure=own, period=period, value=Decimal("100"))
    client.force_login(lead)
    response = client.post(
        reverse("admin:measures_value_add"),
        {"measure": own.pk, "period": period.pk, "value": "80", "status": "draft"},
    )
    assert response.status_code == 302
    value = Value.objects.get(measure=own)
    assert value.rag == "Red"
    assert value.entered_by == lead


def test_scrutiny_member_reads_but_cannot_change(client, member, own_and_other):
    own, other = own_and_other
    client.force_login(member)
    url = reverse("admin:measures_measure_change", args=[other.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = client.post(url, {"title": "Renamed"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.title == "Court cases within 26 weeks"
    assert client.get(reverse("admin:measures_value_add")).status_code == 403


def test_scrutiny_member_sees_every_service(client, member, own_and_other):
    client.force_login(member)
    page = client.get(reverse("admin:measures_measure_changelist"))
    assert set(page.context["cl"].result_list) == set(own_and_other)


def test_bi_team_changes_any_measure(client, bi_user, own_and_other):
    _, other = own_and_other
    client.force_login(bi_user)
    page = client.get(reverse("admin:measures_measure_change", args=[other.pk]))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is True
    assert client.get(reverse("admin:risks_risk_add")).status_code == 200


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(reverse("admin:measures_measure_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_period_search_finds_a_period_by_its_label(client, bi_user):
    october = month(2020, 10)
    month(2020, 9)
    client.force_login(bi_user)
    page = client.get(reverse("admin:measures_period_changelist"), {"q": "Oct-20"})
    assert list(page.context["cl"].result_list) == [october]


def test_every_admin_list_answers_for_the_bi_team(client, bi_user, own_and_other):
    ValueFactory(measure=own_and_other[0])
    client.force_login(bi_user)
    for model in ["measure", "value", "target", "comparatorvalue", "populationindicator",
                  "outcome", "service", "committee", "period"]:
        assert client.get(reverse(f"admin:measures_{model}_changelist")).status_code == 200, model
    assert client.get(reverse("admin:risks_risk_changelist")).status_code == 200


# Figures to the measure's decimal places (issue 10, point 7): never the stored 4.0000.


def change_form_data(page):
    """The change form's fields, inlines included, as a browser sends them back unchanged."""
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
        forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data


@pytest.fixture
def one_place(adult_care):
    """A measure shown to one decimal place, with a target, a floor, a comparator and a
    published value, each a whole 4 (stored as 4.0000)."""
    measure = MeasureFactory(title="Days to assess", service=adult_care, decimal_places=1)
    october = month(2020, 10)
    target = TargetFactory(measure=measure, period=october, value=Decimal("4"), floor=Decimal("3.5"))
    ComparatorValue.objects.create(measure=measure, name="South West", period=october, value=Decimal("4"))
    value = ValueFactory(measure=measure, period=october, value=Decimal("4"), status=Value.Status.PUBLISHED)
    return measure, target, value


def test_the_measure_page_shows_its_inlines_figures_to_the_measures_places(client, bi_user, one_place):
    measure, _, _ = one_place
    client.force_login(bi_user)
    html = client.get(reverse("admin:measures_measure_change", args=[measure.pk])).content.decode()
    assert 'name="targets-0-value" value="4.0"' in html
    assert 'name="targets-0-floor" value="3.5"' in html
    assert 'name="comparators-0-value" value="4.0"' in html
    assert 'name="same_band" value="0.0"' in html
    assert "4.0000" not in html and "3.5000" not in html


def test_a_measure_of_no_decimal_places_shows_whole_figures(client, bi_user, one_place):
    measure, target, _ = one_place
    Measure.objects.filter(pk=measure.pk).update(decimal_places=0)
    client.force_login(bi_user)
    html = client.get(reverse("admin:measures_measure_change", args=[measure.pk])).content.decode()
    assert 'name="targets-0-value" value="4"' in html
    # A figure with digits beyond the measure's places keeps them: saving it unchanged loses nothing.
    assert 'name="targets-0-floor" value="3.5"' in html
    html = client.get(reverse("admin:measures_target_change", args=[target.pk])).content.decode()
    assert 'name="value" value="4"' in html


def test_a_scrutiny_member_reads_the_figures_to_the_measures_places(client, member, one_place):
    measure, target, value = one_place
    client.force_login(member)
    pages = [
        reverse("admin:measures_measure_change", args=[measure.pk]),
        reverse("admin:measures_target_change", args=[target.pk]),
        reverse("admin:measures_value_change", args=[value.pk]),
        reverse("admin:measures_target_changelist"),
        reverse("admin:measures_comparatorvalue_changelist"),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert "4.0" in html and "4.0000" not in html, url
    target_page = client.get(pages[1]).content.decode()
    assert '<div class="readonly">4.0</div>' in target_page
    assert '<div class="readonly">3.5</div>' in target_page


def test_a_lead_reads_their_measures_rating_fields_to_its_places(client, lead, one_place):
    measure, _, _ = one_place
    client.force_login(lead)
    html = client.get(reverse("admin:measures_measure_change", args=[measure.pk])).content.decode()
    assert '<div class="readonly">0.0</div>' in html  # same band, the BI team's alone
    assert "0.0000" not in html and "4.0000" not in html


def test_a_published_value_reads_to_the_measures_places(client, bi_user, one_place):
    _, _, value = one_place
    client.force_login(bi_user)
    html = client.get(reverse("admin:measures_value_change", args=[value.pk])).content.decode()
    assert '<div class="readonly">4.0</div>' in html
    assert "4.0000" not in html


def test_the_target_list_shows_floors_to_the_measures_places(client, bi_user, one_place):
    client.force_login(bi_user)
    html = client.get(reverse("admin:measures_target_changelist")).content.decode()
    assert "3.5000" not in html and "4.0000" not in html
    assert '<td class="field-floor_shown">3.5</td>' in html


def test_the_measure_page_saves_unchanged_and_changed_figures(client, bi_user, one_place):
    measure, target, _ = one_place
    Target.objects.filter(pk=target.pk).update(floor=Decimal("3.25"))
    client.force_login(bi_user)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = change_form_data(client.get(url))
    assert data["targets-0-floor"] == Decimal("3.25")
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.value, target.floor) == (Decimal("4"), Decimal("3.25"))
    data["targets-0-value"] = "4.5"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.value == Decimal("4.5")


def test_a_draft_value_saves_from_its_admin_page(client, lead, one_place):
    measure, _, _ = one_place
    draft = ValueFactory(measure=measure, period=month(2020, 9), value=Decimal("4"))
    client.force_login(lead)
    url = reverse("admin:measures_value_change", args=[draft.pk])
    page = client.get(url)
    assert 'name="value" value="4.0"' in page.content.decode()
    data = change_form_data(page)
    data["value"] = "4.2"
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.value == Decimal("4.2")


@pytest.mark.parametrize("who", ["lead", "bi_user"])
def test_nobody_adds_or_changes_a_period_by_hand(client, request, who):
    """Periods are made by the code from their kind and start (issue 22, finding 4)."""
    period = month(2026, 11)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("admin:measures_period_add")).status_code == 403
    response = client.post(reverse("admin:measures_period_add"),
                           {"kind": "month", "start": "2026-11-01", "end": "2099-12-31"})
    assert response.status_code == 403
    response = client.post(reverse("admin:measures_period_change", args=[period.pk]),
                           {"kind": "month", "start": "2026-11-01", "end": "2099-12-31"})
    period.refresh_from_db()
    assert response.status_code == 403 and period.end.year == 2026


def test_a_lead_has_no_period_rights_but_to_read_them(lead):
    assert not lead.has_perm("measures.add_period") and not lead.has_perm("measures.change_period")
    assert lead.has_perm("measures.view_period")


def test_a_quarter_is_refused_on_a_monthly_measures_value(client, lead, own_and_other):
    own, _ = own_and_other
    from measures import periods
    from measures.models import Period
    from datetime import date

    quarter = Period.for_span(periods.span(periods.QUARTER, date(2020, 9, 1)))
    client.force_login(lead)
    response = client.post(
        reverse("admin:measures_value_add"),
        {"measure": own.pk, "period": quarter.pk, "value": "80", "status": "draft"},
    )
    assert response.status_code == 200
    assert "Q2 20-21 is a quarter: a monthly measure&#x27;s figures are each for a month" in response.content.decode()
    assert not Value.objects.filter(measure=own).exists()


def test_a_period_made_by_hand_is_refused_by_the_models_validation(db):
    from datetime import date

    from django.core.exceptions import ValidationError

    from measures.models import Period

    with pytest.raises(ValidationError, match="is not a month"):
        Period(kind="month", start=date(2026, 11, 1), end=date(2099, 12, 31)).full_clean()


def test_a_member_is_not_offered_a_month_that_has_unpublished_figures_only(client, member, own_and_other):
    """Issue 22, finding 8: the admin's "latest as at" filter listed months with drafts alone."""
    own, _ = own_and_other
    ValueFactory(measure=own, period=month(2020, 9), status="published")
    ValueFactory(measure=own, period=month(2020, 10), status="draft")
    client.force_login(member)
    page = client.get(reverse("admin:measures_value_changelist")).content.decode()
    assert "as_at=2020-09" in page and "as_at=2020-10" not in page


def test_a_target_changed_in_the_admin_is_re_rated_by_the_worker_after_the_page_saves(
    client, bi_user, one_place, django_capture_on_commit_callbacks,
):
    measure, target, value = one_place
    rate_measure(measure)
    assert Value.objects.get(pk=value.pk).rag == "Green"  # 4 against 4
    client.force_login(bi_user)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = change_form_data(client.get(url))
    data["title"] = "Days to assess a need"  # the wording only: rated at once, no job
    assert client.post(url, data).status_code == 302
    assert not Job.objects.exists()

    data = change_form_data(client.get(url))  # read again: the form carries the version it shows
    data["targets-0-value"] = "5"
    with django_capture_on_commit_callbacks() as commit:
        assert client.post(url, data).status_code == 302
    [job] = Job.objects.all()
    assert (job.status, job.params["measures"], job.created_by) == (Job.Status.QUEUED, [measure.pk], bi_user)
    assert Value.objects.get(pk=value.pk).rag == "Green"  # saved; the worker has yet to re-rate
    for callback in commit:
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert Value.objects.get(pk=value.pk).rag == "Red"  # 4 against 5: 20% short

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:measures_target_delete", args=[target.pk]), {"post": "yes"})
    assert Job.objects.count() == 2 and Value.objects.get(pk=value.pk).rag == "ND"


def test_the_view_on_site_shortcut_answers_a_member_alike_for_a_draft_and_no_value(client, member, own_and_other):
    """Issue 22, finding 8: Django's /admin/r/ shortcut redirected for any value that exists (302
    vs 404), so a member could tell which draft values exist."""
    from django.contrib.contenttypes.models import ContentType

    own, _ = own_and_other
    published = ValueFactory(measure=own, period=month(2020, 9), status="published")
    draft = ValueFactory(measure=own, period=month(2020, 10), status="draft")
    kind = ContentType.objects.get_for_model(Value).pk
    client.force_login(member)

    def shortcut(pk):
        return client.get(reverse("admin:view_on_site", args=[kind, pk]))

    assert shortcut(published.pk).status_code == 302
    assert shortcut(draft.pk).status_code == shortcut(draft.pk + 1000).status_code == 404


def test_the_view_on_site_shortcut_answers_a_lead_for_their_own_services_values_only(client, lead, own_and_other):
    from django.contrib.contenttypes.models import ContentType

    own, other = own_and_other
    theirs, others = ValueFactory(measure=own), ValueFactory(measure=other)
    kind = ContentType.objects.get_for_model(Value).pk
    client.force_login(lead)
    assert client.get(reverse("admin:view_on_site", args=[kind, theirs.pk])).status_code == 302
    assert client.get(reverse("admin:view_on_site", args=[kind, others.pk])).status_code in (403, 404)


def test_a_members_value_filters_answer_alike_with_and_without_a_draft(client, member, own_and_other):
    """Issue 22, finding 8: the value list's filters (latest as at, period) must not tell a member
    that a month has draft figures."""
    own, _ = own_and_other
    ValueFactory(measure=own, period=month(2020, 9), status="published")
    client.force_login(member)
    url = reverse("admin:measures_value_changelist")

    def seen():
        by_as_at = client.get(url, {"as_at": "2020-10"})
        return list(by_as_at.context["cl"].result_list), client.get(url).content.decode().count("period__id__exact=")

    before = seen()
    ValueFactory(measure=own, period=month(2020, 10), status="draft")
    assert seen() == before


def test_a_member_is_not_shown_a_period_that_only_unpublished_figures_use(client, member, lead, own_and_other):
    own, _ = own_and_other
    ValueFactory(measure=own, period=month(2020, 9), status="published")
    ValueFactory(measure=own, period=month(2020, 10), status="submitted")
    month(2020, 11)  # made for a target, say: no figure tells anything
    url = reverse("admin:measures_period_changelist")
    client.force_login(member)
    assert sorted(str(p) for p in client.get(url).context["cl"].result_list) == ["Nov-20", "Sep-20"]
    client.force_login(lead)
    assert len(client.get(url).context["cl"].result_list) == 3


def test_a_member_is_not_shown_why_a_revision_went_back(client, member, lead, own_and_other):
    """Issue 22, finding 8: a returned revision's comment, on a published value's admin page,
    told a member a revision had been proposed (the API hides returned_comment from them)."""
    own, _ = own_and_other
    value = ValueFactory(measure=own, period=month(2020, 10), status="published", returned_comment="Source please?")
    url = reverse("admin:measures_value_change", args=[value.pk])
    client.force_login(member)
    assert "Source please?" not in client.get(url).content.decode()
    client.force_login(lead)
    assert "Source please?" in client.get(url).content.decode()
