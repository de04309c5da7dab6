"""The demo council, checked against the raw seed reports it was transcribed from.

The seeds are read as they are, with small parsers here, so a slip in the demo's TOML files
shows up as a difference from the council's own text. They live in ../shared/seeds beside the
project (PERFHUB_SEEDS overrides that); without them these tests fail rather than skip.
"""

import os
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.db.models import Q

from measures import periods
from measures.models import (
    Committee, ComparatorValue, Measure, Outcome, Period, PopulationIndicator, Service, Target,
    Value,
)
from measures.numbers import format_number, parse_number
from measures.rating import RAG, Direction, parse_direction, parse_rag
from risks.models import Risk

EXCEPTION_SEED = "dorset-scrutiny-exception-report-2021-01.txt"
OUTCOME_SEED = "dorset-outcomes-monitoring-report-2018-09.txt"
ACADEMIC, FINANCIAL = periods.ACADEMIC_YEAR, periods.FINANCIAL_YEAR

APPENDIX_COLUMNS = (
    "title", "service", "period", "unit", "frequency", "data",
    "rag", "dot", "target", "last_year", "commentary", "actions",
)

# Each trend table's caption, and the measure or indicator whose series it shows.
TABLES = {
    "Children with good attendance at school (%)":
        ("Percentage of children with good attendance at school", ACADEMIC),
    "Total Primary Absence": ("Total Primary Absence", ACADEMIC),
    "Total Secondary Absence": ("Total Secondary Absence", ACADEMIC),
    "Looked after Children Overall Absence": ("Looked after Children Overall Absence", ACADEMIC),
    "Achieving expected standard at KS2":
        ("Percentage achieving expected standard at KS2 in reading, writing and maths", ACADEMIC),
    "Progress between age 7 and age 11 reading":
        ("Progress between age 7 and age 11 reading", ACADEMIC),
    "Progress between age 7 and age 11 writing":
        ("Progress between age 7 and age 11 writing", ACADEMIC),
    "Progress between age 7 and age 11 maths":
        ("Progress between age 7 and age 11 Maths", ACADEMIC),
    "Schools with fewer than 65% level 4 RWM":
        ("Percentage of schools with fewer than 65% level 4 RWM", ACADEMIC),
    "KS2 level 4 RWM disadvantage pupils": ("KS2 level 4 RWM disadvantage pupils", ACADEMIC),
    "Data for NEET Bar Chart": (
        "Percentage of 16-18-year olds not in education, employment or training (NEET)", FINANCIAL
    ),
    "Data for Offers of Education or Training":
        ("Percentage of offers of education or training made to 16-17-year olds", FINANCIAL),
    "Data for 16-17 year olds in jobs without training":
        ("Percentage of 16-17-year olds in jobs without training", FINANCIAL),
    "Data for Care leavers that are NEET": ("Percentage of care leavers that are NEET", FINANCIAL),
}
# The NEET table's "Mar 17" sits between Nov 17 and Jun 18, and its text says March 2018.
TABLE_LABEL_CORRECTIONS = {("Data for NEET Bar Chart", "Mar 17"): "Mar 18"}

# Series with no table, printed as "Previous (...) ...; Latest (...) ...": where the text starts.
TEXT_SERIES = {
    "INDEPENDENT: 01 Population Indicator": (
        "Percentage of children 'ready to start school' by being at the expected level at "
        "Early Years Foundation Stage"
    ),
    "INDEPENDENT: 05 Population Indicator":
        "Delayed transfers from hospital care (number of days – Social Care attributable)",
    "INDEPENDENT: 06 Population Indicator": "Proportion of clients given self-directed support",
    "% of 2 year old children benefiting from funded early education\n":
        "% of 2 year old children benefiting from funded early education",
    "Inequality Gap EYFS\n": "Inequality Gap EYFS",
    "<p>Proportion of people who use services, and carers, who find it easy":
        "Proportion of people who use services, and carers, who find it easy to find information "
        "about services",
    "<p>Proportion of clients given direct payments</p>":
        "Proportion of clients given direct payments",
}
TEXT_POINT = re.compile(
    r"(?:Previous|Latest)\s*\(?(Q\d \d{2,4}-\d{2}|\d{4}(?:-\d{2})?)\)?(?: \(Annual Measure\))?"
    r"\s*[–-]?\s*([\d,.]+)%?( Provisional)?"
)

