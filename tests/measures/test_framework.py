"""The BI team's framework set-up pages, through real HTTP: a year of targets in one form, a new
measure with its first year of targets, targets copied into the next financial year."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from jobs.models import Job
from measures import periods
from measures.framework import plan_copy
from measures.models import Measure, Period, Target, Value
from measures.rating import RAG, Polarity
from measures.services import rate_measure
from tests.factories import CommitteeFactory, MeasureFactory, TargetFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


def targets_url(measure, year="2020-21"):
    return f"{reverse('framework_targets', args=[measure.pk])}?year={year}"


def stored(measure):
    return {
        t.period.label: (t.value, t.floor)
        for t in Target.objects.filter(measure=measure).select_related("period")
    }


def test_the_targets_page_shows_twelve_months_for_a_monthly_measure(client, bi_user):
    measure = MeasureFactory()
    TargetFactory(measure=measure, period=month(2020, 10), value=D("80"))
    client.force_login(bi_user)
    response = client.get(targets_url(measure))
    assert response.status_code == 200
    form = response.context["form"]
    assert [label for label, _, _ in form.rows()] == ["the whole year 2020-21"] + [
        f"{name}-{year}" for name, year in
        [("Apr", 20), ("May", 20), ("Jun", 20), ("Jul", 20), ("Aug", 20), ("Sep", 20), ("Oct", 20),
         ("Nov", 20), ("Dec", 20), ("Jan", 21), ("Feb", 21), ("Mar", 21)]
    ]
    html = response.content.decode()
    assert 'value="80"' in html
    assert "Target for Oct-20" in html  # each input has its own label


def test_a_quarterly_measure_gets_four_quarters_and_an_academic_one_its_terms(client, bi_user):
    quarterly = MeasureFactory(frequency=Measure.Frequency.QUARTERLY)
    termly = MeasureFactory(frequency=Measure.Frequency.TERMLY, year_basis=periods.ACADEMIC_YEAR)
    client.force_login(bi_user)
    q = client.get(targets_url(quarterly)).context["form"]
    t = client.get(targets_url(termly, "2020/21")).context["form"]
    assert [s.label for s in q.spans] == ["Q1 20-21", "Q2 20-21", "Q3 20-21", "Q4 20-21"]
    assert [s.label for s in t.spans] == [
        "Term 1 (Autumn) 2020-21", "Term 2 (Spring) 2020-21", "Term 3 (Summer) 2020-21"
    ]
    assert t.year.kind == periods.ACADEMIC_YEAR


def test_saving_the_year_sets_changes_and_removes_targets_and_rerates(client, bi_user, django_capture_on_commit_callbacks):
    measure = MeasureFactory(polarity=Polarity.HIGHER, rating_rule=Measure.RatingRule.FLOOR)
    TargetFactory(measure=measure, period=month(2020, 5), value=D("50"))
    TargetFactory(measure=measure, period=month(2020, 6), value=D("60"))
    nov = ValueFactory(measure=measure, period=month(2020, 11), value=D("75"))
    client.force_login(bi_user)
    form = client.get(targets_url(measure)).context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update({"year_target": "90", "year_floor": "70", "target_1": "", "target_6": "80", "floor_6": "72"})
    with django_capture_on_commit_callbacks() as commit:
        response = client.post(targets_url(measure), data)
    assert response.status_code == 302
    assert stored(measure) == {
        "2020-21": (D("90"), D("70")), "Jun-20": (D("60"), None), "Oct-20": (D("80"), D("72")),
    }
    # Saved at once; the re-rating waits for the worker, queued when the page's transaction commits.
    [job] = Job.objects.all()
    assert job.status == Job.Status.QUEUED and job.params["measures"] == [measure.pk]
    assert Value.objects.get(pk=nov.pk).rag == nov.rag
    for callback in commit:
        callback()  # the worker (immediate here) runs the job
    # Nov-20 falls back on the year's target and floor: 75 is between 70 and 90.
    assert Value.objects.get(pk=nov.pk).rag == RAG.AMBER


def test_saving_the_same_targets_again_writes_no_history(client, bi_user):
    measure = MeasureFactory()
    client.force_login(bi_user)
    form = client.get(targets_url(measure)).context["form"]
    data = {name: "" for name in form.fields} | {"target_0": "10"}
    client.post(targets_url(measure), data)
    before = Target.history.count()
    client.post(targets_url(measure), data)
    assert Target.history.count() == before


@pytest.mark.parametrize("fields, message", [
    ({"target_0": "12..5"}, "Target for Apr-20: &#x27;12..5&#x27; is not a number"),
    ({"target_0": "80", "floor_0": "90"}, "Floor for Apr-20: The floor (90) must not be above the target (80)"),
    ({"floor_2": "70"}, "Floor for Jun-20: give the target too"),
])
def test_a_bad_figure_is_shown_in_the_error_summary_and_nothing_is_saved(client, bi_user, fields, message):
    measure = MeasureFactory(polarity=Polarity.HIGHER)
    client.force_login(bi_user)
    form = client.get(targets_url(measure)).context["form"]
    data = {name: "" for name in form.fields} | {"target_1": "50"} | fields
    response = client.post(targets_url(measure), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and message in html
    assert not Target.objects.filter(measure=measure).exists()


def test_a_year_that_is_not_a_year_is_shown_as_an_error(client, bi_user):
    measure = MeasureFactory()
    client.force_login(bi_user)
    response = client.get(targets_url(measure, "Oct-20"))
    assert response.status_code == 400
    assert "&#x27;Oct-20&#x27; is not a financial year" in response.content.decode()


def test_the_targets_page_runs_the_same_queries_for_any_number_of_targets(
    client, bi_user, django_assert_max_num_queries
):
    measure = MeasureFactory()
    client.force_login(bi_user)
    for n in range(1, 13):
        TargetFactory(measure=measure, period=month(2020 if n < 4 else 2019, n), value=D(n))
    with django_assert_max_num_queries(12):
        assert client.get(targets_url(measure)).status_code == 200


def test_create_a_measure_with_its_first_year_of_targets(client, bi_user, adult_care):
    committee = CommitteeFactory(name="People and Health")
    client.force_login(bi_user)
    url = reverse("framework_create_measure")
    fields = {
        "title": "Households in temporary accommodation", "definition": "", "service": adult_care.pk,
        "committees": [committee.pk], "outcome": "", "unit": Measure.Unit.RATE_1000,
        "unit_label": "Rate per 1,000 households", "rate_per": "1000",
        "frequency": Measure.Frequency.QUARTERLY, "year_basis": periods.FINANCIAL_YEAR,
        "polarity": Polarity.LOWER, "decimal_places": "1", "rating_rule": Measure.RatingRule.FLOOR,
        "rag_tolerance": "10", "dot_basis": Measure.Basis.PREVIOUS, "same_band": "0",
        "green_band": "0", "green_band_unit": "percent", "amber_band_unit": "percent", "same_band_unit": "units",
        "first_year": "2021/22",
    }
    # Showing the periods lays out the quarters of 2021-22 and saves nothing.
    shown = client.post(url, fields | {"show_periods": "1"})
    assert [s.label for s in shown.context["targets_form"].spans] == [
        "Q1 21-22", "Q2 21-22", "Q3 21-22", "Q4 21-22"
    ]
    assert "There is a problem" not in shown.content.decode()
    assert not Measure.objects.filter(title=fields["title"]).exists()
    targets = {
        "targets-year_target": "4.0", "targets-year_floor": "5.0",
        "targets-target_3": "3.5", "targets-floor_3": "4.5",
    }
    # Targets typed for the months of 2020-21 are not read as the quarters of 2021-22.
    moved = client.post(url, fields | targets | {"layout": "monthly financial_year financial_year 2020-04-01"})
    assert "The periods changed" in moved.content.decode()
    assert not Measure.objects.filter(title=fields["title"]).exists()
    response = client.post(url, fields | targets | {"layout": shown.context["layout"]})
    measure = Measure.objects.get(title=fields["title"])
    assert response.status_code == 302
    assert response["Location"] == targets_url(measure, "2021-22")
    assert (measure.unit_label, measure.rate_per, measure.rating_rule) == (
        "Rate per 1,000 households", 1000, Measure.RatingRule.FLOOR
    )
    assert list(measure.committees.all()) == [committee]
    assert stored(measure) == {"2021-22": (D("4"), D("5")), "Q4 21-22": (D("3.5"), D("4.5"))}


def test_creating_a_measure_with_errors_saves_nothing_and_lists_them(client, bi_user, adult_care):
    client.force_login(bi_user)
    response = client.post(reverse("framework_create_measure"), {
        "title": "", "service": adult_care.pk, "unit": "No.", "frequency": "monthly",
        "year_basis": "financial_year", "polarity": "higher", "decimal_places": "0",
        "rating_rule": "tolerance", "rag_tolerance": "10", "dot_basis": "previous", "same_band": "0",
        "green_band": "0", "green_band_unit": "percent", "amber_band_unit": "percent", "same_band_unit": "units",
        "first_year": "2020-21", "targets-target_0": "abc",
        "layout": "monthly financial_year financial_year 2020-04-01",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "This field is required" in html and "&#x27;abc&#x27; is not a number" in html
    assert not Measure.objects.exists()


def test_copy_a_years_targets_into_the_next(client, bi_user):
    committee = CommitteeFactory()
    chosen, other = MeasureFactory(), MeasureFactory()
    chosen.committees.add(committee)
    for measure in (chosen, other):
        TargetFactory(measure=measure, period=month(2020, 4), value=D("10"))
        TargetFactory(measure=measure, period=month(2021, 3), value=D("20"), floor=D("15"))
        TargetFactory(measure=measure, period=Period.parse("2020-21"), value=D("30"))
    TargetFactory(measure=chosen, period=month(2021, 4), value=D("11"))  # already set: kept
    client.force_login(bi_user)
    response = client.post(reverse("framework_copy_year"), {"year": "2020-21", "committee": committee.slug})
    assert response.status_code == 302
    assert stored(chosen) == {
        "Apr-20": (D("10"), None), "Mar-21": (D("20"), D("15")), "2020-21": (D("30"), None),
        "Apr-21": (D("11"), None), "Mar-22": (D("20"), D("15")), "2021-22": (D("30"), None),
    }
    assert len(stored(other)) == 3
    page = client.get(response["Location"]).content.decode()
    assert "2 targets of 1 measure copied from 2020-21 into 2021-22; 1 already set there left as they were." in page


def test_copy_refuses_what_is_not_a_financial_year(client, bi_user):
    client.force_login(bi_user)
    response = client.post(reverse("framework_copy_year"), {"year": "Oct-20"})
    assert "is not a financial year" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.parametrize("name", ["framework", "framework_create_measure", "framework_copy_year"])
def test_only_the_bi_team_sets_up_the_framework(client, lead, member, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # to sign in
    for user in (lead, member):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_a_lead_cannot_set_targets(client, lead):
    measure = MeasureFactory(service=lead.led_services.get())
    client.force_login(lead)
    assert client.post(targets_url(measure), {"target_0": "1"}).status_code == 403
    assert not Target.objects.exists()


def test_the_index_finds_measures_by_title(client, bi_user):
    MeasureFactory(title="Delayed transfers of care")
    MeasureFactory(title="Foster carers")
    client.force_login(bi_user)
    html = client.get(reverse("framework"), {"q": "foster"}).content.decode()
    assert "Foster carers" in html and "Delayed transfers" not in html


def test_current_year_is_the_year_of_the_last_whole_month():
    from measures.framework import current_year

    academic = Measure(year_basis=periods.ACADEMIC_YEAR)
    assert current_year(Measure(), date(2021, 4, 10)).label == "2020-21"
    assert current_year(academic, date(2021, 9, 10)).label == "2020-21"
    assert current_year(academic, date(2021, 10, 1)).kind == periods.ACADEMIC_YEAR


def test_the_bi_team_ends_the_targets_and_later_months_go_unrated(client, bi_user, django_capture_on_commit_callbacks):
    measure = MeasureFactory()
    TargetFactory(measure=measure, period=month(2020, 10), value=D("100"))
    later = ValueFactory(measure=measure, period=month(2021, 2), value=D("50"))
    client.force_login(bi_user)
    rate_measure(measure)
    assert Value.objects.get(pk=later.pk).rag == RAG.RED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(targets_url(measure), {"end_targets": "1", "end-last_month": "Jan-21"})
    assert response.status_code == 302
    assert Target.objects.get(measure=measure).ends == date(2021, 1, 31)
    assert Value.objects.get(pk=later.pk).rag == RAG.ND
    page = client.get(response["Location"]).content.decode()
    assert "The targets end after Jan-21 (1 changed). The background worker re-rates the figures in a moment" in page
    assert "stop carrying forward after 31 Jan 2021" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(targets_url(measure), {"end_targets": "1", "end-last_month": ""})
    assert Target.objects.get(measure=measure).ends is None
    assert Value.objects.get(pk=later.pk).rag == RAG.RED


def test_ending_the_targets_at_a_month_that_is_not_one_is_an_error(client, bi_user):
    measure = MeasureFactory()
    client.force_login(bi_user)
    response = client.post(targets_url(measure), {"end_targets": "1", "end-last_month": "someday"})
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Enter the period as a month" in html


def framework_counts():
    return Target.objects.count(), Target.history.count()


def test_one_measures_framework_is_previewed_then_copied_with_its_profile_floors_and_end(
    client, bi_user, django_capture_on_commit_callbacks,
):
    measure, other = MeasureFactory(rating_rule=Measure.RatingRule.FLOOR), MeasureFactory()
    for m in (measure, other):
        TargetFactory(measure=m, period=month(2020, 4), value=D("10"), floor=D("8"))
        TargetFactory(measure=m, period=month(2020, 5), value=D("20"), floor=D("16"), ends=date(2021, 3, 31))
    TargetFactory(measure=measure, period=month(2021, 4), value=D("11"), floor=D("9"))  # already set
    may = ValueFactory(measure=measure, period=month(2021, 5), value=D("18"))
    rate_measure(measure)
    assert Value.objects.get(pk=may.pk).rag == RAG.GREEN  # against April 2021's 11, carried forward
    client.force_login(bi_user)

    page = client.get(reverse("framework_copy_year"), {"measure": measure.pk, "year": "2020-21"}).content.decode()
    assert measure.title in page and f'name="measure" value="{measure.pk}"' in page

    before = framework_counts()
    form = {"measure": measure.pk, "year": "2020-21"}
    preview = client.post(reverse("framework_copy_year"), {**form, "preview": "1"})
    html = preview.content.decode()
    assert preview.status_code == 200 and framework_counts() == before
    assert "1 target would be copied from 2020-21 into 2021-22 for 1 of 1 measure chosen; " \
           "1 already set there would be left as they are." in html
    assert "May-21: 20" in html and "Apr-21: 11 (the copy: 10)" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("framework_copy_year"), {**form, "copy": "1"})
    assert response.status_code == 302
    assert stored(measure) == {"Apr-20": (D("10"), D("8")), "May-20": (D("20"), D("16")),
                               "Apr-21": (D("11"), D("9")), "May-21": (D("20"), D("16"))}
    copied = Target.objects.get(measure=measure, period=month(2021, 5))
    assert copied.ends == date(2022, 3, 31)
    assert copied.history.get().history_change_reason == "Copied from 2020-21"
    assert len(stored(other)) == 2
    assert Value.objects.get(pk=may.pk).rag == RAG.AMBER  # now against its own target of 20, floor 16
    page = client.get(response["Location"]).content.decode()
    assert "1 target of 1 measure copied from 2020-21 into 2021-22; 1 already set there left as they were." in page


def test_a_services_frameworks_are_copied_at_once_each_in_its_own_year_replacing_when_told_to(client, bi_user):
    monthly = MeasureFactory()
    termly = MeasureFactory(service=monthly.service, frequency=Measure.Frequency.TERMLY,
                            year_basis=periods.ACADEMIC_YEAR)
    elsewhere = MeasureFactory()
    TargetFactory(measure=monthly, period=Period.parse("2020-21"), value=D("30"))
    TargetFactory(measure=monthly, period=Period.parse("2021-22"), value=D("25"))  # already set
    TargetFactory(measure=termly, period=Period.for_span(periods.parse_period("Term 2 2020/21")), value=D("60"))
    TargetFactory(measure=elsewhere, period=month(2020, 6), value=D("5"))
    client.force_login(bi_user)

    response = client.post(reverse("framework_copy_year"), {
        "year": "2020-21", "service": monthly.service.slug, "replace": "on", "copy": "1"})

    assert response.status_code == 302
    assert stored(monthly) == {"2020-21": (D("30"), None), "2021-22": (D("30"), None)}
    assert stored(termly) == {"Term 2 (Spring) 2020-21": (D("60"), None), "Term 2 (Spring) 2021-22": (D("60"), None)}
    assert len(stored(elsewhere)) == 1
    page = client.get(response["Location"]).content.decode()
    assert "2 targets of 2 measures copied from 2020-21 into 2021-22; 1 already set there replaced." in page


def test_the_targets_page_links_to_copying_its_measures_framework(client, bi_user):
    measure = MeasureFactory()
    client.force_login(bi_user)
    html = client.get(targets_url(measure)).content.decode()
    assert f"{reverse('framework_copy_year')}?measure={measure.pk}&amp;year=2020-21" in html


@pytest.mark.parametrize("size", [2, 6])
def test_planning_a_copy_reads_in_three_queries_however_many_measures(django_assert_num_queries, size):
    measures = [MeasureFactory() for _ in range(size)]
    for m in measures:
        TargetFactory(measure=m, period=month(2020, 4), value=D("10"))
        TargetFactory(measure=m, period=month(2021, 4), value=D("10"))
    with django_assert_num_queries(3):
        plans = plan_copy(Measure.objects.filter(pk__in=[m.pk for m in measures]), periods.parse_period("2020-21"))
        assert [len(p.taken) for p in plans] == [1] * size
