"""Whatever a shipped mapping file says, the mapping editor can say (issue 17, acceptance: each
council file with indicators imports through a mapping built in the browser and through its
shipped TOML, with the same result).

Each test starts the editor from nothing on a council file, types into the form what the shipped
TOML says (as text in the editor's own formats, never the TOML itself), saves it, and imports the
file through both mappings: the stored measures, values and targets are the same."""

import pytest
from django.urls import reverse

from imports import mapping as mappings
from imports import saved
from imports.editor import EditorForm
from imports.models import SavedMapping
from measures.models import Measure, Target, Value
from risks.models import Risk
from tests.imports.conftest import FIXTURES
from tests.imports.test_saved_mappings import as_fields, run_for, shipped_text

import tomllib

COUNCIL_FILES = [  # every council file with indicators, and its shipped mapping
    ("hart-dc-kpis-2014-15-q1.csv", "hart-kpi-tiles"),
    ("hart-dc-kpis-2014-15-q2.csv", "hart-kpi-tiles"),
    ("kent-cc-qpr-kpis-2024-25-q3.csv", "kent-qpr"),
]
MEASURE = ["code", "title", "service__name", "unit", "unit_label", "frequency", "year_basis", "polarity",
           "rating_rule", "green_band", "green_band_unit", "rag_tolerance", "amber_band_unit", "dot_basis"]
VALUE = ["measure__title", "period__kind", "period_start", "period_end", "value", "no_data_reason", "rag",
         "reported_rag", "direction_of_travel", "direction_words", "status", "provisional"]
RISK = ["code", "title", "owner", "directorate", "annual_exposure", "lifetime_exposure", "likelihood", "impact",
        "level", "trend", "review_date"]
TARGET = ["measure__title", "period__kind", "period__start", "value", "floor"]


def typed(tables, name):
    """What a BI officer types into the editor, from scratch, to say what the mapping file `tables`
    says: a value for each form field."""
    columns, fixed, words, cells = (tables.get(k, {}) for k in ("columns", "fixed", "words", "cells"))
    post = {"name": name, "action": "save"}
    for field in mappings.RISK_FIELDS if tables.get("kind") == "risks" else mappings.FIGURE_FIELDS:
        post[f"column_{field}"] = columns.get(field, "")
        post[f"fixed_{field}"] = str(fixed.get(field, ""))
    for field, table in words.items():
        lines = [f"{word} = {value}" for word, value in table.items()]
        if field in ("rag", "direction", "unit", "frequency", "polarity"):
            post[f"words_{field}"] = "\n".join(lines)
        else:
            post["other_words"] = post.get("other_words", "") + "".join(f"{field}: {line}\n" for line in lines)
    post["missing"] = ", ".join(m for m in cells.get("missing", mappings.Mapping.missing) if m)
    post["zero_is_missing"] = list(cells.get("zero_is_missing", []))
    post["no_text"] = ", ".join(t for t in cells.get("no_text", []) if t)
    post["money_scale"] = "on" if cells.get("money_scale") else ""
    post["money_unit"] = cells.get("money_unit", "")
    post["headers"] = "\n".join(tables.get("headers", []))
    post["optional"] = list(tables.get("optional", []))
    post["code_prefix"] = tables.get("code_prefix", "")
    post["previous_months"] = str(tables.get("previous_months", ""))
    post["rewrite"] = "\n".join(f"{r['field']}: {r['pattern']} => {r.get('replace', '')}" for r in tables.get("rewrite", []))
    post["derive"] = "\n".join(f"{r['field']} = {r['value']} when {r['when']} matches {r['matches']}"
                               for r in tables.get("derive", []))
    post["skip"] = "\n".join(f"{r['field']}: {r['matches']}" for r in tables.get("rows", {}).get("skip", []))
    post["continuation"] = tables.get("rows", {}).get("continuation", "")
    for frequency in ("default", "quarterly", "termly", "annual", "rolling_12"):
        post[f"month_{frequency}"] = tables.get("month_labels", {}).get(frequency, "last" if frequency == "default" else "")
    return {key: value for key, value in post.items() if value not in ("", [])}


def stored():
    """The framework and figures an import left in the database, as plain rows."""
    return (
        sorted(Measure.objects.values_list(*MEASURE)),
        sorted(Value.objects.values_list(*VALUE), key=str),
        sorted(Target.objects.values_list(*TARGET), key=str),
    )


def forget_imports():
    Value.objects.all().delete()
    Target.objects.all().delete()
    Measure.objects.all().delete()


@pytest.mark.parametrize("file_name, shipped", COUNCIL_FILES)
def test_a_mapping_typed_into_the_editor_from_scratch_imports_as_the_shipped_toml(
        db, client, bi_user, import_path, file_name, shipped):
    client.force_login(bi_user)
    run = run_for(FIXTURES / file_name, bi_user)
    url = reverse("imports:mapping_editor", args=[run.pk])
    assert client.get(url).context["form"].data_in == {}  # from nothing: no mapping to start from
    tables = tomllib.loads(shipped_text(shipped))

    response = client.post(url, typed(tables, f"{shipped} typed"))

    assert response.status_code == 302, response.context["form"].errors
    assert as_fields(saved.load(f"{shipped} typed")) == {**as_fields(mappings.load(shipped)), "name": f"{shipped} typed"}
    through_toml = import_path(FIXTURES / file_name, shipped, status="published")
    assert through_toml.written and not through_toml.errors
    expected = stored()
    forget_imports()
    through_editor = import_path(FIXTURES / file_name, f"{shipped} typed", status="published")
    assert through_editor.written and through_editor.counts == through_toml.counts
    assert stored() == expected
    assert len(expected[1]) >= through_toml.counts["created"] > 0


