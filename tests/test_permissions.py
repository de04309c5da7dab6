"""The permission matrix: every URL pattern in the URLconf, as each role, by GET and by POST,
answers what tests/permissions_table.py says it should. A URL pattern without a row fails."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.services import create_token
from imports.models import ImportRun, SavedMapping
from measures.models import ChangePoint, ComparatorValue, PopulationIndicator, ValidationRule, Value
from measures.roles import BI_TEAM, SERVICE_LEAD, ensure_roles
from reports.models import CommitteeSnapshot
from risks.models import RiskLevelThreshold, RiskScale
from tests import permissions_table
from jobs.models import Job
from notifications.models import Deadline, DeadlineException, HeadOfService, ReminderRule
from tests.conftest import _user_in
from tests.factories import (
    CommitteeFactory, MeasureFactory, OutcomeFactory, RiskFactory, ServiceFactory, TargetFactory,
    ValueFactory, month,
)

ADMIN_OBJECT = ("object_id", "id")
# The subject of a row that names none, for the URL patterns that take an object's identifier.
DEFAULT_SUBJECTS = {
    "outcome_report": "measures.outcome",
    "snapshot_detail": "reports.committeesnapshot",
    "measure_detail": "measures.measure",
    "measure_history": "measures.measure",
    "framework_targets": "measures.measure",
    "framework_rule": "measures.measure",
    "framework_formula": "measures.measure",
    "framework_validation_rule": "measures.validationrule",
    "value_history": "measures.value",
    "value_override": "measures.value",
    "value_withdraw": "measures.value",
    "risks:detail": "risks.risk",
    "risks:review": "risks.risk",
    "admin:view_on_site": "measures.measure",
    "revoke_api_token": "accounts.apitoken",
    "api:outcome_report": "measures.outcome",
    "api:outcome-detail": "measures.outcome",
    "api:populationindicator-detail": "measures.populationindicator",
    "api:service-detail": "measures.service",
    "api:committee-detail": "measures.committee",
    "api:measure-detail": "measures.measure",
    "api:period-detail": "measures.period",
    "api:target-detail": "measures.target",
    "api:value-detail": "measures.value",
    "api:comparatorvalue-detail": "measures.comparatorvalue",
    "api:risk-detail": "risks.risk",
    "api:committeesnapshot-detail": "reports.committeesnapshot",
    "public:measure": "measures.measure@public",
    "public:snapshot": "reports.committeesnapshot@public",
    "person": "auth.user",
    "jobs:detail": "jobs.job",
    "jobs:output": "jobs.job",
    "deactivate": "auth.user",
    "reactivate": "auth.user",
    "clear_lockout": "auth.user",
    "send_invitation_again": "auth.user",
    "imports:preview": "imports.importrun",
    "imports:progress": "imports.importrun",
    "imports:mapping_editor": "imports.importrun",
    "imports:mapping_download": "imports.savedmapping",
}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(key, pattern) for every URL pattern: its namespaced name, or its route if it has none."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield (name or _route_key(prefix + str(entry.pattern))), entry


def _route_key(route):
    """An unnamed pattern's route, its regex groups written as <name>: admin/<url>."""
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route).replace("^", "").replace("$", "")


