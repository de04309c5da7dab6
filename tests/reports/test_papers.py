"""The committee papers: the PDFs WeasyPrint draws from the reports' print stylesheet."""

import re

import pytest

from reports.pdf import render_pdf

EXCEPTION_REPORT = "/reports/exception/"
PARAMS = {"committee": "people-and-health", "as_at": "2020-10"}


def page_texts(document):
    """The words on each page of a WeasyPrint document, its margin boxes included."""

    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", None) or []:
            yield from texts(child)

    return [" ".join(" ".join(texts(page._page_box)).split()) for page in document.pages]


@pytest.fixture
def exception_paper(demo_council, client, member):
    client.force_login(member)
    html = client.get(EXCEPTION_REPORT, PARAMS).content.decode()
    return page_texts(render_pdf(html, "http://testserver/"))


def test_the_demo_exception_report_fits_on_eight_a4_pages(exception_paper):
    assert 1 < len(exception_paper) <= 8


def test_each_page_names_the_committee_and_month_and_numbers_itself(exception_paper):
    total = len(exception_paper)
    for number, text in enumerate(exception_paper, start=1):
        assert "People and Health scrutiny committee · Exception report, as at Oct-20" in text
        assert f"Page {number} of {total}" in text


def test_no_page_prints_a_link_address(exception_paper):
    for text in exception_paper:
        assert not re.search(r"\(/[a-z]", text), text


def test_the_first_page_starts_the_table(exception_paper):
    assert "Rates of children in care per 10,000" in exception_paper[0]


def test_a_measure_is_never_split_across_pages(exception_paper):
    # A measure's title and the last words of its action are on the same page. Compared with
    # the spaces taken out, as a printed line may break inside a word ("anti- social").
    from datetime import date

    from measures.models import Committee
    from reports.selectors import exception_report

    def squeezed(text):
        return "".join(text.split())

    pages = [squeezed(text) for text in exception_paper]
    report = exception_report(Committee.objects.get(slug="people-and-health"), date(2020, 10, 31))
    assert len(report.rows) == 28
    for row in report.rows:
        title, tail = squeezed(row.indicator), squeezed(row.action)[-25:]
        [first] = [i for i, text in enumerate(pages) if title in text][:1]
        assert tail in pages[first], row.indicator


def tables_in(box):
    if type(box).__name__ == "TableBox":
        yield box
    for child in getattr(box, "children", None) or []:
        yield from tables_in(child)


@pytest.mark.parametrize("spc", [False, True])
def test_the_exception_table_is_laid_out_once_with_set_column_widths(demo_council, client, member, spc):
    # A fixed table layout: WeasyPrint lays each cell out once, rather than first measuring every
    # cell's narrowest and widest text to share out the columns (an automatic layout, about 40 %
    # of the paper's time). The words' columns keep their share, the figures' share the rest.
    client.force_login(member)
    html = client.get(EXCEPTION_REPORT, {**PARAMS, **({"spc": "1"} if spc else {})}).content.decode()
    document = render_pdf(html, "http://testserver/")
    [table] = list(tables_in(document.pages[0]._page_box))
    assert table.style["table_layout"] == "fixed"
    widths = [width / sum(table.column_widths) for width in table.column_widths]
    assert len(widths) == (12 if spc else 10)
    assert widths[0] > 0.2 and widths[1] > 0.15  # Indicator, Service
    assert sum(widths[:5]) > 0.55  # the commentary beneath spans these five
    assert len(document.pages) <= (8 if spc else 7)


