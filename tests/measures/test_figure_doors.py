"""One rule for a figure, whatever the door (issue 18, finding 9): what My measures accepts, the
importer and the admin accept, as the same number; what one refuses, they all refuse; no door
takes a figure for a period still to come; an irregular measure's figure can be entered."""

from decimal import Decimal

import pytest
from django.urls import reverse

from imports.services import import_file
from measures import periods
from measures.models import Measure, Value
from tests.factories import MeasureFactory, month
from tests.imports.test_figures import HEADER, csv_bytes, row as file_row
from tests.measures.test_data_entry import post

pytestmark = pytest.mark.django_db

# (unit, as typed, the figure stored, or None where every door refuses it)
CASES = [
    ("Yes/No", "Yes", Decimal(1)),
    ("Yes/No", "No", Decimal(0)),
    ("Ratio", "2.5:1", Decimal("2.5")),
    ("No. (Days)", "12 days", Decimal(12)),
    ("£", "£45.6k", Decimal(45600)),
    ("£", "£1.2m", Decimal(1200000)),
    ("%", "41.4%", Decimal("41.4")),
    ("%", "-16%", None),
    ("%", "150%", None),
    ("% change", "-16%", Decimal(-16)),
    ("% change", "150%", Decimal(150)),
    ("No.", "4,469", Decimal(4469)),
    ("No.", "lots", None),
]


def imported(unit, text, period="Oct-20"):
    """What the importer stores for the figure (None when it refuses the file), and its errors."""
    report = import_file(csv_bytes([HEADER, file_row(unit=unit, value=text, target="",
                                                     polarity="higher", period=period)]),
                         "figures.csv", "perfhub", status="published")
    value = Value.objects.filter(measure__code="M1").first()
    return (value.value if value and report.written else None), report.errors


def entered(client, lead, adult_care, unit, text, period="2020-10"):
    """What My measures stores for the figure (None when it refuses it)."""
    measure = MeasureFactory(title=f"Typed in {unit}", service=adult_care, unit=unit, decimal_places=1)
    post(client, [(measure, {"value": text, "commentary": "why"})], period=period)
    value = Value.objects.filter(measure=measure).first()
    return value.value if value else None


@pytest.mark.parametrize("unit, text, figure", CASES)
def test_the_importer_reads_a_figure_as_my_measures_does(unit, text, figure):
    stored, errors = imported(unit, text)
    assert stored == figure, errors
    if figure is None:
        assert errors and errors[0].startswith("row 2, Value: ")


@pytest.mark.parametrize("unit, text, figure", CASES)
def test_my_measures_reads_a_figure_as_the_importer_does(client, lead, adult_care, unit, text, figure):
    client.force_login(lead)
    assert entered(client, lead, adult_care, unit, text) == figure


@pytest.mark.parametrize("unit, figure, allowed", [
    ("%", "-16", False), ("%", "150", False), ("%", "41.4", True),
    ("% change", "-16", True), ("Yes/No", "2", False), ("Yes/No", "1", True),
])
def test_the_admin_applies_the_same_rule(client, lead, adult_care, unit, figure, allowed):
    measure = MeasureFactory(service=adult_care, unit=unit, decimal_places=1)
    client.force_login(lead)
    response = client.post(reverse("admin:measures_value_add"),
                           {"measure": measure.pk, "period": month(2020, 10).pk, "value": figure})
    assert Value.objects.filter(measure=measure).exists() is allowed
    if not allowed:
        assert "value" in response.context["adminform"].form.errors


def test_no_door_takes_a_figure_for_a_period_still_to_come(client, lead, adult_care):
    stored, errors = imported("No.", "12", period="Jan-2099")
    assert stored is None and Value.objects.count() == 0
    assert errors == ["row 2, Period: Jan-99 has not begun: figures are entered once their month has started"]

    measure = MeasureFactory(service=adult_care)
    client.force_login(lead)
    response = client.post(reverse("admin:measures_value_add"),
                           {"measure": measure.pk, "period": month(2099, 1).pk, "value": "12"})
    assert "has not begun" in str(response.context["adminform"].form.errors)
    assert post(client, [(measure, {"value": "12"})], period="2099-01").status_code == 400
    assert Value.objects.count() == 0


def test_an_imported_target_for_a_year_to_come_is_kept(db):
    report = import_file(csv_bytes([HEADER, file_row(value="", target="10", period="Jan-2099")]),
                         "targets.csv", "perfhub")
    assert report.written and report.errors == []


def test_an_irregular_measures_figure_can_be_entered_in_any_month(client, lead, adult_care):
    measure = MeasureFactory(title="Snapshot survey", service=adult_care, frequency=Measure.Frequency.IRREGULAR)
    client.force_login(lead)

    page = client.get(reverse("my_measures"), {"period": "2020-11"})
    assert "Snapshot survey" in page.content.decode()
    response = post(client, [(measure, {"value": "42"})], period="2020-11")

    assert response.status_code == 302
    value = Value.objects.get(measure=measure)
    assert (value.value, value.period.span) == (Decimal(42), periods.parse_period("Nov-20"))


def test_an_irregular_measure_is_never_chased(client, bi_user, adult_care):
    MeasureFactory(title="Snapshot survey", service=adult_care, frequency=Measure.Frequency.IRREGULAR)
    client.force_login(bi_user)
    page = client.get(reverse("outstanding"), {"period": "2020-11"})
    assert page.status_code == 200 and "Snapshot survey" not in page.content.decode()
