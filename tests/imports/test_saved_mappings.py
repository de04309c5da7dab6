"""Mappings a BI officer makes in the browser (issue 17, item 5): the editor, its live preview,
saved mappings (named, versioned, audited, TOML down and up) and the command taking one by name."""

import dataclasses
import tomllib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from imports import mapping as mappings
from imports import saved
from imports.editor import EditorForm
from imports.models import ImportRun, SavedMapping
from imports.readers import read_table
from imports.services import import_file
from measures import periods
from measures.models import Measure, Value
from risks.models import Risk
from tests.imports.conftest import FIXTURES

COUNCIL_FILES = [  # (file, shipped mapping, rows it creates)
    ("hart-dc-kpis-2014-15-q1.csv", "hart-kpi-tiles", 45),
    ("hart-dc-kpis-2014-15-q2.csv", "hart-kpi-tiles", 45),
    ("kent-cc-qpr-kpis-2024-25-q3.csv", "kent-qpr", 38),
    ("kent-cc-budget-risk-register-2025-26.csv", "kent-budget-risks", 42),
]
HART = FIXTURES / "hart-dc-kpis-2014-15-q1.csv"


def shipped_text(name):
    return (mappings.MAPPINGS_DIR / f"{name}.toml").read_text(encoding="utf-8")


def upload_mapping(client, text, name="", file_name="mapping.toml"):
    return client.post(reverse("imports:mapping_list"),
                       {"file": SimpleUploadedFile(file_name, text.encode()), "name": name})


def run_for(path, user, mapping=""):
    return ImportRun.objects.create(file_name=path.name, content=path.read_bytes(), mapping=mapping,
                                    uploaded_by=user)


