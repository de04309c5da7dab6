"""How long the API's values endpoint takes with a full-size framework: 2,000 measures x 60
months of published values (bench/reports.py builds them, in a throwaway test database), read
with a token, beside a trivial view in the same run; prints the medians.

    .venv/bin/python bench/api.py [N]      (or: make bench)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reports import AS_AT, time_pages, with_framework  # noqa: E402 (sets Django up)
from django.test import Client  # noqa: E402

from accounts.services import create_token  # noqa: E402


def main(n):
    def work(user):
        _, secret = create_token(user, "bench", 1)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        deep = client.get("/api/v1/values/?page_size=1000").json()["next"]
        for _ in range(59):  # walk to the 60th page: a cursor deep into the table
            deep = client.get(deep).json()["next"]
        time_pages(client, [
            ("trivial view (sign-in page)", "/accounts/login/"),
            ("values, first 100", "/api/v1/values/"),
            ("values, first 1,000", "/api/v1/values/?page_size=1000"),
            ("values, 1,000 at page 60", deep),
            ("values, 1,000 as CSV", "/api/v1/values/?page_size=1000&format=csv"),
            ("values, committee + RAG Red, 1,000", "/api/v1/values/?committee=people-and-health&rag=Red&page_size=1000"),
            ("values, as_at, 1,000", f"/api/v1/values/?as_at={AS_AT}&page_size=1000"),
            ("measures with ratings in force, 1,000", f"/api/v1/measures/?as_at={AS_AT}&page_size=1000"),
        ], n, width=40)

    with_framework(n, work)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
