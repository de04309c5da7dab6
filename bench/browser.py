"""What a councillor waits for in the browser (issue 19): each page in headless Chromium against
gunicorn with production settings, signed in as a member, at 1366 x 768.

For each page, RUNS times (median printed), each in a fresh browser context (nothing in the
browser's cache: a first visit) with the page cache cold (cleared before the request) and then
warm (the same page again, the server's page cache filled):
- load: the load event (navigation start to loadEventEnd);
- usable: the load event, or later the "perfhub:charts-in-view" mark static/js/charts.js sets
  once the interactive charts on the first screen are drawn (pages whose charts are all SVG
  drawn on the server are usable at load);
- bytes transferred by type (HTML, JS, CSS; compressed, as on the wire);
- JS main-thread time: Chromium's ScriptDuration (Performance.getMetrics) at the load event.
And the committee papers: each PDF's first request (its paper cache cold) and again.

Sizes: `--size demo` (the demo council: `manage.py load_demo` into `<database>_bench_demo`,
built once) and `--size 2000` (the framework `bench/reports.py --keep --size 2000` built).
`--server URL` runs against a server already running instead (e.g. `make demo`'s, signed in as
its `member`), with no cache clearing.

    .venv/bin/python bench/browser.py [--size demo|2000] [--runs 5] [--port 8108]
    .venv/bin/python bench/browser.py --server http://127.0.0.1:8000 --user member --password perfhub-demo

Needs Debian's chromium (/usr/bin/chromium) and DATABASE_URL naming a PostgreSQL server.
"""

import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
MEMBER, PASSWORD = "bench-member", "bench-member-only"

# (name, path, goal for "usable" in seconds at demo size, at 2,000 measures)
PAGES = {
    "demo": [
        ("dashboard", "/dashboard/", 1.0),
        ("exception report", "/reports/exception/?committee=people-and-health&as_at=2020-10", 1.0),
        ("outcome report (all charts drawn)", "/reports/outcomes/independent/?as_at=2018-09", 1.5),
        ("measure page (interactive chart drawn)", "measure", 1.0),
        ("risk register", "/risks/", None),
    ],
    "2000": [
        ("dashboard", "/dashboard/?as_at=2021-03", 1.5),
        ("exception report (800 rows)", "/reports/exception/?committee=people-and-health&as_at=2021-03", 2.0),
        ("outcome report (250 measures)", "/reports/outcomes/independent/?as_at=2021-03", 2.5),
        ("measure page (interactive chart drawn)", "measure", 1.0),
        ("risk register", "/risks/", None),
    ],
}
# (name, path, goal first request, goal again) in seconds
PAPERS = {
    "demo": [
        ("exception report PDF", "/reports/exception/?committee=people-and-health&as_at=2020-10&format=pdf", 3, 0.2),
        ("outcome report PDF", "/reports/outcomes/independent/?as_at=2018-09&format=pdf", 5, 0.2),
    ],
    "2000": [
        ("exception report PDF (800 rows)",
         "/reports/exception/?committee=people-and-health&as_at=2021-03&format=pdf", 15, 0.2),
        ("outcome report PDF (250 measures)", "/reports/outcomes/independent/?as_at=2021-03&format=pdf", None, 0.2),
    ],
}

CLEAR_CACHE = """
import sys, django
django.setup()
from django.core.cache import cache
for line in sys.stdin:
    cache.clear()
    print("cleared", flush=True)
"""

ENSURE_MEMBER = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from measures.roles import SCRUTINY_MEMBER, ensure_roles
from measures.models import Measure
ensure_roles()
user, _ = get_user_model().objects.get_or_create(username="{MEMBER}")
user.set_password("{PASSWORD}")
user.save()
user.groups.set([Group.objects.get(name=SCRUTINY_MEMBER)])
measure = (Measure.objects.filter(title="Rates of children in care per 10,000").first()
           or Measure.objects.filter(values__isnull=False).order_by("pk").first())
print(measure.pk)
"""


def database_url(size):
    url = urlparse(os.environ.get("DATABASE_URL", ""))
    if url.scheme not in ("postgres", "postgresql"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (bench/reports.py --keep builds the 2,000).")
    return urlunparse(url._replace(path=f"{url.path}_bench_{size}"))


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def prepare(size, env):
    """The database ready (the demo loaded once), a member to sign in as, and a measure's id."""
    if size == "demo":
        import psycopg2

        url = urlparse(env["DATABASE_URL"])
        admin = psycopg2.connect(host=url.hostname, port=url.port or 5432, user=url.username,
                                 password=url.password, dbname="postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [url.path.lstrip("/")])
            fresh = cursor.fetchone() is None
            if fresh:
                cursor.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')
        admin.close()
        manage(env, "migrate", "--noinput", "-v0")
        if fresh:
            manage(env, "load_demo", stdout=subprocess.DEVNULL)
    out = manage(env, "shell", "-c", ENSURE_MEMBER, capture_output=True, text=True).stdout
    return int(out.split()[-1])


def wait_for(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz/live")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("gunicorn did not start")


def sign_in(browser, base, user, password):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", password)
    page.click("form button[type=submit]:has-text(\"Sign in\")")
    page.wait_for_load_state("load")
    if "/accounts/login/" in page.url:
        sys.exit(f"could not sign in as {user}")
    state = context.storage_state()
    context.close()
    return state


def visit(browser, state, url):
    """One first visit of `url`: (load s, usable s, {type: bytes}, JS main-thread s)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, storage_state=state)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Performance.enable")
    kinds, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    response = page.goto(url, wait_until="load")
    if response.status != 200:
        sys.exit(f"{url}: {response.status}")
    interactive = page.locator(".app-chart__plot").count() > 0
    if interactive:
        page.wait_for_function("performance.getEntriesByName('perfhub:charts-in-view').length > 0")
    timing = page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const mark = performance.getEntriesByName('perfhub:charts-in-view')[0];
        return [nav.loadEventEnd, mark ? mark.startTime : 0];
    }""")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    context.close()
    by_type = {}
    for request_id, size in sizes.items():
        kind = {"Document": "HTML", "Script": "JS", "Stylesheet": "CSS"}.get(kinds.get(request_id), "other")
        by_type[kind] = by_type.get(kind, 0) + size
    load = timing[0] / 1000
    return load, max(load, timing[1] / 1000), by_type, metrics.get("ScriptDuration", 0)


def fetch_seconds(base, path, cookie):
    parsed = urlparse(base)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=300)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    body = response.read()
    if response.status == 400:
        return None  # refused as too long to lay out (reports.pdf.PDF_MAX_CHARACTERS)
    if response.status != 200 or not body.startswith(b"%PDF"):
        sys.exit(f"{path}: {response.status}")
    return time.perf_counter() - started


