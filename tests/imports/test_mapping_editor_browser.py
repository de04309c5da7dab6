"""The mapping editor in a real headless Chromium: a BI officer builds a mapping from scratch
for a council file PerfHub has no mapping for, watches the live preview, saves it and imports."""

import os
import shutil
from decimal import Decimal

import pytest

from imports.models import SavedMapping
from measures import periods
from measures.models import Measure, Value
from tests.imports.conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_a_mapping_built_in_the_editor_imports_a_council_file_no_mapping_fits(
        sign_in, bi_user, axe, artifacts, tmp_path, monkeypatch):
    # The shipped Hart mapping is not there: the officer starts from nothing, as with a new council.
    shipped = tmp_path / "mappings"
    shutil.copytree(FIXTURES.parent.parent.parent / "imports" / "mappings", shipped)
    (shipped / "hart-kpi-tiles.toml").unlink()
    monkeypatch.setattr("imports.mapping.MAPPINGS_DIR", shipped)
    page = sign_in(bi_user.username)
    page.goto("/imports/")
    page.set_input_files("#id_file", str(FIXTURES / "hart-dc-kpis-2014-15-q1.csv"))
    page.click("text=Check the file")
    page.wait_for_url("**/imports/*/")
    assert "No mapping fits hart-dc-kpis-2014-15-q1.csv" in page.locator(".govuk-error-summary").inner_text()

    page.click("#edit-mapping")
    page.wait_for_url("**/mapping/")
    axe(page)
    page.fill("#id_name", "Hart KPI tiles (ours)")
    page.select_option("#id_column_code", "code")
    page.select_option("#id_column_title", "indicator")
    page.select_option("#id_column_service", "service")
    page.select_option("#id_column_unit", "unit_suffix")
    page.select_option("#id_column_period", "")
    page.fill("#id_fixed_period", "Q1 2014/15")
    page.fill("#id_fixed_frequency", "quarterly")
    page.select_option("#id_column_value", "this_quarter_tq")
    page.select_option("#id_column_previous", "last_quarter_lq")
    page.select_option("#id_column_target", "target_t")
    page.select_option("#id_column_rag", "status_code_s")
    page.select_option("#id_column_commentary", "notes_n")
    page.fill("#id_words_rag", "lg = Green\nla = Amber\nlr = Red\nlu = ND\nld = ND")
    page.fill("#id_words_unit", "% = %")
    page.check("#id_zero_is_missing")
    page.fill("#id_no_text", "No notes")
    # the live preview follows the choices, without a click
    preview = page.locator("#mapping-preview-table")
    preview.wait_for()
    page.wait_for_function(
        "document.querySelector('#mapping-preview-table') && "
        "document.querySelector('#mapping-preview-table').innerText.includes('Q1 14-15')")
    text = preview.inner_text()
    assert "Quality of Customer Service Call Handling" in text and "95.9" in text and "Refused" not in text
    assert Measure.objects.count() == 0
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) <= 0, f"the editor is wider than a {width}px window"
    page.set_viewport_size({"width": 1280, "height": 900})
    axe(page)
    page.screenshot(path=os.path.join(artifacts, "mapping-editor.png"), full_page=True)

    page.wait_for_function("!document.querySelector('#mapping-editor').classList.contains('htmx-request')")
    page.click("text=Save the mapping and check the file")
    page.wait_for_selector("text=Import 45 rows")
    axe(page)
    page.click("text=Import 45 rows")
    page.wait_for_selector("h1:has-text('Imported')")

    stored = SavedMapping.objects.get()
    assert stored.name == "Hart KPI tiles (ours)" and stored.version == 1
    span = periods.parse_period("Q1 2014/15")
    assert Value.objects.filter(period__kind=span.kind, period__start=span.start).count() == 45
    assert Measure.objects.get(code="CS01").unit == "%"
    assert Value.objects.get(measure__code="CS01", period__start=span.start).value == Decimal("95.9")

    page.goto("/imports/mappings/")
    axe(page)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) <= 0
    assert "Hart KPI tiles (ours) (TOML): version 1" in page.locator("#saved-mappings").inner_text()
