"""The dashboard (unfiltered, filtered, sorted and paged, by SPC variation), the measure
page, the risk register and a risk's page run exactly the queries at a large framework (and a
longer history) that they ran at a small one: the count is measured on the small one and asserted on the large one."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from measures.models import Value
from risks import services as risk_services
from tests.factories import RiskFactory
from tests.reports.conftest import bulk_framework, months

pytestmark = pytest.mark.django_db

AS_AT = "2020-10"


def grow(measures, risks, committee=None):
    """`measures` more bulk measures of the committee and `risks` more reviewed risks."""
    committee, created = bulk_framework(measures, committee=committee)
    for _ in range(risks):
        risk_services.record_review(RiskFactory(), date(2020, 1, 1), 2, 3)
    return committee, created


def pages(committee, measure):
    return {
        "dashboard": f"/dashboard/?as_at={AS_AT}",
        "dashboard filtered": f"/dashboard/?committee={committee.slug}&rag=Red&as_at={AS_AT}",
        "dashboard sorted by data, page 2": f"/dashboard/?as_at={AS_AT}&sort=-data&page=2&per_page=3",
        "dashboard by variation": f"/dashboard/?as_at={AS_AT}&variation=improvement",
        "measure page": measure.get_absolute_url(),
        "risk register": "/risks/",
        "risk page": "/risks/R00/",
    }


@override_settings(PERFHUB_PAGE_CACHE=False)
def test_each_page_runs_the_queries_at_90_measures_that_it_ran_at_6(client, member, django_assert_num_queries):
    RiskFactory(code="R00")
    committee, measures = grow(6, 2)
    client.force_login(member)
    urls = pages(committee, measures[0])
    small = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, name
        small[name] = len(queries)
    grow(84, 20, committee)
    Value.objects.bulk_create(  # and the measure's history two years longer
        Value(measure=measures[0], period=p, value=Decimal(k), status=Value.Status.PUBLISHED)
        for k, p in enumerate(months(date(2020, 11, 1), 24))
    )
    for name, url in urls.items():
        with django_assert_num_queries(small[name]):
            response = client.get(url)
        assert response.status_code == 200, name


def test_another_page_or_sort_of_the_same_filters_reuses_their_cached_form_counts_and_chart_whatever_else_the_url_says(client, member):
    committee, _ = bulk_framework(60)
    client.force_login(member)
    first = client.get("/dashboard/", {"committee": committee.slug, "as_at": AS_AT}).content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/dashboard/", {"committee": committee.slug, "as_at": AS_AT, "page": 2, "sort": "-indicator", "utm": "x"}).content.decode()
    sql = [query["sql"] for query in queries]
    assert not [q for q in sql if "GROUP BY" in q or 'ORDER BY "measures_committee"' in q]  # counts, choices
    summary = first[first.index('class="app-filters'):first.index("<h2 class=\"govuk-heading-l\">Measures</h2>")]
    assert summary in html
    assert "Bulk measure 00034" in html and "Bulk measure 00034" not in first  # the rows are page 2's
