"""My measures, approvals, publication and the audit trail, through real HTTP."""

from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Measure, Value
from measures.rating import Polarity
from tests.factories import MeasureFactory, ServiceFactory, TargetFactory, ValueFactory, month

pytestmark = pytest.mark.django_db

MY = reverse("my_measures")


def row(measure, value="", commentary="", no_data_reason="", version="", **more):
    """The POST fields of one "My measures" row."""
    prefix = f"row-{measure.pk}"
    fields = {
        "value": value, "commentary": commentary, "no_data_reason": no_data_reason,
        "actions": "", "caveat": "", "version": version, **more,
    }
    return {f"{prefix}-{name}": text for name, text in fields.items()}


def seen(*values):
    """The approvals page's record of the version of each value it showed."""
    return {f"version-{v.pk}": Value.objects.get(pk=v.pk).version for v in values}


def post(client, rows, action="save", period="2020-10", **extra):
    data = {"period": period, "action": action, **extra}
    measures = []
    for measure, fields in rows:
        data.update(row(measure, **fields))
        measures.append(str(measure.pk))
    data["measure"] = measures
    return client.post(MY, data)


@pytest.fixture
def three(adult_care):
    """Three monthly measures of Adult Care with targets for Oct-20 and figures for Sep-20."""
    oct20, sep20 = month(2020, 10), month(2020, 9)
    measures = [
        MeasureFactory(title="A: people supported at home", service=adult_care),
        MeasureFactory(title="B: reviews on time", service=adult_care, unit=Measure.Unit.PERCENT, decimal_places=1),
        MeasureFactory(title="C: delayed discharges", service=adult_care, polarity=Polarity.LOWER),
    ]
    for measure, target, previous in zip(measures, ["100", "80", "20"], ["95", "78", "25"]):
        TargetFactory(measure=measure, period=oct20, value=Decimal(target))
        ValueFactory(measure=measure, period=sep20, value=Decimal(previous), status=Value.Status.PUBLISHED)
    return measures


def test_my_measures_lists_the_leads_measures_due_with_target_previous_and_year_earlier(client, lead, three):
    quarterly = MeasureFactory(title="Q: quarterly", service=lead.led_services.get(), frequency="quarterly")
    other = MeasureFactory(title="Other service's measure")
    ValueFactory(measure=three[0], period=month(2019, 10), value=Decimal("88"), status=Value.Status.PUBLISHED)
    client.force_login(lead)
    response = client.get(MY, {"period": "2020-10"})
    assert response.status_code == 200
    html = response.content.decode()
    assert [f.row.measure for f in response.context["forms"]] == three
    assert quarterly.title not in html and other.title not in html
    first = response.context["forms"][0].row
    assert (first.target, first.previous.value, first.year_earlier.value) == (Decimal("100"), Decimal("95"), Decimal("88"))
    assert 'aria-live="polite"' in html
    assert "Oct-20" in html


def test_a_quarterly_measure_is_due_in_the_quarters_last_month(client, lead, adult_care):
    quarterly = MeasureFactory(title="Q: quarterly", service=adult_care, frequency="quarterly")
    client.force_login(lead)
    response = client.get(MY, {"period": "2020-09"})
    [form] = response.context["forms"]
    assert form.row.measure == quarterly
    assert form.row.span.label == "Q2 20-21"


