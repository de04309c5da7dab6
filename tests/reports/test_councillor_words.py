"""What councillors and officers read (issue 18): no Python `None` on pages (finding 16); a
figure without a target is "Not rated (no target)", not a grey "No data", and the chart names ND
in words (finding 17); one period label everywhere, a quarter as a quarter, a year's chart ticked
at its years and a single figure's axis not in milliseconds (finding 18)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from measures import periods
from measures.models import Measure, Period, Value
from measures.rating import RAG, Polarity, rag_words
from presentation import charts
from reports import selectors
from tests.factories import CommitteeFactory, MeasureFactory, TargetFactory, ValueFactory
from tests.reports.conftest import table_rows

pytestmark = pytest.mark.django_db


def period(kind, day):
    return Period.for_span(periods.span(kind, day))


def published(measure, kind, day, figure="10"):
    return ValueFactory(measure=measure, period=period(kind, day), value=Decimal(figure),
                        status=Value.Status.PUBLISHED)


def test_rag_words_say_why_a_figure_is_not_rated():
    assert rag_words(RAG.ND, None) == "No data"
    assert rag_words(RAG.ND, Decimal(5), None, Polarity.HIGHER) == "Not rated (no target)"
    assert rag_words(RAG.ND, Decimal(5), Decimal(4), Polarity.NONE) == "Not rated (no polarity)"
    assert rag_words(RAG.RED, Decimal(5), Decimal(9), Polarity.HIGHER) == "Red"


def test_a_figure_without_a_target_is_not_rated_on_the_dashboard_and_measure_page(client, member):
    measure = MeasureFactory(title="Safeguarding concerns received")
    published(measure, periods.MONTH, date(2020, 10, 1))
    client.force_login(member)
    html = client.get(reverse("dashboard"), {"as_at": "2020-10"}).content.decode()
    assert [row[6] for row in table_rows(html, "app-table")] == ["Not rated (no target)"]
    assert table_rows(html, "app-chart__table")[-1] == ["No data or not rated", "1"]
    assert "No data or not rated</strong>: 1</li>" in html
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Not rated (no target)" in page
    assert ">No data<" not in page


def test_measure_page_says_no_service_and_no_committee_in_words(client, member):
    measure = MeasureFactory(service=None)
    client.force_login(member)
    html = client.get(measure.get_absolute_url()).content.decode()
    assert "Not assigned to a service" in html and "Not reported to a committee" in html
    assert ">None<" not in html


def test_my_measures_says_there_is_no_figure_a_year_earlier_in_words(client, lead):
    measure = MeasureFactory(service=lead.led_services.first())
    client.force_login(lead)
    html = client.get(reverse("my_measures")).content.decode()
    assert measure.title in html
    assert ">None<" not in html


def test_a_quarter_is_shown_as_a_quarter_on_the_dashboard(client, member):
    committee = CommitteeFactory()
    measure = MeasureFactory(frequency=Measure.Frequency.QUARTERLY, title="Quarterly")
    measure.committees.add(committee)
    value = published(measure, periods.QUARTER, date(2025, 7, 1))
    Value.objects.filter(pk=value.pk).update(rag=RAG.RED)
    client.force_login(member)
    html = client.get(reverse("dashboard"), {"as_at": "2025-09"}).content.decode()
    assert [row[2] for row in table_rows(html, "app-table")] == ["Q2 25-26"]
    # Appendix 1 keeps the committee paper's own label, the month the quarter ends.
    report = client.get(reverse("exception_report"), {"committee": committee.slug, "as_at": "2025-09"}).content.decode()
    assert [row[2] for row in table_rows(report, "app-exception-table")] == ["Sep-25"]


def test_an_annual_measure_is_labelled_alike_on_the_dashboard_table_and_chart(client, member):
    measure = MeasureFactory(frequency=Measure.Frequency.ANNUAL, title="Annual")
    for year in (2015, 2016, 2017):
        published(measure, periods.CALENDAR_YEAR, date(year, 1, 1))
    client.force_login(member)
    html = client.get(reverse("dashboard"), {"as_at": "2018-01"}).content.decode()
    assert [row[2] for row in table_rows(html, "app-table")] == ["2017"]
    history = selectors.measure_history(measure)
    chart = charts.measure_trend(measure, history)
    axis = chart.figure["layout"]["xaxis"]
    # Ticks at the years' own points and labelled as the tables label them: no monthly ticks.
    assert axis["ticktext"] == ["2015", "2016", "2017"]
    assert axis["tickvals"] == ["2015-12-31", "2016-12-31", "2017-12-31"]
    assert [row[0] for row in chart.rows] == ["2015", "2016", "2017"]


def test_a_single_figures_chart_is_ticked_at_its_period_not_in_milliseconds():
    chart = charts.trend("One figure", ["Term 1 (Autumn) 2020-21"], {"Value": [Decimal(5)]},
                         dates=[date(2020, 12, 31)])
    axis = chart.figure["layout"]["xaxis"]
    assert (axis["tickmode"], axis["tickvals"], axis["ticktext"]) == (
        "array", ["2020-12-31"], ["Term 1 (Autumn) 2020-21"])


def test_a_long_series_has_at_most_twelve_ticks_the_latest_among_them():
    dates = [periods.span(periods.MONTH, date(2015 + m // 12, m % 12 + 1, 1)).end for m in range(60)]
    labels = [periods.month_label(d) for d in dates]
    axis = charts.trend("Long", labels, {"Value": [Decimal(1)] * 60}, dates=dates).figure["layout"]["xaxis"]
    assert len(axis["ticktext"]) <= 12 and axis["ticktext"][-1] == "Dec-19"
