"""How long every report page takes with a framework of a given size, beside a trivial view.

Builds SIZE monthly performance measures (default 2,000) with five years of published values
and targets, an outcome of 250 measures under 10 population indicators, 60 corporate risks with
reviews and a published snapshot, in a throwaway database (`<database>_bench_<SIZE>`, or an
in-memory SQLite by default; never perfhub.sqlite3 or the real database). Then it runs
VACUUM ANALYZE (ANALYZE on SQLite) so that plans use statistics, times N requests of each page
through Django's test client, and the trivial view in the same run: a signed-in view that reads
the session and the user and writes a few bytes with no template (/accounts/signed-in/), through
every middleware. It prints each page's median, its ratio to the trivial view and the goal
(issue 19) beside it, and the load average at the start and the end.

    .venv/bin/python bench/reports.py [--size 2000] [-n 10] [--keep] [--profile] [--json FILE]
    .venv/bin/python bench/reports.py --sizes 500,2000,8000 [-n 5] [--keep] [--profile]
                                                                          (or: make bench)

--keep keeps the database for the next run (built once per size) and for bench/load.py.
--json FILE also writes the figures to FILE.
--sizes runs the script once per size, each in its own process and database (as --size would),
then prints one table: each page's median and ratio at every size, its goal at 2,000 (or at the
largest size run, without 2,000), and its growth from the smallest size to the largest: for the
paged pages (the dashboard, and the dashboard and outcome report from the cache) the largest
size's median over the smallest's beside the goal "within 20 %" (met if at most 1.20); for the
reports whose rows grow with the framework (the exception report, its CSV, the exception report
from the cache, the snapshot and its CSV: 2/5 of the measures each) the microseconds per row at
each size instead.
--profile, for each page whose goal is not met (with --sizes: at the goal's size only), times 3
more requests with every SQL query counted and timed (django.db's execute_wrapper), then runs
3 under cProfile (the page cache as for its timed run) and prints the top 8 functions by own
time, a request's mean: what docs/speed.md says the remaining time is spent on.
"""

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import subprocess
import sys
import sysconfig
import tempfile
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
PAGED = "paged"  # how a page may grow with the framework
PER_ROW = "per row"
GOAL_SIZE = 2000  # the size of the ratio goals
GROWTH_GOAL = 1.20  # paged pages: "within 20 % from 500 to 8,000 measures"


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
    red_amber = report_rows(size)
    # (name, url, cached, goal as a ratio to the trivial view or None, how it may grow with the
    # framework: PAGED within 20 %, PER_ROW with its rows, or None)
    return [
        ("trivial view (signed in, no template)", "/accounts/signed-in/", None, None, None),
        ("sign-in page", "/accounts/login/", None, None, None),
        (f"dashboard, no filter (page 1 of {size:,})", f"/dashboard/?as_at={AS_AT}", None, 10, PAGED),
        ("dashboard, committee + RAG Red", f"/dashboard/?committee=people-and-health&rag=Red&as_at={AS_AT}",
         None, 10, PAGED),
        ("dashboard, sorted by data, page 3", f"/dashboard/?as_at={AS_AT}&sort=-data&page=3", None, 10, PAGED),
        (f"exception report ({red_amber:,} rows)", exception, None, 30, PER_ROW),
        ("exception report CSV", exception + "&_export=csv", None, 20, PER_ROW),
        ("committee's real report (~60 rows)", f"/reports/exception/?committee=place-and-resources&as_at={AS_AT}",
         None, 5, None),
        ("outcome report (250 measures)", f"/reports/outcomes/independent/?as_at={AS_AT}", None, 60, None),
        ("measure page", f"/measures/{measure.pk}/", None, 5, None),
        ("risk register", "/risks/", None, 5, None),
        ("risk page", "/risks/R001/", None, 5, None),
        ("snapshot list", "/reports/snapshots/", None, None, None),
        (f"snapshot ({red_amber:,} rows)", f"/reports/snapshots/{snapshot.pk}/", None, None, PER_ROW),
        ("snapshot CSV", f"/reports/snapshots/{snapshot.pk}/?_export=csv", None, None, PER_ROW),
        ("dashboard, from the cache", f"/dashboard/?as_at={AS_AT}", "cached", 2, PAGED),
        ("exception report, from the cache", exception, "cached", 2, PER_ROW),
        ("outcome report, from the cache", f"/reports/outcomes/independent/?as_at={AS_AT}", "cached", 2, PAGED),
    ]


