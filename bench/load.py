"""Requests per second under gunicorn (2 workers) for the liveness view, the trivial signed-in view,
the dashboard (cached and uncached) and the exception report, on loopback only, for a fixed time each.

Uses the database `bench/reports.py --keep --size SIZE` left behind (PostgreSQL:
`<DATABASE_URL's name>_bench_<SIZE>`), starts gunicorn on 127.0.0.1:PORT against it, signs in
as the bench user, and runs CONCURRENCY client threads (plain http.client, keep-alive) against
each page for SECONDS, then prints requests/s, p50 and p95. It stops gunicorn when done.

    .venv/bin/python bench/load.py [--size 2000] [--seconds 10] [--concurrency 4] [--port 8107]

"Uncached" asks for a different dashboard on every request: the filters (committee, service,
RAG, direction, frequency), the sort and the page all vary, so that no part of the page (its
counts, its chart, its rows) comes from the cache; "cached" asks for the same page again and
again. The cache is emptied first, so an earlier run's pages are not served. Any answer but 200
stops the bench with an error (exit status 1).
"""

import argparse
import http.client
import itertools
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
AS_AT = "2021-03"


def bench_database_url(size):
    url = urlparse(os.environ.get("DATABASE_URL", ""))
    if url.scheme not in ("postgres", "postgresql"):
        sys.exit("Set DATABASE_URL to the PostgreSQL server bench/reports.py --keep used.")
    return urlunparse(url._replace(path=f"{url.path}_bench_{size}"))


def wait_for(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz/live")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not start")


def sign_in(port):
    """The bench user's session cookie, through the real sign-in form."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    html = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urlencode({"username": "bench", "password": "bench-only", "csrfmiddlewaretoken": token})
    connection.request("POST", "/accounts/login/", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}",
        "Referer": f"http://127.0.0.1:{port}/accounts/login/",
    })
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if not session:
        sys.exit("could not sign in as the bench user")
    return f"sessionid={session.group(1)}"


def uncached_dashboards():
    """A different dashboard each time: the as-at month, every filter and the sort vary, and the
    page (1-3) where the filters leave enough rows for three pages."""
    months = [f"{2020 + (m > 12)}-{(m - 1) % 12 + 1:02d}" for m in range(4, 16)]
    choices = (
        ["", *(f"service-{i}" for i in range(10))], ["", "people-and-health", "place-and-resources"],
        ["", "Red", "Amber", "Green", "ND"], ["", "Improving", "Worsening", "Same", "No trend"],
        ["", "-data", "rag", "indicator"])
    while True:
        for service, committee, rag, dot, sort in itertools.product(*choices):
            for as_at in months:
                for page in [1, 2, 3] if not (service or rag or dot) else [1]:
                    query = {"as_at": as_at, "committee": committee, "service": service, "rag": rag,
                             "dot": dot, "sort": sort, "page": page}
                    yield "/dashboard/?" + urlencode({k: v for k, v in query.items() if v != ""})


def load_average():
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


class Refused(Exception):
    """A page answered something other than 200."""


def run(port, paths, cookie, seconds, concurrency):
    """Requests/s, p50 and p95 (ms) of GETs of `paths` (an iterator) for `seconds`. Raises
    Refused if any answer is not 200."""
    times, lock, stop = [], threading.Lock(), time.monotonic() + seconds
    paths_lock, failures = threading.Lock(), []

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop and not failures:
            with paths_lock:
                path = next(paths)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                response.read()
            except OSError as error:
                failures.append(f"{path}: {error!r}")
                return
            elapsed = time.perf_counter() - started
            if response.status != 200:
                failures.append(f"{path}: {response.status}")
                return
            with lock:
                times.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise Refused("; ".join(failures[:5]))
    times.sort()
    return len(times) / seconds, statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=8107)
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": bench_database_url(args.size), "DEBUG": "False",
           "SECRET_KEY": "bench-only-not-secret", "SECURE_SSL_REDIRECT": "False",
           "ALLOWED_HOSTS": "127.0.0.1", "AXES_ENABLED": "False", "LOG_LEVEL": "ERROR"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)
    # An earlier run's pages are not this run's "uncached" ones.
    subprocess.run([sys.executable, "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()"],
                   cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "perfhub.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{args.port}", "--log-level", "error"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        wait_for(args.port)
        cookie = sign_in(args.port)
        exception = f"/reports/exception/?committee=people-and-health&as_at={AS_AT}"
        pages = [
            ("liveness (/healthz/live)", itertools.repeat("/healthz/live"), None),
            ("trivial signed-in view", itertools.repeat("/accounts/signed-in/"), cookie),
            ("sign-in page", itertools.repeat("/accounts/login/"), None),
            ("dashboard, cached", itertools.repeat(f"/dashboard/?as_at={AS_AT}"), cookie),
            ("dashboard, uncached (filters, sort, page vary)", uncached_dashboards(), cookie),
            ("exception report, cached", itertools.repeat(exception), cookie),
        ]
        print(f"gunicorn, 2 workers, {args.concurrency} clients, {args.seconds:g}s each, "
              f"{args.size:,} measures, {os.cpu_count()} cores, load average {load_average()}")
        rates = {}
        for name, paths, page_cookie in pages:
            try:
                rate, p50, p95 = run(args.port, paths, page_cookie, args.seconds, args.concurrency)
            except Refused as refused:
                sys.exit(f"{name}: not 200: {refused}")
            rates[name] = rate
            goal = ""
            if name.startswith("dashboard, uncached"):
                goal = f"goal >= 50 req/s, p95 < 150 ms: {'met' if rate >= 50 and p95 < 150 else 'NOT MET'}"
            elif name == "dashboard, cached":
                share = rate / rates["liveness (/healthz/live)"]
                goal = f"goal >= 60% of liveness: {share:.0%}, {'met' if share >= 0.6 else 'NOT MET'}"
            print(f"{name:<48} {rate:7.1f} req/s   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {goal}",
                  flush=True)
        print(f"Load average at the end: {load_average()}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
