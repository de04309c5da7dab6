"""Only approved figures reach scrutiny, whatever door is used (issue 8, findings 1, 2, 3, 6)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from measures import services
from measures.models import Measure, Value
from measures.rating import Polarity
from reports import selectors as report_selectors
from tests.factories import CommitteeFactory, MeasureFactory, TargetFactory, UserFactory, ValueFactory, month

pytestmark = pytest.mark.django_db

MY = reverse("my_measures")


@pytest.fixture
def measure(adult_care):
    measure = MeasureFactory(title="People supported", service=adult_care, polarity=Polarity.HIGHER)
    measure.committees.add(CommitteeFactory())
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("100"))
    return measure


def published(measure, figure="80", period=None):
    value = ValueFactory(
        measure=measure, period=period or month(2020, 10), value=Decimal(figure),
        status=Value.Status.PUBLISHED, commentary="Winter pressures.",
    )
    services.rate_measure(measure)
    value.refresh_from_db()
    return value


def entry(measure, version="", action="save", **fields):
    prefix = f"row-{measure.pk}"
    data = {"period": "2020-10", "measure": [measure.pk], "action": action, f"{prefix}-version": version}
    defaults = {"value": "", "no_data_reason": "", "commentary": "Said why.", "actions": "", "caveat": ""}
    data.update({f"{prefix}-{name}": text for name, text in (defaults | fields).items()})
    return data


# Finding 1: the admin bypasses the lifecycle.

def test_a_leads_admin_add_saves_a_draft_whatever_status_and_override_it_posts(client, lead, measure):
    client.force_login(lead)
    response = client.post(reverse("admin:measures_value_add"), {
        "measure": measure.pk, "period": month(2020, 10).pk, "value": "80", "commentary": "Why.",
        "status": "published", "rag_override": "Green", "override_reason": "x",
        "dot_override": "Improving", "returned_comment": "x",
    })
    assert response.status_code == 302
    value = Value.objects.get(measure=measure)
    assert (value.status, value.rag_override, value.dot_override, value.returned_comment) == ("draft", "", "", "")
    assert value.rag == "Red"
    assert not Value.objects.published().exists()


def test_the_leads_admin_value_form_offers_only_what_my_measures_offers(client, lead, measure):
    client.force_login(lead)
    form = client.get(reverse("admin:measures_value_add")).context["adminform"].form
    assert set(form.fields) == {
        "measure", "period", "value", "no_data_reason", "commentary", "actions", "provisional", "caveat",
        "seen_version",
        # Issue 21: the two figures of a measure entered as them, and the reason for an unusual one.
        "numerator", "denominator", "flag_reason",
    }


def test_only_draft_values_change_in_the_admin(client, lead, bi_user, measure):
    submitted = ValueFactory(measure=measure, period=month(2020, 10), status=Value.Status.SUBMITTED)
    for user in (lead, bi_user):
        client.force_login(user)
        url = reverse("admin:measures_value_change", args=[submitted.pk])
        assert client.get(url).context["has_change_permission"] is False
        response = client.post(url, {"value": "1", "seen_version": submitted.version})
        assert response.status_code == 403
    submitted.refresh_from_db()
    assert (submitted.value, submitted.status) == (Decimal("10"), "submitted")


def test_nobody_deletes_a_published_value(client, lead, bi_user, measure):
    value = published(measure)
    for user in (lead, bi_user):
        client.force_login(user)
        assert client.post(reverse("admin:measures_value_delete", args=[value.pk]), {"post": "yes"}).status_code == 403
        changelist = client.post(reverse("admin:measures_value_changelist"), {
            "action": "delete_selected", "_selected_action": [value.pk], "post": "yes",
        })
        assert changelist.status_code in (200, 302)
        assert client.post(reverse("admin:measures_measure_delete", args=[measure.pk]), {"post": "yes"}).status_code == 403
    assert Value.objects.published().filter(pk=value.pk).exists()


def test_the_bi_team_withdraws_a_published_value_with_a_reason_and_it_leaves_the_reports(
    client, bi_user, measure
):
    value = published(measure)
    committee = measure.committees.get()
    as_at = month(2020, 10).end
    assert [row.measure for row in report_selectors.exception_report(committee, as_at).rows] == [measure]
    client.force_login(bi_user)
    url = reverse("value_withdraw", args=[value.pk])
    refused = client.post(url, {"reason": "", "version": value.version})
    assert "Give the reason" in refused.content.decode()
    response = client.post(url, {"reason": "Figure double-counted transfers", "version": value.version})
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.status == "withdrawn"
    assert value.history.first().history_change_reason == "Withdrawn: Figure double-counted transfers"
    assert report_selectors.exception_report(committee, as_at).rows == []
    assert not Value.objects.published().exists()
    outstanding = client.get(reverse("outstanding"), {"period": "2020-10"})
    assert "Withdrawn" in outstanding.content.decode()


def test_a_withdrawn_value_is_entered_again_as_a_draft(client, lead, bi_user, measure):
    value = published(measure)
    services.withdraw(bi_user, value, "Double-counted", value.version)
    client.force_login(lead)
    assert client.post(MY, entry(measure, value.version, value="70")).status_code == 302
    value.refresh_from_db()
    assert (value.value, value.status) == (Decimal("70"), "draft")


# Finding 2: leads change what scrutiny sees.

def test_a_lead_cannot_change_the_fields_that_decide_ratings_or_report_membership(client, lead, measure):
    committees = list(measure.committees.all())
    client.force_login(lead)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    form = client.get(url).context["adminform"].form
    assert set(form.fields) <= {"title", "definition", "seen_state"}  # and the version it was read at
    client.post(url, {
        "title": "People supported", "definition": "Adults with a care package.",
        "seen_state": form["seen_state"].value(),
        "reported_elsewhere": "on", "polarity": Polarity.LOWER, "rag_tolerance": "90", "committees": [],
        "unit": "%", "frequency": "annual", "decimal_places": "3", "rating_rule": "reported",
        "unit_label": "Per cent", "rate_per": "1000",
        **{f"{prefix}-{key}": "0" for prefix in ("targets", "values", "comparators") for key in ("TOTAL_FORMS", "INITIAL_FORMS")},
    })
    measure = Measure.objects.get(pk=measure.pk)
    assert measure.definition == "Adults with a care package."
    assert (measure.reported_elsewhere, measure.polarity, measure.rag_tolerance) == (False, Polarity.HIGHER, Decimal("10"))
    assert (measure.unit, measure.frequency, measure.decimal_places) == ("No.", "monthly", 0)
    assert (measure.rating_rule, measure.unit_label, measure.rate_per) == ("tolerance", "", None)
    assert list(measure.committees.all()) == committees


def test_a_lead_cannot_change_a_target(client, lead, measure):
    target = measure.targets.get()
    client.force_login(lead)
    response = client.post(reverse("admin:measures_target_change", args=[target.pk]), {
        "measure": measure.pk, "period": target.period_id, "value": "1",
    })
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.value == Decimal("100")


def test_a_leads_revision_waits_for_approval_while_the_published_figure_stays(client, lead, bi_user, member, measure):
    value = published(measure)
    client.force_login(lead)
    response = client.post(MY, entry(measure, value.version, value="120", revision_reason="Late returns"))
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.status, value.rag) == (Decimal("80"), "published", "Red")
    assert value.pending_revision["value"] == "120"
    committee = measure.committees.get()
    rows = report_selectors.exception_report(committee, month(2020, 10).end).rows
    assert [row.measure for row in rows] == [measure]

    client.force_login(bi_user)
    client.post(reverse("approvals"), {
        "period": "2020-10", "values": [value.pk], "action": "approve", f"version-{value.pk}": value.version,
    })
    value.refresh_from_db()
    assert (value.value, value.rag, value.pending_revision) == (Decimal("120"), "Green", {})
    assert report_selectors.exception_report(committee, month(2020, 10).end).rows == []


def test_the_bi_team_returns_a_leads_revision_and_the_published_figure_stays(client, lead, bi_user, measure):
    value = published(measure)
    client.force_login(lead)
    client.post(MY, entry(measure, value.version, value="120", revision_reason="Late returns"))
    value.refresh_from_db()
    client.force_login(bi_user)
    client.post(reverse("approvals"), {
        "period": "2020-10", "values": [value.pk], "action": "return", "comment": "Source?",
        f"version-{value.pk}": value.version,
    })
    value.refresh_from_db()
    assert (value.value, value.status, value.pending_revision, value.returned_comment) == (
        Decimal("80"), "published", {}, "Source?")



def test_a_members_updated_since_moves_on_published_changes_only(client, lead, bi_user, member, measure):
    """Issue 22, finding 8: a lead's pending revision (and its return) moved the value's
    `updated_at`, so a member's `updated_since` told them a revision was in progress."""
    from tests.api.conftest import token_client

    value = published(measure)
    Value.objects.filter(pk=value.pk).update(updated_at="2020-11-05T09:00:00Z")
    member_api = token_client(member)

    def members_view():
        since = member_api.get("/api/v1/values/?updated_since=2020-12-01T00:00:00Z").json()["results"]
        [row] = member_api.get("/api/v1/values/").json()["results"]
        return [r["id"] for r in since], row["updated_at"]

    unchanged = ([], "2020-11-05T09:00:00Z")
    assert members_view() == unchanged
    client.force_login(lead)
    client.post(MY, entry(measure, value.version, value="120", revision_reason="Late returns"))
    value.refresh_from_db()
    assert value.pending_revision["value"] == "120"
    assert members_view() == unchanged

    client.force_login(bi_user)
    client.post(reverse("approvals"), {
        "period": "2020-10", "values": [value.pk], "action": "return", "comment": "Source?",
        f"version-{value.pk}": value.version,
    })
    value.refresh_from_db()
    assert (value.returned_comment, value.pending_revision) == ("Source?", {})
    assert members_view() == unchanged

    client.force_login(lead)
    client.post(MY, entry(measure, value.version, value="120", revision_reason="Late returns"))
    value.refresh_from_db()
    client.force_login(bi_user)
    client.post(reverse("approvals"), {
        "period": "2020-10", "values": [value.pk], "action": "approve", f"version-{value.pk}": value.version,
    })
    value.refresh_from_db()
    assert value.value == Decimal("120")
    assert members_view()[0] == [value.pk]



