"""PDF copies of report pages, drawn by WeasyPrint from the same HTML as the print view.

Stylesheets and images come from our own static files, never over the network: the page's
URLs resolve against the request, and anything under STATIC_URL is read from the file the
static files finders (or, after collectstatic, STATIC_ROOT) hold. Any other URL is refused.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PATH = "/" + settings.STATIC_URL.lstrip("/")
# About three times the demo's exception report (88,000 characters of HTML, a few seconds).
PDF_MAX_CHARACTERS = 250_000
# The words people write (commentary, stories, contacts) are bounded, not the report: a report's
# rows and charts grow with the framework, which the council sets; its free text with whatever is
# typed. 250,000 characters of free text is about 60 fields each filled to their 4,000.
FREE_TEXT_MAX_CHARACTERS = 250_000

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


def pdf_response(request, html, filename, free_text=None):
    """The PDF of `html`; a page saying why instead when it is too long to lay out in bounded
    time (WeasyPrint's work grows with the text and holds a worker while it runs). Where the view
    gives `free_text`, the characters of commentary-like text the report holds, that is what is
    bounded (FREE_TEXT_MAX_CHARACTERS), however many measures the report has; else the HTML."""
    length, limit = (len(html), PDF_MAX_CHARACTERS) if free_text is None else (free_text, FREE_TEXT_MAX_CHARACTERS)
    if length > limit:
        query = request.GET.copy()
        query.pop("format", None)
        context = {"length": length, "limit": limit, "query": query.urlencode(),
                   "free_text": free_text is not None}
        return render(request, "reports/pdf_too_long.html", context, status=400)
    document = render_pdf(html, request.build_absolute_uri("/"))
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