def test_kents_derive_rules_typed_into_the_editor_put_each_kpi_in_its_own_period(db, client, bi_user, import_path):
    """Without the derive rules (the known gap), every Kent KPI landed in Q3 2024/25."""
    client.force_login(bi_user)
    run = run_for(FIXTURES / "kent-cc-qpr-kpis-2024-25-q3.csv", bi_user)
    client.post(reverse("imports:mapping_editor", args=[run.pk]),
                typed(tomllib.loads(shipped_text("kent-qpr")), "Kent typed"))

    import_path(FIXTURES / "kent-cc-qpr-kpis-2024-25-q3.csv", "Kent typed", status="published")

    kinds = {(kind, str(start)) for kind, start in Value.objects.values_list("period__kind", "period_start")}
    assert len(kinds) > 1, "every KPI in one period"
    ghg = Value.objects.filter(measure__title__startswith="Greenhouse Gas emissions").latest("period_start")
    assert str(ghg.period_end) == "2024-09-30"  # a quarter behind the report's Q3
    assert Measure.objects.filter(frequency="rolling_12").exists()


def test_values_for_one_measure_are_a_small_table_in_the_mapping(db, client, bi_user, import_path):
    client.force_login(bi_user)
    run = run_for(FIXTURES / "hart-dc-kpis-2014-15-q1.csv", bi_user)
    tables = tomllib.loads(shipped_text("hart-kpi-tiles"))
    post = typed(tables, "Hart per measure")
    post["measures"] = "CS01: green_band = 2; tolerance = 5\nHR11: polarity = lower"
    client.post(reverse("imports:mapping_editor", args=[run.pk]), post)

    written = tomllib.loads(SavedMapping.objects.get().toml)
    assert written["measures"] == {"CS01": {"green_band": "2", "tolerance": "5"}, "HR11": {"polarity": "lower"}}
    import_path(FIXTURES / "hart-dc-kpis-2014-15-q1.csv", "Hart per measure", status="published")
    cs01 = Measure.objects.get(code="CS01")
    assert (cs01.green_band, cs01.rag_tolerance) == (2, 5)
    assert Measure.objects.get(code="HR11").polarity == "lower"
    assert Measure.objects.exclude(code="CS01").filter(green_band=2).count() == 0


def test_the_editor_says_what_is_wrong_with_a_rule_it_cannot_read(db, client, bi_user):
    client.force_login(bi_user)
    run = run_for(FIXTURES / "hart-dc-kpis-2014-15-q1.csv", bi_user)
    post = typed(tomllib.loads(shipped_text("hart-kpi-tiles")), "Hart broken")
    post.update(derive="polarity is lower for HR11", measures="CS01: colour = blue", other_words="year_basis FY")

    response = client.post(reverse("imports:mapping_editor", args=[run.pk]), post)

    errors = response.context["form"].errors
    assert "write a field = its value when another field matches a regular expression" in errors["derive"][0]
    assert "PerfHub has no field 'colour'" in errors["measures"][0]
    assert "is not a word and its meaning" in errors["other_words"][0]
    assert not SavedMapping.objects.exists()


@pytest.mark.parametrize("shipped", [name for name in mappings.names()])
def test_every_shipped_mapping_opened_in_the_editor_saves_back_the_same(db, shipped):
    tables = tomllib.loads(shipped_text(shipped))
    headers = [*tables["columns"].values()]
    form = EditorForm(headers, {"kind": tables["kind"]} if "kind" in tables else {}, typed(tables, "copy"))

    assert form.is_valid(), form.errors
    assert as_fields(mappings.parse(form.mapping_data(), "x")) == {**as_fields(mappings.load(shipped)), "name": "copy"}


def test_a_risk_registers_mapping_typed_from_scratch_imports_as_the_shipped_toml(db, client, bi_user, import_path):
    client.force_login(bi_user)
    file_name = "kent-cc-budget-risk-register-2025-26.csv"
    run = run_for(FIXTURES / file_name, bi_user)
    url = reverse("imports:mapping_editor", args=[run.pk])
    assert 'href="?kind=risks"' in client.get(url).content.decode()
    form = client.get(url + "?kind=risks").context["form"]
    assert "column_likelihood" in form.fields and "column_value" not in form.fields
    tables = tomllib.loads(shipped_text("kent-budget-risks"))

    response = client.post(url + "?kind=risks", typed(tables, "Kent risks typed"))

    assert response.status_code == 302, response.context["form"].errors
    assert as_fields(saved.load("Kent risks typed")) == {**as_fields(mappings.load("kent-budget-risks")),
                                                         "name": "Kent risks typed"}
    through_toml = import_path(FIXTURES / file_name, "kent-budget-risks")
    expected = sorted(Risk.objects.values_list(*RISK), key=str)
    Risk.objects.all().delete()
    through_editor = import_path(FIXTURES / file_name, "Kent risks typed")
    assert through_editor.counts == through_toml.counts and through_toml.counts["created"] == 42
    assert sorted(Risk.objects.values_list(*RISK), key=str) == expected
