"""The risk-register import refuses cells it cannot store, row by row, at every door
(the service, the command with --dry-run, the preview page), and never collides on codes."""

import csv
import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from imports.models import ImportRun
from imports.services import import_file
from risks.models import Risk

HEADER = ["directorate", "risk_title", "source_cause_of_risk", "risk_event", "consequence",
          "current_likelihood_1_5", "estimated_annual_financial_exposure_gbp_m",
          "estimated_lifetime_financial_exposure_gbp_m"]


def register(*risks):
    """A register in Kent's budget-risk layout; each risk is (title, likelihood)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for title, likelihood in risks:
        writer.writerow(["ASCH", title, "cause", "event", "consequence", likelihood, "1.5", ""])
    return out.getvalue().encode()


def run(content, **options):
    return import_file(content, "register.csv", "kent-budget-risks", **options)


@pytest.mark.parametrize("likelihood, why", [
    ("9", "The likelihood must be from 1 to 5 (it is 9)"),
    ("0", "The likelihood must be from 1 to 5 (it is 0)"),
    ("2.7", "the likelihood must be a whole number from 1 to 5 (it is 2.7)"),
    ("-1", "The likelihood must be from 1 to 5 (it is -1)"),
])
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_likelihood_off_the_scale_refuses_its_row_and_the_file(db, likelihood, why, dry_run):
    report = run(register(("Market sustainability", "3"), ("Home to school transport", likelihood)),
                 dry_run=dry_run)

    assert [row.action for row in report.rows] == ["created", "refused"]
    assert report.errors == [f"row 3, current_likelihood_1_5: {why}"]
    assert not report.written and Risk.objects.count() == 0


def test_a_likelihood_on_the_scale_is_stored(db):
    report = run(register(("Market sustainability", "1"), ("Home to school transport", "5")))

    assert report.written
    assert list(Risk.objects.values_list("likelihood", flat=True)) == [1, 5]


def test_the_command_dry_run_names_the_bad_cell_instead_of_a_traceback(db, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(register(("Market sustainability", "-1")))

    with pytest.raises(CommandError, match="row 2, current_likelihood_1_5: The likelihood must be"):
        call_command("import_figures", str(path), "--mapping", "kent-budget-risks", "--dry-run",
                     stdout=StringIO(), stderr=StringIO())
    assert Risk.objects.count() == 0


def test_the_preview_page_lists_the_bad_cell_instead_of_a_server_error(
        client, bi_user, django_capture_on_commit_callbacks):
    client.force_login(bi_user)
    client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile("register.csv", register(("Market sustainability", "-1"))),
        "mapping": "kent-budget-risks", "sheet": "", "status": "draft", "reason": "",
    })
    run_ = ImportRun.objects.get()

    preview = client.get(run_.get_absolute_url())
    assert preview.status_code == 400
    assert "The likelihood must be from 1 to 5 (it is -1)" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # confirmed all the same: the job fails
        confirm = client.post(run_.get_absolute_url())
    job_page = client.get(confirm["Location"]).content.decode()
    assert "The job failed" in job_page and "1 rows refused, nothing imported" in job_page
    assert Risk.objects.count() == 0


def test_a_retitled_risk_is_numbered_after_the_codes_in_use_instead_of_colliding(db):
    first = run(register(("Market sustainability", "3"), ("Home to school transport", "4")))
    assert first.written
    assert list(Risk.objects.values_list("code", "title")) == [
        ("KCC-BR-1", "Market sustainability"), ("KCC-BR-2", "Home to school transport")]

    again = run(register(("Market sustainability", "3"), ("Home to school transport (SEN)", "4")))

    assert again.written and [row.action for row in again.rows] == ["unchanged", "created"]
    assert Risk.objects.get(title="Home to school transport (SEN)").code == "KCC-BR-3"
    assert Risk.objects.get(code="KCC-BR-2").title == "Home to school transport"


def test_a_title_longer_than_a_risk_holds_refuses_its_row(db):
    report = run(register(("x" * 401, "3")))

    assert report.errors == ["row 2, risk_title: longer than 400 characters"]
    assert Risk.objects.count() == 0
