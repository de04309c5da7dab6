"""How long the API's values endpoint takes with a full-size framework: 2,000 measures x 60
months of published values (built by bench/reports.py's `build`, in a throwaway test database),
read with a token, beside a trivial view in the same run; prints the medians.

    .venv/bin/python bench/api.py [-n N] [--size S]      (or: make bench)
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reports import AS_AT, MONTHS, build, median_ms  # noqa: E402 (sets Django up)
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from accounts.services import create_token  # noqa: E402
from measures.models import Value  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="number of performance measures")
    parser.add_argument("-n", type=int, default=10, help="requests per page")
    args = parser.parse_args()
    setup_test_environment()
    settings.API_THROTTLE_RATE = "1000000/hour"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        build(args.size)
        print(f"{args.size:,} measures x {MONTHS} months = {Value.objects.count():,} values on "
              f"{connection.vendor}; {args.n} requests each.")
        _, secret = create_token(get_user_model().objects.get(username="bench"), "bench", 1)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        deep = client.get("/api/v1/values/?page_size=1000").json()["next"]
        for _ in range(59):  # walk to the 60th page: a cursor deep into the table
            deep = client.get(deep).json()["next"]
        pages = [
            ("trivial view (sign-in page)", "/accounts/login/"),
            ("values, first 100", "/api/v1/values/"),
            ("values, first 1,000", "/api/v1/values/?page_size=1000"),
            ("values, 1,000 at page 60", deep),
            ("values, 1,000 as CSV", "/api/v1/values/?page_size=1000&format=csv"),
            ("values, committee + RAG Red, 1,000", "/api/v1/values/?committee=people-and-health&rag=Red&page_size=1000"),
            ("values, as_at, 1,000", f"/api/v1/values/?as_at={AS_AT}&page_size=1000"),
            ("measures with ratings in force, 1,000", f"/api/v1/measures/?as_at={AS_AT}&page_size=1000"),
        ]
        client.get(pages[0][1])  # warm up templates and URL resolvers
        baseline = None
        for name, url in pages:
            ms = median_ms(client, url, args.n)
            baseline = baseline or ms
            print(f"{name:<42} median {ms:8.1f} ms  ({ms / baseline:6.1f} x trivial)", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
