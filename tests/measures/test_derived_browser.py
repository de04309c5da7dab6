"""Issue 21's pages in a real headless Chromium, each scanned by axe: the report of validation
rules broken, a measure page with roll-ups and a forecast, My measures with a numerator and
denominator and a flagged figure confirmed, and the targets page's profile."""

import os
from decimal import Decimal as D

import pytest

from measures.checks import ERROR
from measures.models import Target, ValidationRule, Value
from tests.factories import MeasureFactory, ServiceFactory, TargetFactory, ValueFactory, month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_rules_report_lists_a_broken_rule_and_passes_axe(bi_page, axe, artifacts):
    ValueFactory(measure=MeasureFactory(code="ASCALL"), period=month(2020, 10), value=D(10))
    ValueFactory(measure=MeasureFactory(code="ASC65"), period=month(2020, 10), value=D(12))
    ValidationRule.objects.create(name="65+ within all", left="ASC65", operator="<=", right="ASCALL",
                                  importance=ERROR, message="Admissions of people aged 65+ cannot exceed all admissions")
    bi_page.goto("/framework/rules/broken/")
    axe(bi_page)
    bi_page.get_by_label("Period").fill("2020-10")
    bi_page.get_by_role("button", name="Check the period").click()
    bi_page.locator("table").wait_for()
    assert "Admissions of people aged 65+ cannot exceed all admissions" in bi_page.locator("table").inner_text()
    bi_page.screenshot(path=os.path.join(artifacts, "rules-broken.png"), full_page=True)
    axe(bi_page)


def test_a_measure_page_with_roll_ups_and_a_forecast_passes_axe(bi_page, axe, artifacts):
    measure = MeasureFactory(title="Admissions to care", aggregation="sum", polarity="lower")
    for m, figure in zip(range(4, 10), [90, 95, 100, 105, 110, 120]):
        ValueFactory(measure=measure, period=month(2020, m), value=D(figure), status=Value.Status.PUBLISHED)
    TargetFactory(measure=measure, period=month(2020, 4), value=D(100))
    bi_page.goto(f"/measures/{measure.pk}/")
    assert "Roll-ups" in bi_page.locator("#roll-ups").inner_text()
    assert "Forecast by the trend" in bi_page.locator("body").inner_text()
    bi_page.screenshot(path=os.path.join(artifacts, "measure-roll-ups.png"), full_page=True)
    axe(bi_page)


def test_two_figures_entered_and_an_unusual_one_confirmed_on_my_measures(bi_page, axe, artifacts):
    service = ServiceFactory(name="Care & Protection")
    measure = MeasureFactory(title="CP rate", service=service, unit="Rate per 10,000", decimal_places=2,
                             numerator_label="Children on a plan", denominator_label="Population aged 0-17",
                             maximum=D(45), polarity="none")
    bi_page.goto("/my-measures/?period=2020-10")
    bi_page.get_by_label("Children on a plan").fill("336")
    bi_page.get_by_label("Population aged 0-17").fill("67878")
    bi_page.get_by_role("button", name="Save as draft").click()
    bi_page.locator(".govuk-error-summary").wait_for()
    axe(bi_page)
    bi_page.get_by_label("Why this unusual figure is right").fill("A sibling group of nine")
    bi_page.get_by_role("button", name="Save as draft").click()
    bi_page.locator(".govuk-notification-banner--success").wait_for()
    bi_page.screenshot(path=os.path.join(artifacts, "my-measures-parts.png"), full_page=True)
    value = Value.objects.get(measure=measure)
    assert (value.value, value.flag_reason) == (D("49.5006"), "A sibling group of nine")


def test_a_target_profile_through_the_targets_page(bi_page, axe):
    measure = MeasureFactory(title="Admissions", aggregation="sum")
    bi_page.goto(f"/framework/measures/{measure.pk}/targets/?year=2020-21")
    bi_page.get_by_label("Target for the whole year 2020-21").fill("1200")
    bi_page.get_by_label("Spread the whole year's target over the months").select_option("cumulative")
    axe(bi_page)
    bi_page.get_by_role("button", name="Save the targets").click()
    bi_page.locator(".govuk-notification-banner--success").wait_for()
    monthly = Target.objects.filter(measure=measure, period__kind="month").order_by("period__start")
    assert [t.value for t in monthly][::11] == [D(100), D(1200)]
