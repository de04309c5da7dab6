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
