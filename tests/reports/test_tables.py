"""The exception report's table markup, written once a row in Python, is the markup the cell by
cell template loop rendered before it, for live rows (with and without SPC) and a snapshot's."""

import re
from datetime import date

import pytest
from django.template import engines
from django.template.loader import render_to_string

from measures.models import Measure
from reports import selectors, variation
from reports.tables import ExceptionReportSPCTable, ExceptionReportTable, exception_rows

pytestmark = pytest.mark.django_db

# reports/includes/exception_table.html before measure_bodies: django-tables2's row.items loop.
CELL_BY_CELL = """
<table class="govuk-table app-table app-exception-table">
{% for row in table.paginated_rows %}
  <tbody class="govuk-table__body app-exception-row">
    <tr class="govuk-table__row app-exception-row__figures">
      {% for column, cell in row.items %}{% if column.name not in table.text_columns %}
        <td class="govuk-table__cell {{ column.attrs.td.class|default:'' }}" data-label="{{ column.header }}">{{ cell }}</td>
      {% endif %}{% endfor %}
    </tr>
    <tr class="govuk-table__row app-exception-row__texts" data-continues>
      {% for column, cell in row.items %}{% if column.name in table.text_columns %}
        <td class="govuk-table__cell app-exception-row__text" colspan="{% if forloop.last %}{{ table.text_colspan.1 }}{% else %}{{ table.text_colspan.0 }}{% endif %}" data-label="{{ column.header }}">{{ cell }}</td>
      {% endif %}{% endfor %}
    </tr>
  </tbody>
{% endfor %}
</table>"""


def bodies(html):
    """The table's measure rows, with the whitespace between tags left out."""
    html = re.sub(r"\s+", " ", re.sub(r"\s*(<[^>]*>)\s*", r"\1", html))
    return re.findall(r'<tbody class="govuk-table__body app-exception-row">.*?</tbody>', html)


def assert_same_markup(table_class, rows):
    before = bodies(engines["django"].from_string(CELL_BY_CELL).render({"table": table_class(rows)}))
    after = bodies(render_to_string("reports/includes/exception_table.html", {"table": table_class(rows)}))
    assert len(before) == len(rows) > 2
    assert after == before


@pytest.fixture
def report(demo_council):
    committee = Measure.objects.filter(committees__slug="people-and-health").first().committees.get(slug="people-and-health")
    return selectors.exception_report(committee, date(2020, 10, 31))


def test_live_rows_render_as_the_cell_by_cell_loop_rendered_them(report):
    assert_same_markup(ExceptionReportTable, report.rows)


def test_rows_with_the_spc_columns_render_as_before(report):
    assert_same_markup(ExceptionReportSPCTable, variation.attach(report.rows, date(2020, 10, 31)))


def test_a_snapshots_stored_rows_render_as_before(report):
    assert_same_markup(ExceptionReportTable, exception_rows(report.rows))


def test_an_empty_table_says_so():
    html = render_to_string("reports/includes/exception_table.html", {"table": ExceptionReportTable([])})
    assert "No measure was red or amber." in html


def page_markup(table, template, request):
    from django.template import Context, Template

    html = Template("{% load django_tables2 %}{% render_table table template %}").render(
        Context({"table": table, "template": template, "request": request})
    )
    return re.sub(r"\s+", " ", re.sub(r"\s*(<[^>]*>)\s*", r"\1", html)).strip()


def assert_quick_body_renders_as_govuk_table(make_table, request):
    before = page_markup(make_table(), "tables/govuk_table.html", request)
    after = page_markup(make_table(), "tables/quick_body_table.html", request)
    assert before.count("<tr") > 5
    assert after == before


def test_a_measures_values_render_as_the_cell_by_cell_table_rendered_them(demo_council, rf):
    from django_tables2 import RequestConfig

    from reports.tables import MeasureValuesTable

    measure = max(Measure.objects.all(), key=lambda m: m.values.count())
    history = selectors.measure_history(measure)
    request = rf.get("/", {"page": 1})

    def table():
        made = MeasureValuesTable(history.values, targets=history.targets, last_year=history.last_year)
        RequestConfig(request, paginate={"per_page": 25}).configure(made)
        return made

    assert_quick_body_renders_as_govuk_table(table, request)


def test_the_risk_register_renders_as_the_cell_by_cell_table_rendered_it(demo_council, rf):
    from django_tables2 import RequestConfig

    from risks.tables import RiskTable
    from risks.views import RiskListView

    request = rf.get("/", {"sort": "-score"})

    def table():
        made = RiskTable(RiskListView().get_queryset())
        RequestConfig(request, paginate={"per_page": 50}).configure(made)
        return made

    assert_quick_body_renders_as_govuk_table(table, request)


def test_an_empty_quick_table_says_so(rf):
    from reports.tables import MeasureValuesTable

    html = page_markup(MeasureValuesTable([]), "tables/quick_body_table.html", rf.get("/"))
    assert "No published figures yet." in html
