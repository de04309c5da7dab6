"""The SPC rules against worked series from NHSRplotthedots (github.com/nhs-r-community/
NHSRplotthedots), each cited by the file it comes from, and the three places where issue 18 found
PerfHub's arithmetic or colouring apart from it: a trend's colour (finding 1), the mean worked
exactly (finding 2) and gaps in a series (finding 5).

PerfHub takes every point as the baseline when `baseline_points` is None, as ptd_spc does by
default (`fix_after_n_points = NULL`, R/ptd_spc_standard.R); the default for a measure is 20.
"""

from decimal import Decimal
from unittest import TestCase

from measures import spc
from measures.spc import Assurance, Limits, Nature, Rule, Settings

EVERY_POINT = Settings(baseline_points=None)

# vignettes/deviations.Rmd, "1. Treatment of outlying points": 18 daily figures with one outlier.
DEVIATIONS = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def rounded(limits, places=2):
    return round(limits.upper, places), round(limits.mean, places), round(limits.lower, places)


class DeviationsVignetteTest(TestCase):
    def test_screened_limits_are_the_vignettes_4_6_1_94_and_minus_0_72(self):
        self.assertEqual(rounded(spc.xmr_limits(DEVIATIONS, None)), (4.6, 1.94, -0.72))

    def test_unscreened_limits_are_the_making_data_count_spreadsheets_6_95_1_94_and_minus_3_06(self):
        # "setting screen_outliers = FALSE produces the same output as Excel"
        self.assertEqual(rounded(spc.xmr_limits(DEVIATIONS, None, screen=False)), (6.95, 1.94, -3.06))

    def test_the_outlier_alone_is_special_cause_improvement_when_higher_is_better(self):
        # "four grey common cause points followed by a single blue special cause improvement point
        # followed by a further 12 grey common cause points"
        natures = [p.nature for p in spc.analyse(DEVIATIONS, "higher", settings=EVERY_POINT).points]
        self.assertEqual(natures, [Nature.COMMON] * 4 + [Nature.IMPROVEMENT] + [Nature.COMMON] * 13)


class AssuranceTypeTest(TestCase):
    """tests/testthat/test-ptd_calculate_assurance_type.R: limits (1, 3), (5, 7) and (1, 5), target 4."""

    cases = [Limits(2, Decimal(1) / Decimal("2.66")), Limits(6, Decimal(1) / Decimal("2.66")),
             Limits(3, Decimal(2) / Decimal("2.66"))]

    def test_increase(self):
        self.assertEqual([spc.assurance(4, limits, "higher") for limits in self.cases],
                         [Assurance.FAILING, Assurance.PASSING, Assurance.HIT_AND_MISS])

    def test_decrease(self):
        self.assertEqual([spc.assurance(4, limits, "lower") for limits in self.cases],
                         [Assurance.PASSING, Assurance.FAILING, Assurance.HIT_AND_MISS])

    def test_neutral_and_no_target_give_none(self):
        self.assertEqual([spc.assurance(4, limits, "none") for limits in self.cases], [None] * 3)
        self.assertIsNone(spc.assurance(None, self.cases[0], "higher"))

    def test_a_target_on_a_limit_is_hit_and_miss(self):
        # ptd_calculate_assurance_type: consistent_pass needs lpl > target (strictly), so a target
        # on the lower limit is inconsistent; exact arithmetic puts it on the limit.
        limits = Limits(Decimal("10"), Decimal("1"))  # lower limit 7.34 exactly
        self.assertEqual(spc.assurance(Decimal("7.34"), limits, "higher"), Assurance.HIT_AND_MISS)


class PointTypeTest(TestCase):
    """tests/testthat/test-ptd_calculate_point_type.R: the two-in-three cases, on limits (0, 3)
    whose 2-sigma lines are at +/-5.32 and process limits at +/-7.98."""

    limits = Limits(0, 3)

    def flags(self, near):
        values = [6 if n else 1 for n in near]
        return [int(Rule.TWO_OF_THREE in rules) for rules, _ in spc.special_causes(values, self.limits)]

    def test_ptd_two_in_three_and_part_of_two_in_three(self):
        self.assertEqual(self.flags([1, 0, 1]), [1, 0, 1])
        self.assertEqual(self.flags([0, 1, 1]), [0, 1, 1])
        self.assertEqual(self.flags([1, 1, 0]), [1, 1, 0])
        self.assertEqual(self.flags([0, 0, 1, 0, 1, 0, 0]), [0, 0, 1, 0, 1, 0, 0])
        self.assertEqual(self.flags([1, 0, 0, 1]), [0, 0, 0, 0])
        self.assertEqual(self.flags([1, 0, 0, 1, 1]), [0, 0, 0, 1, 1])


