"""The reports as data: the exception report from the API is the exception report's CSV row for
row, its figures as numbers; the outcome report carries each measure's series."""

import csv
import io
from decimal import Decimal

import pytest

from measures.models import Measure
from tests.reports.conftest import demo_council  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

PARAMS = "committee=people-and-health&as_at=2020-10"


def test_the_exception_report_from_the_api_is_the_csv_export_row_for_row(demo_council, client, member, member_api):  # noqa: F811
    client.force_login(member)
    response = client.get(f"/reports/exception/?{PARAMS}&_export=csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    exported = body.decode("utf-8-sig")
    header, *csv_rows = list(csv.reader(io.StringIO(exported)))
    report = member_api.get(f"/api/v1/reports/exception/?{PARAMS}").json()
    measures = Measure.objects.in_bulk([row["measure_id"] for row in report["rows"]])

    def printed(row):
        measure = measures[row["measure_id"]]

        def figure(number):
            return measure.format(None if number is None else Decimal(str(number)))

        return [
            row["indicator"], row["service"], row["period"], row["unit"], row["frequency"],
            figure(row["data"]), row["rag"], "" if row["dot"] == "No trend" else row["dot"],
            figure(row["target"]), figure(row["last_year"]), row["commentary"], row["action"],
        ]

    assert len(report["rows"]) == len(csv_rows) == 28
    assert [printed(row) for row in report["rows"]] == csv_rows
    assert report["red_amber_count"] == 28


def test_the_exception_report_as_csv_from_the_api_has_a_row_per_report_row(demo_council, member_api):  # noqa: F811
    exported = member_api.get(f"/api/v1/reports/exception/?{PARAMS}&format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == 28 and rows[0]["rag"] == "Red"


def test_the_exception_report_needs_a_committee(member_api):
    response = member_api.get("/api/v1/reports/exception/?as_at=2020-10")
    assert response.status_code == 400
    assert response.json() == {"committee": ["Select the committee"]}


def test_the_outcome_report_gives_each_measures_series_and_the_counts(framework, member_api):
    report = member_api.get("/api/v1/reports/outcomes/independent/?as_at=2020-10").json()
    [measure] = report["other_measures"]
    assert measure["title"] == "People supported at home" and measure["trend"] == "Worsening"
    assert [point["value"] for point in measure["values"]] == [123456789.1234, 80.5]
    assert report["risks"] == ["01c"]
    assert report["measure_trends"]["Worsening"] == 1
    assert member_api.get("/api/v1/reports/outcomes/independent/?as_at=soon").status_code == 400
    assert member_api.get("/api/v1/reports/outcomes/nowhere/").status_code == 404
