"""Fixtures for the API's tests: a framework with published and unpublished figures, tokens for
each role, and a client that sends a token."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from accounts import services
from measures.models import ComparatorValue, PopulationIndicator, Value
from reports.models import CommitteeSnapshot
from risks.models import RiskReview
from tests.factories import (
    CommitteeFactory, MeasureFactory, OutcomeFactory, RiskFactory, ServiceFactory, TargetFactory,
    ValueFactory, month,
)


def token_client(user, name="Power BI"):
    _, secret = services.create_token(user, name, 90)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def bi_api(bi_user):
    return token_client(bi_user)


@pytest.fixture
def member_api(member):
    return token_client(member)


@pytest.fixture
def framework(db):
    """Two measures on a committee: one with published figures (one Red, overridden), one with a
    draft; a target, a comparator, a risk with a review and a public snapshot."""
    adult_care = ServiceFactory(name="Adult Care", slug="adult-care")
    housing = ServiceFactory(name="Housing", slug="housing")
    committee = CommitteeFactory(name="People and Health", slug="people-and-health")
    outcome = OutcomeFactory(name="People are Independent", short_name="Independent", slug="independent")
    supported = MeasureFactory(
        title="People supported at home", service=adult_care, outcome=outcome, decimal_places=1,
        definition="How many people", is_public=True,
    )
    supported.committees.add(committee)
    homes = MeasureFactory(title="Homes built", service=housing)
    homes.committees.add(committee)
    headline = MeasureFactory(title="Healthy life expectancy", service=adult_care)
    indicator = PopulationIndicator.objects.create(
        outcome=outcome, number="01", title="Healthy life expectancy", headline=headline,
    )
    september = ValueFactory(
        measure=supported, period=month(2020, 9), value=Decimal("123456789.1234"),
        status=Value.Status.PUBLISHED, rag="Green", direction_of_travel="No trend",
        commentary="=HYPERLINK(\"http://x\")",
    )
    october = ValueFactory(
        measure=supported, period=month(2020, 10), value=Decimal("80.5"), status=Value.Status.PUBLISHED,
        rag="Red", direction_of_travel="Worsening", rag_override="Red", override_reason="Below plan",
        commentary="Fewer carers", actions="Recruit",
    )
    draft = ValueFactory(
        measure=homes, period=month(2020, 10), value=Decimal("7"), status=Value.Status.DRAFT,
        rag="Amber", returned_comment="Check the figure",
    )
    target = TargetFactory(measure=supported, period=month(2020, 10), value=Decimal("100"))
    comparator = ComparatorValue.objects.create(
        measure=supported, name="South West", value=Decimal("90.25"), period=month(2020, 10),
    )
    risk = RiskFactory(code="01c", title="Care market", likelihood=4, impact=4)
    risk.outcomes.add(outcome)
    RiskReview.objects.create(risk=risk, reviewed_on=date(2020, 10, 1), likelihood=4, impact=4, score=16, level="HIGH")
    snapshot = CommitteeSnapshot.objects.create(
        committee=committee, as_at=date(2020, 10, 31), meeting_date=date(2020, 11, 20),
        red_amber_count=1, other_count=0, is_public=True,
        rows=[{"measure_id": supported.pk, "indicator": supported.title, "service": "Adult Care",
               "period": "Oct-20", "unit": "No.", "frequency": "Monthly", "data": "80.5", "rag": "Red",
               "dot": "Worsening", "target": "100.0", "last_year": "", "commentary": "Fewer carers",
               "action": "Recruit"}],
    )
    hidden_snapshot = CommitteeSnapshot.objects.create(
        committee=committee, as_at=date(2020, 9, 30), meeting_date=date(2020, 10, 20),
        red_amber_count=0, other_count=1, rows=[],
    )
    return {
        "committee": committee, "outcome": outcome, "indicator": indicator, "supported": supported,
        "homes": homes, "headline": headline, "september": september, "october": october,
        "draft": draft, "target": target, "comparator": comparator, "risk": risk,
        "snapshot": snapshot, "hidden_snapshot": hidden_snapshot,
    }


def framework_rows(count):
    """`count` of every kind of row the API lists (for query counts)."""
    committee = CommitteeFactory(name="People and Health", slug="people-and-health")
    for number in range(count):
        outcome = OutcomeFactory(name=f"Outcome {number}", short_name=f"O{number}", slug=f"o{number}")
        measure = MeasureFactory(service=ServiceFactory(name=f"Service {number}"), outcome=outcome)
        measure.committees.add(committee, CommitteeFactory(name=f"Committee {number}", slug=f"c{number}"))
        headline = MeasureFactory(title=f"Indicator {number}")
        indicator = PopulationIndicator.objects.create(
            outcome=outcome, number=f"{number:02d}", title="An indicator", headline=headline,
        )
        ValueFactory(measure=measure, period=month(2020, 10), status=Value.Status.PUBLISHED)
        TargetFactory(measure=measure, period=month(2020, 10))
        ComparatorValue.objects.create(measure=measure, name="South West", value=1, period=month(2020, 10))
        risk = RiskFactory()
        risk.outcomes.add(outcome)
        risk.population_indicators.add(indicator)
        RiskReview.objects.create(risk=risk, reviewed_on=date(2020, 10, 1), likelihood=1, impact=1, score=1, level="LOW")
        CommitteeSnapshot.objects.create(
            committee=committee, as_at=date(2020, 10, 31), meeting_date=date(2020, 11, 20),
            red_amber_count=0, other_count=0,
        )
        month(1990 + number, 1)