class TrendColourTest(TestCase):
    """Finding 1. NHSRplotthedots pull request #180 ("fix colour of points in trends", fixing
    issues #171 and #122, after the Making Data Count spreadsheet) colours a flagged point by the
    first rule that flags it: beyond a limit by its side of the mean; in a trend by the trend's
    direction; two in three, or a run on one side, by its side of the mean."""

    # Mean 12, moving range 4: limits 1.36 to 22.64, 2-sigma lines 4.91 and 19.09. The last seven
    # fall, all above the mean: a trend, a run above the mean, and two-in-three near the top.
    FALLING_ABOVE = [10, 14] * 6 + [21, 20, 19, 18, 17, 16, 15]

    def analyse(self, polarity):
        return spc.analyse(self.FALLING_ABOVE, polarity, settings=Settings(baseline_points=12))

    def test_a_falling_run_above_the_mean_is_improvement_low_where_lower_is_better(self):
        analysis = self.analyse("lower")
        tail = analysis.points[12:]
        self.assertTrue(all({Rule.TREND, Rule.SHIFT} <= p.rules for p in tail))
        self.assertEqual({(p.nature, p.side) for p in tail}, {(Nature.IMPROVEMENT, "low")})
        self.assertEqual(analysis.variation, spc.Variation(Nature.IMPROVEMENT, "low"))

    def test_the_same_run_is_concern_low_where_higher_is_better(self):
        self.assertEqual(self.analyse("higher").variation, spc.Variation(Nature.CONCERN, "low"))

    def test_a_point_beyond_a_limit_keeps_its_side_of_the_mean_within_a_trend(self):
        values = [10, 14] * 6 + [30, 20, 19, 18, 17, 16, 15]
        first = spc.analyse(values, "lower", settings=Settings(baseline_points=12)).points[12]
        self.assertEqual((first.rules >= {Rule.LIMIT, Rule.TREND}, first.side), (True, "high"))
        self.assertEqual(first.nature, Nature.CONCERN)


class ExactMeanTest(TestCase):
    """Finding 2: "a point on the mean breaks a run" (test-ptd_calculate_point_type.R,
    ptd_seven_point_one_side_mean: relative_to_mean 0 ends a run) needs the mean exactly."""

    # The exact mean is 49.2; in floats it is 49.199999999999996, so the 49.2 after the six
    # 49.1s would be above it and complete a run of seven with the 49.3s.
    SERIES = [49.1] * 6 + [49.2] + [49.3] * 6 + [49.2]

    def test_the_mean_is_exact(self):
        self.assertEqual(spc.xmr_limits(self.SERIES, None).exact_mean, Decimal("49.2"))

    def test_a_point_equal_to_the_mean_breaks_the_run(self):
        limits = Limits(spc.xmr_limits(self.SERIES, None).exact_mean, 1)  # wide: runs alone
        self.assertEqual([rules for rules, _ in spc.special_causes(self.SERIES, limits)], [set()] * 14)

    def test_decimal_figures_from_the_database_give_the_same(self):
        decimals = [Decimal(str(v)) for v in self.SERIES]
        self.assertEqual(spc.xmr_limits(decimals, None), spc.xmr_limits(self.SERIES, None))


class GapTest(TestCase):
    """Finding 5: NHSRplotthedots expects a series with no gaps (R/ptd_spc_standard.R: "There
    should be no gaps in the time series"); PerfHub breaks moving ranges, runs, trends and
    windows of three at a gap rather than joining across it."""

    def test_no_moving_range_spans_a_gap(self):
        self.assertEqual(spc.moving_ranges([1, 2, 10, 11], gaps={2}), [1, 1])
        self.assertEqual(spc.xmr_limits([1, 2, 10, 11], None, gaps={2}).mean_moving_range, 1)

    def test_a_run_of_seven_across_a_gap_is_no_shift(self):
        limits = Limits(0, 100)
        across = [int(Rule.SHIFT in r) for r, _ in spc.special_causes([1] * 7, limits, gaps={4})]
        self.assertEqual(across, [0] * 7)
        self.assertEqual([int(Rule.SHIFT in r) for r, _ in spc.special_causes([1] * 7, limits)], [1] * 7)

    def test_a_trend_across_a_gap_is_no_trend(self):
        flagged = [int(Rule.TREND in r) for r, _ in spc.special_causes(list(range(1, 8)), Limits(0, 100), gaps={3})]
        self.assertEqual(flagged, [0] * 7)

    def test_two_of_three_do_not_span_a_gap(self):
        flagged = [int(Rule.TWO_OF_THREE in r) for r, _ in spc.special_causes([6, 1, 6], Limits(0, 3), gaps={2})]
        self.assertEqual(flagged, [0, 0, 0])

    def test_analyse_breaks_the_series_at_its_gaps(self):
        values = [10, 14] * 6 + [15, 16, 17, 18, 19, 20, 21]
        joined = spc.analyse(values, "higher", settings=Settings(baseline_points=12))
        broken = spc.analyse(values, "higher", settings=Settings(baseline_points=12), gaps={15})
        self.assertIn(Rule.TREND, joined.points[-1].rules)
        self.assertNotIn(Rule.TREND, broken.points[-1].rules)
