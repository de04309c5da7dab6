"""A filter form's fields drawn in Python are byte for byte what includes/field.html and
Django's widget templates draw, in every state: empty, chosen, in error, with odd characters."""

import pytest
from django.forms.renderers import DjangoTemplates
from django.template.loader import render_to_string

from measures.filters import OutstandingFilter
from presentation.form_groups import WidgetRenderer, form_group_html
from reports.filters import DashboardFilter
from risks.filters import RiskFilter
from tests.factories import CommitteeFactory, OutcomeFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def choices(db):
    CommitteeFactory(name="People & Health", slug="people-and-health")
    ServiceFactory(name='Care "Protection" <new>', slug="care-protection")
    OutcomeFactory(name="Independent", short_name="Independent", slug="independent")


def templated(filterset_class, data):
    """Each field as the templates draw it."""
    form = filterset_class(data).form
    form.renderer = DjangoTemplates()
    return [render_to_string("includes/field.html", {"field": field}) for field in form]


def drawn(filterset_class, data):
    form = filterset_class(data).form
    form.renderer = WidgetRenderer()
    return [form_group_html(field) for field in form]


DASHBOARD_DATA = [
    {},
    {"committee": "people-and-health", "service": "care-protection", "outcome": "independent", "rag": "Red",
     "dot": "Worsening", "frequency": "monthly", "as_at": "2020-10", "q": "children", "variation": "concern",
     "assurance": "failing", "rollup": "qtr", "forecast": "miss"},
    {"committee": "nope", "service": "<b>", "rag": "Purple", "dot": "x", "frequency": "Weekly",
     "as_at": "2020-13", "q": '<script>"&\'', "variation": "?", "assurance": "?", "rollup": "?", "forecast": "?"},
]


@pytest.mark.parametrize("data", DASHBOARD_DATA)
def test_dashboard_filter_fields_draw_as_the_templates_do(choices, data):
    assert drawn(DashboardFilter, data) == templated(DashboardFilter, data)


@pytest.mark.parametrize("filterset_class", [RiskFilter, OutstandingFilter])
@pytest.mark.parametrize("data", [{}, {"q": "<&>", "month": "2020-13", "committee": "nope", "status": "?"}])
def test_other_filter_forms_draw_as_the_templates_do(choices, filterset_class, data):
    assert drawn(filterset_class, data) == templated(filterset_class, data)


def test_the_dashboard_filter_form_draws_its_widgets_in_python():
    assert isinstance(DashboardFilter({}).form.renderer, WidgetRenderer)