def verdict(figure, goal):
    return "" if goal is None else f"goal <= {goal:g} s: {'met' if figure <= goal else 'NOT MET'}"


def run(browser, base, size, state, measure_id, runs, clear):
    print(f"{'page':<42} {'cache':<5} {'load':>7} {'usable':>7} {'JS main':>8} "
          f"{'HTML kB':>8} {'JS kB':>7} {'CSS kB':>7}")
    for name, path, goal in PAGES[size]:
        url = base + (f"/measures/{measure_id}/" if path == "measure" else path)
        for warm in (False, True):
            results = []
            for _ in range(runs):
                if clear:
                    clear(warm)
                results.append(visit(browser, state, url))
            load = statistics.median(r[0] for r in results)
            usable = statistics.median(r[1] for r in results)
            script = statistics.median(r[3] for r in results)
            kb = {kind: statistics.median(r[2].get(kind, 0) for r in results) / 1000 for kind in ("HTML", "JS", "CSS")}
            print(f"{name:<42} {'warm' if warm else 'cold':<5} {load:6.2f}s {usable:6.2f}s {script:7.2f}s "
                  f"{kb['HTML']:8.1f} {kb['JS']:7.1f} {kb['CSS']:7.1f}   "
                  f"{verdict(usable, goal) if not warm else ''}", flush=True)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in state["cookies"])
    for name, path, first_goal, again_goal in PAPERS[size]:
        firsts, agains = [], []
        for _ in range(max(1, runs // 2) if clear else 1):  # a running server's first is its only first
            if clear:
                clear(False)
            firsts.append(fetch_seconds(base, path, cookie))
            agains.append(fetch_seconds(base, path, cookie))
        if None in firsts:
            print(f"{name:<42} refused (400): over a bound of reports.pdf (its words or its table rows)", flush=True)
            continue
        first, again = statistics.median(firsts), statistics.median(agains)
        print(f"{name:<42} first {first:6.2f}s ({verdict(first, first_goal) or 'no goal'}), "
              f"again {again:6.3f}s ({verdict(again, again_goal)})", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(PAGES), default="demo")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8108)
    parser.add_argument("--server", help="a running server's URL (no gunicorn started, no cache cleared)")
    parser.add_argument("--user", default="member")
    parser.add_argument("--password", default="perfhub-demo")
    parser.add_argument("--measure", type=int, help="the measure page's id (with --server)")
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, {os.cpu_count()} cores, "
          f"median of {args.runs}", flush=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        if args.server:
            state = sign_in(browser, args.server, args.user, args.password)
            run(browser, args.server.rstrip("/"), args.size, state, args.measure or 1, args.runs, None)
            return
        env = {**os.environ, "DATABASE_URL": database_url(args.size), "DEBUG": "False",
               "SECRET_KEY": "bench-only-not-secret", "SECURE_SSL_REDIRECT": "False",
               "ALLOWED_HOSTS": "127.0.0.1", "AXES_ENABLED": "False", "LOG_LEVEL": "ERROR",
               "DJANGO_SETTINGS_MODULE": "perfhub.settings",
               # Cookies over plain http on loopback: the bench has no TLS in front of it.
               "SESSION_COOKIE_SECURE": "False", "CSRF_COOKIE_SECURE": "False"}
        measure_id = prepare(args.size, env)
        manage(env, "collectstatic", "--noinput", "-v0")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "perfhub.wsgi", "--workers", "2", "--timeout", "120",
             "--bind", f"127.0.0.1:{args.port}", "--log-level", "error"],  # the Dockerfile's timeout
            cwd=ROOT, env=env, start_new_session=True,
        )
        clearer = subprocess.Popen([sys.executable, "-c", CLEAR_CACHE], cwd=ROOT, env=env,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

        def clear(warm):
            if not warm:
                clearer.stdin.write("clear\n")
                clearer.stdin.flush()
                clearer.stdout.readline()

        try:
            wait_for(args.port)
            base = f"http://127.0.0.1:{args.port}"
            state = sign_in(browser, base, MEMBER, PASSWORD)
            print(f"gunicorn (2 workers), production settings, {args.size} measures", flush=True)
            run(browser, base, args.size, state, measure_id, args.runs, clear)
        finally:
            clearer.stdin.close()
            clearer.wait(timeout=30)
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