def test_the_whole_journey_from_entry_to_publication_and_revision(client, lead, bi_user, member, three):
    a, b, c = three
    client.force_login(lead)
    # A value rated Red needs commentary: the first attempt is refused and saves nothing.
    response = post(client, [(a, {"value": "4,469"}), (b, {"value": "41.4%"}), (c, {"value": " 30 "})], action="submit")
    assert response.status_code == 200
    assert "commentary" in response.context["forms"][2].errors
    assert Value.objects.filter(period=month(2020, 10)).count() == 0
    response = post(client, [
        (a, {"value": "4,469"}),
        (b, {"value": "41.4%", "commentary": "Staff shortages in the review team."}),
        (c, {"value": " 30 ", "commentary": "Winter pressures on hospital discharge."}),
    ], action="submit")
    assert response.status_code == 302
    entered = {v.measure: v for v in Value.objects.filter(period=month(2020, 10))}
    assert {v.status for v in entered.values()} == {"submitted"}
    assert entered[a].value == Decimal("4469") and entered[a].rag == "Green"
    assert entered[b].value == Decimal("41.4") and entered[b].rag == "Red"
    assert entered[c].rag == "Red" and entered[c].direction_of_travel == "Worsening"
    assert entered[a].entered_by == lead

    # Not yet visible to a scrutiny member.
    client.force_login(member)
    listing = client.get(reverse("admin:measures_value_changelist"), {"period__id__exact": month(2020, 10).pk})
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 0

    client.force_login(bi_user)
    ids = [str(v.pk) for v in entered.values()]
    page = client.get(reverse("approvals"), {"period": "2020-10"})
    assert {v.pk for v in page.context["values"]} == {v.pk for v in entered.values()}
    assert client.post(reverse("approvals"), {
        "period": "2020-10", "values": ids, "action": "approve", **seen(*entered.values()),
    }).status_code == 302
    assert client.post(reverse("approvals"), {
        "period": "2020-10", "values": ids, "action": "publish", **seen(*entered.values()),
    }).status_code == 302
    assert set(Value.objects.filter(period=month(2020, 10)).values_list("status", flat=True)) == {"published"}

    client.force_login(member)
    listing = client.get(reverse("admin:measures_value_changelist"), {"period__id__exact": month(2020, 10).pk})
    assert listing.context["cl"].result_count == 3
    assert set(Value.objects.published().filter(period=month(2020, 10))) == set(entered.values())

    # A correction to a published figure needs a reason, and waits for approval as a revision
    # while the published figure stays in force and visible.
    client.force_login(lead)
    version = Value.objects.get(pk=entered[a].pk).version
    response = post(client, [(a, {"value": "4,512", "version": version})], action="save")
    assert "revision_reason" in response.context["forms"][0].errors
    assert Value.objects.get(pk=entered[a].pk).value == Decimal("4469")
    response = post(client, [(a, {
        "value": "4,512", "version": version, "revision_reason": "Measure adjusted in Dec 20 and backdated",
    })], action="save")
    assert response.status_code == 302
    pending = Value.objects.get(pk=entered[a].pk)
    assert (pending.value, pending.status) == (Decimal("4469"), "published")
    assert pending.pending_revision["value"] == "4512"
    assert Value.objects.published().get(pk=pending.pk).value == Decimal("4469")
    assert "awaits the BI team" in client.get(MY, {"period": "2020-10"}).content.decode()

    client.force_login(bi_user)
    page = client.get(reverse("approvals"), {"period": "2020-10"}).content.decode()
    assert "4,512 (by lead: Measure adjusted in Dec 20 and backdated)" in page
    assert client.post(reverse("approvals"), {
        "period": "2020-10", "values": [pending.pk], "action": "approve", **seen(pending),
    }).status_code == 302
    revised = Value.objects.get(pk=entered[a].pk)
    assert (revised.value, revised.status, revised.pending_revision) == (Decimal("4512"), "published", {})
    approved, proposed = revised.history.order_by("-history_date", "-history_id")[:2]
    assert proposed.history_change_reason == "Revision proposed: Measure adjusted in Dec 20 and backdated"
    assert proposed.history_user == lead
    assert approved.history_change_reason == "Revision approved: Measure adjusted in Dec 20 and backdated"
    assert approved.history_user == bi_user
    client.force_login(lead)
    assert list(revised.history.filter(status="published").values_list("value", flat=True).order_by("history_date")) == [
        Decimal("4469"), Decimal("4469"), Decimal("4512")]
    history = client.get(reverse("value_history", args=[revised.pk])).content.decode()
    assert "4,469" in history and "4,512" in history
    assert "Measure adjusted in Dec 20 and backdated" in history


