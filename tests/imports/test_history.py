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


def test_a_reimport_records_one_revision_row_for_each_changed_figure_and_target_only(db, bi_user):
    import_file(csv_bytes([HEADER, row("M1"), row("M2", "Fly-tipping")]), "october.csv", "perfhub", user=bi_user)
    changed = csv_bytes([HEADER, row("M1", value="14", target="11"), row("M2", "Fly-tipping")])

    report = import_file(changed, "october-revised.csv", "perfhub", reason="Late returns", user=bi_user)

    assert report.counts == {"created": 0, "changed": 1, "unchanged": 1, "refused": 0}
    value, target = Value.objects.get(measure__code="M1"), Target.objects.get(measure__code="M1")
    assert (value.value, value.version, target.value) == (14, 2, 11)
    for obj in (value, target):
        latest = obj.history.first()
        assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
            "~", bi_user, "Imported from october-revised.csv: Late returns")
        assert latest.value == obj.value and obj.history.count() == 2
    assert Value.objects.get(measure__code="M2").history.count() == 1
    assert Target.objects.get(measure__code="M2").history.count() == 1
