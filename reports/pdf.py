"""PDF copies of report pages, drawn by WeasyPrint from the same HTML as the print view.

Stylesheets and images are read from our own static files, never fetched over the network:
the page's URLs are resolved against the request, and anything under STATIC_URL is opened
from the file the static files finders (or, after collectstatic, STATIC_ROOT) hold.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse

STATIC_PATH = "/" + settings.STATIC_URL.lstrip("/")


def static_fetcher(url):
    """WeasyPrint's url_fetcher: our static files only."""
    import weasyprint

    path = urlsplit(url).path
    if path.startswith(STATIC_PATH):
        name = path[len(STATIC_PATH):]
        found = finders.find(name) or _collected(name)
        if found:
            return {"string": Path(found).read_bytes(), "mime_type": None, "redirected_url": url}
    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url)
    raise ValueError(f"PDFs load only PerfHub's own static files, not {url}")


def _collected(name):
    path = Path(settings.STATIC_ROOT) / name
    return path if path.is_file() else None


def pdf_response(request, html, filename):
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=static_fetcher,
        media_type="print",
    )
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