def test_the_bi_team_returns_a_value_with_a_comment(client, lead, bi_user, three):
    value = ValueFactory(measure=three[0], period=month(2020, 10), status=Value.Status.SUBMITTED)
    client.force_login(bi_user)
    response = client.post(reverse("approvals"), {"period": "2020-10", "values": [value.pk], "action": "return"})
    assert "comment" in response.context["form"].errors
    client.post(reverse("approvals"), {"period": "2020-10", "values": [value.pk], "action": "return",
                                       "comment": "Please check against the CRM extract.", **seen(value)})
    value.refresh_from_db()
    assert (value.status, value.returned_comment) == ("draft", "Please check against the CRM extract.")
    client.force_login(lead)
    assert "Please check against the CRM extract." in client.get(MY, {"period": "2020-10"}).content.decode()


def test_publishing_a_submitted_value_approves_and_publishes_it_in_one_pass(client, bi_user, three):
    # issue 18, finding 19: Publish is offered on submitted figures, so it must not be refused
    approved = ValueFactory(measure=three[0], period=month(2020, 10), status=Value.Status.APPROVED)
    submitted = ValueFactory(measure=three[1], period=month(2020, 10), status=Value.Status.SUBMITTED)
    client.force_login(bi_user)
    response = client.post(reverse("approvals"), {
        "period": "2020-10", "values": [approved.pk, submitted.pk], "action": "publish", **seen(approved, submitted),
    }, follow=True)
    assert "2 values published." in response.content.decode()
    assert Value.objects.published().count() == 5
    steps = list(Value.objects.get(pk=submitted.pk).history.order_by("history_date")
                 .values_list("status", "history_change_reason"))
    assert steps[-2:] == [("approved", "Approved"), ("published", "Published")]


def test_publishing_a_draft_changes_nothing(client, bi_user, three):
    approved = ValueFactory(measure=three[0], period=month(2020, 10), status=Value.Status.APPROVED)
    draft = ValueFactory(measure=three[1], period=month(2020, 10), status=Value.Status.DRAFT)
    client.force_login(bi_user)
    response = client.post(reverse("approvals"), {
        "period": "2020-10", "values": [approved.pk, draft.pk], "action": "publish", **seen(approved, draft),
    }, follow=True)
    assert Value.objects.published().count() == 3  # only September's
    assert "2 values published." not in response.content.decode()


def test_the_bi_team_overrides_the_rag_with_a_reason(client, bi_user, three):
    value = ValueFactory(measure=three[0], period=month(2020, 10), value=Decimal("70"), status=Value.Status.PUBLISHED)
    url = reverse("value_override", args=[value.pk])
    client.force_login(bi_user)
    response = client.post(url, {"rag": "Amber", "reason": "", "version": value.version})
    assert "reason" in response.context["form"].errors
    client.post(url, {"rag": "Amber", "reason": "Within the margin of the new recording system", "version": value.version})
    value.refresh_from_db()
    assert (value.rag, value.rag_override, value.override_reason) == ("Amber", "Amber", "Within the margin of the new recording system")
    assert "Within the margin" in value.history.first().history_change_reason


@pytest.mark.parametrize("fields, field", [
    ({"value": "abc"}, "value"),
    ({"value": "1.2.3"}, "value"),
    ({"value": "", "commentary": "Nothing to report"}, "value"),
    ({"value": "30", "commentary": ""}, "commentary"),
])
def test_a_bad_row_is_shown_on_its_field_and_nothing_is_saved(client, lead, three, fields, field):
    a, b, c = three
    client.force_login(lead)
    before = (Value.objects.count(), Value.history.count())
    bad = fields if field != "commentary" else {"value": "30"}  # 30 against a target of 20, lower is better: Red
    measure = c if field == "commentary" else a
    good = (b, {"value": "90"})
    response = post(client, [good, (measure, bad)], action="submit")
    assert response.status_code == 200
    form = next(f for f in response.context["forms"] if f.row.measure == measure)
    assert field in form.errors
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="#id_row-{measure.pk}-{field}"' in html
    assert (Value.objects.count(), Value.history.count()) == before


def test_a_percentage_outside_0_to_100_is_refused(client, lead, three):
    client.force_login(lead)
    before = Value.objects.count()
    response = post(client, [(three[1], {"value": "104%"})])
    [form] = [f for f in response.context["forms"] if f.row.measure == three[1]]
    assert "between 0 and 100" in form.errors["value"][0]
    assert Value.objects.count() == before


