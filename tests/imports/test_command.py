"""python manage.py import_figures, on real files."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from measures.models import Measure, Value
from tests.imports.conftest import FIXTURES
from tests.imports.test_figures import HEADER, csv_bytes, row

KENT = FIXTURES / "kent-cc-qpr-kpis-2024-25-q3.csv"


def test_a_dry_run_prints_each_row_and_the_counts_and_writes_nothing(db):
    out = StringIO()
    call_command("import_figures", str(KENT), "--dry-run", stdout=out, stderr=StringIO())

    text = out.getvalue()
    assert "row 2: created Percentage of callers to Contact Point" in text
    assert "(Kent County Council QPR KPIs): 38 created, 0 changed, 0 unchanged, 0 refused" in text
    assert "Dry run: nothing was written." in text
    assert Measure.objects.count() == 0


def test_an_import_names_its_mapping_status_and_reason(db, tmp_path):
    path = tmp_path / "october.csv"
    path.write_bytes(csv_bytes([HEADER, row(value="12")]))
    call_command("import_figures", str(path), "--mapping", "perfhub", "--status", "published",
                 stdout=StringIO(), stderr=StringIO())
    path.write_bytes(csv_bytes([HEADER, row(value="13")]))

    call_command("import_figures", str(path), "--reason", "Corrected return", stdout=StringIO(),
                 stderr=StringIO())

    value = Value.objects.get()
    assert (value.value, value.status) == (13, "published")
    assert value.history.first().history_change_reason == "Imported from october.csv: Corrected return"


def test_refused_rows_fail_the_command_with_every_reason(db, tmp_path):
    path = tmp_path / "october.csv"
    path.write_bytes(csv_bytes([HEADER, row(target="12..5"), row("M2", "Fly-tipping", value="lots")]))

    with pytest.raises(CommandError) as error:
        call_command("import_figures", str(path), stdout=StringIO(), stderr=StringIO())

    assert "row 2, Target: '12..5' is not a number" in str(error.value)
    assert "row 3, Value: 'lots' is not a number" in str(error.value)
    assert Measure.objects.count() == 0


def test_a_missing_file_or_mapping_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_figures", str(tmp_path / "nowhere.csv"))
    with pytest.raises(CommandError, match="There is no mapping nowhere"):
        call_command("import_figures", str(KENT), "--mapping", "nowhere")


def test_a_flagged_figure_is_printed_as_a_warning(db, tmp_path):
    path = tmp_path / "october.csv"
    path.write_bytes(csv_bytes([["Code", "Measure", "Period", "Value", "Maximum"], ["REV", "Reviews", "Oct-20", "99", "95"]]))
    out = StringIO()
    call_command("import_figures", str(path), "--mapping", "perfhub", stdout=out, stderr=StringIO())
    assert "warning, row 2: 99 is above the measure's maximum of 95" in out.getvalue()
    assert Value.objects.get().flags == ["99 is above the measure's maximum of 95"]