def test_a_leads_draft_leaves_what_members_see_of_the_published_figures_as_it_was(client, lead, member, measure):
    """Issue 22, finding 1, through the doors: a lead's Sep-20 draft, saved on My measures,
    changed the published Oct-20 direction of travel on the measure page and in the API."""
    from tests.api.conftest import token_client

    published(measure, figure="50", period=month(2020, 8))
    october = published(measure, figure="60", period=month(2020, 10))
    assert october.direction_of_travel == "Improving"
    member_api = token_client(member)
    client.force_login(member)

    def members_view():
        rows = member_api.get(f"/api/v1/values/?measure={measure.pk}").json()["results"]
        page = client.get(measure.get_absolute_url()).content.decode()
        return [(r["period"], r["direction_of_travel"]) for r in rows], page.count("Improving"), page.count("Worsening")

    before, history = members_view(), october.history.count()
    client.force_login(lead)
    data = entry(measure, value="90")
    data["period"] = "2020-09"
    assert client.post(MY, data).status_code == 302
    assert Value.objects.get(measure=measure, period=month(2020, 9)).status == "draft"
    client.force_login(member)
    assert members_view() == before
    october.refresh_from_db()
    assert (october.direction_of_travel, october.history.count()) == ("Improving", history)


# Finding 3: members see published values only, everywhere.

