"""How long the API's values endpoint takes with a full-size framework: 2,000 measures x 60
months of published values (bench/reports.py builds them, in a throwaway test database), read
with a token, beside a trivial view in the same run; prints the medians.

    .venv/bin/python bench/api.py [N]      (or: make bench)
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reports import AS_AT, MEASURES, MONTHS, build, median_ms  # noqa: E402 (sets Django up)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from accounts.services import create_token  # noqa: E402
from measures.models import Value  # noqa: E402


def main(n):
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        user = build()
        print(f"Built {MEASURES:,} measures x {MONTHS} months = {Value.objects.count():,} values "
              f"on {connection.vendor} in {time.perf_counter() - started:.1f}s; {n} requests each.")
        _, secret = create_token(user, "bench", 1)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        middle = client.get("/api/v1/values/?page_size=1000").json()["next"]
        for _ in range(59):  # walk to the 60th page: a cursor deep into the table
            middle = client.get(middle).json()["next"]
        pages = [
            ("trivial view (sign-in page)", "/accounts/login/"),
            ("values, first 100", "/api/v1/values/"),
            ("values, first 1,000", "/api/v1/values/?page_size=1000"),
            ("values, 1,000 at page 60", middle),
            ("values, 1,000 as CSV", "/api/v1/values/?page_size=1000&format=csv"),
            ("values, committee + RAG Red, 1,000", "/api/v1/values/?committee=people-and-health&rag=Red&page_size=1000"),
            ("values, as_at, 1,000", f"/api/v1/values/?as_at={AS_AT}&page_size=1000"),
            ("measures with ratings in force, 1,000", f"/api/v1/measures/?as_at={AS_AT}&page_size=1000"),
        ]
        client.get(pages[0][1])  # warm up templates and URL resolvers
        baseline = None
        for name, url in pages:
            ms = median_ms(client, url, n)
            baseline = baseline or ms
            print(f"{name:<40} median {ms:9.1f} ms   ({ms / baseline:7.1f} x trivial)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
