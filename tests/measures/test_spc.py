"""The SPC rules, against the NHS-R community's NHSRplotthedots test expectations, with properties.

Worked examples come from NHSRplotthedots (github.com/nhs-r-community/NHSRplotthedots):
- tests/testthat/_snaps/ptd_spc.md and _snaps/ptd_spc_standard.md: the limits of R's
  `rnorm(20)` after `set.seed(123)` (printed to 3 significant figures in the snapshots; the
  values below are R's, in full), whole and split into two groups of 10;
- tests/testthat/test-ptd_calculate_point_type.R: the run, trend and two-in-three rules;
- tests/testthat/test-ptd_spc_standard.R: two points near opposite limits are no signal.
"""

from unittest import TestCase

from hypothesis import given, strategies as st

from measures import spc
from measures.spc import Assurance, Limits, Nature, Rule, Settings

# R: set.seed(123); rnorm(20)
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]


def flagged(values, rule, limits=Limits(0, 100)):
    return [int(rule in rules) for rules, _ in spc.special_causes(values, limits)]


class XmRLimitsTest(TestCase):
    def test_limits_of_twenty_points_match_ptd_spc_snapshot(self):
        limits = spc.xmr_limits(RNORM_123)
        self.assertEqual(round(limits.mean, 3), 0.142)
        self.assertEqual(round(limits.lower, 2), -3.01)
        self.assertEqual(round(limits.upper, 2), 3.29)

    def test_each_segment_after_a_change_point_has_its_own_limits_as_ptd_spc_facets(self):
        analysis = spc.analyse(RNORM_123, "higher", change_points=[10], settings=Settings(minimum_points=10))
        first, second = analysis.points[0].limits, analysis.points[10].limits
        self.assertEqual((round(first.mean, 4), round(first.lower, 2), round(first.upper, 2)), (0.0746, -2.60, 2.75))
        self.assertEqual((round(second.mean, 3), round(second.lower, 2), round(second.upper, 2)), (0.209, -3.28, 3.70))
        self.assertEqual([p.segment for p in analysis.points], [0] * 10 + [1] * 10)

    def test_two_sigma_lines_are_two_thirds_of_the_way_to_the_limits(self):
        limits = Limits(10, 3)
        self.assertAlmostEqual(limits.upper_two_sigma - 10, (limits.upper - 10) * 2 / 3)
        self.assertAlmostEqual(limits.lower, 10 - 2.66 * 3)

    def test_baseline_uses_only_the_first_n_points(self):
        values = [10, 12, 10, 12, 50, 90]
        self.assertEqual(spc.xmr_limits(values, baseline_points=4), spc.xmr_limits(values[:4]))
        self.assertNotEqual(spc.xmr_limits(values, baseline_points=None), spc.xmr_limits(values[:4]))

    def test_default_baseline_is_the_first_twenty_points(self):
        values = RNORM_123 + [100, -100]
        self.assertEqual(spc.xmr_limits(values), spc.xmr_limits(RNORM_123))

    def test_screening_drops_moving_ranges_above_3_267_times_the_mean_as_ptd_spc_standard(self):
        values = list(RNORM_123)
        values[14] = 10  # as test-ptd_spc_standard.R does (R's data$y[15] <- 10)
        screened, unscreened = spc.xmr_limits(values), spc.xmr_limits(values, screen=False)
        self.assertLess(screened.upper - screened.lower, unscreened.upper - unscreened.lower)
        ranges = spc.moving_ranges(values)
        kept = [r for r in ranges if r < 3.267 * sum(ranges) / len(ranges)]
        self.assertEqual(len(kept), len(ranges) - 2)  # both ranges next to the outlier
        self.assertAlmostEqual(screened.mean_moving_range, sum(kept) / len(kept))

    def test_fewer_than_two_points_have_no_limits(self):
        with self.assertRaises(ValueError):
            spc.xmr_limits([4])


