"""The import page through the test client: upload, preview, confirm, template, permissions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportRun
from jobs.models import Job
from measures.models import Measure, Value
from tests.imports.test_figures import HEADER, counts, csv_bytes, row


def upload(client, content, name="figures.csv", **fields):
    data = {"file": SimpleUploadedFile(name, content), "mapping": "", "sheet": "", "status": "draft",
            "reason": "", **fields}
    return client.post(reverse("imports:upload"), data)


def test_upload_previews_each_row_and_writes_nothing_until_confirmed(client, bi_user, django_capture_on_commit_callbacks):
    client.force_login(bi_user)
    response = upload(client, csv_bytes([HEADER, row("M1"), row("M2", "Fly-tipping")]))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()

    preview = client.get(run.get_absolute_url())
    assert preview.status_code == 200
    assert [r.action for r in preview.context["report"].rows] == ["created", "created"]
    assert Measure.objects.count() == 0 and Value.objects.count() == 0
    assert "Import 2 rows" in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(run.get_absolute_url())
    job = Job.objects.get()
    assert confirmed.status_code == 302 and confirmed["Location"] == job.get_absolute_url()
    assert Value.objects.count() == 2
    run.refresh_from_db()
    assert run.imported_at is not None and run.summary["created"] == 2
    page = client.get(job.get_absolute_url()).content.decode()
    assert "figures.csv is imported: 2 created" in page and "2 of 2 rows written" in page
    assert f'href="{run.get_absolute_url()}"' in page

    progress = client.get(reverse("imports:progress", args=[run.pk])).json()
    assert progress == {"done": 2, "total": 2, "imported": True}


def test_the_preview_lists_unusual_figures_as_warnings_and_the_import_keeps_them(
        client, bi_user, django_capture_on_commit_callbacks):
    client.force_login(bi_user)
    upload(client, csv_bytes([["Code", "Measure", "Period", "Value", "Maximum"], ["REV", "Reviews", "Oct-20", "99", "95"]]))
    run = ImportRun.objects.get()
    html = client.get(run.get_absolute_url()).content.decode()
    assert "Warnings: validation rules broken and unusual figures" in html
    assert "row 2: 99 is above the measure&#x27;s maximum of 95" in html
    with django_capture_on_commit_callbacks(execute=True):  # the worker's import job
        client.post(run.get_absolute_url())
    assert Value.objects.get().flags == ["99 is above the measure's maximum of 95"]


def test_a_bad_file_shows_its_row_errors_and_no_confirm_button(client, bi_user, django_capture_on_commit_callbacks):
    client.force_login(bi_user)
    upload(client, csv_bytes([HEADER, row("M1"), row("M2", "Fly-tipping", target="12..5")]))
    run = ImportRun.objects.get()
    before = counts()

    response = client.get(run.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 400
    assert "row 3, Target: &#x27;12..5&#x27; is not a number" in html
    assert "govuk-error-summary" in html and 'id="confirm-import"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(run.get_absolute_url())
    assert counts() == before
    # Confirmed all the same, the job fails and says why, on its page and to the BI team.
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "1 rows refused, nothing imported" in job.error
    page = client.get(response["Location"]).content.decode()
    assert "The job failed" in page and "1 rows refused, nothing imported" in page
    [note] = bi_user.notifications.all()
    assert note.kind == "job_failed" and note.url == job.get_absolute_url()


def test_a_file_no_mapping_fits_is_refused_with_the_reason(client, bi_user):
    client.force_login(bi_user)
    upload(client, csv_bytes([["Name", "Score"], ["A", "1"]]))

    response = client.get(ImportRun.objects.get().get_absolute_url())

    assert response.status_code == 400
    assert "No mapping fits figures.csv" in response.content.decode()


def test_the_upload_form_shows_its_errors(client, bi_user):
    client.force_login(bi_user)
    response = client.post(reverse("imports:upload"), {"status": "draft"})

    assert response.status_code == 200
    assert "Choose a file to import" in response.content.decode()
    response = upload(client, b"x", name="figures.pdf")
    assert "must be a CSV, XLSX or ODS file" in response.content.decode()


def test_the_template_downloads_with_a_header_row_and_one_example_row(client, bi_user):
    client.force_login(bi_user)
    response = client.get(reverse("imports:template"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[0][:2] == ("Code", "Measure")
    assert rows[1][1].startswith("Percentage of care needs assessments")


def test_the_template_imports_as_it_downloads(client, bi_user):
    client.force_login(bi_user)
    content = client.get(reverse("imports:template")).content
    upload(client, content, name="perfhub-import-template.xlsx")

    response = client.get(ImportRun.objects.get().get_absolute_url())

    assert response.status_code == 200
    assert response.context["report"].mapping == "PerfHub template"
    assert [r.action for r in response.context["report"].rows] == ["created"]


@pytest.mark.parametrize("name", ["upload", "template"])
def test_only_the_bi_team_may_import(client, lead, member, name):
    for user in (lead, member):
        client.force_login(user)
        assert client.get(reverse(f"imports:{name}")).status_code == 403
    client.logout()
    assert client.get(reverse(f"imports:{name}")).status_code == 302
