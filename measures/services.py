"""Writes that span several models, each inside one transaction."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from measures import calculated, lifecycle, periods
from measures.models import Measure, Period, Target, Value
from measures.publication import published_changed, refresh_chains
from measures.roles import is_bi_team, is_service_lead
from measures.targets import in_force_each


RE_RATED = "Re-rated: the rating rule, a target or a figure changed"
# A measure's fields that its ratings follow: a change to one of them (or to its targets) has
# its figures re-rated by the background worker (rerate).
RATING_FIELDS = (
    "polarity", "rating_rule", "rag_tolerance", "amber_band_unit", "green_band", "green_band_unit",
    "dot_basis", "dot_baseline_period", "dot_baseline", "same_band", "same_band_unit",
)


@transaction.atomic
def rate_measure(measure, reason=RE_RATED):
    """Recompute the RAG and direction of travel in force for every value of `measure`.

    Call it after any change to the measure's values, targets, polarity or rating rule: a
    value's direction of travel depends on the one before it, so the whole series is rated in
    order, each value against the target in force for its period (measures.targets).
    A measure rated "reported only" keeps each value's RAG as it was reported.
    """
    rate_measures([measure.pk], reason)


def rerate(measure_ids, why, user=None):
    """Ask the background worker to re-rate `measure_ids` after a change of their targets or
    rating rule, whichever door made it (the framework pages, the admin, `rate_measures
    --in-worker`): a job, queued once the caller's transaction commits. The change itself saves
    at once, with the worker down too; the ratings follow when the worker runs the job, and a
    published figure whose RAG changes records "Re-rated: `why`" in its history. Returns the job."""
    from jobs import services as jobs

    ids = sorted(set(measure_ids))
    what = f"{len(ids):,} measure{'s' if len(ids) != 1 else ''}"
    return jobs.start(jobs.Job.Kind.RATE_MEASURES, f"Re-rate {what}: {why}", user,
                      measures=ids, reason=f"Re-rated: {why}"[:100])


def rate_all_measures(job, progress):
    """The background job (jobs.services.KINDS) that re-rates the measures `rerate` asked for
    (every measure if it names none): one transaction per 200 measures' series, so it can stop
    anywhere and be run again."""
    ids = list(Measure.objects.order_by("pk").values_list("pk", flat=True))
    if "measures" in job.params:
        wanted = set(job.params["measures"])
        ids = [pk for pk in ids if pk in wanted]
    reason = job.params.get("reason", RE_RATED)
    progress(0, len(ids))
    for start in range(0, len(ids), 200):
        rate_measures(ids[start:start + 200], reason)
        progress(min(len(ids), start + 200), len(ids))
    return f"Re-rated {len(ids):,} measure{'s' if len(ids) != 1 else ''}.", ""


@transaction.atomic
def rate_measures(measure_ids, reason=RE_RATED, recalculate=True):
    """rate_measure for many measures at once (an import's): three queries read them, and one
    UPDATE per combination of RAG and direction writes the values whose ratings changed.
    Then the calculated measures that read them are worked out again (measures.calculated).

    A published figure's RAG is what scrutiny was told: where re-rating changes it (a new rule,
    a new target), the change is a revision, recorded in the value's history with `reason`. An
    import, which records its own history and may rate twice on its way (its figures, then the
    ratings it keeps as reported), passes None."""
    measure_ids = list(measure_ids)
    measures = Measure.objects.select_related("dot_baseline_period").in_bulk(measure_ids)
    targets, series = defaultdict(list), defaultdict(list)
    for target in Target.objects.filter(measure_id__in=measures).select_related("period"):
        targets[target.measure_id].append(target)
    values = Value.objects.filter(measure_id__in=measures).select_related("period")
    for value in values.order_by("measure_id", "period__start"):
        series[value.measure_id].append(value)
    changed, revised = defaultdict(list), []
    for measure_id, measure_values in series.items():
        for value, ratings in ratings_in_force(measures[measure_id], measure_values, targets[measure_id]):
            if ratings != (value.rag, value.direction_of_travel):
                changed[ratings].append(value.pk)
                if value.status == Value.Status.PUBLISHED and ratings[0] != value.rag:
                    revised.append(value)
                value.rag, value.direction_of_travel = ratings
    # Ratings are derived, not entered: writing them adds no history rows, except the revisions.
    for (rag, dot), pks in changed.items():
        Value.objects.filter(pk__in=pks).update(rag=rag, direction_of_travel=dot, updated_at=timezone.now())
    if reason is not None:
        Value.history.bulk_history_create(revised, update=True, default_change_reason=reason[:100])
    refresh_chains(measures)
    published_changed()
    if recalculate:
        calculated.recalculate(measure_ids)


def ratings_in_force(measure, values, targets):
    """(value, (RAG, direction of travel)) in force for each of `values` (one measure's, in
    period order, each with its `period` at hand; saved or not), against `targets`.

    A published value is compared with published figures only: a draft, submitted or approved
    figure of an earlier period never re-rates what scrutiny sees (nor lets it be inferred).
    A value not yet published is compared with the figures before it, whatever their status,
    as the lead who enters it sees them.
    """
    published = Value.Status.PUBLISHED
    by_span = {v.period.span: v for v in values}
    published_by_span = {v.period.span: v for v in values if v.status == published}
    target_for = in_force_each(targets)
    previous = previous_published = None
    for value in values:
        is_published = value.status == published
        earlier_span = periods.year_earlier(value.period.span)
        year_earlier = (published_by_span if is_published else by_span).get(earlier_span)
        target = target_for(value.period.span)
        before = previous_published if is_published else previous
        suggested_rag, suggested_dot = measure.suggested_ratings(
            value.value,
            target.value if target else None,
            before.value if before else None,
            year_earlier.value if year_earlier else None,
            target.floor if target else None,
            value.reported_rag or value.rag,
            measure.baseline_for(value.period.span, by_span),
        )
        yield value, (value.rag_override or suggested_rag, value.dot_override or suggested_dot)
        if value.value is not None:
            previous = value
            if is_published:
                previous_published = value


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


# Fields that the reports, the public pages and members' API never show.
UNSEEN_FIELDS = {"pending_revision", "returned_comment"}


def _transition(user, value, action, reason, version=None, changes=None):
    role = _role_or_403(user, value.measure)
    stays_published = value.status == Value.Status.PUBLISHED
    status = lifecycle.next_status(value.status, action, role)
    _claim(value, value.version if version is None else version)
    for field, new in (changes or {}).items():
        setattr(value, field, new)
    value.status = status
    value._change_reason = reason
    if stays_published and status == Value.Status.PUBLISHED and set(changes or {}) <= UNSEEN_FIELDS:
        # A lead's pending revision, or its return: the published figure is as it was, so its
        # `updated_at` (the API's updated_since) and `entered_at` stay where publishing put them.
        value.save(update_fields=["status", "version", *(changes or {})])
    else:
        value.save()
    return value


ENTRY_FIELDS = (
    "value", "no_data_reason", "commentary", "actions", "provisional", "caveat",
    "numerator", "denominator", "flag_reason",
)
FIGURE_FIELDS = ("value", "numerator", "denominator")


def _stale(measure, period):
    return StaleValue(Value.objects.select_related("entered_by", "period").get(measure=measure, period=period))


@transaction.atomic
def save_entries(user, entries, submit=False):
    """Save a page of a service lead's figures: all of them, or (on any error) none.

    `entries` are (selectors.Row, cleaned data, version shown in the form: None when the form
    showed no value) for each row to save; the data holds ENTRY_FIELDS and, for a published
    value, `revision_reason`. With `submit` the values go to the BI team, otherwise they are
    kept as drafts. A published value is revised: the BI team's revision goes live at once, a
    lead's waits as the value's pending revision until the BI team approves it, while the
    published figure stays in force. The earlier figure stays in the value's history.
    """
    saved = []
    for row, data, version in entries:
        fields = {name: data.get(name, _BLANK.get(name, "")) for name in ENTRY_FIELDS}
        fields["flags"] = data["flags"] if "flags" in data else (row.value.flags if row.value else [])
        rag, dot = row.suggested(fields["value"])
        if row.value is None:
            saved.append(_create(user, row, fields, rag, dot, submit))
            continue
        value = row.value
        if version is None:
            # The form showed no value, but someone has entered one since.
            raise _stale(value.measure_id, value.period_id)
        extra = {"rag": value.rag_override or rag, "direction_of_travel": value.dot_override or dot}
        if value.status == Value.Status.PUBLISHED:
            reason = data.get("revision_reason", "").strip()
            if not reason:
                raise lifecycle.TransitionError("Give the reason for revising a published figure.")
            if role_for(user, value.measure) == lifecycle.LEAD:
                pending = {**_as_text(fields), "reason": reason, "by": user.get_username()}
                saved.append(_transition(
                    user, value, lifecycle.Action.REVISE, f"Revision proposed: {reason}", version,
                    {"pending_revision": pending},
                ))
                continue
            action = lifecycle.Action.REVISE
            extra["pending_revision"] = {}
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
    if submit:
        _tell().figures_submitted([v for v in saved if v.status == Value.Status.SUBMITTED], user)
    return saved


def _tell():
    """notifications.services, which hears of each step of the lifecycle (imported here, at the
    call, because notifications sits above measures)."""
    from notifications import services

    return services


_BLANK = {"numerator": None, "denominator": None}


def entry_figure(measure, fields):
    """The figure a value holds: for a measure entered as two figures, the one derived from its
    numerator and denominator (measures.derived), whatever door they came in by; with the reason
    where they give none."""
    if not measure.has_parts:
        return fields.get("value"), ""
    result = measure.derive(fields.get("numerator"), fields.get("denominator"))
    return result.value, result.reason


def _as_text(fields):
    """Entry fields as JSON can hold them (a figure as its exact decimal text)."""
    return {name: (str(new) if isinstance(new, Decimal) else new) for name, new in fields.items()}


def _from_text(pending):
    """The entry fields of a pending revision, as the model holds them."""
    fields = {name: pending.get(name, "") for name in ENTRY_FIELDS}
    for name in FIGURE_FIELDS:
        fields[name] = None if pending.get(name) in (None, "") else Decimal(pending[name])
    fields["flags"] = pending.get("flags", [])
    fields["provisional"] = bool(pending.get("provisional"))
    return fields


def _create(user, row, fields, rag, dot, submit):
    _role_or_403(user, row.measure)
    role = role_for(user, row.measure)
    try:
        periods.check_fits(row.measure.frequency, row.span)
    except periods.PeriodError as error:
        raise lifecycle.TransitionError(str(error)) from None
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
        raise _stale(row.measure, value.period) from None
    return value


def _four_eyes(user, value, step):
    """With PERFHUB_FOUR_EYES on, nobody approves or publishes a figure they entered themselves:
    another member of the BI team must."""
    from django.conf import settings

    if getattr(settings, "PERFHUB_FOUR_EYES", False) and value.entered_by_id == user.pk:
        raise lifecycle.TransitionError(
            f"You entered {value}: another member of the BI team must {step} it (four eyes)."
        )


def _seen(value, versions):
    """The version of `value` that the person acted on; None (the current one) without `versions`."""
    if versions is None:
        return None
    if value.pk not in versions:
        raise StaleValue(value)
    return versions[value.pk]


@transaction.atomic
def approve(user, values, versions=None):
    """Approve submitted values, or the pending revisions of published ones (they go live).

    `versions` maps each value's pk to the version the person saw: a value changed since is
    refused (StaleValue), so the BI team approves only what it saw.
    """
    approved = []
    for value in values:
        _four_eyes(user, value, "approve")
        changes = {}
        if value.status == Value.Status.PUBLISHED:
            if not value.pending_revision:
                raise lifecycle.TransitionError(f"{value} is already published, with no revision to approve.")
            pending = value.pending_revision
            changes = {**_from_text(pending), "pending_revision": {}}
            reason = f"Revision approved: {pending.get('reason', '')}"
        else:
            reason = "Approved"
        approved.append(
            _transition(user, value, lifecycle.Action.APPROVE, reason, _seen(value, versions), changes)
        )
    for measure in {value.measure for value in approved if value.status == Value.Status.PUBLISHED}:
        rate_measure(measure)
    return approved


@transaction.atomic
def publish(user, values, versions=None):
    """Publish approved values, and submitted ones in the same pass (approved, then published:
    both steps in their history), so that Publish never needs an Approve first."""
    published = []
    for value in values:
        _four_eyes(user, value, "publish")
        seen = _seen(value, versions)
        if value.status == Value.Status.SUBMITTED:
            _transition(user, value, lifecycle.Action.APPROVE, "Approved", seen)
            seen = None  # the version this pass just took
        published.append(_transition(user, value, lifecycle.Action.PUBLISH, "Published", seen))
    published_changed()
    _tell().figures_published(published)
    calculated.recalculate({value.measure_id for value in published})
    return published


@transaction.atomic
def return_to_lead(user, values, comment, versions=None):
    """Send submitted or approved values back to their lead as drafts, saying why; for a
    published value, turn down its pending revision (the published figure stays)."""
    comment = comment.strip()
    if not comment:
        raise lifecycle.TransitionError("Say why the values are being returned.")
    returned = []
    for value in values:
        if value.status == Value.Status.PUBLISHED and not value.pending_revision:
            raise lifecycle.TransitionError(f"{value} is published, with no revision to return.")
        returned.append(_transition(
            user, value, lifecycle.Action.RETURN, f"Returned: {comment}", _seen(value, versions),
            {"returned_comment": comment, "pending_revision": {}},
        ))
    _tell().figures_returned(returned, comment, user)
    return returned


@transaction.atomic
def withdraw(user, value, reason, version):
    """Take a published value out of the reports, saying why (the reason stays in its history)."""
    reason = reason.strip()
    if not reason:
        raise lifecycle.TransitionError("Give the reason for withdrawing the published value.")
    withdrawn = _transition(user, value, lifecycle.Action.WITHDRAW, f"Withdrawn: {reason}", version)
    published_changed()
    calculated.recalculate([value.measure_id])
    return withdrawn


@transaction.atomic
def save_draft(user, value, fields, version=None):
    """A draft value saved from the admin: the entry fields only, checked against `version`.

    A new value (no pk) is created as a draft of the measure and period it names.
    """
    role = _role_or_403(user, value.measure)
    if value.pk is None:
        lifecycle.next_status(lifecycle.NEW, lifecycle.Action.SAVE_DRAFT, role)
        value.status = Value.Status.DRAFT
        value.entered_by = user
        value._change_reason = "Saved as a draft"
        value.save()
    else:
        if value.status != Value.Status.DRAFT:
            raise lifecycle.TransitionError(f"Only a draft is changed here; {value} is {value.status}.")
        _transition(user, value, lifecycle.Action.SAVE_DRAFT, "Saved as a draft", version,
                    {"entered_by": user, **{name: fields[name] for name in ENTRY_FIELDS}})
    rate_measure(value.measure)
    return value


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