class RulesTest(TestCase):
    def test_point_beyond_a_limit(self):
        self.assertEqual(flagged([1, 2, 9, -9], Rule.LIMIT, Limits(0, 1)), [0, 0, 1, 1])

    def test_seven_points_on_one_side_are_a_shift_six_are_not(self):
        # test-ptd_calculate_point_type.R, ptd_seven_point_one_side_mean and part_of_seven_trend
        self.assertEqual(flagged([1] * 6, Rule.SHIFT), [0] * 6)
        self.assertEqual(flagged([1] * 6 + [-1], Rule.SHIFT), [0] * 7)
        self.assertEqual(flagged([-1] + [1] * 8 + [-1], Rule.SHIFT), [0] + [1] * 8 + [0])
        self.assertEqual(flagged([1] + [-1] * 8 + [1], Rule.SHIFT), [0] + [1] * 8 + [0])

    def test_a_point_on_the_mean_breaks_a_run(self):
        self.assertEqual(flagged([1, 1, 1, 0, 1, 1, 1, 1], Rule.SHIFT), [0] * 8)

    def test_seven_rising_or_falling_points_are_a_trend(self):
        # test-ptd_calculate_point_type.R, ptd_seven_point_trend
        self.assertEqual(flagged(list(range(1, 7)), Rule.TREND), [0] * 6)
        self.assertEqual(flagged([1, 2, 3, 3, 4, 5, 6], Rule.TREND), [0] * 7)
        self.assertEqual(flagged(list(range(1, 8)), Rule.TREND), [1] * 7)
        self.assertEqual(flagged([2, *range(1, 8), 3], Rule.TREND), [0] + [1] * 7 + [0])
        self.assertEqual(flagged([2, *range(7, 0, -1), 3], Rule.TREND), [0] + [1] * 7 + [0])

    def test_two_of_three_beyond_two_sigma_on_one_side(self):
        # Limits(0, 3): 2-sigma lines at +/-5.32, process limits at +/-7.98.
        limits = Limits(0, 3)
        self.assertEqual(flagged([6, 1, 6], Rule.TWO_OF_THREE, limits), [1, 0, 1])
        self.assertEqual(flagged([1, 1, 6, 1, 6, 1, 1], Rule.TWO_OF_THREE, limits), [0, 0, 1, 0, 1, 0, 0])
        self.assertEqual(flagged([6, 1, 1, 6], Rule.TWO_OF_THREE, limits), [0, 0, 0, 0])
        self.assertEqual(flagged([-6, -1, -6], Rule.TWO_OF_THREE, limits), [1, 0, 1])
        # The middle point below the mean: not all three on one side.
        self.assertEqual(flagged([6, -1, 6], Rule.TWO_OF_THREE, limits), [0, 0, 0])

    def test_two_points_near_opposite_limits_are_common_cause_as_ptd_spc_standard(self):
        values = [1, -1] * 8
        values[14], values[15] = 5.5, -5.5
        analysis = spc.analyse(values, "higher")
        self.assertEqual([p.nature for p in analysis.points[-2:]], [Nature.COMMON, Nature.COMMON])

    def test_run_lengths_are_settings(self):
        values = [1] * 5 + [-1]
        self.assertEqual(
            [int(Rule.SHIFT in r) for r, _ in spc.special_causes(values, Limits(0, 100), shift_length=5)],
            [1] * 5 + [0],
        )


class NatureTest(TestCase):
    def test_high_signals_improve_when_higher_is_better(self):
        self.assertEqual(spc.nature("high", "higher"), Nature.IMPROVEMENT)
        self.assertEqual(spc.nature("low", "higher"), Nature.CONCERN)
        self.assertEqual(spc.nature("high", "lower"), Nature.CONCERN)
        self.assertEqual(spc.nature("low", "lower"), Nature.IMPROVEMENT)

    def test_no_polarity_is_neither(self):
        self.assertEqual(spc.nature("high", "none"), Nature.NEITHER)
        self.assertEqual(spc.nature("", "none"), Nature.COMMON)

    def test_a_falling_trend_above_the_mean_is_low(self):
        # Mean 12, limits 12 +/- 10.64; the trend starts above the mean and ends below it.
        values = [10, 14] * 6 + [15, 14, 13, 12.5, 11, 10, 9]
        analysis = spc.analyse(values, "higher", settings=Settings(baseline_points=12))
        first = analysis.points[12]
        self.assertEqual((first.value, first.rules, first.nature), (15, {Rule.TREND}, Nature.CONCERN))
        self.assertEqual(analysis.variation, spc.Variation(Nature.CONCERN, "low"))


