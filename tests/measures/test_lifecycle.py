"""Which step of a value's life each role may take: plain rules, no database."""

import pytest

from measures import lifecycle
from measures.lifecycle import BI, LEAD, Action, TransitionError, allowed, next_status
from measures.periods import PeriodError, reporting_span


def test_a_lead_saves_and_submits_a_new_value():
    assert allowed(lifecycle.NEW, LEAD) == {Action.SAVE_DRAFT, Action.SUBMIT}
    assert next_status(lifecycle.NEW, Action.SUBMIT, LEAD) == "submitted"


def test_only_the_bi_team_approves_returns_and_publishes():
    assert allowed("submitted", LEAD) == {Action.SAVE_DRAFT, Action.SUBMIT}
    assert allowed("submitted", BI) >= {Action.APPROVE, Action.RETURN, Action.OVERRIDE}
    with pytest.raises(TransitionError, match="Only the BI team"):
        next_status("submitted", Action.APPROVE, LEAD)
    assert next_status("approved", Action.PUBLISH, BI) == "published"


def test_a_returned_value_goes_back_to_draft():
    assert next_status("submitted", Action.RETURN, BI) == "draft"
    assert next_status("approved", Action.RETURN, BI) == "draft"


def test_a_draft_cannot_be_published_or_approved():
    for action in (Action.PUBLISH, Action.APPROVE):
        with pytest.raises(TransitionError):
            next_status("draft", action, BI)


def test_an_approved_value_is_locked_for_its_lead():
    assert allowed("approved", LEAD) == set()
    assert not lifecycle.editable_by_lead("approved")


def test_a_published_value_is_revised_and_stays_published():
    assert allowed("published", LEAD) == {Action.REVISE}
    assert next_status("published", Action.REVISE, LEAD) == "published"
    with pytest.raises(TransitionError):
        next_status("published", Action.SAVE_DRAFT, LEAD)


def test_an_unknown_action_is_refused():
    with pytest.raises(TransitionError):
        next_status("draft", "delete", BI)


def test_nobody_without_a_role_may_do_anything():
    for status in (lifecycle.NEW, "draft", "submitted", "approved", "published"):
        assert allowed(status, None) == set()


@pytest.mark.parametrize("frequency, month, expected", [
    ("monthly", "2020-10", "Oct-20"),
    ("quarterly", "2020-09", "Q2 20-21"),
    ("annual", "2021-03", "2020-21"),
])
def test_a_measure_reports_on_the_period_ending_in_the_month(frequency, month, expected):
    from measures.periods import parse_period

    assert reporting_span(frequency, parse_period(month)).label == expected


@pytest.mark.parametrize("frequency, month", [("quarterly", "2020-10"), ("annual", "2020-10"), ("irregular", "2020-10")])
def test_a_measure_not_due_has_no_reporting_period(frequency, month):
    from measures.periods import parse_period

    with pytest.raises(PeriodError):
        reporting_span(frequency, parse_period(month))


def test_only_the_bi_team_approves_returns_or_withdraws_a_published_value():
    assert allowed("published", BI) == {
        Action.REVISE, Action.APPROVE, Action.RETURN, Action.OVERRIDE, Action.WITHDRAW,
    }
    assert next_status("published", Action.APPROVE, BI) == "published"
    assert next_status("published", Action.WITHDRAW, BI) == "withdrawn"
    for action in (Action.APPROVE, Action.RETURN, Action.WITHDRAW):
        with pytest.raises(TransitionError, match="Only the BI team"):
            next_status("published", action, LEAD)


def test_a_withdrawn_value_is_entered_again_and_approved_again():
    assert allowed("withdrawn", BI) == allowed("withdrawn", LEAD) == {Action.SAVE_DRAFT, Action.SUBMIT}
    assert next_status("withdrawn", Action.SUBMIT, LEAD) == "submitted"
