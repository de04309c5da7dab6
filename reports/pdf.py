"""PDF copies of report pages, drawn by WeasyPrint from the same HTML as the print view.

A committee paper is laid out at most once per published state (issue 19): `kept_pdf_response`
keeps each PDF in the shared cache under the page cache's version (measures.publication), so
the next request for it, by anyone, is served from the cache until something is published; a
snapshot's PDF is laid out when the snapshot is published and kept with it
(`CommitteeSnapshot.pdf`).

Stylesheets and images come from our own static files, never over the network: the page's
URLs resolve against the request, and anything under STATIC_URL is read from the file the
static files finders (or, after collectstatic, STATIC_ROOT) hold. Any other URL is refused.
"""

import logging
import mimetypes
from hashlib import sha256
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from measures.publication import VERSION_KEY, published_version

STATIC_PATH = "/" + settings.STATIC_URL.lstrip("/")
# About three times the demo's exception report (88,000 characters of HTML, a few seconds).
PDF_MAX_CHARACTERS = 250_000
# The words people write (commentary, stories, contacts) are bounded, not the report: a report's
# rows and charts grow with the framework, which the council sets; its free text with whatever is
# typed. 250,000 characters of free text is about 60 fields each filled to their 4,000.
FREE_TEXT_MAX_CHARACTERS = 250_000
# And the table rows, which WeasyPrint lays out one by one whatever their words: about 6 ms a row
# on 2 cores, so 4,000 rows (an exception report of 2,000 red or amber measures, an outcome report
# of about 60 monthly measures with five years each) is laid out within gunicorn's 30 seconds; a
# 250-measure outcome report of five years' months (15,904 rows) took over 80 s and 1.3 GB.
PDF_MAX_TABLE_ROWS = 4_000

# WeasyPrint warns about every screen-only rule of GOV.UK Frontend's stylesheet it skips
# (hundreds per PDF); those rules are meant to be skipped in print.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


class StaticFilesFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, limited to our static files and data: URLs."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = urlsplit(url).path
        if path.startswith(STATIC_PATH):
            found = _static_file(path[len(STATIC_PATH):])
            if found:
                mime_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": mime_type})
        raise ValueError(f"PDFs load only PerfHub's own static files, not {url}")


def _static_file(name):
    found = finders.find(name)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / name
    return collected if collected.is_file() else None


def render_pdf(html, base_url):
    """`html` (a whole page) laid out as a WeasyPrint document, styled by its print stylesheet."""
    return HTML(
        string=html, base_url=base_url, url_fetcher=StaticFilesFetcher(), media_type="print"
    ).render()


def pdf_bytes(html, request):
    """`html` laid out and written as a PDF."""
    return render_pdf(html, request.build_absolute_uri("/")).write_pdf()


def too_long(request, html, free_text=None):
    """The page saying why there is no PDF, when `html` is too long to lay out in bounded time
    (WeasyPrint's work grows with the text and the table rows, and holds a worker while it runs);
    else None. Where the view gives `free_text`, the characters of commentary-like text the report
    holds, that is what is bounded (FREE_TEXT_MAX_CHARACTERS), however many measures the report
    has; else the HTML. And the table rows, whatever their words (PDF_MAX_TABLE_ROWS)."""
    length, limit, what = (
        (len(html), PDF_MAX_CHARACTERS, "characters") if free_text is None
        else (free_text, FREE_TEXT_MAX_CHARACTERS, "characters of commentary and other written text")
    )
    if length <= limit:
        length, limit, what = html.count("<tr"), PDF_MAX_TABLE_ROWS, "table rows"
        if length <= limit:
            return None
    query = request.GET.copy()
    query.pop("format", None)
    context = {"length": length, "limit": limit, "what": what, "query": query.urlencode()}
    return render(request, "reports/pdf_too_long.html", context, status=400)


def attachment(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_response(request, html, filename, free_text=None):
    """The PDF of `html`, laid out now (see too_long for `free_text`)."""
    return too_long(request, html, free_text) or attachment(pdf_bytes(html, request), filename)


class KeptPDF:
    """A page's PDF in the shared cache, keyed by the page, its parameters and `extra` (what the
    parameters resolve to, e.g. the default committee), under the published version: read with
    the version in one round trip, and not served once something has been published since."""

    def __init__(self, page, request, *extra):
        params = sorted(request.GET.lists())
        digest = sha256(repr((page, params, extra)).encode()).hexdigest()
        self.key = f"perfhub:pdf:{digest}"
        found = cache.get_many([VERSION_KEY, self.key])
        self.version = found.get(VERSION_KEY) or published_version()
        kept = found.get(self.key)
        self.pdf = kept[1] if kept and kept[0] == self.version else None

    def store(self, pdf):
        cache.set(self.key, (self.version, pdf), timeout=settings.PERFHUB_PAGE_CACHE_SECONDS)


def kept_pdf_response(request, page, extra, build_html, filename):
    """The page's PDF from the cache, or laid out from `build_html()` and kept for the next
    request (with the page cache off, laid out every time). `build_html()` gives (the HTML, the
    characters of free text it holds, or None where the page bounds the HTML: too_long)."""
    kept = KeptPDF(page, request, *extra) if settings.PERFHUB_PAGE_CACHE else None
    if kept and kept.pdf is not None:
        return attachment(kept.pdf, filename)
    html, free_text = build_html()
    refused = too_long(request, html, free_text)
    if refused:
        return refused
    pdf = pdf_bytes(html, request)
    if kept:
        kept.store(pdf)
    return attachment(pdf, filename)
