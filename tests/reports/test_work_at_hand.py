"""Pages open on the work at hand: the reports on the latest month with published figures, the
pages of work on the month with work outstanding; and each says which month it shows."""

from datetime import date

import pytest
from django.urls import reverse

from measures import periods
from measures.models import Value
from tests.factories import MeasureFactory, ValueFactory, month

TODAY = date(2026, 11, 25)


def test_the_month_of_the_latest_figures_in_progress_comes_first():
    assert periods.month_at_hand(date(2020, 11, 30), date(2020, 12, 31), TODAY).iso == "2020-11"


def test_with_nothing_in_progress_the_month_after_the_last_handed_over():
    assert periods.month_at_hand(None, date(2020, 10, 31), TODAY).iso == "2020-11"


def test_a_quarter_handed_over_leads_to_the_month_after_its_end():
    assert periods.month_at_hand(None, date(2020, 9, 30), TODAY).iso == "2020-10"


def test_with_no_figures_at_all_the_last_whole_month():
    assert periods.month_at_hand(None, None, TODAY).iso == "2026-10"


def test_never_a_month_that_has_not_ended():
    assert periods.month_at_hand(None, date(2026, 10, 31), TODAY).iso == "2026-10"
    assert periods.month_at_hand(date(2027, 3, 31), None, TODAY).iso == "2026-10"


def test_the_reports_latest_month_is_that_of_the_latest_published_figures():
    assert periods.latest_month(date(2020, 9, 30), TODAY) == date(2020, 9, 30)
    assert periods.latest_month(date(2020, 10, 15), TODAY) == date(2020, 10, 31)


def test_without_published_figures_the_reports_show_the_current_month():
    assert periods.latest_month(None, TODAY) == date(2026, 11, 30)
    assert periods.latest_month(date(2027, 3, 31), TODAY) == date(2026, 11, 30)


@pytest.mark.django_db
def test_my_measures_opens_on_the_month_of_the_leads_drafts(client, lead, adult_care):
    measure = MeasureFactory(service=adult_care)
    ValueFactory(measure=measure, period=month(2020, 9), status=Value.Status.PUBLISHED)
    ValueFactory(measure=measure, period=month(2020, 10), status=Value.Status.DRAFT)
    client.force_login(lead)
    response = client.get(reverse("my_measures"))
    assert response.context["month"].iso == "2020-10"
    assert "Oct-20" in response.content.decode()


@pytest.mark.django_db
def test_my_measures_opens_on_the_month_after_the_last_submitted(client, lead, adult_care):
    measure = MeasureFactory(service=adult_care)
    ValueFactory(measure=measure, period=month(2020, 10), status=Value.Status.SUBMITTED)
    client.force_login(lead)
    assert client.get(reverse("my_measures")).context["month"].iso == "2020-11"


@pytest.mark.django_db
def test_approvals_opens_on_the_month_with_values_waiting(client, bi_user, adult_care):
    measure = MeasureFactory(service=adult_care)
    ValueFactory(measure=measure, period=month(2020, 8), status=Value.Status.PUBLISHED)
    ValueFactory(measure=measure, period=month(2020, 9), status=Value.Status.SUBMITTED)
    client.force_login(bi_user)
    response = client.get(reverse("approvals"))
    assert response.context["month"].iso == "2020-09"
    assert response.context["table"].rows[0].record.period.label == "Sep-20"


@pytest.mark.django_db
def test_the_dashboard_opens_as_at_the_latest_published_month(client, member, demo_council):
    client.force_login(member)
    html = client.get(reverse("dashboard")).content.decode()
    assert "latest published figure as at Oct-20" in html


@pytest.mark.django_db
def test_the_exception_reports_navigation_link_opens_a_filled_report(client, member, demo_council):
    client.force_login(member)
    response = client.get(reverse("exception_report"))
    html = response.content.decode()
    assert "Exception report, as at Oct-20" in html
    assert len(response.context["report"].rows) == 28