def test_no_data_with_a_reason_is_saved_without_a_figure(client, lead, three):
    client.force_login(lead)
    assert post(client, [(three[0], {"value": "", "no_data_reason": "System outage"})]).status_code == 302
    value = Value.objects.get(measure=three[0], period=month(2020, 10))
    assert (value.value, value.no_data_reason, value.rag, value.status) == (None, "System outage", "ND", "draft")


def test_a_value_for_a_period_the_measure_is_not_due_is_refused(client, lead, adult_care):
    quarterly = MeasureFactory(service=adult_care, frequency="quarterly")
    client.force_login(lead)
    before = Value.objects.count()
    response = post(client, [(quarterly, {"value": "12"})])
    assert response.status_code == 200
    assert "no value due" in response.context["forms"][0].errors["value"][0]
    assert Value.objects.count() == before


def test_the_check_button_previews_the_rating_without_saving(client, lead, three):
    client.force_login(lead)
    response = post(client, [(three[2], {"value": "30"})], action="check")
    assert response.status_code == 200
    assert 'data-preview="Red"' in response.content.decode()
    assert Value.objects.filter(period=month(2020, 10)).count() == 0


def test_the_preview_fragment_rates_the_typed_value_on_the_server(client, lead, three):
    c = three[2]
    client.force_login(lead)
    url = reverse("my_measures_preview")
    red = client.post(url, {"period": "2020-10", "row": c.pk, f"row-{c.pk}-value": "30"}).content.decode()
    green = client.post(url, {"period": "2020-10", "row": c.pk, f"row-{c.pk}-value": "18"}).content.decode()
    bad = client.post(url, {"period": "2020-10", "row": c.pk, f"row-{c.pk}-value": "abc"}).content.decode()
    assert 'data-preview="Red"' in red and "Worsening" in red
    assert 'data-preview="Green"' in green and "Improving" in green
    assert "is not a number" in bad


def test_a_lead_cannot_see_or_post_another_services_values(client, lead, three):
    housing = ServiceFactory(name="Housing")
    theirs = MeasureFactory(service=housing)
    value = ValueFactory(measure=theirs, period=month(2020, 10))
    client.force_login(lead)
    assert client.get(MY, {"period": "2020-10", "service": "housing"}).status_code == 403
    before = (Value.objects.count(), Value.history.count())
    assert post(client, [(theirs, {"value": "5"})]).status_code == 403
    assert post(client, [(three[0], {"value": "5"}), (theirs, {"value": "5"})]).status_code == 403
    assert (Value.objects.count(), Value.history.count()) == before
    assert client.get(reverse("value_history", args=[value.pk])).status_code == 403
    preview = client.post(reverse("my_measures_preview"), {"period": "2020-10", "row": theirs.pk})
    assert preview.status_code == 403


def test_a_scrutiny_member_cannot_enter_approve_or_see_drafts(client, member, three):
    draft = ValueFactory(measure=three[0], period=month(2020, 10))
    client.force_login(member)
    before = Value.objects.count()
    assert post(client, [(three[0], {"value": "5"})]).status_code == 403
    assert client.get(MY).status_code == 403
    assert client.post(reverse("approvals"), {"values": [draft.pk], "action": "approve"}).status_code == 403
    assert client.get(reverse("outstanding")).status_code == 403
    assert client.post(reverse("value_override", args=[draft.pk]), {"rag": "Red", "reason": "x", "version": 1}).status_code == 403
    assert Value.objects.count() == before
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_lead_cannot_approve_or_publish(client, lead, three):
    value = ValueFactory(measure=three[0], period=month(2020, 10), status=Value.Status.SUBMITTED)
    client.force_login(lead)
    assert client.post(reverse("approvals"), {"values": [value.pk], "action": "approve"}).status_code == 403
    value.refresh_from_db()
    assert value.status == "submitted"


@pytest.mark.parametrize("url", [MY, reverse("approvals"), reverse("outstanding")])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(url, {}).status_code == 302


