"""How bench/reports.py reads its medians: goals, growth from 500 to 8,000 measures, profiles."""

import cProfile
import pstats

from django.test import SimpleTestCase
from django.utils.html import escape

from bench.reports import (
    PAGED, PER_ROW, combined_table, growth, report_rows, shorten, top_entries, verdict,
)


def run(size, trivial, dashboard, report):
    return {"size": size, "pages": [
        {"name": "trivial view", "ms": trivial, "ratio": 1.0, "goal": None, "growth": None},
        {"name": f"dashboard (page 1 of {size:,})", "ms": dashboard, "ratio": dashboard / trivial,
         "goal": 10, "growth": PAGED},
        {"name": "exception report", "ms": report, "ratio": report / trivial, "goal": 30,
         "growth": PER_ROW},
    ]}


class VerdictTests(SimpleTestCase):
    def test_a_ratio_at_the_goal_meets_it(self):
        self.assertEqual(verdict(10.0, 10), "goal <= 10x: met")

    def test_a_ratio_over_the_goal_does_not_meet_it(self):
        self.assertEqual(verdict(10.01, 10), "goal <= 10x: NOT MET")

    def test_a_page_without_a_goal_has_no_verdict(self):
        self.assertEqual(verdict(75.0, None), "")


class GrowthTests(SimpleTestCase):
    def test_a_paged_page_within_20_percent_meets_the_goal(self):
        self.assertEqual(growth(PAGED, {8000: 60.0, 500: 50.0, 2000: 99.0}),
                         "x1.20 from 500 to 8,000, goal within 20%: met")

    def test_a_paged_page_that_grows_more_does_not_meet_it(self):
        self.assertEqual(growth(PAGED, {500: 50.0, 8000: 61.0}),
                         "x1.22 from 500 to 8,000, goal within 20%: NOT MET")

    def test_a_paged_page_at_one_size_has_no_growth(self):
        self.assertEqual(growth(PAGED, {2000: 50.0}), "")

    def test_a_report_that_grows_with_its_rows_gives_microseconds_per_row_at_each_size(self):
        # 200, 800 and 3,200 rows
        self.assertEqual(growth(PER_ROW, {8000: 1293.0, 500: 81.0, 2000: 239.2}),
                         "µs/row 405 / 299 / 404")

    def test_the_reports_rows_are_the_red_and_amber_two_in_five(self):
        self.assertEqual([report_rows(s) for s in (500, 2000, 8000)], [200, 800, 3200])

    def test_other_pages_have_no_growth_figure(self):
        self.assertEqual(growth(None, {500: 1.0, 8000: 9.0}), "")


class CombinedTableTests(SimpleTestCase):
    def test_each_page_has_every_size_its_goal_at_2000_and_its_growth(self):
        lines = combined_table([run(8000, 2.0, 66.0, 1280.0), run(500, 2.0, 50.0, 80.0),
                                run(2000, 2.0, 22.0, 240.0)])
        self.assertIn("goal at 2,000", lines[0])
        self.assertLess(lines[0].index("500"), lines[0].index("2,000"))
        self.assertLess(lines[0].index("2,000"), lines[0].index("8,000"))
        dashboard = lines[2]
        self.assertTrue(dashboard.startswith("dashboard (page 1 of 2,000)"))
        self.assertIn("50.0 ( 25.0x)", dashboard)
        self.assertIn("66.0 ( 33.0x)", dashboard)
        self.assertIn("goal <= 10x: NOT MET", dashboard)  # 11x at 2,000
        self.assertIn("x1.32 from 500 to 8,000, goal within 20%: NOT MET", dashboard)
        self.assertTrue(lines[3].endswith("µs/row 400 / 300 / 400"))
        self.assertIn("goal <= 30x: NOT MET", lines[3])  # 120x at 2,000

    def test_without_2000_the_goal_is_judged_at_the_largest_size(self):
        lines = combined_table([run(500, 2.0, 10.0, 80.0), run(8000, 2.0, 30.0, 1280.0)])
        self.assertIn("goal at 8,000", lines[0])
        self.assertIn("goal <= 10x: NOT MET", lines[2])  # 15x at 8,000, 5x at 500


class ProfileTests(SimpleTestCase):
    def test_paths_are_shortened_to_the_innermost_root_they_are_under(self):
        roots = ["/work/perfhub", "/work/perfhub/.venv/lib/python3.11/site-packages/"]
        self.assertEqual(shorten("/work/perfhub/reports/views.py", roots), "reports/views.py")
        self.assertEqual(
            shorten("/work/perfhub/.venv/lib/python3.11/site-packages/django/template/base.py", roots),
            "django/template/base.py")
        self.assertEqual(shorten("/elsewhere/x.py", roots), "/elsewhere/x.py")

    def test_the_top_entries_are_by_own_time_with_repo_paths_and_calls_per_request(self):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(3):
            report_rows(sum(range(200_000)))
        profiler.disable()
        lines = top_entries(pstats.Stats(profiler), requests=3, count=8)
        self.assertLessEqual(len(lines), 8)
        self.assertTrue(lines[0].startswith("<built-in method builtins.sum> (built-in) "), lines)
        self.assertTrue(lines[0].endswith(" ms, 1 calls"), lines)
        rows = next(line for line in lines if line.startswith("report_rows "))
        self.assertIn("(bench/reports.py:", rows)

    def test_library_functions_are_shown_relative_to_site_packages(self):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(3):
            escape("<b>")
        profiler.disable()
        lines = top_entries(pstats.Stats(profiler), requests=3, count=100)
        self.assertTrue(any("(django/utils/html.py:" in line for line in lines), lines)
