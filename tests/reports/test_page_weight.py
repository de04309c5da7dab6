"""What each page makes the browser fetch and run (issue 19): plotly.js only on the pages that
draw an interactive chart, and no page over the JavaScript budget, counted from the built files
the page names (and the modules they import), compressed as whitenoise serves them."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from measures.models import Measure
from reports.models import CommitteeSnapshot
from risks.models import Risk

BUDGET = 1_000_000  # bytes of JavaScript, compressed, on any page
SCRIPT = re.compile(r'<script[^>]*\bsrc="/static/([^"?]+)"')
IMPORT = re.compile(r'\bimport\s*(?:[^"\';]*?from\s*)?["\']([^"\']+)["\']')


def scripts(html):
    """The static scripts a page loads, with the modules they import."""
    found, queue = [], SCRIPT.findall(html)
    while queue:
        name = queue.pop()
        if name in found:
            continue
        found.append(name)
        path = finders.find(name)
        assert path, f"{name} is not among the built static files"
        with open(path, encoding="utf-8") as source:
            for module in IMPORT.findall(source.read()):
                if module.startswith("."):
                    base = name.rsplit("/", 1)[0]
                    parts = f"{base}/{module}".split("/")
                    resolved = []
                    for part in parts:
                        if part == "..":
                            resolved.pop()
                        elif part != ".":
                            resolved.append(part)
                    queue.append("/".join(resolved))
    return found


def compressed_size(name):
    with open(finders.find(name), "rb") as source:
        return len(gzip.compress(source.read(), compresslevel=9))


def page_urls():
    measure = Measure.objects.filter(values__isnull=False).order_by("pk").first()
    risk = Risk.objects.order_by("pk").first()
    urls = {
        "home": reverse("home"),
        "dashboard": reverse("dashboard") + "?as_at=2020-10",
        "exception report": reverse("exception_report") + "?committee=people-and-health&as_at=2020-10",
        "outcome report": reverse("outcome_report", args=["independent"]) + "?as_at=2018-09",
        "outcome index": reverse("outcome_index"),
        "SPC exceptions": reverse("spc_exceptions") + "?committee=people-and-health&as_at=2020-10",
        "snapshot list": reverse("snapshot_list"),
        "risk register": reverse("risks:list"),
        "risk page": reverse("risks:detail", args=[risk.code]),
        "measure page": reverse("measure_detail", args=[measure.pk]),
        "public index": "/public/",
    }
    snapshot = CommitteeSnapshot.objects.order_by("pk").first()
    if snapshot:
        urls["snapshot"] = reverse("snapshot_detail", args=[snapshot.pk])
    return urls


INTERACTIVE = {"measure page"}


@pytest.fixture
def pages(demo_council, client, bi_user):
    client.force_login(bi_user)
    found = {}
    for name, url in page_urls().items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        found[name] = scripts(response.content.decode())
    return found


def test_only_pages_with_an_interactive_chart_load_plotly(pages):
    loading = {name for name, names in pages.items() if any("plotly" in n for n in names)}
    assert loading == INTERACTIVE


def test_no_page_ships_more_javascript_than_the_budget(pages):
    weights = {name: sum(compressed_size(n) for n in names) for name, names in pages.items()}
    assert all(weight > 0 for weight in weights.values())  # every page starts GOV.UK Frontend
    assert {name: w for name, w in weights.items() if w > BUDGET} == {}
    # Pages without interactive charts carry no chart script at all.
    assert max(w for name, w in weights.items() if name not in INTERACTIVE) < 100_000


def test_the_plotly_bundle_is_the_partial_one_from_npm():
    assert finders.find("vendor/plotly/plotly-basic.min.js")
    assert not finders.find("vendor/plotly/plotly.min.js")
    assert compressed_size("vendor/plotly/plotly-basic.min.js") < BUDGET / 2
