"""Every page's parameters, fuzzed: no value of any parameter a page reads gives a 500.

The parameters come from each page's FilterSet or form (their fields are the public URL
contract) and, for views that read the request themselves, from VIEW_PARAMETERS below; every
page also gets django-tables2's `page`, `per_page` and `sort`, `_export` and `format`. Values are
hypothesis-generated: empty, huge, unicode, NUL, negative, months out of range, and repeated
keys, mixed with real ones so that the filters get past their first check. A URL added to the
URLconf without a row in PAGES fails `test_every_page_is_fuzzed`. Each page gets
FUZZ_EXAMPLES examples (12 unless the environment says otherwise: `FUZZ_EXAMPLES=2000 pytest
tests/test_fuzz_parameters.py -k spc_exceptions` hunts harder on one page).
"""

import base64
import os
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import ApiTokenForm
from accounts.services import create_token
from api import filters as api_filters
from django.core import signing

from imports.models import ImportRun, SavedMapping
from jobs.models import Job
from notifications.delivery import UNSUBSCRIBE_SALT
from measures.filters import ApprovalsFilter, OutstandingFilter
from measures.models import PopulationIndicator, ValidationRule, Value
from reports.filters import DashboardFilter, SnapshotFilter
from reports.forms import ExceptionReportForm, PublishSnapshotForm
from reports.models import CommitteeSnapshot
from risks.filters import RiskFilter
from risks.forms import RiskReviewForm
from tests.factories import CommitteeFactory, MeasureFactory, OutcomeFactory, RiskFactory, ValueFactory, month

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))

COMMON = ["page", "per_page", "sort", "_export", "format"]
# Views that read parameters from the request themselves, not through a FilterSet or form.
VIEW_PARAMETERS = {"my_measures": ["period", "service"], "outcome_report": ["as_at"]}


def fields(declared):
    return list(getattr(declared, "base_filters", None) or declared.base_fields)


# URL name -> (the parameters it reads, how to build its path arguments from the world).
PAGES = {
    "home": ([], None),
    "outcome_index": ([], None),
    "outcome_report": (VIEW_PARAMETERS["outcome_report"], lambda w: [w["outcome"].slug]),
    "dashboard": (fields(DashboardFilter), None),
    "exception_report": (fields(ExceptionReportForm), None),
    "snapshot_list": (fields(SnapshotFilter), None),
    "snapshot_publish": (fields(PublishSnapshotForm), None),
    "snapshot_detail": ([], lambda w: [w["snapshot"].pk]),
    "measure_detail": ([], lambda w: [w["measure"].pk]),
    "my_measures": (VIEW_PARAMETERS["my_measures"], None),
    "my_measures_preview": ([], None),
    "approvals": (fields(ApprovalsFilter), None),
    "outstanding": (fields(OutstandingFilter), None),
    "value_history": ([], lambda w: [w["value"].pk]),
    "value_override": ([], lambda w: [w["value"].pk]),
    "value_withdraw": ([], lambda w: [w["value"].pk]),
    "measure_history": ([], lambda w: [w["measure"].pk]),
    "risks:list": (fields(RiskFilter), None),
    "risks:detail": ([], lambda w: [w["risk"].code]),
    "risks:review": (fields(RiskReviewForm), lambda w: [w["risk"].code]),
    "spc_exceptions": (fields(ExceptionReportForm), None),
    "people": ([], None),
    "invite": ([], None),
    "person": ([], lambda w: [w["user"].pk]),
    "deactivate": ([], lambda w: [w["user"].pk]),
    "reactivate": ([], lambda w: [w["user"].pk]),
    "clear_lockout": ([], lambda w: [w["user"].pk]),
    "send_invitation_again": ([], lambda w: [w["user"].pk]),
    "api_tokens": (fields(ApiTokenForm), None),
    "signed_in": ([], None),
    "revoke_api_token": ([], lambda w: [w["token"].pk]),
    "api:api-root": ([], None),
    "api:schema": (["lang"], None),
    "api:docs": (["script"], None),
    "api:exception_report": (fields(ExceptionReportForm), None),
    "api:outcome_report": (VIEW_PARAMETERS["outcome_report"], lambda w: [w["outcome"].slug]),
    "public:index": ([], None),
    "public:measure": ([], lambda w: [w["measure"].pk]),
    "public:snapshot": ([], lambda w: [w["snapshot"].pk]),
    "framework": (["q"], None),
    "framework_targets": (["year"], lambda w: [w["measure"].pk]),
    "framework_create_measure": ([], None),
    "framework_copy_year": (["measure", "year"], None),
    "framework_bands": ([], None),
    "framework_rule": ([], lambda w: [w["measure"].pk]),
    "rules_broken": (["period"], None),
    "framework_formula": ([], lambda w: [w["measure"].pk]),
    "framework_validation_rule_new": ([], None),
    "framework_validation_rule": ([], lambda w: [w["rule"].pk]),
    "imports:upload": ([], None),
    "imports:template": ([], None),
    "imports:preview": ([], lambda w: [w["import_run"].pk]),
    "imports:progress": ([], lambda w: [w["import_run"].pk]),
    "jobs:list": ([], None),
    "jobs:detail": ([], lambda w: [w["job"].pk]),
    "jobs:output": ([], lambda w: [w["job"].pk]),
    "notifications:list": ([], None),
    "notifications:sent": ([], None),
    "notifications:unsubscribe": ([], lambda w: [signing.dumps(w["user"].pk, salt=UNSUBSCRIBE_SALT)]),
    "imports:mapping_editor": (["from"], lambda w: [w["import_run"].pk]),
    "imports:mapping_list": ([], None),
    "imports:mapping_download": ([], lambda w: [w["saved_mapping"].slug]),
}
# The API's lists (with their cursor pages) and items.
API_PAGES = ["cursor", "page_size", "updated_since"]
API_LISTS = {
    "outcome": [], "populationindicator": [], "service": [], "committee": [], "period": [], "risk": [],
    "measure": fields(DashboardFilter), "target": fields(api_filters.TargetFilter),
    "value": fields(api_filters.ValueFilter), "comparatorvalue": fields(api_filters.ComparatorFilter),
    "committeesnapshot": fields(api_filters.SnapshotApiFilter),
}
for _resource, _parameters in API_LISTS.items():
    PAGES[f"api:{_resource}-list"] = (_parameters + API_PAGES, None)
    # Any existing id will do for an item's page: its parameters are only the common ones.
    PAGES[f"api:{_resource}-detail"] = ([], lambda w: [w["measure"].pk])