# The executive summary's "Worsening Measures", as the sections title them.
WORSENING_MEASURES = {
    "2-year-old children benefiting from funded early education":
        "% of 2 year old children benefiting from funded early education",
    "Total secondary absence": "Total Secondary Absence",
    "KS2 level 4 RWM disadvantage pupils": "KS2 level 4 RWM disadvantage pupils",
    "Offers of education or training made to 16-17-year olds":
        "Percentage of offers of education or training made to 16-17-year olds",
    "Percentage of 16-17-year olds in jobs without training":
        "Percentage of 16-17-year olds in jobs without training",
    "Percentage of care leavers that are NEET": "Percentage of care leavers that are NEET",
    "Progress between age 7 and 11 reading": "Progress between age 7 and age 11 reading",
    "% of schools with fewer than 65% level 4 R, W, M":
        "Percentage of schools with fewer than 65% level 4 RWM",
}

RISK_LINE = re.compile(
    r"(\d{2}[a-z]|CS\d{2})\s*[-–]?\s*(.+?)\t+(HIGH|MEDIUM|LOW)\t+(IMPROVING|UNCHANGED|WORSENING)"
)
COMPARATOR_NAMES = {"Statistical Neighbour": "Statistical neighbours"}


def seed_text(name):
    folder = os.environ.get("PERFHUB_SEEDS") or Path(settings.BASE_DIR).parent / "shared" / "seeds"
    path = Path(folder) / name
    if not path.is_file():
        pytest.fail(
            f"The seed report {path} is missing: these tests compare the demo with the council's "
            "raw reports. Put them in ../shared/seeds or point PERFHUB_SEEDS at their folder."
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


# The exception report


def appendix_rows(text):
    """Appendix 1's rows as dicts. A row broken over a page continues on a line whose first
    cells are blank: its text joins the row above with a single space."""
    rows = []
    for line in text.split("\nAppendix 1\n", 1)[1].splitlines():
        cells = line.split("\t")
        if not line.strip() or cells[0] == "Indicator":
            continue
        if not cells[0].strip():
            for i, cell in enumerate(cells[: len(APPENDIX_COLUMNS)]):
                if cell.strip():
                    rows[-1][i] += " " + cell.strip()
            continue
        rows.append([cell.strip() for cell in (cells + [""] * 12)[:12]])
    return [dict(zip(APPENDIX_COLUMNS, row)) for row in rows]


def reported_span(row):
    """The exception report labels a quarter by its last month ("Sep-20" is Q2 20-21)."""
    span = periods.parse_period(row["period"])
    if row["frequency"] == "Quarterly":
        span = periods.quarter_ending(span.end)
    return span


def value_on(measure, span):
    return measure.values.filter(period__kind=span.kind, period__start=span.start).first()


def test_appendix_parser_reads_28_rows_and_joins_the_page_break():
    rows = appendix_rows(seed_text(EXCEPTION_SEED))

    assert len(rows) == 28
    neet = next(r for r in rows if r["title"].startswith("Percentage of 16 and 17 year olds"))
    assert neet["commentary"].endswith(
        "willingness to take part. Virtual offers were made available but there was a high "
        "drop-out due to online delivery."
    )


def test_every_appendix_row_is_stored_as_printed(demo):
    committee = Committee.objects.get(name="People and Health")
    problems = []
    for row in appendix_rows(seed_text(EXCEPTION_SEED)):
        measure = Measure.objects.select_related("service").get(title=row["title"])
        value = value_on(measure, reported_span(row))
        last_year = value_on(measure, periods.year_earlier(reported_span(row)))
        target = Target.objects.filter(measure=measure, period=value.period).first()
        stored = {
            "service": measure.service.name,
            "unit": measure.unit,
            "frequency": measure.frequency,
            "data": format_number(value.value, measure.decimal_places),
            "rag": value.rag,
            "dot": value.direction_of_travel,
            "target": target and format_number(target.value, measure.decimal_places),
            "last_year": last_year and format_number(last_year.value, measure.decimal_places),
            "commentary": value.commentary,
            "actions": value.actions,
            "committee": committee in measure.committees.all(),
        }
        printed = {
            "service": row["service"],
            "unit": row["unit"],
            "frequency": row["frequency"].lower(),
            "data": row["data"],
            "rag": parse_rag(row["rag"]),
            "dot": parse_direction(row["dot"]),
            "target": row["target"] or None,
            "last_year": row["last_year"] or None,
            "commentary": row["commentary"],
            "actions": row["actions"],
            "committee": True,
        }
        problems += [
            f"{row['title'][:60]}: {key} is {stored[key]!r}, printed {printed[key]!r}"
            for key in printed if stored[key] != printed[key]
        ]
    assert problems == []


def test_exception_counts_match_the_report(demo):
    text = seed_text(EXCEPTION_SEED)
    rows = appendix_rows(text)
    reported = int(re.search(r"only shows the (\d+) measures that were identified as red", text)[1])
    latest = Value.objects.filter(
        Q(period__kind=periods.MONTH, period__start=date(2020, 10, 1))
        | Q(period__kind=periods.QUARTER, period__start=date(2020, 7, 1)),
        rag__in=[RAG.RED, RAG.AMBER],
    )

    assert latest.count() == reported == 28
    assert latest.filter(rag=RAG.RED).count() == sum(r["rag"] == "Red" for r in rows) == 6
    assert latest.filter(rag=RAG.AMBER).count() == sum(r["rag"] == "Amber" for r in rows) == 22


def test_overrides_are_only_where_the_rules_disagree_with_the_report(demo):
    for value in Value.objects.exclude(rag_override="", dot_override=""):
        assert value.override_reason.startswith("As reported in ")
    for value in Value.objects.filter(override_reason=""):
        assert (value.rag_override, value.dot_override) == ("", "")


# The outcome report


def caption_tables(text):
    """Every <caption>ed table as (caption, [(label, figure), ...])."""
    tables = re.findall(r"<caption>(.*?)</caption>.*?<tbody>(.*?)</tbody>", text)
    cells = re.compile(r"<td>(.*?)</td> <td>(.*?)</td>")
    return [(caption, cells.findall(body)) for caption, body in tables]


def series(title):
    measure = Measure.objects.get(title=title)
    return {value.period.span: value for value in measure.values.select_related("period")}


def test_every_trend_table_matches_the_stored_series(demo):
    tables = caption_tables(seed_text(OUTCOME_SEED))
    assert {caption for caption, _ in tables} == set(TABLES)
    for caption, points in tables:
        title, basis = TABLES[caption]
        stored = series(title)
        expected = {}
        for label, figure in points:
            label = TABLE_LABEL_CORRECTIONS.get((caption, label), label)
            expected[periods.parse_period(label, basis)] = parse_number(figure)
        assert {span: value.value for span, value in stored.items()} == expected, caption


def test_series_printed_as_previous_and_latest_text_are_stored(demo):
    text = seed_text(OUTCOME_SEED)
    for heading, title in TEXT_SERIES.items():
        start = text.index("Previous", text.index(heading))
        ends = [i for i in (text.find("\t", start), text.find("\n\n", start)) if i != -1]
        points = TEXT_POINT.findall(text[start:min(ends)])
        stored = series(title)
        assert len(points) == len(stored) >= 2, title
        for label, figure, provisional in points:
            value = stored[periods.parse_period(label)]
            assert (value.value, value.provisional) == (parse_number(figure), bool(provisional)), (
                f"{title} {label}"
            )


def test_the_measure_analysed_by_reason_for_delay_has_no_series(demo):
    measure = Measure.objects.get(title__startswith="The rate of delayed transfers from hospital")
    assert not measure.values.exists()
    assert measure.population_indicator.number == "05"


def indicator_sections(text):
    """Each population indicator's pages, keyed by its number ("01"), "Cont'd" pages included."""
    parts = re.split(r"^(?:Cont'd )?INDEPENDENT: (\d{2})", text, flags=re.M)
    sections = {}
    for number, body in zip(parts[1::2], parts[2::2]):
        sections[number] = sections.get(number, "") + body
    return sections


def latest_value(measure):
    return measure.values.order_by("-period__end").first()


def test_indicator_trend_ratings_are_as_printed(demo):
    sections = indicator_sections(seed_text(OUTCOME_SEED))
    assert sorted(sections) == ["01", "02", "03", "04", "05", "06"]
    for number, body in sections.items():
        trend = re.search(
            r"DORSET\s*-?\s*Trend (IMPROVING|MARGINAL CHANGE|UNCHANGED|WORSENING)(?:\t([RAG])\b)?",
            body,
        )
        indicator = PopulationIndicator.objects.get(number=number)
        latest = latest_value(indicator.headline)
        assert latest.direction_of_travel == parse_direction(trend[1]), number
        if trend[2]:
            assert latest.rag == parse_rag(trend[2]), number
        else:
            assert latest.rag_override == "", number


def test_indicator_comparators_are_as_printed(demo):
    for number, body in indicator_sections(seed_text(OUTCOME_SEED)).items():
        line = re.search(r"^COMPARATOR.*$", body, flags=re.M)[0]
        rating = re.search(r"BETTER|SIMILAR|WORSE", line)
        rag = re.search(r"\t([RAG])\b", line)
        comparators = ComparatorValue.objects.filter(measure__headline_of__number=number)
        ranking = re.search(r"(\d+)(?:st|nd|rd|th) out of (\d+).*Trend (\w+)", line)
        if ranking:
            (comparator,) = comparators
            assert (comparator.rank, comparator.rank_of) == (int(ranking[1]), int(ranking[2]))
            assert comparator.direction_of_travel == parse_direction(ranking[3])
            assert (comparator.rating, comparator.rag) == ("", RAG.ND)
            continue
        benchmarks = re.findall(
            r"\((South West|Statistical Neighbour|England)\)\D*?([\d.]+)%", line
        )
        assert {c.name: c.value for c in comparators} == {
            COMPARATOR_NAMES.get(name, name): parse_number(figure) for name, figure in benchmarks
        }, number
        for comparator in comparators:
            assert comparator.rating == rating[0].title(), number
            assert comparator.rag == parse_rag(rag[1]), number


def test_the_summarys_worsening_measures_are_rated_worsening(demo):
    text = seed_text(OUTCOME_SEED)
    listed = re.search(r"Worsening Measures\n\n((?:- .+\n)+)", text)[1]
    names = [line[2:] for line in listed.splitlines()]
    assert set(names) == set(WORSENING_MEASURES)
    for name in names:
        measure = Measure.objects.get(title=WORSENING_MEASURES[name])
        assert latest_value(measure).direction_of_travel == Direction.WORSENING, name
    others = Measure.objects.filter(population_indicator__isnull=False).exclude(
        title__in=WORSENING_MEASURES.values()
    )
    assert not Value.objects.filter(measure__in=others).exclude(dot_override="").exists()


def printed_risks(text):
    """{code: (title, level, trend, indicator numbers)}; a risk printed twice is listed once."""
    risks, section = {}, None
    for line in text.splitlines():
        if heading := re.match(r"(?:Cont'd )?INDEPENDENT: (\d{2})", line):
            section = heading[1]
        elif line.startswith("Corporate Risks that feature within INDEPENDENT but are not assigned "
                             "to a specific POPULATION INDICATOR"):
            section = None
        elif line == "Key to risk and performance assessments":
            break
        elif match := RISK_LINE.match(line):
            code, title, level, trend = match.groups()
            numbers = risks.get(code, (None, None, None, set()))[3]
            risks[code] = (title, level, trend, numbers | ({section} if section else set()))
    return risks


def test_the_risk_register_is_as_printed(demo):
    text = seed_text(OUTCOME_SEED)
    printed = printed_risks(text)
    total = int(re.search(r"Risks \(Currently (\d+) in total\)", text)[1])
    high_list = re.search(r"High rated Risks\n\n((?:- .+\n)+)", text)[1]
    outcome = Outcome.objects.get(slug="independent")

    assert len(printed) == total == Risk.objects.count() == 15
    assert set(Risk.objects.filter(level=Risk.Level.HIGH).values_list("code", flat=True)) == {
        re.match(r"- (\w+)", line)[1] for line in high_list.splitlines()
    } == {"01c", "02d", "02e", "07i"}
    for code, (title, level, trend, numbers) in printed.items():
        risk = Risk.objects.get(code=code)
        assert (risk.title, risk.level, risk.trend) == (title, level, trend), code
        assert set(risk.population_indicators.values_list("number", flat=True)) == numbers, code
        assert list(risk.outcomes.all()) == [outcome], code


def test_unassigned_risks_map_to_the_outcome_only(demo):
    printed = printed_risks(seed_text(OUTCOME_SEED))
    unassigned = {code for code, (_, _, _, numbers) in printed.items() if not numbers}

    assert unassigned == {"01c", "02e", "02d", "01k", "07c", "07h", "12e", "12f", "01a"}
    assert set(Risk.objects.filter(population_indicators=None).values_list("code", flat=True)) == (
        unassigned
    )


def test_indicators_hold_their_measures_and_the_outcome(demo):
    outcome = Outcome.objects.get(slug="independent")
    text = seed_text(OUTCOME_SEED)
    summary = int(re.search(r"Population Indicators \((\d+) in total\)", text)[1])

    assert outcome.indicators.count() == summary == 6
    for indicator in outcome.indicators.all():
        assert indicator.headline.title == indicator.title
        assert indicator.headline.service is None
        assert indicator.headline.outcome == outcome
        assert all(m.outcome == outcome for m in indicator.measures.all())
    assert Measure.objects.filter(population_indicator__outcome=outcome).count() == 16


# Loading


MODELS = [Outcome, Service, Committee, Period, PopulationIndicator, Measure, Target, Value,
          ComparatorValue, Risk, Measure.committees.through, Risk.outcomes.through,
          Risk.population_indicators.through, Service.leads.through]


def snapshot():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def test_loading_the_demo_twice_changes_no_row_counts(db):
    call_command("load_demo", stdout=StringIO())
    counts = {name: len(rows) for name, rows in snapshot().items()}
    users = get_user_model().objects.count()

    call_command("load_demo", stdout=StringIO())

    assert {name: len(rows) for name, rows in snapshot().items()} == counts
    assert get_user_model().objects.count() == users == 3


def test_loading_the_demo_twice_changes_no_field_values(db):
    call_command("load_demo", stdout=StringIO())
    first = snapshot()

    call_command("load_demo", stdout=StringIO())

    assert snapshot() == first


def test_load_demo_reports_its_counts_and_logins(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "s3cret-demo")
    out = StringIO()

    call_command("load_demo", stdout=out)

    # Issue 21 adds four measures and their four figures (tests/measures/test_demo_derived.py).
    assert "54 measures, 123 values, 15 risks" in out.getvalue()
    assert "bi" in out.getvalue() and "s3cret-demo" in out.getvalue()


def test_the_three_demo_users_can_log_in(db, client, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("load_demo", stdout=StringIO())
    roles = [("bi", "BI team"), ("lead", "Service lead"), ("member", "Scrutiny member")]
    for username, group in roles:
        user = get_user_model().objects.get(username=username)
        assert user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [group]
        # Through the sign-in page: django-axes' backend needs the request client.login() lacks.
        response = client.post(reverse("login"), {"username": username, "password": "perfhub-demo"})
        assert response.status_code == 302 and response["Location"] == reverse("home"), username
        client.logout()
    lead = get_user_model().objects.get(username="lead")
    assert set(lead.led_services.values_list("name", flat=True)) == {"Adult Care", "Housing"}


def test_every_demo_value_is_published(demo):
    assert Value.objects.exclude(status=Value.Status.PUBLISHED).count() == 0


def test_the_admin_lists_appendix_1s_28_values_as_at_october_2020(demo, client):
    bi = get_user_model().objects.get(username="bi")
    client.force_login(bi)
    page = client.get(
        reverse("admin:measures_value_changelist"),
        {"as_at": "2020-10", "measure__committees__id__exact": Committee.objects.get().pk},
    )
    values = list(page.context["cl"].queryset)
    assert len(values) == 28
    assert {v.period.label for v in values} == {"Oct-20", "Q2 20-21"}
    assert sorted(v.rag for v in values).count("Red") == 6
    html = page.content.decode()
    assert "28 values" in html
