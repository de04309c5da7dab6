"""The import page in a real headless Chromium: an axe scan, and a bad file's row errors."""

import os

import pytest

from tests.imports.test_figures import HEADER, csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_import_page_passes_axe_and_a_bad_file_shows_its_row_errors(
        sign_in, bi_user, axe, artifacts, tmp_path):
    page = sign_in(bi_user.username)
    page.goto("/imports/")
    axe(page)

    bad = tmp_path / "october.csv"
    bad.write_bytes(csv_bytes([HEADER, row("M1"), row("M2", "Fly-tipping", period="Octember")]))
    page.set_input_files("#id_file", str(bad))
    page.click("text=Check the file")
    page.wait_for_url("**/imports/*/")

    summary = page.locator(".govuk-error-summary")
    assert "row 3, Period: 'Octember' is not a period" in summary.inner_text()
    assert page.locator("#confirm-import").count() == 0
    page.screenshot(path=os.path.join(artifacts, "import-row-errors.png"), full_page=True)
    axe(page)


def test_a_good_file_is_previewed_then_imported(sign_in, bi_user, axe, tmp_path):
    from measures.models import Value

    page = sign_in(bi_user.username)
    page.goto("/imports/")
    good = tmp_path / "october.csv"
    good.write_bytes(csv_bytes([HEADER, row("M1"), row("M2", "Fly-tipping")]))
    page.set_input_files("#id_file", str(good))
    page.click("text=Check the file")
    page.wait_for_url("**/imports/*/")
    axe(page)
    assert Value.objects.count() == 0

    page.click("text=Import 2 rows")
    page.wait_for_selector("#job-status:has-text('Done')")
    axe(page)
    assert Value.objects.count() == 2