# Django's own pages (sign-in, password reset) and single sign-on, off unless configured.
NOT_FUZZED = {
    "login", "logout", "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete", "oidc_authentication_init", "oidc_authentication_callback",
}

# Real values, so that a parameter's other checks are reached too.
REAL = [
    "2020-10", "Oct-20", "2020-09", "people-and-health", "adult-care", "independent", "Red", "Amber",
    "Improving", "Monthly", "monthly", "HIGH", "IMPROVING", "true", "false", "none", "submitted",
    "csv", "xlsx", "json", "1", "2", "indicator", "-indicator", "data", "-period", "rag", "score",
    "level", "R1",
]
NASTY = [
    "", " ", "\x00", "a\x00b", "-1", "0", "-99999999999999999999", "9" * 400, "1e9", "NaN", "inf",
    "0001-05", "0000-01", "9999-12", "2020-00", "2020-13", "2020-1", "Feb-00", "Q5 20-21", "2101",
    "1989-12", "2020-02-30", "ö", "🙂", "\u202e", "' OR 1=1 --", "<script>", "%00", "..", "ods",
    "yaml", "xls", "tsv", "latex", "PDF", "x" * 5000, "\r\n", "abc",
    # Forged API cursors: positions and offsets that are no ids or numbers.
    base64.b64encode(b"o=0&r=0&p=abc").decode(), base64.b64encode(b"o=x&p=1").decode(),
    base64.b64encode(b"o=99999999999999999999&p=1").decode(), base64.b64encode(b"p=\x00").decode(),
]
values = st.one_of(st.sampled_from(REAL), st.sampled_from(NASTY), st.text(max_size=12),
                   st.integers(min_value=-10**20, max_value=10**20).map(str))


def query(parameters):
    """A query: each parameter absent, once, or repeated, with generated values."""
    return st.fixed_dictionaries({}, optional={
        name: st.lists(values, min_size=1, max_size=3) for name in parameters + COMMON
    }).map(lambda q: {name: vals if name != "format" else [v for v in vals if v != "pdf"] for name, vals in q.items()})


