"""The fast export path gives exactly what django-tables2's `as_values` gives, for every table
PerfHub exports, and the CSV is streamed."""

from datetime import date

import pytest

from measures.models import Measure
from reports import selectors
from presentation.exports import table_values
from reports.tables import DashboardTable, ExceptionReportTable, LatestRows, MeasureValuesTable
from risks.views import RiskListView
from risks.tables import RiskTable

pytestmark = pytest.mark.django_db


def test_every_exported_table_gives_the_values_as_values_gives(demo_council):
    as_at = date(2021, 1, 31)
    committee = Measure.objects.filter(committees__isnull=False).first().committees.first()
    report = selectors.exception_report(committee, as_at)
    measures = selectors.with_latest_ratings(Measure.objects.performance(), as_at)
    measure = Measure.objects.filter(values__isnull=False).first()
    history = selectors.measure_history(measure)
    tables = [
        lambda: ExceptionReportTable(report.rows),
        lambda: DashboardTable(LatestRows(measures)),
        lambda: MeasureValuesTable(history.values, targets=history.targets, last_year=history.last_year),
        lambda: RiskTable(RiskListView().get_queryset()),
    ]
    for table in tables:
        expected = list(table().as_values())
        assert len(expected) > 2
        assert list(table_values(table())) == expected


def test_the_csv_is_streamed(demo_council, client, member):
    client.force_login(member)
    response = client.get("/dashboard/", {"_export": "csv"})
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="dashboard.csv"'
    assert response.getvalue().decode().splitlines()[0].startswith("Measure,Service,Period")


def test_the_plain_table_loop_renders_what_render_table_renders(demo_council, rf):
    import re

    from django.template import Context, Template
    from django.template.loader import render_to_string

    from presentation.exports import table_cells

    committee = Measure.objects.filter(committees__isnull=False).first().committees.first()
    rows = selectors.exception_report(committee, date(2021, 1, 31)).rows
    assert len(rows) > 2
    request = rf.get("/")

    def table():
        made = ExceptionReportTable(rows)
        made.caption = "Appendix 1"
        return made

    tables2 = Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table(), "request": request})
    )
    plain = render_to_string("tables/plain_table.html", {"table": (t := table()), "rows": table_cells(t)},
                             request=request)

    def tags(html):
        return re.sub(r"\s+", " ", re.sub(r"\s*(<[^>]*>)\s*", r"\1", html)).strip()

    assert tags(plain) == tags(tables2)
