"""The mapping editor in a real headless Chromium: a BI officer builds a mapping from scratch
for a council file PerfHub has no mapping for, watches the live preview, saves it and imports."""

import os
import re
import shutil
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from imports.models import SavedMapping
from imports.services import import_file
from measures import periods
from measures.models import Measure, Target, Value
from tests.imports.conftest import FIXTURES
from tests.imports.test_editor_says_what_toml_says import MEASURE, TARGET, VALUE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def settle(page):
    """Leave the field being typed in (its change posts a preview) and wait for that preview, so
    that no preview is still running when the form is saved."""
    with page.expect_response(lambda r: r.url.endswith("/mapping/") and r.request.method == "POST"):
        page.click("h1")
    expect(page.locator("#mapping-editor")).not_to_have_class(re.compile("htmx-request"))


SHIPPED = FIXTURES.parent.parent.parent / "imports" / "mappings"


def stored():
    """What the imports left in the database, as plain rows."""
    return (
        sorted(Measure.objects.values_list(*MEASURE)),
        sorted(Value.objects.values_list(*VALUE), key=str),
        sorted(Target.objects.values_list(*TARGET), key=str),
    )


def same_as_the_shipped_toml(file_names, shipped):
    """Whether the files import through the shipped TOML `shipped` to exactly what is stored now
    (through the mapping built in the browser): it forgets the figures and imports them again."""
    built = stored()
    Value.objects.all().delete()
    Target.objects.all().delete()
    Measure.objects.all().delete()
    for name in file_names:
        path = FIXTURES / name
        report = import_file(path.read_bytes(), path.name, str(SHIPPED / f"{shipped}.toml"))  # as the page: drafts
        assert report.written and not report.errors
    through_toml = stored()
    assert through_toml[1], "nothing imported"
    for what, a, b in zip(("measures", "values", "targets"), built, through_toml):
        assert a == b, f"{what} differ: {sorted(set(a) ^ set(b), key=str)[:6]}"
    return True


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
    page.select_option("#id_column_period", "period")
    page.fill("#id_rewrite", r"period: ^(\d{4}/\d{2}) (Q\d).*$ => \2 \1")
    page.fill("#id_fixed_frequency", "quarterly")
    page.fill("#id_fixed_polarity", "higher")
    page.fill("#id_derive", "polarity = lower when code matches ^(HR11|HS01|RB07|RB08|RB09|ETS01)$\n"
                            "polarity = none when code matches ^(SNH03|SNH04|SNH06)$\n"
                            "unit = % change when code matches ^(SNH01|SNH02)$")
    page.select_option("#id_column_value", "this_quarter_tq")
    page.select_option("#id_column_previous", "last_quarter_lq")
    page.select_option("#id_column_target", "target_t")
    page.select_option("#id_column_rag", "status_code_s")
    page.select_option("#id_column_commentary", "notes_n")
    page.fill("#id_words_rag", "lg = Green\nla = Amber\nlr = Red\nlu = ND\nld = ND")
    page.fill("#id_words_unit", "% = %\n = No.")
    page.fill("#id_missing", "n/a")
    page.check("input[name=zero_is_missing][value=value]")
    page.check("input[name=zero_is_missing][value=previous]")
    page.fill("#id_no_text", "No notes")
    # the live preview follows the choices, without a click
    preview = page.locator("#mapping-preview-table")
    settle(page)
    expect(preview).to_contain_text("Q1 14-15")
    text = preview.inner_text()
    assert "Quality of Customer Service Call Handling" in text and "95.9" in text and "Refused" not in text
    assert Measure.objects.count() == 0
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) <= 0, f"the editor is wider than a {width}px window"
    page.set_viewport_size({"width": 1280, "height": 900})
    axe(page)
    page.screenshot(path=os.path.join(artifacts, "mapping-editor.png"), full_page=True)

    page.click("text=Save the mapping and check the file")
    page.wait_for_selector("text=Import 45 rows")
    axe(page)
    page.click("text=Import 45 rows")
    page.wait_for_selector("#job-status:has-text('Done')")

    stored = SavedMapping.objects.get()
    assert stored.name == "Hart KPI tiles (ours)" and stored.version == 1
    span = periods.parse_period("Q1 2014/15")
    assert Value.objects.filter(period__kind=span.kind, period__start=span.start).count() == 45
    assert Measure.objects.get(code="CS01").unit == "%"
    assert Value.objects.get(measure__code="CS01", period__start=span.start).value == Decimal("95.9")

    # Q2's file is recognised by the saved mapping from its headers, and imports through it.
    page.goto("/imports/")
    page.set_input_files("#id_file", str(FIXTURES / "hart-dc-kpis-2014-15-q2.csv"))
    page.click("text=Check the file")
    page.wait_for_selector("text=Import 45 rows")
    assert "layout: Hart KPI tiles (ours)" in page.locator("h1").inner_text()
    page.click("text=Import 45 rows")
    page.wait_for_selector("#job-status:has-text('Done')")
    q2 = periods.parse_period("Q2 2014/15")
    assert Value.objects.filter(period__kind=q2.kind, period__start=q2.start).count() == 45
    # the same measures, figures, periods, ratings and targets as through the shipped hart-kpi-tiles.toml
    assert same_as_the_shipped_toml(["hart-dc-kpis-2014-15-q1.csv", "hart-dc-kpis-2014-15-q2.csv"], "hart-kpi-tiles")

    page.goto("/imports/mappings/")
    axe(page)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) <= 0
    assert "Hart KPI tiles (ours) (TOML): version 1" in page.locator("#saved-mappings").inner_text()