def test_a_member_sees_only_published_values_inside_a_measures_admin_page(client, member, measure):
    shown = published(measure, period=month(2020, 10))
    for status in ("draft", "submitted", "approved"):
        ValueFactory(measure=measure, period=month(2020, {"draft": 7, "submitted": 8, "approved": 9}[status]), status=status)
    client.force_login(member)
    page = client.get(reverse("admin:measures_measure_change", args=[measure.pk]))
    [values] = [f for f in page.context["inline_admin_formsets"] if f.formset.model is Value]
    assert [form.instance for form in values.formset.forms] == [shown]


# Finding 6: lost updates.

def test_two_people_entering_a_measure_with_no_value_yet_the_second_is_refused(client, lead, bi_user, measure):
    client.force_login(lead)
    assert client.post(MY, entry(measure, value="11")).status_code == 302
    client.force_login(bi_user)
    response = client.post(MY, entry(measure, value="22"))
    assert response.status_code == 200
    assert "changed this value while you were editing" in response.context["forms"][0].errors["value"][0]
    assert Value.objects.get(measure=measure).value == Decimal("11")


def test_the_bi_team_approves_only_what_it_saw(client, lead, bi_user, measure):
    value = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("3"), status=Value.Status.SUBMITTED)
    client.force_login(bi_user)
    page = client.get(reverse("approvals"), {"period": "2020-10"}).content.decode()
    seen = value.version
    assert f'name="version-{value.pk}" value="{seen}"' in page
    client.force_login(lead)
    assert client.post(MY, entry(measure, seen, value="4", action="submit")).status_code == 302
    client.force_login(bi_user)
    response = client.post(reverse("approvals"), {
        "period": "2020-10", "values": [value.pk], "action": "approve", f"version-{value.pk}": seen,
    }, follow=True)
    assert "Nothing was changed" in response.content.decode()
    value.refresh_from_db()
    assert (value.value, value.status) == (Decimal("4"), "submitted")


def test_an_admin_edit_from_a_stale_page_is_refused(client, lead, bi_user, measure):
    value = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("3"), commentary="x")
    seen = value.version
    client.force_login(lead)
    assert client.post(MY, entry(measure, seen, value="4")).status_code == 302
    client.force_login(bi_user)
    response = client.post(reverse("admin:measures_value_change", args=[value.pk]), {
        "value": "5", "commentary": "x", "seen_version": seen,
    })
    assert response.status_code == 200
    assert "Someone else changed this value" in response.content.decode()
    value.refresh_from_db()
    assert value.value == Decimal("4")
    fresh = client.post(reverse("admin:measures_value_change", args=[value.pk]), {
        "value": "5", "commentary": "x", "seen_version": value.version,
    })
    assert fresh.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.entered_by, value.status) == (Decimal("5"), bi_user, "draft")


def test_the_stale_save_message_names_a_user_without_a_full_name_by_username(client, lead, measure):
    nameless = UserFactory(username="jbloggs", first_name="", last_name="")
    value = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("3"), entered_by=nameless)
    client.force_login(lead)
    response = client.post(MY, entry(measure, 0, value="4"))
    assert response.context["forms"][0].errors["value"][0].startswith("jbloggs changed this value")
