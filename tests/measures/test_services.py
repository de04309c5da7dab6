"""rate_measure keeps the ratings in force on every value of a measure."""

from decimal import Decimal

import pytest

from measures.models import Measure
from measures.rating import Polarity
from measures.services import rate_measure
from tests.factories import MeasureFactory, TargetFactory, ValueFactory, month

pytestmark = pytest.mark.django_db


def test_values_are_rated_against_their_target_and_previous_value():
    measure = MeasureFactory(polarity=Polarity.LOWER)
    september = ValueFactory(measure=measure, period=month(2020, 9), value=Decimal("72"))
    october = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("70"))
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("60"))
    rate_measure(measure)
    september.refresh_from_db()
    october.refresh_from_db()
    assert (september.rag, september.direction_of_travel) == ("ND", "No trend")
    assert (october.rag, october.direction_of_travel) == ("Red", "Improving")


def test_an_override_wins_over_the_suggestion():
    measure = MeasureFactory(polarity=Polarity.LOWER)
    TargetFactory(measure=measure, period=month(2020, 10), value=Decimal("280"))
    value = ValueFactory(
        measure=measure, period=month(2020, 10), value=Decimal("355.2"),
        rag_override="Amber", dot_override="Same", override_reason="As reported",
    )
    rate_measure(measure)
    value.refresh_from_db()
    assert (value.rag, value.direction_of_travel) == ("Amber", "Same")
    assert value.suggested_rag(Decimal("280")) == "Red"


def test_direction_skips_periods_with_no_data():
    measure = MeasureFactory()
    ValueFactory(measure=measure, period=month(2020, 8), value=Decimal("5"))
    ValueFactory(measure=measure, period=month(2020, 9), value=None, no_data_reason="System outage")
    october = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("4"))
    rate_measure(measure)
    october.refresh_from_db()
    assert october.direction_of_travel == "Worsening"


def test_direction_against_the_same_period_a_year_earlier():
    measure = MeasureFactory(dot_basis=Measure.Basis.YEAR_AGO)
    ValueFactory(measure=measure, period=month(2019, 10), value=Decimal("4110"))
    ValueFactory(measure=measure, period=month(2020, 9), value=Decimal("5000"))
    october = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("4469"))
    rate_measure(measure)
    october.refresh_from_db()
    assert october.direction_of_travel == "Improving"


def test_a_draft_of_an_earlier_period_never_rerates_a_published_figure():
    """Ratings of published figures use published figures only (issue 22, finding 1): a lead's
    draft for Sep-20 neither changes the published Oct-20 direction nor lets it be inferred."""
    measure = MeasureFactory()
    published = {"status": "published"}
    ValueFactory(measure=measure, period=month(2020, 8), value=Decimal("5"), **published)
    october = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("6"), **published)
    rate_measure(measure)
    october.refresh_from_db()
    assert october.direction_of_travel == "Improving"
    draft = ValueFactory(measure=measure, period=month(2020, 9), value=Decimal("10"), status="draft")
    rate_measure(measure)
    october.refresh_from_db()
    draft.refresh_from_db()
    assert october.direction_of_travel == "Improving"
    assert october.history.count() == 1
    # The draft itself is previewed against the figure before it, as its lead sees it.
    assert draft.direction_of_travel == "Improving"


def test_a_published_figure_a_year_on_is_compared_with_the_published_year_earlier_only():
    measure = MeasureFactory(dot_basis=Measure.Basis.YEAR_AGO)
    ValueFactory(measure=measure, period=month(2019, 10), value=Decimal("20"), status="submitted")
    october = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("6"), status="published")
    rate_measure(measure)
    october.refresh_from_db()
    assert october.direction_of_travel == "No trend"


def test_with_four_eyes_on_nobody_approves_or_publishes_their_own_figure(bi_user, settings):
    """Issue 22, finding 8: one BI user could submit, approve and publish their own figure."""
    from django.contrib.auth.models import Group

    from measures import lifecycle
    from measures.roles import BI_TEAM
    from measures.services import approve, publish
    from tests.factories import UserFactory

    settings.PERFHUB_FOUR_EYES = True
    colleague = UserFactory(username="colleague")
    colleague.groups.add(Group.objects.get(name=BI_TEAM))
    value = ValueFactory(status="submitted", entered_by=bi_user)
    with pytest.raises(lifecycle.TransitionError, match="another member of the BI team must approve it"):
        approve(bi_user, [value])
    approve(colleague, [value])
    value.refresh_from_db()
    with pytest.raises(lifecycle.TransitionError, match="must publish it"):
        publish(bi_user, [value])
    publish(colleague, [value])
    value.refresh_from_db()
    assert value.status == "published"
    settings.PERFHUB_FOUR_EYES = False
    other = ValueFactory(status="submitted", entered_by=bi_user, period=month(2020, 9))
    assert approve(bi_user, [other])[0].status == "approved"
