"""Charts carry the same figures as the tables beside them."""

import json
import re
from decimal import Decimal

from django.template.loader import render_to_string

from presentation import charts


def test_trend_table_has_a_row_per_period_and_a_column_per_series():
    chart = charts.trend(
        "Rates of children in care per 10,000",
        ["Sep-20", "Oct-20"],
        {"Value": [Decimal("71.2"), Decimal("70")], "Target": [None, Decimal("60")]},
        formatter=lambda v: f"{v:.2f}",
    )
    assert chart.headers == ["Period", "Value", "Target"]
    assert chart.rows == [["Sep-20", "71.20", ""], ["Oct-20", "70.00", "60.00"]]
    assert [trace["y"] for trace in chart.figure["data"]] == [[71.2, 70.0], [None, 60.0]]


def figure_data(html, chart_id):
    block = re.search(rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', html, re.S)
    assert block, html
    return json.loads(block.group(1))


def test_an_interactive_charts_html_is_an_empty_plot_div_and_its_figure_as_a_json_data_block():
    chart = charts.counts_bar("Measures by RAG", {"Red": 6, "Amber": 22}, charts.RAG_COLOURS, chart_id="rag")
    chart.interactive = True
    html = str(chart.html)
    assert '<div id="rag" class="app-chart__plot"></div>' in html
    figure = figure_data(html, "rag")
    assert figure["data"][0]["x"] == ["Red", "Amber"] and figure["data"][0]["y"] == [6, 22]
    assert figure["layout"]["height"] == 320
    assert 'role="img"' in html and "The table beside it" in html
    assert chart.rows == [["Red", "6"], ["Amber", "22"]]


def test_chart_html_has_no_script_to_run_nor_any_from_elsewhere():
    chart = charts.counts_bar("Measures by RAG", {"Red": 6}, charts.RAG_COLOURS, chart_id="rag")
    assert "<script" not in str(chart.html)
    chart.interactive = True
    html = str(chart.html)
    assert re.findall(r"<script[^>]*>", html) == ['<script id="rag-data" type="application/json">']
    assert "Plotly.newPlot" not in html and "cdn" not in html.lower()


def test_figure_text_cannot_close_its_data_block():
    chart = charts.counts_bar("Tricky", {"</script><script>alert(1)</script>": 1}, {}, chart_id="tricky")
    assert "<script>" not in str(chart.html)  # as SVG: the text is escaped
    chart.interactive = True
    html = str(chart.html)
    assert html.count("</script>") == 1
    assert figure_data(html, "tricky")["data"][0]["x"] == ["</script><script>alert(1)</script>"]


def test_a_wide_table_goes_under_its_chart_and_a_narrow_one_beside_it():
    heat_map = charts.heat_map("Risks", {(3, 4): 1}, [1, 2, 3, 4, 5], [1, 2, 3, 4, 5])
    counts = charts.counts_bar("Measures by RAG", {"Red": 6}, charts.RAG_COLOURS)
    assert heat_map.wide and not counts.wide
    html = render_to_string("includes/chart.html", {"chart": heat_map})
    assert html.count("govuk-grid-column-full") == 2
    assert "govuk-grid-column-one-third" in render_to_string("includes/chart.html", {"chart": counts})


def test_a_measures_trend_runs_on_a_date_axis_so_a_gap_shows_as_a_gap():
    from datetime import date

    chart = charts.trend(
        "Children in care", ["Oct-19", "Oct-20", "Nov-20"],
        {"Value": [Decimal(60), Decimal(67), Decimal(70)], "Target": [Decimal(60), Decimal(60), Decimal(55)]},
        dates=[date(2019, 10, 31), date(2020, 10, 31), date(2020, 11, 30)],
        notes=["", "Reviews of permanence planning.", ""], unit="No.",
    )
    value, target = chart.figure["data"]
    assert chart.figure["layout"]["xaxis"]["type"] == "date"
    assert value["x"] == ["2019-10-31", "2020-10-31", "2020-11-30"]
    assert target["line"]["shape"] == "hv"  # the target steps from period to period
    assert "Reviews of permanence planning." in value["text"][1]
    assert chart.figure["layout"]["yaxis"]["title"]["text"] == "No."
    assert [row[0] for row in chart.rows] == ["Oct-19", "Oct-20", "Nov-20"]  # the table keeps the labels


def test_a_chart_that_is_not_interactive_is_svg_drawn_here_with_its_text_alternative():
    chart = charts.counts_bar("Measures by RAG", {"Red": 6, "Amber": 22}, charts.RAG_COLOURS, chart_id="rag")
    html = str(chart.html)
    assert 'role="img"' in html and "Chart: Measures by RAG. The table beside it" in html
    assert '<svg id="rag"' in html and 'aria-hidden="true"' in html
    assert "app-chart__plot" not in html and "application/json" not in html
    assert html.count("<rect") == 2


def test_only_the_measure_pages_charts_are_interactive():
    heat = charts.heat_map("Risks", {(1, 2): 3}, [1, 2], [1, 2])
    doughnut = charts.doughnut("Trends", {"Improving": 2}, charts.TREND_COLOURS)
    assert not heat.interactive and not doughnut.interactive
    assert "<svg" in str(heat.html) and ">3</text>" in str(heat.html)
