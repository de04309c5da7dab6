"""Every mapped council file, imported and compared with the file row by row.

The files are read here with the standard csv module and plain string handling, independently
of the importer, so a slip in a mapping or in the importer shows up as a difference.
"""

import csv
import io
import tomllib
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from imports.demo import EXCEPTION_REPORT, OUTCOME_MEASURES
from jobs.models import Job
from measures import framework, periods
from measures.models import Measure, Target, Value
from measures.rating import parse_direction, parse_rag
from risks.models import Risk
from tests.imports.conftest import FIXTURES
from tests.imports.test_editor_says_what_toml_says import typed
from tests.imports.test_saved_mappings import run_for, shipped_text

HART_STATUS = {"lg": "Green", "la": "Amber", "lr": "Red", "lu": "ND", "ld": "ND"}


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def number(text):
    text = text.strip().rstrip("%").replace(",", "")
    return Decimal(text) if text else None


def value_for(measure, span):
    return Value.objects.filter(measure=measure, period__kind=span.kind, period__start=span.start).first()


def target_for(measure, span):
    return Target.objects.filter(measure=measure, period__kind=span.kind, period__start=span.start).first()


def agreement(pairs, name, capsys):
    agreed = sum(stored == printed for stored, printed in pairs)
    with capsys.disabled():
        print(f"\n{name}: the rules agree with the printed RAG on {agreed} of {len(pairs)} rows")
    return agreed


@pytest.mark.parametrize("quarter, span", [
    ("q1", periods.parse_period("Q1 2014/15")), ("q2", periods.parse_period("Q2 2014/15")),
])
def test_hart_kpi_tiles_are_stored_as_published(db, import_path, capsys, quarter, span):
    path = FIXTURES / f"hart-dc-kpis-2014-15-{quarter}.csv"
    report = import_path(path, status="published")

    assert report.written and report.counts["created"] == 45
    problems, ratings = [], []
    for row in rows(path):
        measure = Measure.objects.get(code=row["code"])
        value = value_for(measure, span)
        previous = value_for(measure, periods.previous(span))
        stored = {
            "title": measure.title, "service": measure.service.name,
            "unit": measure.unit,
            "value": value.value, "target": target_for(measure, span).value,
            "previous": previous.value if previous else None,
            "commentary": value.commentary,
        }
        printed = {
            "title": row["indicator"], "service": row["service"],
            # a "% Reduction" is a change, which may be below 0 (-16%), not a share of a whole
            "unit": ("% change" if row["indicator"].startswith("% Reduction") else "%")
            if row["unit_suffix"] == "%" else "No.",
            # 0 stands for a missing figure in this layout (SOURCES.md)
            "value": None if number(row["this_quarter_tq"]) == 0 else number(row["this_quarter_tq"]),
            "target": number(row["target_t"]),
            "previous": None if number(row["last_quarter_lq"]) == 0 else number(row["last_quarter_lq"]),
            "commentary": "" if row["notes_n"].strip() in ("", "No notes") else row["notes_n"].strip(),
        }
        problems += [f"{row['code']} {k}: {stored[k]!r} != {printed[k]!r}" for k in printed
                     if stored[k] != printed[k]]
        ratings.append((value.rag, HART_STATUS[row["status_code_s"]]))
    assert problems == []
    agreed = agreement(ratings, f"Hart {quarter}", capsys)
    assert agreed == len(ratings) - len(report.differences)


def printed_rag(name, row):
    """(the measure's code or title, the RAG the council printed) for a row of a council file."""
    if name.startswith("hart"):
        return row["code"], HART_STATUS[row["status_code_s"]]
    return row["indicator"], parse_rag(row["rag_latest"])


# Each council file with indicators, through its shipped mapping: the rows PerfHub's own rules
# rate as the council did once suggest_bands has learnt the bands from that file alone, and the
# rows no consistent rule explains (named as contradictions with their figures). Hart: figures
# stored as 0 for "missing" yet rated (SOURCES.md: ETS01, SNH01; IT06 and PS05 in Q2), a
# target met yet rated Amber (Q2) or Red (Q2 HR11, 2.7 against 3.15, lower is better), and a
# figure with a target and a polarity published "for info only" (Q2 RB09).
COUNCIL_FILES = [
    ("hart-dc-kpis-2014-15-q1.csv", "hart-kpi-tiles", 43, 45),
    ("hart-dc-kpis-2014-15-q2.csv", "hart-kpi-tiles", 39, 45),
    ("kent-cc-qpr-kpis-2024-25-q3.csv", "kent-qpr", 38, 38),
]


