"""Charts carry the same figures as the tables beside them."""

from decimal import Decimal

from reports import charts


def test_trend_table_has_a_row_per_period_and_a_column_per_series():
    chart = charts.trend(
        "Rates of children in care per 10,000",
        ["Sep-20", "Oct-20"],
        {"Value": [Decimal("71.2"), Decimal("70")], "Target": [None, Decimal("60")]},
        formatter=lambda v: f"{v:.2f}",
    )
    assert chart.headers == ["Period", "Value", "Target"]
    assert chart.rows == [["Sep-20", "71.20", ""], ["Oct-20", "70.00", "60.00"]]
    assert [trace.y for trace in chart.figure.data] == [(71.2, 70.0), (None, 60.0)]


def test_chart_html_draws_with_local_plotly_and_names_its_table():
    chart = charts.counts_bar("Measures by RAG", {"Red": 6, "Amber": 22}, charts.RAG_COLOURS, chart_id="rag")
    html = chart.html
    assert 'id="rag"' in html
    assert "Plotly.newPlot" in html
    assert "<script src" not in html and "cdn" not in html.lower()
    assert 'role="img"' in html and "The table beside it" in html
    assert chart.rows == [["Red", "6"], ["Amber", "22"]]
