"""My measures' two layouts (issue 18, finding 20): the detailed view and a compact grid, one row
per measure, that posts the same form fields to the same view, so that one form validates and one
service saves whichever a lead uses."""

import re
from decimal import Decimal

import pytest

from measures.models import Value
from tests.measures.test_data_entry import MY, _measures, three  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')


def fields(html):
    return sorted(FIELD.findall(html))


def test_the_compact_grid_has_one_row_per_measure_with_the_detailed_views_fields(client, lead, three):
    client.force_login(lead)
    detailed = client.get(MY, {"period": "2020-10", "view": "detailed"}).content.decode()
    compact = client.get(MY, {"period": "2020-10", "view": "compact"}).content.decode()
    assert 'class="app-entry"' in detailed and "app-entry-grid" not in detailed
    assert compact.count('<tr class="govuk-table__row" id="row-') == 3 and 'class="app-entry"' not in compact
    assert fields(compact) == fields(detailed)
    for measure in three:
        assert f'id="row-{measure.pk}-preview"' in compact  # the live rating, as in the detailed view
    assert 'aria-current="page">Compact view' in compact


def test_the_layout_chosen_is_remembered_and_a_bad_one_ignored(client, lead, three):
    client.force_login(lead)
    assert client.get(MY, {"period": "2020-10"}).context["layout"] == "detailed"
    client.get(MY, {"period": "2020-10", "view": "compact"})
    assert client.get(MY, {"period": "2020-10"}).context["layout"] == "compact"
    assert client.get(MY, {"period": "2020-10", "view": "<script>"}).context["layout"] == "compact"
    client.get(MY, {"period": "2020-10", "view": "detailed"})
    assert client.get(MY, {"period": "2020-10"}).context["layout"] == "detailed"


def compact_post(html, typed):
    """What the compact page's form for a service posts: its hidden fields, and what is typed."""
    data = {"action": "submit", "measure": re.findall(r'name="measure" value="(\d+)"', html)}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        if name not in ("measure", "csrfmiddlewaretoken"):
            data[name] = value
    return {**data, **typed}


def test_the_compact_grid_saves_through_the_same_form_and_its_rules(client, lead, three):
    a, b, c = three
    client.force_login(lead)
    html = client.get(MY, {"period": "2020-10", "view": "compact"}).content.decode()

    # 30 against a target of 20, lower is better: Red, so the commentary the drawer holds is needed.
    red = {f"row-{c.pk}-value": "30", f"row-{a.pk}-value": "101"}
    response = client.post(MY, compact_post(html, red))
    assert response.status_code == 200 and not Value.objects.filter(period__start__month=10).exists()
    page = response.content.decode()
    assert "govuk-error-summary" in page and f'href="#id_row-{c.pk}-commentary"' in page
    # the row with the error opens its drawer, showing the field to fix; the others stay shut
    assert len(re.findall(r"<details[^>]*app-entry-grid__drawer\"\s+open>", page)) == 1
    assert page.count('name="row-%d-value"' % a.pk) == 1 and 'value="101"' in page

    response = client.post(MY, compact_post(html, {**red, f"row-{c.pk}-commentary": "Winter pressures."}))
    assert response.status_code == 302
    saved = {v.measure: v for v in Value.objects.filter(period__start__year=2020, period__start__month=10)}
    assert {m: (v.value, v.status, v.rag) for m, v in saved.items()} == {
        a: (Decimal("101"), Value.Status.SUBMITTED, "Green"),
        c: (Decimal("30"), Value.Status.SUBMITTED, "Red"),
    }
    assert saved[c].commentary == "Winter pressures."


def test_the_compact_grid_runs_no_more_queries_than_the_detailed_view(
    client, lead, adult_care, django_assert_max_num_queries
):
    _measures(adult_care, 50)
    client.force_login(lead)
    client.get(MY, {"period": "2020-10", "view": "compact"})
    with django_assert_max_num_queries(15):  # as the detailed view (tests/measures/test_data_entry.py)
        response = client.get(MY, {"period": "2020-10"})
    assert response.context["layout"] == "compact" and len(response.context["forms"]) == 50