def outcome_paper(client, member):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    member.refresh_from_db()  # load_demo set the demo member's password, and so its session hash
    client.force_login(member)
    response = client.get("/reports/outcomes/independent/", {"as_at": "2018-09", "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # The same page as WeasyPrint draws it, to look inside the pages.
    from datetime import date

    from django.template.loader import render_to_string

    from measures.models import Outcome
    from reports import outcomes

    report = outcomes.outcome_report(Outcome.objects.get(slug="independent"), date(2018, 9, 30))
    html = render_to_string("reports/outcomes/report.html", {"report": report, "pdf": True})
    return report, html, render_pdf(html, "http://testserver/")


def drawn_images(box):
    """How many SVG or bitmap images a WeasyPrint box holds."""
    own = 1 if type(box).__name__ in ("InlineReplacedBox", "BlockReplacedBox") else 0
    return own + sum(drawn_images(child) for child in getattr(box, "children", None) or [])


@pytest.mark.django_db
def test_the_outcome_report_pdf_carries_its_charts_as_svg(client, member):
    report, html, document = outcome_paper(client, member)
    charts = html.count('<svg class="app-chart__svg"')
    trend_charts = sum(1 for s in report.indicators for m in [s.headline, *s.measures] if m.chart)
    assert charts >= trend_charts + 3  # every trend line, and the summary's three doughnuts
    assert sum(drawn_images(page._page_box) for page in document.pages) >= charts


@pytest.mark.django_db
def test_no_page_of_the_outcome_report_pdf_is_near_empty(client, member):
    report, html, document = outcome_paper(client, member)
    for number, text in enumerate(page_texts(document), start=1):
        body = re.sub(r"Page \d+ of \d+", "", text).replace(
            f"Dorset Council · {report.outcome.name} · Outcomes Focused Monitoring Report {report.month}", ""
        )
        assert len(body) >= 250, (number, body)


@pytest.mark.django_db
def test_the_paper_charts_have_units_on_their_axes(client, member):
    report, html, _ = outcome_paper(client, member)
    assert 'rotate(-90)" text-anchor="middle" font-size="11" font-family="system-ui, sans-serif">%</text>' in html


def test_a_published_snapshot_has_a_pdf(demo_council, client, bi_user):
    from reports.models import CommitteeSnapshot

    client.force_login(bi_user)
    client.post("/reports/snapshots/publish/", {"committee": "people-and-health", "as_at": "2020-10", "meeting_date": "2021-01-28"})
    snapshot = CommitteeSnapshot.objects.get()
    response = client.get(snapshot.get_absolute_url(), {"format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "meeting-2021-01-28.pdf" in response["Content-Disposition"]


@pytest.mark.django_db
def test_the_outcome_report_contents_give_each_sections_page(client, member):
    # The page WeasyPrint puts each section on (its anchor's first page) is the number the
    # contents print beside its title, after the leader dots.
    report, html, document = outcome_paper(client, member)
    first_page = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
    contents = next(text for text in page_texts(document) if text.startswith("Contents"))
    entries = [("executive-summary", "Executive Summary")]
    entries += [(s.anchor, f"{s.indicator.number} {s.indicator.title}") for s in report.indicators]
    entries += [("key", "Key to risk and performance assessments"), ("contact", "Contact")]
    assert len(entries) > 4
    for anchor, title in entries:
        printed = re.search(re.escape(title) + r"[ .]*?(\d+)(?: |$)", contents)
        assert printed, title
        assert int(printed.group(1)) == first_page[anchor] > 2, title
    for number, page in enumerate(document.pages, start=1):
        assert not last_words_under_a_heading(page), number


def last_words_under_a_heading(page):
    """Whether the last words on a WeasyPrint page (its margin boxes aside) are in a heading."""
    last = False

    def walk(box, in_heading):
        nonlocal last
        if type(box).__name__ == "MarginBox":
            return
        in_heading = in_heading or getattr(box, "element_tag", None) in ("h1", "h2", "h3", "h4")
        if (getattr(box, "text", None) or "").strip():
            last = in_heading
        for child in getattr(box, "children", None) or []:
            walk(child, in_heading)

    walk(page._page_box, False)
    return last


def test_no_heading_is_left_alone_at_a_pages_foot():
    # WeasyPrint's own stylesheet keeps a heading with what follows it (break-after: avoid);
    # this holds the app's stylesheet to it. A heading followed by a block that is never split (a chart with its table), pushed down
    # the page a paragraph at a time: wherever the block no longer fits, its heading goes over
    # to the next page with it.
    chart = '<div class="app-chart"><p class="govuk-body">Figures</p>' + "<p>1</p>" * 12 + "</div>"
    for filler in range(0, 24):
        html = (
            '<html><head><link rel="stylesheet" href="/static/build/app.css"></head><body>'
            '<main class="app-report">' + '<p class="govuk-body">A paragraph.</p>' * filler
            + '<h3 class="govuk-heading-m">A measure</h3>' + chart + "</main></body></html>"
        )
        for page in render_pdf(html, "http://testserver/").pages:
            assert not last_words_under_a_heading(page), filler


@pytest.mark.django_db
def test_an_exception_report_pdf_is_bounded_by_its_words_not_its_rows(client, member, adult_care, bi_user):
    # 200 red measures with a line of commentary each: the page's markup passes the 250,000
    # characters that once refused it, its words are a fraction of their own bound (issue 18,
    # finding 11; issue 19's 800-row report). The snapshot's PDF is bounded the same way.
    from decimal import Decimal

    from measures.models import Value
    from reports import pdf
    from reports.models import CommitteeSnapshot
    from tests.factories import CommitteeFactory, MeasureFactory, ValueFactory

    committee = CommitteeFactory()
    for i in range(200):
        measure = MeasureFactory(title=f"Measure {i}", service=adult_care)
        measure.committees.add(committee)
        ValueFactory(measure=measure, value=Decimal(1), rag="Red", status=Value.Status.PUBLISHED,
                     commentary="Below target this month.", actions="Reviewed at the next meeting.")
    params = {"committee": committee.slug, "as_at": "2020-10"}
    client.force_login(member)
    assert len(client.get(EXCEPTION_REPORT, params).content) > pdf.PDF_MAX_CHARACTERS

    response = client.get(EXCEPTION_REPORT, {**params, "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")

    client.force_login(bi_user)
    client.post("/reports/snapshots/publish/", {**params, "meeting_date": "2021-01-28"})
    snapshot = CommitteeSnapshot.objects.get()
    response = client.get(snapshot.get_absolute_url(), {"format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
