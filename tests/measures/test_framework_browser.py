"""The framework set-up pages in a real headless Chromium: axe scans, a year of targets entered
through the form, errors and all, and a formula and a validation rule checked on a period."""

import os
from decimal import Decimal

import pytest

from measures.models import Target, Value
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_year_of_targets_through_the_form_with_an_error_then_saved(bi_page, axe, artifacts):
    measure = MeasureFactory(title="Foster carers")
    page = bi_page
    page.goto(f"/framework/measures/{measure.pk}/targets/?year=2020-21")
    axe(page)
    page.get_by_label("Target for the whole year 2020-21").fill("215")
    page.get_by_label("Target for Oct-20", exact=True).fill("2..0")
    page.get_by_role("button", name="Save the targets").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Target for Oct-20: '2..0' is not a number" in summary.inner_text()
    page.screenshot(path=os.path.join(artifacts, "framework-targets.png"), full_page=True)
    axe(page)
    assert not Target.objects.exists()
    page.get_by_label("Target for Oct-20", exact=True).fill("220")
    page.get_by_role("button", name="Save the targets").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    assert sorted(Target.objects.values_list("value", flat=True)) == [Decimal("215"), Decimal("220")]


@pytest.mark.parametrize("path", ["/framework/", "/framework/measures/new/", "/framework/copy-year/",
                                  "/framework/rules/new/"])
def test_the_set_up_pages_pass_axe(bi_page, axe, artifacts, path):
    MeasureFactory(title="Foster carers")
    bi_page.goto(path)
    name = path.strip("/").replace("/", "-")
    bi_page.screenshot(path=os.path.join(artifacts, f"{name}.png"), full_page=True)
    axe(bi_page)


def test_a_measures_framework_is_previewed_then_copied_from_its_targets_page(bi_page, axe, artifacts):
    measure = MeasureFactory(title="Foster carers")
    TargetFactory(measure=measure, period=month(2020, 4), value=Decimal("10"))
    TargetFactory(measure=measure, period=month(2021, 4), value=Decimal("11"))
    page = bi_page
    page.goto(f"/framework/measures/{measure.pk}/targets/?year=2020-21")
    page.get_by_role("link", name="Copy this measure's framework for 2020-21 into 2021-22").click()
    page.get_by_role("button", name="Preview the copy").click()
    page.locator("#preview").wait_for()
    assert "Apr-21: 11 (the copy: 10)" in page.locator("table").inner_text()
    page.screenshot(path=os.path.join(artifacts, "framework-copy-preview.png"), full_page=True)
    axe(page)
    assert Target.objects.count() == 2
    page.get_by_label("Replace targets already set in the new year").check()
    page.get_by_role("button", name="Copy the framework").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    assert sorted(Target.objects.values_list("value", flat=True)) == [Decimal("10"), Decimal("10")]


def test_bands_learnt_from_published_ratings_are_applied_with_one_click(bi_page, axe, artifacts):
    """The BI team's journey: published ratings PerfHub's rule misses, the suggestion and its
    range read, one click, and the measure rated as the council rated it (axe on each page)."""
    from measures.services import rate_measure
    from tests.factories import ValueFactory

    measure = MeasureFactory(title="Calls answered in 20 seconds", code="CS02", unit="%")
    for number, figure, target, rag in ((7, "73.4", "75", "Green"), (8, "72.8", "76", "Amber"),
                                        (9, "60", "76", "Red"), (10, "74", "75", "Red")):
        TargetFactory(measure=measure, period=month(2020, number), value=Decimal(target))
        ValueFactory(measure=measure, period=month(2020, number), value=Decimal(figure), status="published",
                     reported_rag=rag)
    rate_measure(measure)
    page = bi_page
    page.goto("/framework/bands/")
    assert "Jul-20: 73.4/75 Green but Oct-20: 74/75 Red" in page.inner_text("main")
    page.screenshot(path=os.path.join(artifacts, "framework-bands.png"), full_page=True)
    axe(page)
    page.get_by_role("button", name="Apply to Calls answered in 20 seconds").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    axe(page)
    measure.refresh_from_db()
    assert measure.green_band > 0
    page.goto(f"/framework/measures/{measure.pk}/rule/")
    page.screenshot(path=os.path.join(artifacts, "framework-rule.png"), full_page=True)
    axe(page)


def test_a_formula_with_an_error_then_checked_on_a_period_passes_axe(bi_page, axe, artifacts):
    MeasureFactory(title="Children on a plan", code="CPPN")
    population = MeasureFactory(title="Children", code="POP17")
    rate = MeasureFactory(title="Plan rate", code="CPPR")
    ValueFactory(measure=population, period=month(2020, 10), value=Decimal(100), status=Value.Status.PUBLISHED)
    page = bi_page
    page.goto(f"/framework/measures/{rate.pk}/formula/")
    axe(page)
    page.get_by_label("Formula").fill("CPPN / NOPE")
    page.get_by_role("button", name="Check the formula").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "No measure has the code NOPE" in summary.inner_text()
    axe(page)
    page.get_by_label("Formula").fill("POP17 / 4")
    page.get_by_label("Try it on a period").fill("Oct-20")
    page.get_by_role("button", name="Check the formula").click()
    page.locator("#trial").wait_for()
    assert "25" in page.locator("#trial").inner_text()
    page.screenshot(path=os.path.join(artifacts, "framework-formula.png"), full_page=True)
    axe(page)


def test_a_rule_checked_on_a_period_passes_axe(bi_page, axe, artifacts):
    MeasureFactory(title="All admissions", code="ASCALL")
    MeasureFactory(title="Admissions aged 65+", code="ASC65")
    page = bi_page
    page.goto("/framework/rules/new/")
    page.get_by_label("Name").fill("65+ within all")
    page.get_by_label("Left side").fill("ASC65")
    page.get_by_label("Operator").select_option("<=")
    page.get_by_label("Right side").fill("ASCALL +")
    page.get_by_label("Message").fill("Admissions of people aged 65+ cannot exceed all admissions")
    page.get_by_role("button", name="Check the rule").click()
    page.locator(".govuk-error-summary").wait_for()
    axe(page)
    page.get_by_label("Right side").fill("ASCALL")
    page.get_by_label("Try it on a period").fill("2020-10")
    page.get_by_role("button", name="Check the rule").click()
    page.locator("#trial").wait_for()
    assert "not checked there" in page.locator("#trial").inner_text()
    page.screenshot(path=os.path.join(artifacts, "framework-rule.png"), full_page=True)
    axe(page)
