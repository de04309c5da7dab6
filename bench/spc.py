"""What the SPC columns cost the dashboard, at 2,000 measures x 60 months.

Uses the framework bench/reports.py --keep built (or builds it the same way), then times the dashboard
with its variation and assurance columns and without them (DashboardView.show_spc off), taking
turns so that both see the same load on the machine, and filtered by variation and assurance
(in SQL, on what each value keeps); prints the medians and the ratio to the dashboard without SPC. The
budget (issue 12): with the columns, within 1.5 x.

    .venv/bin/python bench/spc.py [N] [SIZE]
"""

import importlib.util
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("bench_reports", HERE / "reports.py")
bench_reports = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_reports)  # sets up Django, as bench/reports.py does

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from measures.models import Measure  # noqa: E402
from reports.views import DashboardView  # noqa: E402

AS_AT = bench_reports.AS_AT


def main(n=5, size=2000):
    setup_test_environment()
    settings.PERFHUB_PAGE_CACHE = False
    if connection.vendor == "postgresql":  # the database bench/reports.py --keep --size leaves
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{connection.settings_dict['NAME']}_bench_{size}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=False, keepdb=True)
    try:
        if not Measure.objects.exists():
            bench_reports.build(size)
            bench_reports.analyze()
        client = Client()
        client.force_login(get_user_model().objects.get(username="bench"))
        url = f"/dashboard/?as_at={AS_AT}"
        client.get(url)  # warm up
        times = {False: [], True: []}
        for _ in range(n):
            for show in (False, True):
                DashboardView.show_spc = show
                times[show].append(bench_reports.median_ms(client, url, 1))
        without, with_spc = (statistics.median(times[show]) for show in (False, True))
        filtered = bench_reports.median_ms(client, f"{url}&variation=concern&assurance=failing", n)
        print(f"{size:,} measures x {bench_reports.MONTHS} months on {connection.vendor}; "
              f"{n} requests each.")
        for name, ms in [
            ("dashboard without SPC columns", without),
            ("dashboard with SPC columns", with_spc),
            ("dashboard, variation=concern&assurance=failing", filtered),
        ]:
            print(f"{name:<48} median {ms:8.1f} ms   ({ms / without:5.2f} x without SPC)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=True)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
