"""Residents' pages in a real headless Chromium, signed out: the chart draws under the Content
Security Policy, and axe finds nothing serious; the API's docs run from our own static files."""

import os

import pytest

from tests.api.conftest import framework  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_watch(page):
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    return violations


def test_a_resident_reads_a_public_measure_and_snapshot(page, framework, axe, artifacts):  # noqa: F811
    violations = csp_watch(page)
    page.goto("/public/")
    axe(page)
    page.click("text=People supported at home")
    page.wait_for_selector(".app-chart .main-svg")
    assert page.locator("h1").inner_text() == "People supported at home"
    assert page.locator(".app-chart__table tbody tr").count() == 2
    page.screenshot(path=os.path.join(artifacts, "public-measure.png"), full_page=True)
    axe(page)
    page.goto("/public/")
    page.click("text=People and Health: meeting of 20 November 2020")
    page.wait_for_url("**/public/snapshots/**")
    assert page.locator("table.app-exception-table tbody tr").count() == 1
    axe(page)
    assert violations == []


def test_the_api_docs_draw_from_our_static_files_under_the_policy(page, live_server):
    violations = csp_watch(page)
    outside = []
    page.on("request", lambda r: not r.url.startswith(live_server.url) and outside.append(r.url))
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock-tag")
    assert "values" in page.locator(".swagger-ui").inner_text()
    assert violations == [] and [u for u in outside if not u.startswith("data:")] == []
