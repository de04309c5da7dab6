"""Charts drawn as SVG for paper, from the same figures as the screen's charts."""

from decimal import Decimal

from presentation import charts
from presentation.svg import chart_svg, nice_ticks


def test_ticks_are_round_numbers_covering_the_figures():
    assert nice_ticks(0, 100) == [0, 25, 50, 75, 100]
    assert nice_ticks(3.1, 5.7) == [3, 4, 5, 6]


def test_a_missing_figure_breaks_the_line_instead_of_joining_across_it():
    chart = charts.trend("Trend", ["Oct-19", "Nov-19", "Dec-19", "Jan-20"], {"Value": [Decimal(1), Decimal(2), None, Decimal(4)]})
    svg = chart_svg(chart)
    assert svg.count("<polyline") == 1  # Oct-Nov only: Jan stands alone as a point
    assert svg.count("<circle") == 3
    assert "<title" in svg and "Trend" in svg


def test_the_axis_carries_the_unit_given_to_the_figure():
    chart = charts.trend("Trend", ["2017", "2018"], {"Value": [Decimal(70), Decimal(71)]})
    chart.figure["layout"]["yaxis"]["title"] = {"text": "%"}
    assert ">%</text>" in chart_svg(chart)


def test_a_doughnut_draws_a_slice_per_category_with_a_count_and_the_total():
    chart = charts.doughnut("Risks", {"High": 4, "Medium": 9, "Low": 0}, charts.LEVEL_COLOURS)
    svg = chart_svg(chart)
    assert svg.count("<path") == 2 and ">13</text>" in svg and "Low: 0" in svg


def test_a_bar_chart_draws_a_bar_per_category_in_its_colour():
    chart = charts.counts_bar("RAG", {"Red": 6, "Amber": 22}, charts.RAG_COLOURS)
    svg = chart_svg(chart)
    assert svg.count("<rect") == 2 and charts.RAG_COLOURS["Red"] in svg


def test_on_screen_a_lines_points_are_markers_and_a_point_alone_a_circle():
    chart = charts.trend("Trend", ["Oct-19", "Nov-19", "Dec-19", "Jan-20"], {"Value": [Decimal(1), Decimal(2), None, Decimal(4)]})
    chart.id = "t"
    svg = chart_svg(chart, screen=True)
    assert svg.count("<polyline") == 1 and 'marker-mid="url(#t-point-0)"' in svg
    assert svg.count('<marker id="t-point-0"') == 1
    assert svg.count("<circle") == 2  # the marker's and Jan-20's
