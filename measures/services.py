"""Writes that span several models, each inside one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from measures import lifecycle, periods
from measures.publication import published_changed
from measures.models import Measure, Period, Value
from measures.roles import is_bi_team, is_service_lead


@transaction.atomic
def rate_measure(measure):
    """Recompute the RAG and direction of travel in force for every value of `measure`.

    Call it after any change to the measure's values, targets, polarity or tolerance: a value's
    direction of travel depends on the one before it, so the whole series is rated in order.
    """
    measure = Measure.objects.get(pk=measure.pk)
    targets = {t.period_id: t.value for t in measure.targets.all()}
    series = list(measure.values.select_related("period").order_by("period__start"))
    by_span = {v.period.span: v for v in series}
    previous = None
    for value in series:
        year_earlier = by_span.get(periods.year_earlier(value.period.span))
        suggested_rag, suggested_dot = measure.suggested_ratings(
            value.value,
            targets.get(value.period_id),
            previous.value if previous else None,
            year_earlier.value if year_earlier else None,
        )
        value.rag = value.rag_override or suggested_rag
        value.direction_of_travel = value.dot_override or suggested_dot
        if value.value is not None:
            previous = value
    Value.objects.bulk_update(series, ["rag", "direction_of_travel"])
    published_changed()


# The lifecycle of a value: draft, submitted, approved, published (see measures.lifecycle).
# Every write below runs in one transaction, takes the value's version number with a
# conditional UPDATE (so a save made from a stale form is refused rather than overwriting
# someone else's change), and then saves through the model so the audit trail records it.


class StaleValue(Exception):
    """Someone else saved the value since the form was shown; `current` is the value as it is now."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current} was changed by someone else")


def role_for(user, measure):
    """lifecycle.BI, lifecycle.LEAD (a lead of the measure's service) or None."""
    if is_bi_team(user):
        return lifecycle.BI
    if is_service_lead(user) and measure.service_id and measure.service.leads.filter(pk=user.pk).exists():
        return lifecycle.LEAD
    return None


def _role_or_403(user, measure):
    role = role_for(user, measure)
    if role is None:
        raise PermissionDenied(f"You do not enter the figures of {measure}.")
    return role


def _claim(value, version):
    """Take the value's next version number, or raise StaleValue if `version` is not current."""
    if not Value.objects.filter(pk=value.pk, version=version).update(version=version + 1):
        raise StaleValue(Value.objects.select_related("entered_by", "period").get(pk=value.pk))
    value.version = version + 1


def _transition(user, value, action, reason, version=None, changes=None):
    role = _role_or_403(user, value.measure)
    status = lifecycle.next_status(value.status, action, role)
    _claim(value, value.version if version is None else version)
    for field, new in (changes or {}).items():
        setattr(value, field, new)
    value.status = status
    value._change_reason = reason
    value.save()
    return value


ENTRY_FIELDS = ("value", "no_data_reason", "commentary", "actions", "provisional", "caveat")


@transaction.atomic
def save_entries(user, entries, submit=False):
    """Save a page of a service lead's figures: all of them, or (on any error) none.

    `entries` are (selectors.Row, cleaned data, version shown in the form) for each row to
    save; the data holds ENTRY_FIELDS and, for a published value, `revision_reason`. With
    `submit` the values go to the BI team, otherwise they are kept as drafts; a published value
    is revised in place, and its earlier figure stays in its history.
    """
    saved = []
    for row, data, version in entries:
        fields = {name: data[name] for name in ENTRY_FIELDS}
        rag, dot = row.suggested(fields["value"])
        if row.value is None:
            saved.append(_create(user, row, fields, rag, dot, submit))
            continue
        value = row.value
        extra = {"rag": value.rag_override or rag, "direction_of_travel": value.dot_override or dot}
        if value.status == Value.Status.PUBLISHED:
            reason = data.get("revision_reason", "").strip()
            if not reason:
                raise lifecycle.TransitionError("Give the reason for revising a published figure.")
            action = lifecycle.Action.REVISE
        else:
            action = lifecycle.Action.SUBMIT if submit else lifecycle.Action.SAVE_DRAFT
            reason = "Submitted" if submit else "Saved as a draft"
            if submit:
                extra["returned_comment"] = ""
        saved.append(
            _transition(user, value, action, reason, version, {"entered_by": user, **fields, **extra})
        )
    for measure in {value.measure for value in saved}:
        rate_measure(measure)
    return saved


def _create(user, row, fields, rag, dot, submit):
    _role_or_403(user, row.measure)
    role = role_for(user, row.measure)
    action = lifecycle.Action.SUBMIT if submit else lifecycle.Action.SAVE_DRAFT
    value = Value(
        measure=row.measure, period=Period.for_span(row.span), entered_by=user,
        status=lifecycle.next_status(lifecycle.NEW, action, role), rag=rag,
        direction_of_travel=dot, **fields,
    )
    value._change_reason = "Submitted" if submit else "Saved as a draft"
    try:
        with transaction.atomic():
            value.save()
    except IntegrityError:
        # Someone else entered this period's value since the page was shown.
        raise StaleValue(
            Value.objects.select_related("entered_by", "period").get(
                measure=row.measure, period=value.period
            )
        ) from None
    return value


@transaction.atomic
def approve(user, values):
    return [_transition(user, value, lifecycle.Action.APPROVE, "Approved") for value in values]


@transaction.atomic
def publish(user, values):
    published = [_transition(user, value, lifecycle.Action.PUBLISH, "Published") for value in values]
    published_changed()
    return published


@transaction.atomic
def return_to_lead(user, values, comment):
    """Send submitted or approved values back to their lead as drafts, saying why."""
    comment = comment.strip()
    if not comment:
        raise lifecycle.TransitionError("Say why the values are being returned.")
    return [
        _transition(
            user, value, lifecycle.Action.RETURN, f"Returned: {comment}", changes={"returned_comment": comment}
        )
        for value in values
    ]


@transaction.atomic
def override_rating(user, value, rag, reason, version=None):
    """The BI team's judgement of a value's RAG (blank `rag` removes the override), with a reason."""
    reason = reason.strip()
    if rag and not reason:
        raise lifecycle.TransitionError("Give the reason for overriding the rating.")
    changes = {"rag_override": rag, "override_reason": reason if rag or value.dot_override else ""}
    if rag:
        changes["rag"] = rag
    _transition(
        user, value, lifecycle.Action.OVERRIDE,
        f"RAG overridden to {rag}: {reason}" if rag else "RAG override removed", version, changes,
    )
    rate_measure(value.measure)
    value.refresh_from_db()
    return value