# How the figures read: plain functions of the medians, tested in tests/test_bench.py.


def report_rows(size):
    """The rows of the exception report and the snapshot: the red and amber measures, 2 in 5."""
    return size * 2 // 5


def verdict(ratio, goal):
    """'goal <= 10x: met' (or NOT MET) for a ratio to the trivial view; '' for a page without one."""
    if goal is None:
        return ""
    return f"goal <= {goal}x: {'met' if ratio <= goal else 'NOT MET'}"


def growth(kind, ms_by_size):
    """How a page's median grows from the smallest size to the largest ({size: ms}).

    A paged page: the largest size's median over the smallest's, beside the goal (within 20 %).
    A report that grows with its rows: the microseconds per row at each size. Otherwise ''.
    """
    sizes = sorted(ms_by_size)
    if kind == PAGED and len(sizes) > 1:
        factor = ms_by_size[sizes[-1]] / ms_by_size[sizes[0]]
        met = "met" if factor <= GROWTH_GOAL else "NOT MET"
        return f"x{factor:.2f} from {sizes[0]:,} to {sizes[-1]:,}, goal within 20%: {met}"
    if kind == PER_ROW:
        per_row = [ms_by_size[size] * 1000 / report_rows(size) for size in sizes]
        return "µs/row " + " / ".join(f"{us:,.0f}" for us in per_row)
    return ""


def load_average():
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def combined_table(runs):
    """One table of every size's run (each as written by --json), as lines of text."""
    runs = sorted(runs, key=lambda run: run["size"])
    sizes = [run["size"] for run in runs]
    goal_size = GOAL_SIZE if GOAL_SIZE in sizes else sizes[-1]
    goal_run = runs[sizes.index(goal_size)]
    cells = [f"{size:,}" for size in sizes]
    lines = [
        f"{'page (median ms, x trivial)':<42} " + " ".join(f"{c:>17}" for c in cells)
        + f"  {f'goal at {goal_size:,}':<22} growth"
    ]
    for i, page in enumerate(goal_run["pages"]):
        row = [run["pages"][i] for run in runs]
        figures = " ".join(f"{p['ms']:>8,.1f} ({p['ratio']:5.1f}x)" for p in row)
        ms_by_size = {size: p["ms"] for size, p in zip(sizes, row)}
        lines.append(f"{page['name']:<42} {figures}  {verdict(page['ratio'], page['goal']):<22} "
                     f"{growth(page['growth'], ms_by_size)}".rstrip())
    return lines


def shorten(filename, roots):
    """A profiled function's file relative to the innermost root it is under (the repo,
    site-packages, the standard library); unchanged if under none (e.g. '~' for built-ins)."""
    for root in sorted((str(root).rstrip("/") + "/" for root in roots), key=len, reverse=True):
        if filename.startswith(root):
            return filename[len(root):]
    return filename


def top_entries(stats, requests, count=8):
    """The top `count` lines of a pstats.Stats by own time, a request's mean:
    'function (file:line) tottime ms, calls'."""
    roots = [Path(__file__).resolve().parent.parent] + [
        sysconfig.get_paths()[key] for key in ("purelib", "platlib", "stdlib")]
    entries = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:count]
    lines = []
    for (filename, line, function), (_, calls, tottime, _, _) in entries:
        where = f"{shorten(filename, roots)}:{line}" if filename != "~" else "built-in"
        lines.append(f"{function} ({where}) {tottime * 1000 / requests:.1f} ms, "
                     f"{calls / requests:,.0f} calls")
    return lines


def get(client, url):
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)


def with_page_cache(client, url, cached):
    """Sets the page cache up as for the page's timed run: cold and off, or warm."""
    cache.clear()
    settings.PERFHUB_PAGE_CACHE = bool(cached)
    if cached:
        client.get(url)


