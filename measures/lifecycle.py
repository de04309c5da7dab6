"""Which step of a value's life each role may take from each status.

A value goes Draft (saved by its service lead) -> Submitted (by the lead) -> Approved (by the
BI team, who may instead return it to the lead with a comment) -> Published. Only published
values reach scrutiny members and the reports. A published value is corrected by a revision,
which needs a reason: the BI team's goes live at once, a lead's waits for the BI team to approve
(or return) it while the published figure stays in force. The earlier figure stays in the
value's history. The BI team may withdraw a published value, with a reason: it then no longer
reaches the reports, and its lead enters it again. The BI team may override a submitted, approved or published value's RAG,
with a reason. Nothing deletes a published value.

`NEW` stands for a value not yet saved. Plain data and functions: no database, no request.
"""

from enum import StrEnum

NEW = "new"
DRAFT, SUBMITTED, APPROVED, PUBLISHED = "draft", "submitted", "approved", "published"
WITHDRAWN = "withdrawn"
LEAD, BI = "lead", "bi"


class Action(StrEnum):
    SAVE_DRAFT = "save_draft"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    PUBLISH = "publish"
    REVISE = "revise"
    OVERRIDE = "override"
    WITHDRAW = "withdraw"


# (status now, action) -> (status after, roles who may take it)
TRANSITIONS = {
    (NEW, Action.SAVE_DRAFT): (DRAFT, {LEAD, BI}),
    (NEW, Action.SUBMIT): (SUBMITTED, {LEAD, BI}),
    (DRAFT, Action.SAVE_DRAFT): (DRAFT, {LEAD, BI}),
    (DRAFT, Action.SUBMIT): (SUBMITTED, {LEAD, BI}),
    # A lead who edits a submitted value withdraws it to draft until they submit again.
    (SUBMITTED, Action.SAVE_DRAFT): (DRAFT, {LEAD, BI}),
    (SUBMITTED, Action.SUBMIT): (SUBMITTED, {LEAD, BI}),
    (SUBMITTED, Action.APPROVE): (APPROVED, {BI}),
    (SUBMITTED, Action.RETURN): (DRAFT, {BI}),
    (SUBMITTED, Action.OVERRIDE): (SUBMITTED, {BI}),
    (APPROVED, Action.PUBLISH): (PUBLISHED, {BI}),
    (APPROVED, Action.RETURN): (DRAFT, {BI}),
    (APPROVED, Action.OVERRIDE): (APPROVED, {BI}),
    # A lead's revision waits as pending; the BI team approves it (it goes live) or returns it.
    (PUBLISHED, Action.REVISE): (PUBLISHED, {LEAD, BI}),
    (PUBLISHED, Action.APPROVE): (PUBLISHED, {BI}),
    (PUBLISHED, Action.RETURN): (PUBLISHED, {BI}),
    (PUBLISHED, Action.OVERRIDE): (PUBLISHED, {BI}),
    (PUBLISHED, Action.WITHDRAW): (WITHDRAWN, {BI}),
    # A withdrawn figure is entered again, and goes through approval again.
    (WITHDRAWN, Action.SAVE_DRAFT): (DRAFT, {LEAD, BI}),
    (WITHDRAWN, Action.SUBMIT): (SUBMITTED, {LEAD, BI}),
}


class TransitionError(Exception):
    """A step that the value's status, or the person's role, does not allow."""


def allowed(status, role):
    """The actions `role` may take on a value in `status`."""
    return {action for (now, action), (_, roles) in TRANSITIONS.items() if now == status and role in roles}


def next_status(status, action, role):
    """The status after `role` takes `action` on a value in `status`; TransitionError if not allowed."""
    try:
        after, roles = TRANSITIONS[(status, Action(action))]
    except (KeyError, ValueError):
        raise TransitionError(f"A {status} value cannot be {_past(action)}.") from None
    if role not in roles:
        raise TransitionError(f"Only the BI team may take a {status} value to {after}.")
    return after


def editable_by_lead(status):
    """Whether a service lead may change the figures of a value in `status` from their form."""
    return bool(allowed(status, LEAD) & {Action.SAVE_DRAFT, Action.REVISE})


def _past(action):
    return {
        "save_draft": "saved as a draft", "submit": "submitted", "approve": "approved",
        "return": "returned", "publish": "published", "revise": "revised", "override": "overridden",
        "withdraw": "withdrawn",
    }.get(str(action), f"given the action {action!r}")