def test_the_second_of_two_stale_saves_is_refused_showing_the_first(client, lead, bi_user, three):
    a = three[0]
    value = ValueFactory(measure=a, period=month(2020, 10), value=Decimal("100"))
    shown = value.version
    client.force_login(bi_user)
    assert post(client, [(a, {"value": "101", "version": shown})]).status_code == 302
    client.force_login(lead)
    response = post(client, [(a, {"value": "102", "version": shown}), (three[1], {"value": "90"})])
    assert response.status_code == 200
    error = response.context["forms"][0].errors["value"][0]
    assert "changed this value while you were editing" in error and "101" in error
    value.refresh_from_db()
    assert value.value == Decimal("101")
    assert not Value.objects.filter(measure=three[1], period=month(2020, 10)).exists()
    # Having seen the other change, the lead may save again on purpose.
    again = post(client, [(a, {"value": "102", "version": value.version})])
    assert again.status_code == 302
    value.refresh_from_db()
    assert value.value == Decimal("102")


def test_a_stale_version_is_refused_by_the_service_itself(lead, three):
    from measures import selectors, services

    value = ValueFactory(measure=three[0], period=month(2020, 10), value=Decimal("100"))
    [row] = selectors.entry_rows([three[0]], selectors.month_span("2020-10"))
    data = {"value": Decimal("1"), "no_data_reason": "", "commentary": "", "actions": "", "provisional": False, "caveat": ""}
    services.save_entries(lead, [(row, data, value.version)])
    with pytest.raises(services.StaleValue):
        services.save_entries(lead, [(row, data | {"value": Decimal("2")}, value.version)])
    value.refresh_from_db()
    assert value.value == Decimal("1")


def _measures(service, count):
    measures = Measure.objects.bulk_create(
        Measure(title=f"Measure {i:03d}", service=service) for i in range(count)
    )
    sep20, oct20, oct19 = month(2020, 9), month(2020, 10), month(2019, 10)
    from measures.models import Target

    Target.objects.bulk_create(Target(measure=m, period=oct20, value=Decimal("10")) for m in measures)
    Value.objects.bulk_create(
        [Value(measure=m, period=p, value=Decimal("9")) for m in measures for p in (sep20, oct19)]
        + [Value(measure=m, period=oct20, value=Decimal("9")) for m in measures[::2]]
    )
    return measures


@pytest.mark.parametrize("count", [5, 50])
def test_my_measures_runs_the_same_number_of_queries_for_5_and_50_measures(
    client, lead, adult_care, django_assert_max_num_queries, count
):
    _measures(adult_care, count)
    client.force_login(lead)
    with django_assert_max_num_queries(15):  # 13, and the deadlines and their exceptions
        response = client.get(MY, {"period": "2020-10"})
    assert len(response.context["forms"]) == count
    assert sum(1 for f in response.context["forms"] if f.row.previous and f.row.year_earlier) == count


def test_outstanding_lists_each_stage_per_service(client, bi_user, lead, three):
    housing = ServiceFactory(name="Housing")
    theirs = MeasureFactory(title="Housing measure", service=housing)
    ValueFactory(measure=three[1], period=month(2020, 10), status=Value.Status.SUBMITTED)
    ValueFactory(measure=three[2], period=month(2020, 10), status=Value.Status.APPROVED)
    ValueFactory(measure=theirs, period=month(2020, 10), status=Value.Status.PUBLISHED)
    client.force_login(bi_user)
    response = client.get(reverse("outstanding"), {"period": "2020-10"})
    groups = {service.name: {i.row.measure.title: i.stage for i in items} for service, items in response.context["groups"]}
    assert groups == {"Adult Care": {
        three[0].title: "No submission",
        three[1].title: "Submitted, not approved",
        three[2].title: "Approved, not published",
    }}


def test_the_measure_history_shows_target_changes(client, bi_user, three):
    target = three[0].targets.get()
    target.value = Decimal("120")
    target._change_reason = "Target raised for 2020-21"
    target.save()
    client.force_login(bi_user)
    html = client.get(reverse("measure_history", args=[three[0].pk])).content.decode()
    assert "Target raised for 2020-21" in html
    assert "<del>100</del> to <ins>120</ins>" in html