def editor_post(form, **changes):
    """The POST a browser sends for the editor `form` as it stands, with `changes`."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].initial
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value if value is not None else ""
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def as_fields(mapping):
    return {k: v for k, v in dataclasses.asdict(mapping).items() if k not in ("slug",)}


@pytest.mark.parametrize("file_name, shipped, created", COUNCIL_FILES)
def test_each_council_file_imports_through_its_mapping_saved_in_the_database(
        db, client, bi_user, import_path, file_name, shipped, created):
    client.force_login(bi_user)
    response = upload_mapping(client, shipped_text(shipped), name=f"{shipped} saved", file_name=f"{shipped}.toml")
    assert response.status_code == 302

    report = import_path(FIXTURES / file_name, f"{shipped} saved", status="published")

    assert report.written and report.counts["created"] == created, report.errors
    assert report.mapping == mappings.load(shipped).name
    assert (Risk.objects.count() if shipped.endswith("risks") else Measure.objects.count()) == created


@pytest.mark.parametrize("name", mappings.names())
def test_a_shipped_mapping_uploaded_and_downloaded_is_the_same_text_and_the_same_mapping(db, client, bi_user, name):
    client.force_login(bi_user)
    upload_mapping(client, shipped_text(name), name=f"{name} copy")

    stored = SavedMapping.objects.get()
    download = client.get(reverse("imports:mapping_download", args=[stored.slug]))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/toml")
    assert download.content.decode() == shipped_text(name)
    assert as_fields(saved.load(f"{name} copy")) == as_fields(mappings.load(name))


def test_a_mapping_made_in_the_editor_writes_the_shipped_format_and_reads_back_the_same(db, client, bi_user):
    client.force_login(bi_user)
    run = run_for(HART, bi_user, mapping="hart-kpi-tiles")
    form = client.get(reverse("imports:mapping_editor", args=[run.pk])).context["form"]

    client.post(reverse("imports:mapping_editor", args=[run.pk]), editor_post(form, name="Hart tiles", action="save"))

    text = SavedMapping.objects.get().toml
    assert as_fields(mappings.parse(tomllib.loads(text), "x")) == {
        **as_fields(mappings.load("hart-kpi-tiles")), "name": "Hart tiles",
    }


def test_the_editor_shows_the_files_headers_beside_perfhubs_fields(db, client, bi_user):
    client.force_login(bi_user)
    run = run_for(HART, bi_user)

    response = client.get(reverse("imports:mapping_editor", args=[run.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.headers == read_table(HART.read_bytes(), HART.name)[0]
    options = [value for value, _ in form.fields["column_value"].choices]
    assert options == ["", *form.headers]
    # a first guess from the headers' names: "code" and "period" read as PerfHub's fields
    assert form["column_code"].initial == "code" and form["column_period"].initial == "period"
    html = response.content.decode()
    assert 'hx-post="%s"' % reverse("imports:mapping_editor", args=[run.pk]) in html
    assert '<option value="this_quarter_tq">this_quarter_tq</option>' in html


def test_the_live_preview_shows_the_first_rows_as_they_would_import_and_writes_nothing(db, client, bi_user):
    client.force_login(bi_user)
    run = run_for(HART, bi_user)
    form = client.get(reverse("imports:mapping_editor", args=[run.pk])).context["form"]
    post = editor_post(form, name="Hart", column_title="indicator", column_value="this_quarter_tq",
                       column_target="target_t", column_rag="status_code_s", column_period="", fixed_period="Q1 2014/15",
                       fixed_frequency="quarterly", words_rag="lg = Green\nla = Amber\nlr = Red")

    response = client.post(reverse("imports:mapping_editor", args=[run.pk]), post, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["imports/includes/mapping_preview.html"]
    rows = response.context["report"].rows
    assert len(rows) == 10 and [r.number for r in rows] == list(range(2, 12))
    assert {r.period for r in rows} == {"Q1 14-15"} and not response.context["report"].errors
    html = response.content.decode()
    assert "Quality of Customer Service Call Handling" in html and "95.9" in html
    assert Measure.objects.count() == 0 and Value.objects.count() == 0 and SavedMapping.objects.count() == 0


def test_the_editor_names_a_mapped_header_the_file_lacks_and_the_nearest_present(db, client, bi_user):
    client.force_login(bi_user)
    content = HART.read_bytes().replace(b"this_quarter_tq", b"this_qtr_tq", 1)
    run = ImportRun.objects.create(file_name=HART.name, content=content, mapping="hart-kpi-tiles",
                                   uploaded_by=bi_user)

    response = client.get(reverse("imports:mapping_editor", args=[run.pk]))

    assert response.status_code == 200 and "report" not in response.context
    assert "&#x27;this_quarter_tq&#x27; is not among the file&#x27;s headers (nearest: &#x27;this_qtr_tq&#x27;" \
        in response.content.decode()
    assert '<option value="this_quarter_tq" selected>this_quarter_tq (not in this file)</option>' \
        in response.content.decode()


def test_saving_again_makes_a_new_version_with_its_history_and_reason(db, client, bi_user):
    client.force_login(bi_user)
    run = run_for(HART, bi_user, mapping="hart-kpi-tiles")
    url = reverse("imports:mapping_editor", args=[run.pk])
    form = client.get(url).context["form"]
    first = client.post(url, editor_post(form, name="Hart tiles", action="save"))
    assert first.status_code == 302 and first["Location"] == run.get_absolute_url()
    run.refresh_from_db()
    assert run.mapping == "hart-tiles"

    form = client.get(url).context["form"]  # now opens the saved mapping
    assert form["name"].initial == "Hart tiles"
    client.post(url, editor_post(form, action="save", words_rag="lg = Green\nla = Amber\nlr = Red\nlu = ND\nld = ND\nlx = ND"))

    form = client.get(url).context["form"]
    client.post(url, editor_post(form, action="save"))  # no change: no new version
    client.post(url, editor_post(form, action="save"), HTTP_HX_REQUEST="true")  # a preview never saves

    stored = SavedMapping.objects.get()
    assert stored.version == 2 and stored.updated_by == bi_user
    assert "lx" in tomllib.loads(stored.toml)["words"]["rag"]
    history = list(stored.history.order_by("history_date"))
    assert [h.version for h in history] == [1, 2]
    assert {h.history_change_reason for h in history} == {f"Saved in the mapping editor for {HART.name}"}
    assert {h.history_user for h in history} == {bi_user}


@pytest.mark.parametrize("file_name, shipped", [
    ("kent-cc-qpr-kpis-2024-25-q3.csv", "kent-qpr"), ("kent-cc-budget-risk-register-2025-26.csv", "kent-budget-risks"),
])
def test_editing_a_mapping_keeps_the_rules_the_editor_does_not_show(db, client, bi_user, file_name, shipped):
    client.force_login(bi_user)
    run = run_for(FIXTURES / file_name, bi_user)
    url = reverse("imports:mapping_editor", args=[run.pk]) + f"?from={shipped}"
    form = client.get(url).context["form"]

    client.post(url, editor_post(form, name="Kent (ours)", action="save"))

    assert as_fields(saved.load("Kent (ours)")) == {
        **as_fields(mappings.load(shipped)), "name": "Kent (ours)",
    }


def test_a_shipped_examples_name_cannot_be_taken(db, client, bi_user):
    client.force_login(bi_user)

    response = upload_mapping(client, shipped_text("perfhub"), name="perfhub")

    assert response.status_code == 400 and SavedMapping.objects.count() == 0
    assert "is the name of a shipped example mapping" in response.content.decode()


def test_an_upload_that_is_not_a_mapping_says_why(db, client, bi_user):
    client.force_login(bi_user)

    bad_toml = upload_mapping(client, 'name = "x"\n[columns\n')
    no_field = upload_mapping(client, 'name = "x"\n[columns]\nfigure = "Value"\n')

    assert "is not valid TOML" in bad_toml.content.decode()
    assert "PerfHub has no field figure" in no_field.content.decode()
    assert SavedMapping.objects.count() == 0


def test_the_command_takes_a_saved_mapping_by_name(db, capsys):
    saved.save_mapping("Hart tiles", shipped_text("hart-kpi-tiles"))

    call_command("import_figures", str(HART), "--mapping", "Hart tiles")

    out = capsys.readouterr().out
    assert "45 created" in out
    assert "All 46 rows of the file: 45 read as figures; 1 the header row." in out
    assert Measure.objects.count() == 45


def test_a_file_no_mapping_fits_offers_the_editor(db, client, bi_user):
    client.force_login(bi_user)
    run = ImportRun.objects.create(file_name="ours.csv", content=b"KPI,When,Figure\nBins,Oct-20,3\n",
                                   uploaded_by=bi_user)

    response = client.get(run.get_absolute_url())

    html = response.content.decode()
    assert "No mapping fits ours.csv" in html and "make a mapping for it in the mapping editor" in html
    assert reverse("imports:mapping_editor", args=[run.pk]) in html


def test_a_saved_mapping_is_recognised_from_the_files_headers(db, import_path):
    saved.save_mapping("Ours", 'name = "Ours"\n[columns]\ntitle = "KPI"\nperiod = "When"\nvalue = "Figure"\n')
    report = import_file(b"KPI,When,Figure\nBins,Oct-20,3\n", "ours.csv")

    assert report.written and report.mapping == "Ours"


def test_the_import_page_offers_saved_mappings_and_imports_through_the_one_chosen(
        db, client, bi_user, django_capture_on_commit_callbacks):
    client.force_login(bi_user)
    saved.save_mapping("Hart tiles", shipped_text("hart-kpi-tiles"))
    assert ("hart-tiles", "Hart tiles (saved, version 1)") in client.get(reverse("imports:upload")).context[
        "form"].fields["mapping"].choices

    client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile(HART.name, HART.read_bytes()), "mapping": "hart-tiles", "sheet": "",
        "status": "draft", "reason": ""})
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(run.get_absolute_url())  # the import runs as a job in the worker

    run.refresh_from_db()
    assert run.mapping == "hart-tiles" and run.imported_at is not None
    q1 = periods.parse_period("Q1 2014/15")
    assert Value.objects.filter(period__kind=q1.kind, period__start=q1.start).count() == 45
