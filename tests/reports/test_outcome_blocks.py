"""The outcome report's blocks written in Python (a measure under its indicator, a chart with its
table, a measure's points) give what the templates they replace wrote, and its figures need no
escaping."""

import html
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from measures.models import Measure
from presentation import charts
from reports import outcomes
from reports.variation import kept_spc
from tests.factories import MeasureFactory, ValueFactory, month

# reports/outcomes/report.html's loop over an indicator's measures, as the PDF's branch writes it.
MEASURE_TEMPLATE = """{% for measure in measures %}
    {% include "reports/outcomes/measure.html" %}
  {% endfor %}"""
POINTS_TEMPLATE = """{% for point in section.previous %}<span class="app-point" data-kind="previous">Previous ({{ point.period }}) {{ point.value }}{% if point.provisional %} Provisional{% endif %}</span>; {% endfor %}{% if section.latest %}<span class="app-point" data-kind="latest">Latest ({{ section.latest.period }}) {{ section.latest.value }}{% if section.latest.provisional %} Provisional{% endif %}</span>{% else %}No data yet: this is a new measure, so there is no trend{% endif %}"""


def section(title, figures, unit=Measure.Unit.PERCENT, spc=None, provisional=False, words=""):
    measure = Measure(pk=7, title=title, unit=unit, decimal_places=1)
    values = [
        outcomes.SeriesValue(label, Decimal(figure), provisional, "Red", "Worsening", words)
        for label, figure in figures
    ]
    return outcomes._measure_section(measure, {7: values}, {7: spc} if spc else {})


SECTIONS = [
    lambda: section("Adults & <carers>", [("Jan-21", "70.14"), ("Feb-21", "-0.04"), ("Mar-21", "1234.55")]),
    lambda: section("One figure", [("2020/21", "12")], unit=Measure.Unit.MONEY, provisional=True, words="a <b>"),
    lambda: section("No figures", []),
    lambda: section("SPC", [("Q1", "1"), ("Q2", "2")], spc=kept_spc("improvement", "high", "passing", True)),
    lambda: section("SPC, no assurance", [("Q1", "1"), ("Q2", "2")], spc=kept_spc("common", "", "")),
]


@pytest.mark.parametrize("make", SECTIONS)
def test_a_measures_block_is_what_the_reports_template_loop_wrote(make):
    shown = make()
    expected = Template(MEASURE_TEMPLATE).render(Context({"measures": [shown], "pdf": False}))
    assert shown.screen_html == expected


@pytest.mark.parametrize("make", SECTIONS)
def test_a_measures_points_are_what_points_html_wrote(make):
    shown = make()
    assert shown.points_html == Template(POINTS_TEMPLATE).render(Context({"section": shown}))
    assert render_to_string("reports/outcomes/points.html", {"section": shown}) == f"{shown.points_html}\n"


def test_a_chart_with_its_table_is_what_includes_chart_html_writes():
    made = [
        charts.trend("A & <b>", ["Jan & Feb", "Mar"], {"Value": [Decimal("1"), None], "<T>": [None, Decimal("2")]},
                     formatter=lambda v: f"<{v}>"),
        charts.doughnut("Risks by level", {"High": 2, "Low": 0}, charts.LEVEL_COLOURS),
        charts.heat_map("Heat", {(1, 1): 3}, [1, 2], [1, 2, 3, 4]),
        section("Plain figures", [("Jan-21", "1"), ("Feb-21", "2")]).chart,
    ]
    for chart in made:
        assert chart.screen_html == render_to_string("includes/chart.html", {"chart": chart})


def test_figures_as_the_report_prints_them_have_nothing_to_escape():
    # Chart.plain_figures leaves the outcome report's figures unescaped: number_figure's text must
    # never need it, in any unit.
    for unit in Measure.Unit.values:
        measure = Measure(unit=unit, decimal_places=2)
        for figure in ("0", "-0.001", "1", "12345678.905", "-98765.4321", "10000", "2500000"):
            text = outcomes.number_figure(measure, Decimal(figure))
            assert html.escape(text) == text, (unit, text)


def test_a_charts_labels_are_escaped_even_when_its_figures_are_plain():
    chart = charts.trend("c", ["<Jan>", "Feb & Mar"], {"Value": [Decimal(1), Decimal(2)]}, formatter=str)
    chart.plain_figures = True
    assert "&lt;Jan&gt;" in chart.table_body and "Feb &amp; Mar" in chart.table_body
    assert "<Jan>" not in chart.table_body


@pytest.mark.django_db
def test_the_series_leaves_out_values_with_no_figure():
    measure = MeasureFactory()
    ValueFactory(measure=measure, period=month(2020, 9), status="published", value=None)
    ValueFactory(measure=measure, period=month(2020, 10), status="published", value=Decimal("5"))
    series = outcomes._series([measure.pk], date(2020, 10, 31))
    assert [(v.period_label, v.value) for v in series[measure.pk]] == [("Oct-20", Decimal("5"))]
