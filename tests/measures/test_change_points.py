"""Change points and SPC settings: the BI team records them in the admin; service leads read them."""

import pytest
from django.urls import reverse

from measures.models import ChangePoint
from tests.factories import MeasureFactory, month

pytestmark = pytest.mark.django_db


def test_the_bi_team_records_a_change_point_with_its_reason_and_who_recorded_it(client, bi_user):
    measure = MeasureFactory()
    period = month(2019, 4)
    client.force_login(bi_user)
    response = client.post(
        reverse("admin:measures_changepoint_add"),
        {"measure": measure.pk, "period": period.pk, "reason": "New referral pathway"},
    )
    assert response.status_code == 302
    point = ChangePoint.objects.get()
    assert (point.measure, point.period, point.reason, point.recorded_by) == (
        measure, period, "New referral pathway", bi_user,
    )


def test_a_change_point_needs_a_reason(client, bi_user):
    client.force_login(bi_user)
    response = client.post(
        reverse("admin:measures_changepoint_add"),
        {"measure": MeasureFactory().pk, "period": month(2019, 4).pk, "reason": ""},
    )
    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    assert not ChangePoint.objects.exists()


def test_a_service_lead_cannot_record_a_change_point(client, lead, adult_care):
    MeasureFactory(service=adult_care)
    client.force_login(lead)
    assert client.get(reverse("admin:measures_changepoint_add")).status_code == 403


def test_only_the_bi_team_changes_a_measures_spc_settings(client, lead, bi_user, adult_care):
    measure = MeasureFactory(service=adult_care)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    client.force_login(lead)
    form = client.get(url).context["adminform"].form
    assert "spc_baseline_points" not in form.fields
    client.force_login(bi_user)
    form = client.get(url).context["adminform"].form
    assert "spc_baseline_points" in form.fields and "spc_screen_moving_ranges" in form.fields


def test_spc_settings_reach_the_rules(db):
    measure = MeasureFactory(spc_baseline_points=None, spc_screen_moving_ranges=False)
    settings = measure.spc_settings
    assert (settings.baseline_points, settings.screen_moving_ranges) == (None, False)


def test_the_admin_lists_change_points(client, bi_user, adult_care):
    ChangePoint.objects.create(measure=MeasureFactory(), period=month(2019, 4), reason="Definition change")
    client.force_login(bi_user)
    assert "Definition change" in client.get(reverse("admin:measures_changepoint_changelist")).content.decode()
