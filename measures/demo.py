"""The demo council: the two real Dorset reports in measures/demo/, written into the database.

`people-and-health-2021-01.toml` is Appendix 1 of an exception report to a scrutiny committee;
`independent-2018-09.toml` is a whole outcomes-focused monitoring report. `load()` writes both
inside one transaction, keyed on natural keys, so running it again changes nothing.

Ratings: every measure is rated by the rules (services.rate_measure). Where the report states a
RAG or a direction of travel that the rules do not reach, the value gets an override with the
reason "As reported", so the overrides mark exactly the report's own judgements.
"""

import tomllib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from measures import periods, services
from measures.models import (
    Committee, ComparatorValue, Measure, Outcome, Period, PopulationIndicator, Service, Target,
    Value,
)
from measures.numbers import parse_number
from measures.rating import AS_REPORTED, direction_words, parse_direction, parse_rag
from measures.roles import BI_TEAM, SCRUTINY_MEMBER, SERVICE_LEAD, ensure_roles
from risks.models import Risk

DEMO_DIR = Path(__file__).resolve().parent / "demo"
EXCEPTION_REPORT = DEMO_DIR / "people-and-health-2021-01.toml"
OUTCOME_REPORT = DEMO_DIR / "independent-2018-09.toml"
PUBLISHED = Value.Status.PUBLISHED  # the reports were published, so their figures are

DEMO_USERS = [("bi", BI_TEAM), ("lead", SERVICE_LEAD), ("member", SCRUTINY_MEMBER)]
LEAD_SERVICES = ["Adult Care", "Housing"]


def load():
    """Write both demo reports; a second run leaves every row as the first left it."""
    exception_report = tomllib.loads(EXCEPTION_REPORT.read_text(encoding="utf-8"))
    outcome_report = tomllib.loads(OUTCOME_REPORT.read_text(encoding="utf-8"))
    with transaction.atomic():
        load_exception_report(exception_report)
        load_outcome_report(outcome_report)


def create_demo_users(password):
    """The users `bi`, `lead` (who leads Adult Care and Housing) and `member`, one per role."""
    ensure_roles()
    users = []
    for username, group_name in DEMO_USERS:
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=group_name)])
        users.append(user)
    lead = users[1]
    for name in LEAD_SERVICES:
        _service(name).leads.add(lead)
    return users


def load_exception_report(data):
    """Each row: its measure, the value with its commentary, the target, last year's value."""
    name = data["committee"]["name"]
    committee = _upsert(Committee, {"name": name}, slug=slugify(name))
    for row in data["measure"]:
        measure = _upsert(
            Measure, {"title": row["title"]},
            service=_service(row["service"]),
            unit=row["unit"],
            frequency=row["frequency"],
            polarity=row["polarity"],
            decimal_places=row["decimal_places"],
        )
        measure.committees.set([committee])
        span = periods.parse_period(row["period"])
        if row["frequency"] == Measure.Frequency.QUARTERLY:
            # The exception report labels a quarter by its last month ("Sep-20" is Q2 20-21).
            span = periods.quarter_ending(span.end)
        value = _upsert(
            Value, {"measure": measure, "period": Period.for_span(span)},
            value=parse_number(row["value"]),
            commentary=row["commentary"],
            actions=row["actions"],
            caveat=row.get("caveat", ""),
            status=PUBLISHED,
        )
        if row["target"]:
            _upsert(
                Target, {"measure": measure, "period": value.period},
                value=parse_number(row["target"]),
            )
        if row["last_year"]:
            _upsert(
                Value, {"measure": measure, "period": Period.for_span(periods.year_earlier(span))},
                value=parse_number(row["last_year"]),
                status=PUBLISHED,
            )
        _rate_as_reported(value, rag=parse_rag(row["rag"]), dot=parse_direction(row["dot"]))