@pytest.fixture
def world(bi_user, lead, adult_care):
    committee = CommitteeFactory(name="People and Health")
    outcome = OutcomeFactory(name="People in Dorset are Independent", short_name="Independent")
    measure = MeasureFactory(title="People supported", service=adult_care, outcome=outcome, decimal_places=1)
    measure.committees.add(committee)
    PopulationIndicator.objects.create(outcome=outcome, number="01", title="Indicator", headline=MeasureFactory())
    value = ValueFactory(measure=measure, period=month(2020, 10), value=Decimal("41.4"), rag="Red",
                         status=Value.Status.PUBLISHED, commentary="=1+1")
    ValueFactory(measure=measure, period=month(2020, 9), status=Value.Status.SUBMITTED)
    risk = RiskFactory(code="R1", owner="Helen")
    risk.outcomes.add(outcome)
    snapshot = CommitteeSnapshot.objects.create(
        committee=committee, as_at=date(2020, 10, 31), meeting_date=date(2021, 1, 28), published_by=bi_user,
        rows=[{"indicator": "People supported", "data": "41.4", "rag": "Red", "measure_id": measure.pk}],
        red_amber_count=1, other_count=0,
    )
    import_run = ImportRun.objects.create(file_name="figures.csv", content=b"code,period,value\nX,Oct-20,1\n",
                                          uploaded_by=bi_user)
    saved_mapping = SavedMapping.objects.create(
        name="Fuzz", slug="fuzz", toml='name = "Fuzz"\n[columns]\ncode = "code"\nperiod = "period"\nvalue = "value"\n')
    token, _ = create_token(bi_user, "Fuzz", 30)
    job = Job.objects.create(kind=Job.Kind.PAPERS, description="Papers", status=Job.Status.DONE,
                             output=b"%PDF-1.7", output_name="papers.pdf")
    rule = ValidationRule.objects.create(name="Fuzz", left="A", operator="<=", right="B", message="A exceeds B")
    return {"job": job, "rule": rule, "import_run": import_run, "saved_mapping": saved_mapping, "user": lead,
            "measure": measure, "value": value, "outcome": outcome,
            "risk": risk, "snapshot": snapshot, "token": token}


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            yield from _names(pattern.url_patterns, f"{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_page_is_fuzzed():
    assert set(_names(get_resolver().url_patterns)) - NOT_FUZZED == set(PAGES)


ROLES = ["anonymous", "member", "lead", "bi", "token"]


@pytest.fixture
def clients(world, bi_user, lead, member):
    """A test client for each role, and one that sends the BI team's API token."""
    made = {"anonymous": Client(), "token": Client(HTTP_AUTHORIZATION=f"Bearer {create_token(bi_user, 'Fuzz token', 30)[1]}")}
    for role, user in (("member", member), ("lead", lead), ("bi", bi_user)):
        made[role] = Client()
        made[role].force_login(user)
    return made


def multipart(params):
    """The query as a multipart form body, with a file among the fields."""
    body = {name: vals for name, vals in params.items()}
    body["file"] = SimpleUploadedFile("fuzz.csv", b"Code,Measure,Period,Value\nM1,\x00,Oct-20,1\n")
    return body


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_parameter_value_gives_a_500(clients, world, name):
    """As every role and token, by GET and by a multipart POST (issue 22, finding 7)."""
    parameters, path_args = PAGES[name]
    url = reverse(name, args=path_args(world) if path_args else None)
    request_as(clients, url, parameters)


def request_as(clients, url, parameters, examples=EXAMPLES):
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.sampled_from(ROLES), st.sampled_from(["get", "post"]), query(parameters))
    def no_500(role, method, params):
        client = clients[role]
        if method == "get":
            response = client.get(url, params)
        else:
            response = client.post(url, multipart(params))
        assert response.status_code < 500, (role, method, url, params)

    no_500()


# The admin: every changelist's filters, search, sort and date drill-down, as every role.
def admin_parameters(model_admin):
    names = ["q", "o", "p", "all", "e", "_to_field", "_popup"]
    for entry in model_admin.list_filter:
        if isinstance(entry, (tuple, list)):
            entry = entry[0]
        if isinstance(entry, str):
            names += [entry, f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull", f"{entry}__in"]
        else:
            names.append(getattr(entry, "parameter_name", "") or "")
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return [name for name in names if name]


ADMIN_EXAMPLES = max(2, EXAMPLES // 3)


@pytest.mark.parametrize("label", sorted(m._meta.label_lower for m in admin.site._registry))
def test_no_admin_changelist_parameter_gives_a_500(clients, world, label):
    """Issue 18, finding 13: the admin was outside the fuzz test."""
    model = apps.get_model(label)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    request_as(clients, url, admin_parameters(admin.site._registry[model]), ADMIN_EXAMPLES)


def cursor(text):
    return base64.b64encode(text.encode()).decode()


# Found by fuzzing (issue 22, finding 7; issue 18, finding 13): each answered 500.
FOUND = [
    ("get", "/api/v1/schema/?version=%0D%0A", {}),
    ("get", "/api/v1/measures/?cursor=" + cursor("o=0&r=0&p=abc"), {}),
    ("get", "/api/v1/values/?cursor=" + cursor("o=0&r=1&p=2020-10-01"), {}),
    ("get", "/admin/measures/measure/abc/change/", {}),
    ("get", "/admin/measures/value/1x/change/", {}),
    ("get", "/admin/measures/period/?start__year=99999999999999999999", {}),
    ("get", "/admin/measures/measure/?service=99999999999999999999", {}),
    ("get", "/admin/risks/risk/abc/history/", {}),
    ("get", "/admin/risks/risk/1/history/abc/", {}),
    ("post", "/my-measures/", {"commentary": "a\x00b", "file": "fuzz.csv"}),
    ("post", "/admin/measures/measure/", {"action": "make_public", "_selected_action": ["abc"]}),
]


@pytest.mark.parametrize("method, url, data", FOUND)
def test_what_fuzzing_found_answers_4xx(clients, world, method, url, data):
    for role in ROLES:
        client = clients[role]
        if method == "get":
            response = client.get(url)
        else:
            body = {**data, "file": SimpleUploadedFile(data["file"], b"x")} if "file" in data else data
            response = client.post(url, body)
        assert response.status_code < 500, (role, url, response.status_code)