@pytest.mark.parametrize("via", ["shipped TOML", "mapping typed into the editor"])
@pytest.mark.parametrize("name, mapping, agreed, total", COUNCIL_FILES)
def test_bands_learnt_from_a_council_file_rate_every_row_a_consistent_rule_explains(
        db, import_path, client, bi_user, name, mapping, agreed, total, via,
        django_capture_on_commit_callbacks):
    if via == "mapping typed into the editor":  # built from nothing in the editor, saved in the database
        client.force_login(bi_user)
        run = run_for(FIXTURES / name, bi_user)
        typed_in = typed(tomllib.loads(shipped_text(mapping)), f"{mapping} typed")
        assert client.post(reverse("imports:mapping_editor", args=[run.pk]), typed_in).status_code == 302
        mapping = f"{mapping} typed"
    report = import_path(FIXTURES / name, mapping, status="published")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the worker (immediate here) re-rates
        call_command("suggest_bands", "--apply", stdout=out)
    # One job re-rates every measure whose rule changed (none where every rule already fits).
    assert [job.status for job in Job.objects.all()] in ([], [Job.Status.DONE])

    assert report.written
    _, suggestions = framework.suggest_bands(Measure.objects.all())
    named = {(s.measure.pk, r.label): text for s in suggestions for r, text in s.found.contradictions}
    printed = dict(printed_rag(name, row) for row in rows(FIXTURES / name))
    rated = same = 0
    for value in Value.objects.exclude(reported_rag="").select_related("measure", "period"):
        key = value.measure.code if name.startswith("hart") else value.measure.title
        assert value.reported_rag == printed[key]  # the council's own RAG, kept as printed
        assert value.rag_override == ""  # PerfHub's own rating, no kept override
        rated += 1
        if (value.measure_id, value.period.label) in named:
            assert value.rag != value.reported_rag, named[value.measure_id, value.period.label]
        else:
            assert value.rag == value.reported_rag, (key, value.value)
            same += 1
    assert (same, rated) == (agreed, total)
    assert len(named) == total - agreed
    assert all("/" in text or "no figure" in text for text in named.values())
    assert f"{agreed} of {total} published ratings reproduced; {total - agreed} contradictions" in out.getvalue()


def test_hart_q2_after_q1_keeps_q1s_own_figures(db, import_path):
    import_path(FIXTURES / "hart-dc-kpis-2014-15-q1.csv")
    report = import_path(FIXTURES / "hart-dc-kpis-2014-15-q2.csv")

    assert report.counts == {"created": 45, "changed": 0, "unchanged": 0, "refused": 0}
    q1 = periods.parse_period("Q1 2014/15")
    for row in rows(FIXTURES / "hart-dc-kpis-2014-15-q1.csv"):
        figure = number(row["this_quarter_tq"])
        assert value_for(Measure.objects.get(code=row["code"]), q1).value == (figure or None), row["code"]


def kent_period(row):
    """The period of a Kent QPR row's latest figure and of its previous one, read here from the
    row on its own (see the comments in imports/mappings/kent-qpr.toml): the report's quarter, or
    the twelve months to its end for a rolling measure; a quarter earlier for a KPI one quarter in
    arrears (and greenhouse gas, which the narrative puts in Q2); a month earlier where December's
    data is missing. The previous figure is always a quarter before the latest."""
    assert row["period"] == "Q3 2024/25 (data to end of December 2024)"
    title, notes = row["indicator"].lower(), row["notes"].lower()
    last_month = periods.date(2024, 12, 1)
    if "one quarter in arrears" in notes or title.startswith("greenhouse gas"):
        last_month = periods.date(2024, 9, 1)
    elif "no data for dec-24" in notes:
        last_month = periods.date(2024, 11, 1)
    rolling = "rolling 12" in title or "12- month rolling" in notes
    kind = periods.ROLLING_12 if rolling else periods.QUARTER
    quarter_before = last_month.replace(month=last_month.month - 3)
    return periods.span(kind, last_month), periods.span(kind, quarter_before)