class AssuranceTest(TestCase):
    # The cases of NHSRplotthedots' ptd_calculate_assurance_type.
    limits = Limits(10, 1)  # limits 7.34 to 12.66

    def test_target_below_the_process_passes_when_higher_is_better(self):
        self.assertEqual(spc.assurance(5, self.limits, "higher"), Assurance.PASSING)
        self.assertEqual(spc.assurance(15, self.limits, "higher"), Assurance.FAILING)

    def test_target_below_the_process_fails_when_lower_is_better(self):
        self.assertEqual(spc.assurance(5, self.limits, "lower"), Assurance.FAILING)
        self.assertEqual(spc.assurance(15, self.limits, "lower"), Assurance.PASSING)

    def test_target_within_the_limits_is_hit_and_miss(self):
        self.assertEqual(spc.assurance(11, self.limits, "higher"), Assurance.HIT_AND_MISS)

    def test_no_assurance_without_target_or_polarity(self):
        self.assertIsNone(spc.assurance(None, self.limits, "higher"))
        self.assertIsNone(spc.assurance(11, self.limits, "none"))
        self.assertIsNone(spc.assurance(11, None, "higher"))

    def test_ptd_spc_summary_with_target_half_is_common_cause_and_hit_and_miss(self):
        analysis = spc.analyse(RNORM_123, "higher", target=0.5)
        self.assertEqual(analysis.variation.nature, Nature.COMMON)
        self.assertEqual(analysis.assurance, Assurance.HIT_AND_MISS)


class AnalyseTest(TestCase):
    def test_too_few_points_give_no_limits_and_say_why(self):
        analysis = spc.analyse([1, 2, 3], "higher", target=2)
        self.assertFalse(analysis.has_limits)
        self.assertIsNone(analysis.variation)
        self.assertIn("at least 12 figures; this measure has 3", analysis.reason)

    def test_a_short_segment_after_a_change_point_has_no_limits(self):
        analysis = spc.analyse(RNORM_123, "higher", change_points=[15])
        self.assertIsNotNone(analysis.points[0].limits)
        self.assertIsNone(analysis.points[-1].limits)
        self.assertIn("since the last change point", analysis.reason)

    def test_last_point_beyond_the_upper_limit_is_improvement_when_higher_is_better(self):
        analysis = spc.analyse(RNORM_123 + [5], "higher")
        self.assertEqual(analysis.points[-1].rules, {Rule.LIMIT})
        self.assertEqual(analysis.variation.nature, Nature.IMPROVEMENT)
        self.assertIn("improving nature: higher values", analysis.variation.label)

    def test_settings_refuse_a_baseline_of_one_point(self):
        with self.assertRaises(ValueError):
            Settings(baseline_points=1)


figures = st.lists(st.integers(-10_000, 10_000), min_size=12, max_size=40)


@given(figures)
def test_limits_are_symmetric_about_the_mean(values):
    limits = spc.xmr_limits(values)
    assert abs((limits.upper - limits.mean) - (limits.mean - limits.lower)) < 1e-6
    assert abs((limits.upper_two_sigma - limits.mean) - (limits.mean - limits.lower_two_sigma)) < 1e-6


@given(st.integers(-10_000, 10_000), st.integers(12, 60), st.sampled_from(["higher", "lower", "none"]))
def test_a_constant_series_has_no_signals(value, count, polarity):
    analysis = spc.analyse([value] * count, polarity)
    assert all(not p.rules for p in analysis.points)
    assert analysis.variation.nature == Nature.COMMON


@given(figures, st.integers(-10_000, 10_000))
def test_reversing_polarity_swaps_improvement_and_concern(values, target):
    higher = spc.analyse(values, "higher", target=target)
    lower = spc.analyse(values, "lower", target=target)
    swap = {Nature.IMPROVEMENT: Nature.CONCERN, Nature.CONCERN: Nature.IMPROVEMENT, Nature.COMMON: Nature.COMMON}
    assert [swap[p.nature] for p in higher.points] == [p.nature for p in lower.points]
    opposite = {Assurance.PASSING: Assurance.FAILING, Assurance.FAILING: Assurance.PASSING,
                Assurance.HIT_AND_MISS: Assurance.HIT_AND_MISS}
    assert opposite[higher.assurance] == lower.assurance


@given(figures)
def test_no_polarity_gives_only_neither_or_common(values):
    natures = {p.nature for p in spc.analyse(values, "none").points}
    assert natures <= {Nature.NEITHER, Nature.COMMON}


@given(figures)
def test_every_flagged_point_has_a_side(values):
    for point in spc.analyse(values, "higher").points:
        assert bool(point.rules) == bool(point.side)
