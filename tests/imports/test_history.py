"""The audit rows an import writes for what it inserts: one creation row each, as
django-simple-history would write it, with the import's reason and user."""

from imports.services import import_file
from measures.models import Measure, Target, Value
from tests.imports.test_figures import csv_bytes, row, HEADER


def test_every_inserted_measure_value_and_target_has_one_creation_row_with_its_fields(db, bi_user):
    content = csv_bytes([HEADER, row("M1", period="Oct-20", commentary="Up on September"),
                         row("M1", period="Nov-20", value="9"), row("M2", "Fly-tipping", period="Oct-20")])
    import_file(content, "waste.csv", "perfhub", reason="First load", user=bi_user)
    for model, fields in ((Value, ["value", "commentary", "period_end", "status", "rag", "version"]),
                          (Target, ["value", "floor", "period_id"]), (Measure, ["title", "code", "unit"])):
        for obj in model.objects.all():
            (record,) = obj.history.all()
            assert record.history_type == "+"
            assert record.history_user == (bi_user if model is not Measure else None)
            expected = "Imported from waste.csv" + (": First load" if model is not Measure else "")
            assert record.history_change_reason == expected
            assert {f: getattr(record, f) for f in fields} == {f: getattr(obj, f) for f in fields}
    assert Value.history.count() == 3 and Target.history.count() == 3 and Measure.history.count() == 2


def test_a_long_reason_is_cut_to_what_the_history_keeps(db):
    import_file(csv_bytes([HEADER, row()]), "waste.csv", "perfhub", reason="x" * 300)
    assert len(Value.history.get().history_change_reason) == 100


def test_text_with_tabs_new_lines_backslashes_and_no_figure_is_stored_as_written(db):
    commentary = "Line one\nline two\twith a tab, a backslash \\N and \\t, and “quotes”\r\nend"
    import_file(csv_bytes([HEADER, row(value="n/a", commentary=commentary)]), "waste.csv", "perfhub")
    value = Value.objects.get()
    assert (value.value, value.commentary, value.pending_revision) == (None, commentary, {})
    assert value.history.get().commentary == commentary
