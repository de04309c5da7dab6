"""The risk register's pages through real HTTP: filters, exports, heat map, risk page, reviews."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from risks import services
from risks.models import Risk, RiskReview
from tests.factories import OutcomeFactory, RiskFactory

pytestmark = pytest.mark.django_db

LIST = reverse("risks:list")


@pytest.fixture
def register(db):
    """Two outcomes; risks mapped to an outcome, to one of its indicators, or to neither."""
    from measures.models import PopulationIndicator
    from tests.factories import MeasureFactory

    independent = OutcomeFactory(name="People in Dorset are Independent", short_name="Independent")
    healthy = OutcomeFactory(name="People in Dorset are Healthy", short_name="Healthy")
    indicator = PopulationIndicator.objects.create(
        outcome=independent, number="05", title="Delayed transfers", headline=MeasureFactory()
    )
    yesterday = date.today() - timedelta(days=1)
    high = RiskFactory(code="07i", title="Better Care Fund", level="HIGH", owner="Helen Coombes",
                       review_date=yesterday)
    high.population_indicators.add(indicator)
    medium = RiskFactory(code="03c", title="Mental Capacity Act", level="MEDIUM",
                         owner="Sally Longman", review_date=date.today() + timedelta(days=30))
    medium.outcomes.add(independent)
    other = RiskFactory(code="HX1", title="Healthy risk", level="HIGH", trend="IMPROVING",
                        owner="Sally Longman")
    other.outcomes.add(healthy)
    services.record_review(medium, date(2018, 9, 1), likelihood=2, impact=4)
    return {"high": high, "medium": medium, "other": other}


def codes(response):
    return [risk.code for risk in response.context["table"].data]


def test_the_register_needs_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("query, expected", [
    ("", ["07i", "HX1", "03c"]),
    ("?level=HIGH", ["07i", "HX1"]),
    ("?level=HIGH&outcome=independent", ["07i"]),
    ("?outcome=independent", ["07i", "03c"]),
    ("?trend=IMPROVING", ["HX1"]),
    ("?level=MEDIUM", ["03c"]),
    ("?owner=Sally+Longman", ["HX1", "03c"]),
    ("?review_overdue=true", ["07i"]),
    ("?review_overdue=false", ["HX1", "03c"]),
])
def test_filters_select_the_risks(client, member, register, query, expected):
    client.force_login(member)
    assert codes(client.get(LIST + query)) == expected


def test_an_outcome_filter_includes_risks_mapped_through_its_indicators(client, member, register):
    client.force_login(member)
    html = client.get(LIST + "?outcome=independent").content.decode()
    assert "07i" in html and "HX1" not in html


def test_overdue_reviews_are_flagged_in_the_table(client, member, register):
    client.force_login(member)
    html = client.get(LIST + "?level=HIGH&outcome=independent").content.decode()
    assert "Review overdue</strong>" in html
    html = client.get(LIST + "?trend=IMPROVING").content.decode()
    assert "Review overdue</strong>" not in html


def test_csv_export_has_the_tables_header_and_plain_values(client, member, register):
    client.force_login(member)
    response = client.get(LIST + "?outcome=independent&_export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == ["Code", "Risk", "Owner", "Likelihood", "Impact", "Score", "Level", "Trend", "Review date"]
    assert rows[1:] == [
        ["07i", "Better Care Fund", "Helen Coombes", "", "", "", "HIGH", "UNCHANGED",
         (date.today() - timedelta(days=1)).isoformat()],
        ["03c", "Mental Capacity Act", "Sally Longman", "2", "4", "8", "MEDIUM", "UNCHANGED",
         (date.today() + timedelta(days=30)).isoformat()],
    ]


def test_xlsx_export_reads_back(client, member, register):
    client.force_login(member)
    response = client.get(LIST + "?level=HIGH&_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Code", "Risk", "Owner"]
    assert [row[0] for row in rows[1:]] == ["07i", "HX1"]


def test_json_export_reads_back(client, member, register):
    client.force_login(member)
    response = client.get(LIST + "?level=MEDIUM&_export=json")
    data = json.loads(response.content)
    assert [(row["Code"], row["Score"], row["Level"]) for row in data] == [("03c", 8, "MEDIUM")]


def test_heat_map_counts_the_filtered_scored_risks(client, member, register):
    client.force_login(member)
    response = client.get(LIST + "?outcome=independent")
    heat_map = response.context["heat_map"]
    assert heat_map.headers == ["", "Impact 1", "Impact 2", "Impact 3", "Impact 4", "Impact 5"]
    assert heat_map.rows[0][0] == "Likelihood 5"
    assert heat_map.rows[3] == ["Likelihood 2", "0", "0", "0", "1", "0"]
    assert sum(int(n) for row in heat_map.rows for n in row[1:]) == 1
    assert response.context["not_scored"] == 1
    assert "2 risks match these filters; 1 of them is not scored" in response.content.decode()
    assert response.context["heat_map"].figure["data"][0]["z"][1][3] == 1  # likelihood 2, impact 4


def test_register_queries_do_not_grow_with_the_number_of_risks(client, member, django_assert_max_num_queries):
    client.force_login(member)
    outcome = OutcomeFactory(short_name="Independent")

    def make(n, start):
        risks = Risk.objects.bulk_create(
            Risk(code=f"Q{start + i}", title=f"Risk {i}", level="LOW", owner=f"Owner {i % 7}",
                 likelihood=1 + i % 5, impact=1 + i % 3)
            for i in range(n)
        )
        Risk.outcomes.through.objects.bulk_create(
            Risk.outcomes.through(risk_id=r.pk, outcome_id=outcome.pk) for r in risks
        )

    make(3, 0)
    with django_assert_max_num_queries(12):
        assert client.get(LIST + "?outcome=independent").status_code == 200
    make(300, 100)
    with django_assert_max_num_queries(12):
        assert client.get(LIST + "?outcome=independent").status_code == 200


def test_risk_page_shows_score_history_and_changes(client, member, register):
    medium = register["medium"]
    services.record_review(medium, date(2019, 3, 1), likelihood=4, impact=4, note="Worse")
    client.force_login(member)
    response = client.get(reverse("risks:detail", args=["03c"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mental Capacity Act" in html and "Sally Longman" in html
    assert response.context["score_chart"].rows == [
        ["1 Sep 2018", "8", "MEDIUM", "UNCHANGED"], ["1 Mar 2019", "16", "HIGH", "WORSENING"],
    ]
    assert 'id="score-history"' in html
    assert "Change history" in html and html.count("level HIGH") == 1


def test_an_unscored_risk_page_says_not_scored_and_lists_its_indicators(client, member, register):
    client.force_login(member)
    html = client.get(reverse("risks:detail", args=["07i"])).content.decode()
    assert "Not scored" in html
    assert "Independent 05: Delayed transfers" in html
    assert "Review overdue" in html


def test_a_review_with_a_rating_off_the_scale_is_refused_with_an_error_summary(client, bi_user, register):
    client.force_login(bi_user)
    url = reverse("risks:review", args=["07i"])
    response = client.post(url, {"reviewed_on": "2018-09-30", "likelihood": "7", "impact": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The likelihood must be from 1 to 5 (it is 7)." in html
    assert "Enter a whole number." in html
    assert not RiskReview.objects.filter(risk__code="07i").exists()


def test_a_valid_review_is_recorded_and_shown(client, bi_user, register):
    client.force_login(bi_user)
    response = client.post(
        reverse("risks:review", args=["07i"]),
        {"reviewed_on": "2018-09-30", "likelihood": "3", "impact": "4", "next_review": "2030-01-31"},
        follow=True,
    )
    assert response.status_code == 200
    risk = Risk.objects.get(code="07i")
    assert (risk.score, risk.level, risk.review_date) == (12, "MEDIUM", date(2030, 1, 31))
    assert "Review of 07i recorded: MEDIUM, UNCHANGED." in response.content.decode()


def test_only_the_bi_team_records_reviews(client, member, register):
    client.force_login(member)
    assert client.get(reverse("risks:review", args=["07i"])).status_code == 403


def test_changing_a_threshold_in_the_admin_relevels_reviewed_risks(client, register):
    from django.contrib.auth import get_user_model

    from risks.models import RiskLevelThreshold

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    medium = RiskLevelThreshold.objects.get(level="MEDIUM")
    low = RiskLevelThreshold.objects.get(level="LOW")
    # A gap that leaves the stored score 8 (03c's) without a level is refused with the reason.
    response = client.post(
        reverse("admin:risks_risklevelthreshold_change", args=[medium.pk]),
        {"level": "MEDIUM", "min_score": "9", "max_score": "14"},
    )
    assert response.status_code == 200
    assert "No risk level covers a score of 8" in response.content.decode()
    url = reverse("admin:risks_risklevelthreshold_change", args=[low.pk])
    RiskLevelThreshold.objects.filter(pk=medium.pk).update(min_score=10)
    response = client.post(url, {"level": "LOW", "min_score": "1", "max_score": "9"})
    assert response.status_code == 302
    assert Risk.objects.get(code="03c").level == "LOW"
