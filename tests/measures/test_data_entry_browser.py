"""A service lead enters a month in real headless Chromium, seeing the rating as they type."""

import os
from decimal import Decimal

import pytest

from measures.models import Value
from measures.rating import Polarity
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_types_a_value_sees_its_rating_change_and_saves(page, sign_in, lead, adult_care, axe, artifacts):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    measure = MeasureFactory(title="Delayed transfers of care", service=adult_care, polarity=Polarity.LOWER)
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("20"))
    ValueFactory(measure=measure, period=month(2020, 9), value=Decimal("25"), status=Value.Status.PUBLISHED)
    sign_in(lead.username)
    page.goto("/my-measures/?period=2020-10")

    preview = page.locator(f"#row-{measure.pk}-preview")
    value = page.get_by_label("Value")
    value.fill("30")
    preview.locator("[data-preview='Red']").wait_for()
    assert "Worsening" in preview.inner_text()  # 30 after 25, where lower is better
    assert "Red" in preview.inner_text()
    value.fill("18")
    preview.locator("[data-preview='Green']").wait_for()
    assert "Improving" in preview.inner_text()
    value.fill("30")
    preview.locator("[data-preview='Red']").wait_for()

    page.get_by_label("Commentary").fill("Winter pressures on hospital discharge.")
    axe(page)
    page.screenshot(path=os.path.join(artifacts, "my-measures.png"), full_page=True)
    page.click("button:has-text('Save and submit')")
    page.locator(".govuk-notification-banner--success").wait_for()
    assert "1 value submitted" in page.inner_text(".govuk-notification-banner--success")
    saved = Value.objects.get(measure=measure, period=month(2020, 10))
    assert (saved.value, saved.rag, saved.status) == (Decimal("30"), "Red", "submitted")
    axe(page)
    assert violations == []  # htmx runs under the policy: no injected style, no eval


def test_errors_are_summarised_and_linked_to_their_fields(page, sign_in, lead, adult_care, axe, artifacts):
    measure = MeasureFactory(title="Reviews on time", service=adult_care)
    sign_in(lead.username)
    page.goto("/my-measures/?period=2020-10")
    page.get_by_label("Value").fill("abc")
    page.click("button:has-text('Save as draft')")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == f"id_row-{measure.pk}-value"
    page.screenshot(path=os.path.join(artifacts, "my-measures-errors.png"), full_page=True)
    axe(page)
    assert not Value.objects.exists()