def load_outcome_report(data):
    """The outcome, its population indicators with their measures, and its corporate risks."""
    fields = data["outcome"]
    outcome = _upsert(
        Outcome, {"slug": fields["slug"]},
        **{key: fields[key] for key in
           ("name", "short_name", "plan", "sponsor", "sponsor_role", "contacts")},
    )
    indicators = {}
    for item in data["indicator"]:
        indicators[item["number"]] = _load_indicator(outcome, item)
    for item in data["risk"]:
        risk = _upsert(
            Risk, {"code": item["code"]},
            title=item["title"], level=item["level"], trend=item["trend"],
        )
        risk.outcomes.set([outcome])
        risk.population_indicators.set([indicators[number] for number in item["indicators"]])


def _load_indicator(outcome, item):
    headline = _load_measure(item, outcome=outcome, population_indicator=None)
    indicator = _upsert(
        PopulationIndicator, {"outcome": outcome, "number": item["number"]},
        title=item["title"],
        headline=headline,
        outcome_lead_officer=item["outcome_lead_officer"],
        indicator_lead_officer=item["indicator_lead_officer"],
        story=item["story"],
        partners=item["partners"],
        what_we_are_doing=item["what_we_are_doing"],
    )
    for comparator in item.get("comparator", []):
        _upsert(
            ComparatorValue, {"measure": headline, "name": comparator["name"]},
            value=parse_number(comparator["value"]) if "value" in comparator else None,
            rank=comparator.get("rank"),
            rank_of=comparator.get("rank_of"),
            period=Period.parse(comparator["period"]) if "period" in comparator else None,
            basis=comparator["basis"],
            rating=comparator["rating"],
            rag=parse_rag(comparator["rag"]),
            direction_of_travel=parse_direction(comparator["dot"]) if "dot" in comparator else "",
        )
    for measure in item.get("measure", []):
        _load_measure(measure, outcome=outcome, population_indicator=indicator)
    return indicator


def _load_measure(item, **links):
    """A measure of the outcome report with its series, rated; the report's ratings, where it
    gives them, apply to the latest value."""
    measure = _upsert(
        Measure, {"title": item["title"]},
        service=None,
        unit=item["unit"],
        polarity=item["polarity"],
        decimal_places=item["decimal_places"],
        frequency=item["frequency"],
        year_basis=item["year_basis"],
        **links,
    )
    series = [
        _upsert(
            Value,
            {"measure": measure, "period": Period.parse(point["period"], measure.year_basis)},
            value=parse_number(point["value"]),
            provisional=point.get("provisional", False),
            status=PUBLISHED,
        )
        for point in item["values"]
    ]
    if not series:
        services.rate_measure(measure)
        return measure
    latest = max(series, key=lambda value: value.period.end)
    _rate_as_reported(
        latest,
        rag=parse_rag(item["rag"]) if item.get("rag") else None,
        dot=parse_direction(item["dot"]) if "dot" in item else None,
    )
    _set(latest, direction_words=direction_words(item["dot"]) if "dot" in item else "")
    return measure


def _rate_as_reported(value, rag=None, dot=None):
    """Rate the value's measure by the rules, then override the ratings of `value` that the
    report gives differently. None means the report gives no such rating."""
    _set(value, rag_override="", dot_override="", override_reason="")
    services.rate_measure(value.measure)
    value.refresh_from_db()
    overrides = {}
    if rag is not None and value.rag != rag:
        overrides["rag_override"] = rag
    if dot is not None and value.direction_of_travel != dot:
        overrides["dot_override"] = dot
    if overrides:
        _set(value, override_reason=AS_REPORTED, **overrides)
        services.rate_measure(value.measure)


def _service(name):
    return _upsert(Service, {"name": name}, slug=slugify(name))


def _upsert(model, keys, **fields):
    """update_or_create on the natural key `keys`, saving only the fields that differ.

    Unlike update_or_create it leaves an unchanged row untouched, so Value.entered_at (auto_now)
    keeps the time the figure was first loaded.
    """
    obj, created = model.objects.get_or_create(**keys, defaults=fields)
    if not created:
        _set(obj, **fields)
    return obj


def _set(obj, **fields):
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        obj.save(update_fields=changed)
