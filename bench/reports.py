"""How long every report page takes with a framework of a given size, beside a trivial view.

Builds SIZE monthly performance measures (default 2,000) with five years of published values
and targets, an outcome of 250 measures under 10 population indicators, 60 corporate risks with
reviews and a published snapshot, in a throwaway database (`<database>_bench_<SIZE>`, or an
in-memory SQLite by default; never perfhub.sqlite3 or the real database). Then it runs
VACUUM ANALYZE (ANALYZE on SQLite) so that plans use statistics, times N requests of each page
through Django's test client, and the trivial view in the same run: a signed-in view that reads
the session and the user and writes a few bytes with no template (/accounts/signed-in/), through
every middleware. It prints each page's median, its ratio to the trivial view and the goal
(issue 19) beside it.

    .venv/bin/python bench/reports.py [--size 2000] [-n 10] [--keep]      (or: make bench)

--keep keeps the database for the next run (built once per size) and for bench/load.py.
"""

import argparse
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

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from measures import periods  # noqa: E402
from measures.models import (  # noqa: E402
    Committee, Measure, Outcome, Period, PopulationIndicator, Service, Target, Value,
)
from measures.rating import RAG, Direction  # noqa: E402
from reports.models import CommitteeSnapshot  # noqa: E402
from risks.models import Risk, RiskReview  # noqa: E402

MONTHS = 60
FIRST_MONTH = date(2016, 4, 1)
AS_AT = "2021-03"
RAGS = [RAG.RED, RAG.AMBER, RAG.GREEN, RAG.GREEN, RAG.ND]
DOTS = [Direction.IMPROVING, Direction.SAME, Direction.WORSENING, Direction.NO_TREND]
OUTCOME_MEASURES = 250
INDICATORS = 10
REAL_COMMITTEE = 150  # measures of the small committee: about 60 red or amber
RISKS = 60


def build(size):
    people = Committee.objects.create(name="People and Health", slug="people-and-health")
    place = Committee.objects.create(name="Place and Resources", slug="place-and-resources")
    services = Service.objects.bulk_create(
        Service(name=f"Service {i}", slug=f"service-{i}") for i in range(10)
    )
    outcome = Outcome.objects.create(name="People in Dorset are Independent", short_name="Independent",
                                     slug="independent")
    headlines = Measure.objects.bulk_create(
        Measure(title=f"Indicator {i:02d}", decimal_places=1) for i in range(INDICATORS)
    )
    indicators = PopulationIndicator.objects.bulk_create(
        PopulationIndicator(outcome=outcome, number=f"{i + 1:02d}", title=f"Indicator {i:02d}", headline=h)
        for i, h in enumerate(headlines)
    )
    measures = Measure.objects.bulk_create(
        Measure(
            title=f"Measure {i:05d}", service=services[i % 10], decimal_places=i % 3,
            population_indicator=indicators[i % INDICATORS] if i < OUTCOME_MEASURES else None,
        )
        for i in range(size)
    )
    Measure.committees.through.objects.bulk_create(
        [Measure.committees.through(measure=m, committee=people) for m in measures]
        + [Measure.committees.through(measure=m, committee=place) for m in measures[:REAL_COMMITTEE]]
    )
    spans = [periods.span(periods.MONTH, FIRST_MONTH)]
    while len(spans) < MONTHS:
        spans.append(periods.span(periods.MONTH, spans[-1].end + timedelta(days=1)))
    months = Period.objects.bulk_create(Period(kind=s.kind, start=s.start, end=s.end) for s in spans)
    for chunk in range(0, len(measures + headlines), 500):
        Value.objects.bulk_create(
            (
                Value(
                    measure=m, period=p, value=Decimal(1000 + i + k), status=Value.Status.PUBLISHED,
                    rag=RAGS[(i + k) % 5], direction_of_travel=DOTS[(i + k) % 4],
                    commentary="Commentary " * 20, actions="Actions " * 10,
                )
                for i, m in enumerate((measures + headlines)[chunk:chunk + 500], start=chunk)
                for k, p in enumerate(months)
            ),
            batch_size=5000,
        )
        Target.objects.bulk_create(
            (Target(measure=m, period=p, value=Decimal(1050))
             for m in (measures + headlines)[chunk:chunk + 500] for p in months),
            batch_size=5000,
        )
    risks = Risk.objects.bulk_create(
        Risk(code=f"R{i:03d}", title=f"Risk {i}", owner="Owner", likelihood=1 + i % 5, impact=1 + (i * 3) % 5,
             level=["HIGH", "MEDIUM", "LOW"][i % 3])
        for i in range(RISKS)
    )
    Risk.outcomes.through.objects.bulk_create(Risk.outcomes.through(risk=r, outcome=outcome) for r in risks[:20])
    RiskReview.objects.bulk_create(
        RiskReview(risk=r, reviewed_on=date(2020, 1 + k, 1), likelihood=r.likelihood, impact=r.impact,
                   score=r.likelihood * r.impact, level=r.level)
        for r in risks for k in range(6)
    )
    get_user_model().objects.create_superuser("bench", password="bench-only")


