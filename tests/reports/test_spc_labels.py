"""SPC on the pages, issue 18: a gap in a series shown on the chart (finding 5); icons worked out
from synthetic history labelled wherever they appear (finding 6); the L, "neither" and
hit-and-miss icons, and the SPC chart in the measure's PDF (finding 7)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from measures import spc
from measures.models import Value
from measures.rating import RAG, Polarity
from measures.spc import Assurance, Nature
from tests.api.conftest import token_client
from tests.reports.conftest import table_rows
from tests.reports.test_spc_pages import AS_AT, series

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(committee):
    measure = series("Generated", Polarity.LOWER, 170, committee=committee, rag=RAG.RED)
    Value.objects.filter(measure=measure, period__start=date(2019, 1, 1)).update(synthetic=True)
    return measure


@pytest.fixture
def committee(db):
    from tests.factories import CommitteeFactory
    return CommitteeFactory()


def test_a_gap_in_the_series_is_drawn_and_said_on_the_spc_chart(client, member):
    measure = series("Gappy", Polarity.HIGHER, 100)
    Value.objects.filter(measure=measure, period__start=date(2019, 6, 1)).delete()
    client.force_login(member)
    html = client.get(measure.get_absolute_url()).content.decode()
    assert "with gaps (between May-19 and Jul-19)" in html
    assert "Gap: periods missing" in html
    rows = {row[0]: row for row in table_rows(html, "app-chart__table") if len(row) == 7}
    assert rows["Jul-19"][6].startswith("After a gap")


def test_the_dashboard_labels_icons_from_synthetic_history(client, member, generated):
    client.force_login(member)
    html = client.get(reverse("dashboard"), {"as_at": AS_AT}).content.decode()
    assert "(from synthetic history)" in html


def test_the_exception_report_with_spc_columns_labels_synthetic_history(client, member, generated, committee):
    client.force_login(member)
    params = {"committee": committee.slug, "as_at": AS_AT, "spc": "1"}
    assert "(from synthetic history)" in client.get(reverse("exception_report"), params).content.decode()
    exported = client.get(reverse("exception_report"), {**params, "_export": "csv"}).getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[1][-2].endswith("(from synthetic history)")


def test_the_spc_exceptions_page_and_csv_label_synthetic_history(client, member, generated, committee):
    client.force_login(member)
    params = {"committee": committee.slug, "as_at": AS_AT}
    html = client.get(reverse("spc_exceptions"), params).content.decode()
    assert "(from synthetic history)" in html
    exported = client.get(reverse("spc_exceptions"), {**params, "_export": "csv"}).getvalue().decode("utf-8-sig")
    assert "(from synthetic history)" in exported


def test_the_api_says_which_spc_comes_from_synthetic_history(member, generated, committee):
    api = token_client(member)
    found = api.get("/api/v1/measures/", {"as_at": AS_AT}).json()
    rows = found["results"] if isinstance(found, dict) else found
    assert {r["title"]: r["spc_synthetic"] for r in rows} == {"Generated": True}
    report = api.get("/api/v1/reports/exception/", {"committee": committee.slug, "as_at": AS_AT}).json()
    assert [r["spc_synthetic"] for r in report["rows"]] == [True]


def test_the_icons_for_low_values_neither_and_hit_and_miss():
    low = render_to_string("includes/spc_variation.html", {"variation": spc.Variation(Nature.CONCERN, "low")})
    assert 'aria-label="Special cause variation of a concerning nature: lower values"' in low
    assert ">L<" in low
    neither = render_to_string("includes/spc_variation.html", {"variation": spc.Variation(Nature.NEITHER, "high")})
    assert 'aria-label="Special cause variation of neither improving nor concerning nature: higher values"' in neither
    hit = render_to_string("includes/spc_assurance.html", {"assurance": Assurance.HIT_AND_MISS})
    assert 'aria-label="The process will hit and miss the target at random"' in hit
    assert "Hit and miss" in hit and ">?<" in hit


def test_the_measures_pdf_carries_its_spc_chart(client, member):
    measure = series("Carers approved", Polarity.HIGHER, 170)
    client.force_login(member)
    response = client.get(measure.get_absolute_url(), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from reports.pdf import render_pdf
    from reports.views import MeasureDetailView
    view = MeasureDetailView()
    request = response.wsgi_request
    view.setup(request, pk=measure.pk)
    view.object = view.get_object()
    html = render_to_string(view.template_name, view.get_context_data(), request=request)
    assert "Carers approved: SPC chart" in html
    assert "<svg" in html.split('id="spc"')[1]  # the SPC chart drawn on the server, not by plotly.js
    text = "".join(box.text for page in render_pdf(html, "http://testserver/").pages
                   for box in _text_boxes(page._page_box))
    assert "SPC chart" in text


def _text_boxes(box):
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", []):
        yield from _text_boxes(child)
