"""How long the dashboard and the exception report take with a full-size framework.

Creates 2,000 monthly performance measures with five years of published values and targets
in a throwaway test database (Django's test database for the configured DATABASE_URL: an
in-memory SQLite by default; never perfhub.sqlite3 or the real database), then times N requests
of each page through Django's test client beside a trivial page (the sign-in form) in the same
run, and prints the medians.

    .venv/bin/python bench/reports.py [N]      (or: make bench)
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfhub.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from measures import periods  # noqa: E402
from measures.models import Committee, Measure, Period, Service, Target, Value  # noqa: E402
from measures.rating import RAG, Direction  # noqa: E402

MEASURES = 2000
MONTHS = 60
FIRST_MONTH = date(2016, 4, 1)
AS_AT = "2021-03"
RAGS = [RAG.RED, RAG.AMBER, RAG.GREEN, RAG.GREEN, RAG.ND]
DOTS = [Direction.IMPROVING, Direction.SAME, Direction.WORSENING, Direction.NO_TREND]


def build():
    committee = Committee.objects.create(name="People and Health", slug="people-and-health")
    services = Service.objects.bulk_create(
        Service(name=f"Service {i}", slug=f"service-{i}") for i in range(10)
    )
    measures = Measure.objects.bulk_create(
        Measure(title=f"Measure {i:04d}", service=services[i % 10], decimal_places=i % 3)
        for i in range(MEASURES)
    )
    Measure.committees.through.objects.bulk_create(
        Measure.committees.through(measure=m, committee=committee) for m in measures
    )
    spans = [periods.span(periods.MONTH, FIRST_MONTH)]
    while len(spans) < MONTHS:
        spans.append(periods.span(periods.MONTH, spans[-1].end + timedelta(days=1)))
    months = Period.objects.bulk_create(Period(kind=s.kind, start=s.start, end=s.end) for s in spans)
    Value.objects.bulk_create(
        (
            Value(
                measure=m, period=p, value=Decimal(1000 + i + k), status=Value.Status.PUBLISHED,
                rag=RAGS[(i + k) % 5], direction_of_travel=DOTS[(i + k) % 4],
                commentary="Commentary " * 20, actions="Actions " * 10,
            )
            for i, m in enumerate(measures) for k, p in enumerate(months)
        ),
        batch_size=5000,
    )
    Target.objects.bulk_create(
        (Target(measure=m, period=p, value=Decimal(1050)) for m in measures for p in months),
        batch_size=5000,
    )
    return get_user_model().objects.create_superuser("bench", password="bench-only")


def median_ms(client, url, n):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def time_pages(client, pages, n, width=38):
    """Prints each page's median time beside the first page's (the trivial view)."""
    client.get(pages[0][1])  # warm up templates and URL resolvers
    baseline = None
    for name, url in pages:
        ms = median_ms(client, url, n)
        baseline = baseline or ms
        print(f"{name:<{width}} median {ms:9.1f} ms   ({ms / baseline:7.1f} x trivial)")


def with_framework(n, work):
    """Builds the framework in a throwaway test database, calls `work(user)`, then drops it."""
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        user = build()
        print(f"Built {MEASURES:,} measures x {MONTHS} months = {Value.objects.count():,} values "
              f"on {connection.vendor} in {time.perf_counter() - started:.1f}s; {n} requests each.")
        work(user)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main(n):
    def work(user):
        client = Client()
        client.force_login(user)
        time_pages(client, [
            ("trivial view (sign-in page)", "/accounts/login/"),
            ("dashboard, no filter (2,000 rows)", f"/dashboard/?as_at={AS_AT}"),
            ("dashboard, committee + RAG Red", f"/dashboard/?committee=people-and-health&rag=Red&as_at={AS_AT}"),
            ("exception report (800 rows)", f"/reports/exception/?committee=people-and-health&as_at={AS_AT}"),
            ("exception report CSV", f"/reports/exception/?committee=people-and-health&as_at={AS_AT}&_export=csv"),
        ], n)

    with_framework(n, work)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