def test_every_url_pattern_has_a_row_and_every_row_a_url_pattern():
    patterns = {key for key, _ in url_patterns()}
    rows = {row.pattern for row in permissions_table.ROWS}
    assert sorted(patterns - rows) == [], "Add these URL patterns to tests/permissions_table.py"
    assert sorted(rows - patterns) == [], "These rows of tests/permissions_table.py name no URL pattern"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One of everything a URL can be about, and a signed-in session for each role: made once
    for the module (each request's changes are rolled back), and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        users, subjects = _world()
        sessions = {}
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield sessions, subjects
        transaction.set_rollback(True)


def _world():
    ensure_roles()
    adult_care = ServiceFactory(name="Adult Care", slug="adult-care")
    users = {
        "member": _user_in("Scrutiny member", username="member"),
        "lead": _user_in(SERVICE_LEAD, username="lead"),
        "other lead": _user_in(SERVICE_LEAD, username="other-lead"),
        "BI": _user_in(BI_TEAM, username="bi"),
    }
    adult_care.leads.add(users["lead"])
    ServiceFactory(name="Housing", slug="housing").leads.add(users["other lead"])
    committee = CommitteeFactory(name="People and Health", slug="people-and-health")
    outcome = OutcomeFactory(name="People in Dorset are Independent", short_name="Independent", slug="independent")
    measure = MeasureFactory(title="People supported", service=adult_care, outcome=outcome)
    measure.committees.add(committee)
    headline = MeasureFactory(title="Healthy life expectancy", service=adult_care)
    risk = RiskFactory(code="01c")
    risk.title = "Renamed"
    risk.save()
    subjects = {
        "measures.measure": measure,
        "measures.value": ValueFactory(
            measure=measure, period=month(2020, 10), status=Value.Status.PUBLISHED, value=Decimal("5"),
        ),
        "measures.value@draft": ValueFactory(measure=measure, period=month(2020, 9), status=Value.Status.DRAFT),
        "measures.target": TargetFactory(measure=measure, period=month(2020, 10)),
        "measures.comparatorvalue": ComparatorValue.objects.create(measure=measure, name="South West", value=Decimal("4")),
        "measures.changepoint": ChangePoint.objects.create(measure=measure, period=month(2020, 4), reason="New pathway"),
        "measures.populationindicator": PopulationIndicator.objects.create(
            outcome=outcome, number="01", title="Healthy life expectancy", headline=headline,
        ),
        "measures.outcome": outcome,
        "measures.validationrule": ValidationRule.objects.create(
            name="65+ within all", left="ASC65", operator="<=", right="ASCALL", message="Cannot exceed all"),
        "measures.service": adult_care,
        "measures.committee": committee,
        "measures.period": month(2020, 10),
        "risks.risk": risk,
        "risks.riskscale": RiskScale.objects.first() or RiskScale.objects.create(),
        "risks.risklevelthreshold": RiskLevelThreshold.objects.first(),
        "reports.committeesnapshot": CommitteeSnapshot.objects.create(
            committee=committee, as_at=date(2020, 10, 31), meeting_date=date(2020, 11, 20),
            red_amber_count=0, other_count=0,
        ),
        "measures.measure@public": MeasureFactory(title="Published to residents", is_public=True),
        "reports.committeesnapshot@public": CommitteeSnapshot.objects.create(
            committee=committee, as_at=date(2020, 10, 31), meeting_date=date(2020, 12, 20),
            red_amber_count=0, other_count=0, is_public=True,
        ),
        "accounts.apitoken": create_token(users["member"], "Power BI", 30)[0],
        "imports.importrun": ImportRun.objects.create(
            file_name="october.csv", content=b"Measure,Period,Value\nPeople supported,Nov-20,6\n",
            mapping="perfhub", uploaded_by=users["BI"],
        ),
        "jobs.job": Job.objects.create(
            kind=Job.Kind.PAPERS, description="Papers", status=Job.Status.DONE, output=b"%PDF-1.7",
            output_name="papers.pdf",
        ),
        "notifications.deadline": Deadline.objects.create(frequency="monthly", working_days=10),
        "notifications.deadlineexception": DeadlineException.objects.create(
            month=date(2020, 12, 1), deadline=date(2021, 1, 8), reason="Christmas",
        ),
        "notifications.reminderrule": ReminderRule.objects.create(name="On the day", offset=0),
        "notifications.headofservice": HeadOfService.objects.create(service=adult_care, person=users["lead"]),
        "imports.savedmapping": SavedMapping.objects.create(
            name="Waste figures", slug="waste-figures",
            toml='name = "Waste figures"\n[columns]\ntitle = "Measure"\nperiod = "Period"\nvalue = "Value"\n',
        ),
        "auth.group": Group.objects.get(name=BI_TEAM),
        "auth.user": users["member"],
        "axes.accessattempt": AccessAttempt.objects.create(
            username="someone", ip_address="192.0.2.1", failures_since_start=1, attempt_time="2020-10-01T00:00Z",
        ),
        "axes.accesslog": AccessLog.objects.create(
            username="someone", ip_address="192.0.2.1", attempt_time="2020-10-01T00:00Z",
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            username="someone", ip_address="192.0.2.1", attempt_time="2020-10-01T00:00Z",
        ),
    }
    return users, subjects


def _model_key(row):
    """The subject of an admin URL such as admin:measures_value_change: "measures.value"."""
    app_model = row.pattern.split(":", 1)[1].rsplit("_", 1)[0]
    for key in ("auth_user", "risks_risk"):  # names whose action part holds an underscore
        if app_model.startswith(key + "_"):
            app_model = key
    app, model = app_model.split("_", 1)
    return f"{app}.{model}"


def url_for(row, pattern, subjects):
    """The URL that `row` is about, with its subject's identifiers filled in."""
    subject = subjects.get(row.subject or DEFAULT_SUBJECTS.get(row.pattern))
    if row.pattern.startswith("admin/"):  # unnamed admin patterns: .../<object_id>/ and the catch-all
        path = row.pattern.removeprefix("admin/")
        if "<path:object_id>" in path:
            model = subjects[path.split("/")[0] + "." + path.split("/")[1]]
            return f"/admin/{path.replace('<path:object_id>', str(model.pk))}{row.query}"
        return f"/admin/no-such-page/{row.query}"  # the catch-all, admin/<url>
    kwargs = {}
    # Route patterns name their converters; the API router's regex patterns, their groups.
    names = getattr(pattern.pattern, "converters", None) or pattern.pattern.regex.groupindex
    for name in names:
        if name in ADMIN_OBJECT:
            kwargs[name] = (subject or subjects[_model_key(row)]).pk
        elif name == "pk":
            kwargs[name] = subject.pk
        elif name == "slug":
            kwargs[name] = subject.slug
        elif name == "code":
            kwargs[name] = subject.code
        elif name in ("uidb64", "token"):  # a password-reset link that is not valid
            kwargs[name] = "not-a-valid-link"
        elif name == "content_type_id":
            kwargs[name] = ContentType.objects.get_for_model(subject).pk
            kwargs["object_id"] = subject.pk
    if row.pattern == "admin:app_list":
        kwargs["app_label"] = "measures"
    if row.pattern == "admin:risks_risk_simple_history":
        risk = subjects["risks.risk"]
        return reverse(row.pattern, args=[risk.pk, risk.history.earliest().history_id]) + row.query
    return reverse(row.pattern, kwargs=kwargs) + row.query


def answer(response):
    """The table's word for a response."""
    if response.status_code in (301, 302):
        return "in" if "login/" in response["Location"] else "go"
    return permissions_table.CODES_BY_STATUS.get(response.status_code, str(response.status_code))


def answers(row, pattern, sessions, subjects):
    """What each role gets for the row's URL: {role: "GET/POST"}; nothing is kept."""
    url = url_for(row, pattern, subjects)
    got = {}
    for role in permissions_table.ROLES:
        words = []
        for method in ("get", "post"):
            client = Client(raise_request_exception=False)
            if role != "anonymous":
                client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
            with transaction.atomic():
                response = getattr(client, method)(url, {"probe": "1"} if method == "post" else {})
                words.append(answer(response))
                transaction.set_rollback(True)
        got[role] = "/".join(words)
    return got


PATTERNS = dict(url_patterns())


@pytest.mark.django_db
@pytest.mark.parametrize("row", permissions_table.ROWS, ids=lambda row: row.key)
def test_each_role_gets_the_answer_in_the_table(row, world):
    sessions, subjects = world
    got = answers(row, PATTERNS[row.pattern], sessions, subjects)
    assert got == row.expected


def test_the_readme_shows_the_tables_who_may_do_what():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert permissions_table.summary_markdown() in readme