def test_nav_shows_data_entry_to_leads_and_approvals_to_the_bi_team(client, lead, bi_user, member):
    client.force_login(lead)
    html = client.get(reverse("home")).content.decode()
    assert "My measures" in html and "Approvals" not in html
    client.force_login(bi_user)
    html = client.get(reverse("home")).content.decode()
    assert "My measures" in html and "Approvals" in html and "Outstanding" in html
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert "My measures" not in html and "Approvals" not in html


def test_my_measures_has_a_section_per_service_each_with_its_progress(client, lead, three):
    housing = ServiceFactory(name="Housing")
    housing.leads.add(lead)
    MeasureFactory(title="Homes delivered", service=housing)
    ValueFactory(measure=three[0], period=month(2020, 10))
    client.force_login(lead)
    response = client.get(MY, {"period": "2020-10"})
    sections = response.context["sections"]
    assert [(s["service"].name, s["entered"], len(s["forms"])) for s in sections] == [("Adult Care", 1, 3), ("Housing", 0, 1)]
    html = response.content.decode()
    assert html.count('<form method="post"') == 2
    assert "1 of 3 entered" in html and "0 of 1 entered" in html


def test_saving_one_service_leaves_the_other_sections_as_they_were(client, lead, three):
    housing = ServiceFactory(name="Housing")
    housing.leads.add(lead)
    homes = MeasureFactory(title="Homes delivered", service=housing)
    client.force_login(lead)
    response = post(client, [(homes, {"value": "oops"})])
    assert response.status_code == 200
    forms = {f.row.measure: f for f in response.context["forms"]}
    assert forms[homes].errors and forms[homes].is_bound
    assert not forms[three[0]].is_bound  # Adult Care is still shown, as saved
    response = post(client, [(homes, {"value": "12"})])
    assert response.status_code == 302 and response["Location"].endswith("#service-housing")
    assert Value.objects.get(measure=homes).value == 12


def test_last_periods_commentary_is_shown_beside_the_new_one(client, lead, three):
    previous = Value.objects.get(measure=three[0], period=month(2020, 9))
    previous.commentary = "More people supported after the winter scheme."
    previous.save()
    client.force_login(lead)
    html = client.get(MY, {"period": "2020-10"}).content.decode()
    assert "Last period (Sep-20)" in html
    assert "More people supported after the winter scheme." in html


def test_the_preview_rates_a_new_month_against_the_target_carried_forward(client, lead, three):
    c = three[2]  # lower is better, target 20 set for Oct-20 only
    client.force_login(lead)
    page = client.get(MY, {"period": "2020-11"})
    row = next(f.row for f in page.context["forms"] if f.row.measure == c)
    assert row.target == Decimal("20")
    url = reverse("my_measures_preview")
    red = client.post(url, {"period": "2020-11", "row": c.pk, f"row-{c.pk}-value": "30"}).content.decode()
    amber = client.post(url, {"period": "2020-11", "row": c.pk, f"row-{c.pk}-value": "21"}).content.decode()
    assert 'data-preview="Red"' in red
    assert 'data-preview="Amber"' in amber


def test_an_academic_year_measure_is_asked_for_its_academic_year_in_august(client, lead, adult_care):
    annual = MeasureFactory(
        title="KS2 attainment", service=adult_care, frequency="annual", year_basis="academic_year"
    )
    termly = MeasureFactory(title="Attendance", service=adult_care, frequency="termly")
    client.force_login(lead)
    march = client.get(MY, {"period": "2021-03"}).context["forms"]
    august = client.get(MY, {"period": "2021-08"}).context["forms"]
    assert [(f.row.measure, f.row.span.label) for f in march] == [(termly, "Term 2 (Spring) 2020-21")]
    assert [(f.row.measure, f.row.span.label) for f in august] == [
        (termly, "Term 3 (Summer) 2020-21"), (annual, "2020-21")
    ]
    assert august[1].row.span.kind == "academic_year"