def test_kents_qpr_imports_through_a_mapping_built_in_the_editor(sign_in, bi_user, axe, tmp_path, monkeypatch):
    shipped = tmp_path / "mappings"
    shutil.copytree(FIXTURES.parent.parent.parent / "imports" / "mappings", shipped)
    (shipped / "kent-qpr.toml").unlink()
    monkeypatch.setattr("imports.mapping.MAPPINGS_DIR", shipped)
    page = sign_in(bi_user.username)
    page.goto("/imports/")
    page.set_input_files("#id_file", str(FIXTURES / "kent-cc-qpr-kpis-2024-25-q3.csv"))
    page.click("text=Check the file")
    page.wait_for_url("**/imports/*/")
    page.click("#edit-mapping")
    page.wait_for_url("**/mapping/")

    page.fill("#id_name", "Kent QPR (ours)")
    page.select_option("#id_column_period", "period")
    page.fill("#id_rewrite", r"period: ^\s*(Q[1-4] \d{4}/\d{2}).*$ => \1")
    page.select_option("#id_column_service", "service_area")
    page.select_option("#id_column_title", "indicator")
    page.select_option("#id_column_value", "latest")
    page.select_option("#id_column_target", "target")
    page.select_option("#id_column_floor", "floor_standard")
    page.select_option("#id_column_previous", "previous")
    page.select_option("#id_column_rag", "rag_latest")
    page.select_option("#id_column_dot", "direction_of_travel_decoded")
    page.select_option("#id_column_caveat", "notes")
    page.fill("#id_fixed_frequency", "quarterly")
    page.fill("#id_fixed_rating_rule", "floor")
    page.fill("#id_fixed_unit", "No.")
    page.fill("#id_previous_months", "3")
    # what differs from KPI to KPI with no column for it: the unit, the frequency and the arrears
    page.fill("#id_derive", "\n".join([
        "unit = % when value matches %$",
        "frequency = rolling_12 when title matches (?i)rolling 12",
        "frequency = rolling_12 when caveat matches (?i)12-\\s*month rolling basis",
        "arrears = 3 when caveat matches (?i)one quarter in arrears",
        "arrears = 1 when caveat matches (?i)no data for dec-24",
        "arrears = 3 when title matches ^Greenhouse Gas emissions",
    ]))
    page.fill("#id_words_direction", "Stable/no clear trend = Same")
    settle(page)
    expect(page.locator("#mapping-preview-table")).to_contain_text("Q3 24-25")
    assert "Refused" not in page.locator("#mapping-preview-table").inner_text()
    axe(page)
    page.click("text=Save the mapping and check the file")
    page.wait_for_selector("text=Import 38 rows")
    page.click("text=Import 38 rows")
    page.wait_for_selector("#job-status:has-text('Done')")

    assert Measure.objects.filter(rating_rule="floor").count() == 38
    # each KPI in its own period (rolling 12 months, in arrears), not all in Q3
    q3 = periods.parse_period("Q3 2024/25")
    in_q3 = Value.objects.filter(period__kind=q3.kind, period__start=q3.start).count()
    assert 0 < in_q3 < 38 and Measure.objects.filter(frequency="rolling_12").exists()
    assert same_as_the_shipped_toml(["kent-cc-qpr-kpis-2024-25-q3.csv"], "kent-qpr")
