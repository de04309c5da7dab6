"""The demo loader goes through the importer: a second load writes no row and no history row."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from measures.models import Measure, Target, Value
from risks.models import Risk


def history_counts():
    return {model.__name__: model.history.count() for model in (Measure, Target, Value, Risk)}


def test_loading_the_demo_twice_adds_no_history_rows(db):
    call_command("load_demo", stdout=StringIO())
    first = history_counts()

    call_command("load_demo", stdout=StringIO())

    assert history_counts() == first
    assert first["Value"] == Value.objects.count()  # one "created" record per figure, no more
    member = get_user_model().objects.get(username="member")
    assert [c.slug for c in member.committees.all()] == ["people-and-health"]


def test_the_demos_history_says_which_file_each_figure_came_from(db):
    call_command("load_demo", stdout=StringIO())

    reasons = set(Value.history.values_list("history_change_reason", flat=True))
    assert reasons == {"Imported from people-and-health-2021-01.csv",
                       "Imported from independent-2018-09.csv",
                       # Issue 21: the counts and the numerator/denominator measure, and the
                       # calculated measure, recorded with its inputs.
                       "Imported from derived-2021-01.csv",
                       "Calculated from CPPN = 336.0000, CP10K = 49.5000"}


def test_the_demos_risks_are_scored_from_their_levels_and_fill_the_heat_map(db, client):
    from django.contrib.auth import get_user_model

    from imports.demo import DEMO_SCORES
    from risks import scoring
    from risks.services import current_thresholds

    call_command("load_demo", stdout=StringIO())

    risks = list(Risk.objects.all())
    assert len(risks) == 15 and {r.level for r in risks} == {"HIGH", "MEDIUM", "LOW"}
    for risk in risks:
        assert (risk.likelihood, risk.impact) == DEMO_SCORES[risk.level]
        assert scoring.level_for(risk.score, current_thresholds()) == risk.level  # the level stays true
    assert {r.trend for r in risks} > {"UNCHANGED"}  # the report's trends are kept
    client.force_login(get_user_model().objects.get(username="member"))
    page = client.get("/risks/")
    assert page.context["not_scored"] == 0 and page.context["heat_map"] is not None
