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