def test_kent_qpr_kpis_are_stored_for_their_own_periods_as_published(db, import_path, capsys):
    path = FIXTURES / "kent-cc-qpr-kpis-2024-25-q3.csv"
    report = import_path(path, status="published")

    assert report.written and report.counts["created"] == 38
    problems, ratings, kinds = [], [], set()
    for row in rows(path):
        measure = Measure.objects.get(title=row["indicator"])
        span, previous_span = kent_period(row)
        kinds.add((span.kind, span.label))
        value = value_for(measure, span)
        target = target_for(measure, span)
        assert measure.values.count() == 2, row["row"]  # the latest and the previous, nothing else
        stored = {
            "value": value.value, "target": target.value, "floor": target.floor,
            "previous": value_for(measure, previous_span).value,
            "commentary": value.commentary, "caveat": value.caveat,
            "unit": measure.unit, "rule": measure.rating_rule,
            "polarity": measure.polarity,
        }
        printed = {
            "value": number(row["latest"]), "target": number(row["target"]),
            "floor": number(row["floor_standard"]), "previous": number(row["previous"]),
            "commentary": row["service_commentary"], "caveat": row["notes"],
            "unit": "%" if row["latest"].endswith("%") else "No.", "rule": "floor",
            "polarity": "lower" if number(row["floor_standard"]) > number(row["target"]) else "higher",
        }
        problems += [f"row {row['row']} {k}: {stored[k]!r} != {printed[k]!r}" for k in printed
                     if stored[k] != printed[k]]
        ratings.append((value.rag, parse_rag(row["rag_latest"])))
    assert problems == []
    assert kinds == {("quarter", "Q3 24-25"), ("rolling_12", "12 months to Dec-24"),
                     ("rolling_12", "12 months to Sep-24"), ("rolling_12", "12 months to Nov-24")}
    assert agreement(ratings, "Kent QPR", capsys) == 38 == len(ratings) - len(report.differences)


def test_kent_qpr_directions_of_travel_are_kept_as_reported_when_told_to(db, import_path):
    path = FIXTURES / "kent-cc-qpr-kpis-2024-25-q3.csv"
    import_path(path, status="published", keep_reported=True)

    for row in rows(path):
        value = Measure.objects.get(title=row["indicator"]).values.order_by("-period__end").first()
        printed = row["direction_of_travel_decoded"].replace("Stable/no clear trend", "Same")
        assert (value.rag, value.direction_of_travel) == (
            parse_rag(row["rag_latest"]), parse_direction(printed)), row["row"]
        if value.rag_override or value.dot_override:
            assert value.override_reason == f"As reported in {path.name}"


def test_kent_budget_risks_import_what_the_register_gives(db, import_path):
    path = FIXTURES / "kent-cc-budget-risk-register-2025-26.csv"
    report = import_path(path)

    assert report.written and Risk.objects.count() == 42
    for index, row in enumerate(rows(path), 1):
        risk = Risk.objects.get(code=f"KCC-BR-{index}")
        annual, lifetime = number(row["estimated_annual_financial_exposure_gbp_m"]), number(
            row["estimated_lifetime_financial_exposure_gbp_m"])
        assert (risk.title, risk.directorate, risk.cause, risk.description, risk.consequence) == (
            row["risk_title"], row["directorate"], row["source_cause_of_risk"], row["risk_event"],
            row["consequence"],
        )
        assert risk.likelihood == int(row["current_likelihood_1_5"])
        assert (risk.impact, risk.level) == (None, "")  # the register gives neither
        assert risk.annual_exposure == (annual * 1000000 if annual is not None else None)
        assert risk.lifetime_exposure == (lifetime * 1000000 if lifetime is not None else None)
    # SOURCES.md: the significant risks sum to £255.0m annual and £245.0m lifetime
    assert sum(r.annual_exposure or 0 for r in Risk.objects.all()) == Decimal("255000000")
    assert sum(r.lifetime_exposure or 0 for r in Risk.objects.all()) == Decimal("245000000")