def profile(client, url, cached, median, requests=3):
    """Prints where a page's time goes: its SQL, then cProfile's top entries by own time."""
    queries = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(time.perf_counter() - start)

    with_page_cache(client, url, cached)
    with connection.execute_wrapper(timed):
        start = time.perf_counter()
        for _ in range(requests):
            get(client, url)
        wall = (time.perf_counter() - start) * 1000 / requests
    print(f"    a request (mean of {requests}): {wall:.1f} ms (median timed above {median:.1f} ms), "
          f"SQL {len(queries) / requests:.0f} queries, {sum(queries) * 1000 / requests:.1f} ms; "
          f"top 8 by own time under cProfile:")
    with_page_cache(client, url, cached)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        get(client, url)
    profiler.disable()
    settings.PERFHUB_PAGE_CACHE = True
    for line in top_entries(pstats.Stats(profiler), requests):
        print(f"      {line}")


def run_size(args):
    """Times every page at one size in its own database; prints and returns the figures."""
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
        values = Value.objects.count()
        print(f"{args.size:,} measures x {MONTHS} months = {values:,} values on "
              f"{connection.vendor}, ready in {time.perf_counter() - started:.1f}s; "
              f"{args.n} requests each, {os.cpu_count()} cores, load average {load_average()}.")
        client = Client()
        client.force_login(user)
        client.get("/accounts/login/")  # warm up templates and URL resolvers
        client.get("/accounts/signed-in/")
        gc.collect()
        gc.freeze()  # what start-up and the build left behind, frozen as perfhub/wsgi.py freezes it
        baseline = None
        results = []
        for name, url, cached, goal, kind in pages(args.size):
            with_page_cache(client, url, cached)
            ms = median_ms(client, url, args.n)
            settings.PERFHUB_PAGE_CACHE = True
            baseline = baseline or ms
            ratio = ms / baseline
            print(f"{name:<42} median {ms:8.1f} ms  ({ratio:6.1f} x trivial)  {verdict(ratio, goal)}",
                  flush=True)
            results.append({"name": name, "url": url, "cached": cached, "goal": goal, "growth": kind,
                            "ms": ms, "ratio": ratio})
        if args.profile:
            for page in results:
                if page["goal"] is not None and page["ratio"] > page["goal"]:
                    print(f"Profile: {page['name']} ({verdict(page['ratio'], page['goal'])})", flush=True)
                    profile(client, page["url"], page["cached"], page["ms"])
        print(f"Load average at the end: {load_average()}.")
        return {"size": args.size, "n": args.n, "vendor": connection.vendor, "values": values,
                "pages": results}
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run_sizes(args):
    """Runs this script once per size, each in its own process, then prints one table."""
    sizes = sorted(int(size) for size in args.sizes.split(","))
    goal_size = GOAL_SIZE if GOAL_SIZE in sizes else sizes[-1]
    print(f"Sizes {', '.join(f'{s:,}' for s in sizes)}; {args.n} requests each, {os.cpu_count()} cores, "
          f"load average at the start {load_average()}.", flush=True)
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            out = Path(folder) / f"{size}.json"
            command = [sys.executable, __file__, "--size", str(size), "-n", str(args.n), "--json", str(out)]
            command += ["--keep"] if args.keep else []
            command += ["--profile"] if args.profile and size == goal_size else []
            subprocess.run(command, check=True)
            runs.append(json.loads(out.read_text()))
    print()
    for line in combined_table(runs):
        print(line)
    print("Growth: a paged page's median at the largest size over the smallest's; a report's "
          "microseconds per row at each size (rows: 2/5 of the measures).")
    print(f"Load average at the end: {load_average()}.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="number of performance measures")
    parser.add_argument("--sizes", help="several sizes, e.g. 500,2000,8000: one table of all")
    parser.add_argument("-n", type=int, default=10, help="requests per page")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    parser.add_argument("--profile", action="store_true", help="profile every page whose goal is not met")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.sizes:
        run_sizes(args)
        return
    figures = run_size(args)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
