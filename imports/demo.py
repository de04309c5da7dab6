"""The demo council: two real Dorset reports, brought in through the importer.

- imports/demo/people-and-health-2021-01.csv is Appendix 1 of an exception report to a scrutiny
  committee (mapping dorset-exception-appendix);
- imports/demo/independent-2018-09.csv holds the measure tables of an outcomes-focused monitoring
  report (mapping dorset-outcome-measures), independent-2018-09-risks.csv its corporate risks
  (mapping dorset-risks), and independent-2018-09.toml the rest of it: the outcome, its population
  indicators' texts and comparators, and which measures serve which indicator.

`load()` writes all of it in one transaction, keyed on natural keys, so running it again changes
nothing. The figures were published, so they are imported as published, and the reports' own
ratings are kept as overrides ("As reported in <file>") where the rules rate them otherwise.
"""

import tomllib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from imports.services import import_file
from measures import services
from measures.models import Committee, ComparatorValue, Measure, Outcome, Period, PopulationIndicator, Service, Value
from measures.numbers import parse_number
from measures.rating import parse_direction, parse_rag
from measures.roles import BI_TEAM, SCRUTINY_MEMBER, SERVICE_LEAD, ensure_roles
from notifications import reminders
from notifications.models import HeadOfService
from risks.models import Risk

DEMO_DIR = Path(__file__).resolve().parent / "demo"
EXCEPTION_REPORT = DEMO_DIR / "people-and-health-2021-01.csv"
OUTCOME_MEASURES = DEMO_DIR / "independent-2018-09.csv"
OUTCOME_RISKS = DEMO_DIR / "independent-2018-09-risks.csv"
OUTCOME_REPORT = DEMO_DIR / "independent-2018-09.toml"
# Issue 21: figures the seed supports besides its tables (the counts its commentary gives), a
# measure entered as a numerator and denominator, and, below, a calculated measure and roll-ups.
DERIVED = DEMO_DIR / "derived-2021-01.csv"
# The exception report's monthly snapshots of children's services roll up by their latest month.
ROLLED_UP = {
    "Rates of children in care per 10,000": ("CP10KCIC", "last"),
    "Rates of children in need per 10,000 (including CP & CIC)": ("CP10KCIN", "last"),
    "Rate of children with a child protection plan per 10,000": ("CP10K", "last"),
    "Number of active foster carers (including connected persons)": ("", "last"),
}
CALCULATED = {
    "code": "POP17",
    "title": "Population aged 0-17 implied by the child protection plan count and rate",
    "formula": "CPPN / CP10K * 10000",
    "unit": "No.",
    "decimal_places": 0,
    "polarity": "none",
    "definition": "Calculated: the number of children on a child protection plan over the report's rate "
    "per 10,000, times 10,000.",
}
FILES = [
    (EXCEPTION_REPORT, "dorset-exception-appendix"),
    (OUTCOME_MEASURES, "dorset-outcome-measures"),
]

DEMO_USERS = [("bi", BI_TEAM), ("lead", SERVICE_LEAD), ("member", SCRUTINY_MEMBER)]
LEAD_SERVICES = ["Adult Care", "Housing"]


class DemoRefused(Exception):
    """A demo file the importer refused: the demo's own files are wrong."""


def load():
    """Write the demo council; a second run leaves every row as the first left it."""
    report = tomllib.loads(OUTCOME_REPORT.read_text(encoding="utf-8"))
    with transaction.atomic():
        outcome = _load_outcome(report["outcome"])
        for path, mapping in FILES:
            _import(path, mapping)
        for item in report["indicator"]:
            _load_indicator(outcome, item)
        result = _import(OUTCOME_RISKS, "dorset-risks")
        score_from_levels([row.measure.split(" ", 1)[0] for row in result.rows])
        _load_derived()


# The seed gives each risk a level and a trend, never a likelihood and impact. So that the risk
# register's heat map shows the demo's risks, each is placed on the middle square of its level's
# band (docs/reports.md): these scores are the demo's, not the council's.
DEMO_SCORES = {"HIGH": (4, 4), "MEDIUM": (3, 3), "LOW": (2, 2)}


def score_from_levels(codes):
    """Give the risks `codes` that have a level but no score the likelihood and impact of
    DEMO_SCORES; their level and trend stay as the report gives them."""
    for risk in Risk.objects.filter(code__in=codes, likelihood__isnull=True, impact__isnull=True).exclude(level=""):
        risk.likelihood, risk.impact = DEMO_SCORES[risk.level]
        risk._change_reason = "Demo: scored from the level the report gives"
        risk.save()


def _load_derived():
    """Issue 21's demo: codes and roll-ups on the report's own measures (their figures
    unchanged), the counts and the numerator/denominator measure, and a calculated measure."""
    for title, (code, aggregation) in ROLLED_UP.items():
        fields = {"aggregation": aggregation, **({"code": code} if code else {})}
        _upsert(Measure, {"title": title}, **fields)
    _import(DERIVED, "perfhub")
    fields = dict(CALCULATED)
    calculated = _upsert(Measure, {"code": fields.pop("code")}, **fields)
    calculated.full_clean()
    services.rate_measures([calculated.pk])


def _import(path, mapping):
    result = import_file(path.read_bytes(), path.name, mapping, status=Value.Status.PUBLISHED,
                         keep_reported=True)
    if not result.written:
        raise DemoRefused("\n".join(result.errors) or f"{path.name} was not imported")
    return result


def create_demo_users(password):
    """The users `bi`, `lead` (who leads Adult Care and Housing, which `bi` heads, so that the
    default reminder rules remind `lead` and escalate to `bi`) and `member`, one per role."""
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
        service, _ = Service.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
        service.leads.add(lead)
        HeadOfService.objects.get_or_create(service=service, defaults={"person": users[0]})
    reminders.add_default_rules()
    # The demo's member sits on the committee of the demo's exception report.
    users[2].committees.set(Committee.objects.filter(slug="people-and-health"))
    return users


def _load_outcome(fields):
    return _upsert(
        Outcome, {"slug": fields["slug"]},
        **{key: fields[key] for key in
           ("name", "short_name", "plan", "sponsor", "sponsor_role", "contacts")},
    )


def _load_indicator(outcome, item):
    headline = Measure.objects.get(title=item["title"])
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
    for fields in item.get("measure", []):
        if "values" in fields:  # a measure with no series: the CSV cannot bring it in
            measure = _upsert(
                Measure, {"title": fields["title"]},
                **{key: fields[key] for key in
                   ("unit", "polarity", "decimal_places", "frequency", "year_basis")},
            )
            services.rate_measures([measure.pk], reason=None)  # the import's own history says why
        _upsert(Measure, {"title": fields["title"]}, outcome=outcome, population_indicator=indicator)
    return indicator


def _upsert(model, keys, **fields):
    """get_or_create on the natural key `keys`, saving only the fields that differ (an unchanged
    row is not saved, so it gains no history row)."""
    obj, created = model.objects.get_or_create(**keys, defaults=fields)
    changed = [] if created else [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        obj.save(update_fields=changed)
    return obj