def publish_snapshot(user):
    client = Client()
    client.force_login(user)
    client.post("/reports/snapshots/publish/", {
        "committee": "people-and-health", "as_at": AS_AT, "meeting_date": "2021-04-20",
    })
    assert CommitteeSnapshot.objects.exists(), "the bench could not publish a snapshot"


def analyze():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def median_ms(client, url, n):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def pages(size):
    snapshot = CommitteeSnapshot.objects.order_by("pk").first()
    measure = Measure.objects.order_by("pk").first()
    exception = f"/reports/exception/?committee=people-and-health&as_at={AS_AT}"
    red_amber = size * 2 // 5
    # (name, url, cached, goal as a ratio to the trivial view or None)
    return [
        ("trivial view (signed in, no template)", "/accounts/signed-in/", None, None),
        ("sign-in page", "/accounts/login/", None, None),
        (f"dashboard, no filter (page 1 of {size:,})", f"/dashboard/?as_at={AS_AT}", None, 10),
        ("dashboard, committee + RAG Red", f"/dashboard/?committee=people-and-health&rag=Red&as_at={AS_AT}", None, 10),
        ("dashboard, sorted by data, page 3", f"/dashboard/?as_at={AS_AT}&sort=-data&page=3", None, 10),
        (f"exception report ({red_amber:,} rows)", exception, None, 30),
        ("exception report CSV", exception + "&_export=csv", None, 20),
        ("committee's real report (~60 rows)", f"/reports/exception/?committee=place-and-resources&as_at={AS_AT}", None, 5),
        ("outcome report (250 measures)", f"/reports/outcomes/independent/?as_at={AS_AT}", None, 60),
        ("measure page", f"/measures/{measure.pk}/", None, 5),
        ("risk register", "/risks/", None, 5),
        ("risk page", "/risks/R001/", None, 5),
        ("snapshot list", "/reports/snapshots/", None, None),
        (f"snapshot ({red_amber:,} rows)", f"/reports/snapshots/{snapshot.pk}/", None, None),
        ("snapshot CSV", f"/reports/snapshots/{snapshot.pk}/?_export=csv", None, None),
        ("dashboard, from the cache", f"/dashboard/?as_at={AS_AT}", "cached", 2),
        ("exception report, from the cache", exception, "cached", 2),
        ("outcome report, from the cache", f"/reports/outcomes/independent/?as_at={AS_AT}", "cached", 2),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="number of performance measures")
    parser.add_argument("-n", type=int, default=10, help="requests per page")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    args = parser.parse_args()
    setup_test_environment()
    settings.CACHES["default"]["TIMEOUT"] = None
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        test["NAME"] = f"{connection.settings_dict['NAME']}_bench_{args.size}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=not args.keep, keepdb=args.keep)
    try:
        started = time.perf_counter()
        if not Measure.objects.exists():
            build(args.size)
        user = get_user_model().objects.get(username="bench")
        if not CommitteeSnapshot.objects.exists():
            publish_snapshot(user)
        analyze()
        print(f"{args.size:,} measures x {MONTHS} months = {Value.objects.count():,} values on "
              f"{connection.vendor}, ready in {time.perf_counter() - started:.1f}s; "
              f"{args.n} requests each, {os.cpu_count()} cores, load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}.")
        client = Client()
        client.force_login(user)
        client.get("/accounts/login/")  # warm up templates and URL resolvers
        client.get("/accounts/signed-in/")
        baseline = None
        for name, url, cached, goal in pages(args.size):
            cache.clear()
            if cached:
                client.get(url)
            else:
                settings.PERFHUB_PAGE_CACHE = False
            ms = median_ms(client, url, args.n)
            settings.PERFHUB_PAGE_CACHE = True
            baseline = baseline or ms
            ratio = ms / baseline
            verdict = f"goal <= {goal}x: {'met' if ratio <= goal else 'NOT MET'}" if goal else ""
            print(f"{name:<42} median {ms:8.1f} ms  ({ratio:6.1f} x trivial)  {verdict}", flush=True)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