def test_dorset_appendix_1_is_stored_as_in_the_file(db, import_path, capsys):
    report = import_path(EXCEPTION_REPORT, "dorset-exception-appendix", status="published")

    assert report.written and report.counts["created"] == 28
    assert report.left_out == 2  # the two repeated header rows
    ratings = []
    for row in rows_after_header(EXCEPTION_REPORT, "Indicator"):
        measure = Measure.objects.get(title=row["Indicator"])
        span = periods.parse_period(row["Period"])
        if row["Monthly / Quarterly / Annual"] == "Quarterly":
            span = periods.quarter_ending(span.end)
        value = value_for(measure, span)
        target = target_for(measure, span)
        last_year = value_for(measure, periods.year_earlier(span))
        assert value.value == number(row["Data"])
        assert (target.value if target else None) == number(row["Target"])
        assert (last_year.value if last_year else None) == number(row["Last year"])
        assert (value.commentary, value.actions) == (row["Commentary"], row["Action"])
        ratings.append((value.rag, parse_rag(row["RAG"])))
    assert agreement(ratings, "Dorset Appendix 1", capsys) == 28 - len(report.differences)


def test_dorset_outcome_measure_tables_are_stored_as_in_the_file(db, import_path):
    from measures.models import Outcome

    Outcome.objects.create(name="People in Dorset are Independent", short_name="Independent",
                           slug="independent")
    report = import_path(OUTCOME_MEASURES, "dorset-outcome-measures", status="published")

    assert report.written
    for row in rows(OUTCOME_MEASURES):
        measure = Measure.objects.get(title=row["Measure"])
        value = value_for(measure, periods.parse_period(row["Period"], row["Year basis"]))
        assert (value.value, value.provisional) == (number(row["Value"]), row["Provisional"] == "Yes")
    # Where the file prints a RAG, the rules give it, or the preview lists the row as differing
    differences = {(d.measure, d.period): d for d in report.differences}
    rated = 0
    for row in rows(OUTCOME_MEASURES):
        if not row["RAG"]:
            continue
        rated += 1
        value = value_for(Measure.objects.get(title=row["Measure"]),
                          periods.parse_period(row["Period"], row["Year basis"]))
        if value.rag != parse_rag(row["RAG"]):
            difference = differences[(row["Measure"], value.period.label)]
            assert (difference.reported, difference.rules) == (parse_rag(row["RAG"]), value.rag), row["Measure"]
    assert rated == 5  # (the outcome tables give no targets: the rules rate each ND, and say why)


def test_dorset_outcome_measures_keep_the_printed_rag_and_direction_when_told_to(db, import_path):
    from measures.models import Outcome

    Outcome.objects.create(name="People in Dorset are Independent", short_name="Independent",
                           slug="independent")
    assert import_path(OUTCOME_MEASURES, "dorset-outcome-measures", status="published", keep_reported=True).written
    compared = 0
    for row in rows(OUTCOME_MEASURES):
        value = value_for(Measure.objects.get(title=row["Measure"]),
                          periods.parse_period(row["Period"], row["Year basis"]))
        if row["RAG"]:
            assert value.rag == parse_rag(row["RAG"]), row["Measure"]
            compared += 1
        if row["D.O.T."]:
            assert value.direction_of_travel == parse_direction(row["D.O.T."]), row["Measure"]
            compared += 1
    assert compared == 5 + 14  # every RAG and D.O.T. the file prints


def rows_after_header(path, first):
    with open(path, encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    top = next(i for i, r in enumerate(table) if r and r[0] == first)
    header = table[top]
    return [dict(zip(header, r)) for r in table[top + 1:] if r and r != header]


def test_an_imported_register_without_levels_shows_on_the_risk_pages(db, import_path, client, member):
    import_path(FIXTURES / "kent-cc-budget-risk-register-2025-26.csv")
    client.force_login(member)

    register = client.get("/risks/")
    page = client.get(Risk.objects.get(code="KCC-BR-1").get_absolute_url())

    assert register.status_code == 200 and "High Needs Spending" in register.content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert "The Dedicated Schools Grant (DSG) High Needs Block" in html  # the cause
    assert "£165,000,000" in html  # lifetime exposure, £165.0m
