"""The SPC module gives the signals and limits NHSRplotthedots gives on its own published
examples (github.com/nhs-r-community/NHSRplotthedots at commit 050b07d, MIT).

Sources of the expected figures:
- tests/testthat/test-ptd_spc_standard.R with tests/testthat/_snaps/ptd_spc_standard.md
  (set.seed(123); y = rnorm(20): mean, limits with and without moving-range screening);
- tests/testthat/_snaps/ptd_spc.md (the same data as two facets of 10: per-group limits,
  which is what a rebase at point 11 gives);
- tests/testthat/test-ptd_calculate_point_type.R (the rule vectors and rule precedence);
- tests/testthat/test-ptd_calculate_assurance_type.R (assurance).
"""
from __future__ import annotations

import numpy as np
import pytest

from pipelines.measures import spc

# R: set.seed(123); rnorm(20) (the first four match the snapshot's glimpse exactly)
RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499,
             0.46091621, -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383,
             0.40077145, 0.11068272, -0.55584113, 1.78691314, 0.49785048, -1.96661716,
             0.70135590, -0.47279141]


def test_limits_match_the_snapshot():
    r = spc.xmr(RNORM_123)
    assert r.mean[0] == pytest.approx(0.1416238, abs=5e-8)
    assert r.lower[0] == pytest.approx(-3.01138, abs=5e-6)
    assert r.upper[0] == pytest.approx(3.294627, abs=5e-7)
    # the summary snapshot: 20 points, 20 common cause
    assert r.kinds == ["common_cause"] * 20
    assert r.variation == "common_cause"


def test_screening_of_large_moving_ranges_matches_the_snapshot():
    y = list(RNORM_123)
    y[14] = 10  # data$y[15] <- 10 in R
    screened = spc.xmr(y)
    assert screened.mean[0] == pytest.approx(0.6694159, abs=5e-8)
    assert screened.lower[0] == pytest.approx(-2.383666, abs=5e-7)
    assert screened.upper[0] == pytest.approx(3.722497, abs=5e-7)
    unscreened = spc.xmr(y, screen_outliers=False)
    assert unscreened.lower[0] == pytest.approx(-4.596625, abs=5e-7)
    assert unscreened.upper[0] == pytest.approx(5.935457, abs=5e-7)
    # the 10 is outside the screened limits: a special cause, high
    assert screened.rules[14] == ["outside_limits"]
    assert screened.kinds[14] == "above_limit"


def test_each_group_has_its_own_limits():
    # _snaps/ptd_spc.md: facets of 10 give 0.0746 (-2.60, 2.75) and 0.209 (-3.28, 3.70)
    r = spc.xmr(RNORM_123, rebase_at=[10], min_points=10)
    assert (round(r.mean[0], 4), round(r.lower[0], 2), round(r.upper[0], 2)) == (0.0746, -2.60, 2.75)
    assert (round(r.mean[-1], 3), round(r.lower[-1], 2), round(r.upper[-1], 2)) == (0.209, -3.28, 3.70)
    assert r.group == [0] * 10 + [1] * 10
    assert r.baseline == (10, 19)


def test_fix_after_n_points_changes_the_limits():
    assert spc.xmr(RNORM_123, fix_after_n_points=12).lower[0] != spc.xmr(RNORM_123).lower[0]
    assert spc.xmr(RNORM_123, fix_after_n_points=12).baseline == (0, 11)


def test_shift_rule_vectors():
    f = spc.seven_point_one_side_mean
    assert list(f(np.array([]))) == []
    assert list(f([1] * 6)) == [0] * 6
    assert list(f([1] * 6 + [-1])) == [0] * 7
    assert list(f([1] * 8 + [-1])) == [0] * 6 + [1, 1, 0]
    assert list(f([-1] * 8 + [1])) == [0] * 6 + [1, 1, 0]


def test_part_of_seven_vectors():
    f = spc.part_of_seven
    assert list(f([0] * 6)) == [0] * 6
    assert list(f([0] * 6 + [1, 0])) == [1] * 7 + [0]
    assert list(f([0] * 7 + [1, 0])) == [0] + [1] * 7 + [0]
    assert list(f([0] * 6 + [-1, 0])) == [1] * 7 + [0]


def test_trend_rule_vectors():
    f = spc.seven_point_trend
    assert list(f(range(1, 7))) == [0] * 6
    assert list(f([1, 2, 3, 3, 4, 5, 6])) == [0] * 7     # a tie breaks a trend
    assert list(f(range(1, 8))) == [0] * 6 + [1]
    assert list(f([2, *range(1, 8), 3])) == [0] * 7 + [1, 0]
    assert list(f(range(7, 0, -1))) == [0] * 6 + [-1]
    assert list(f([2, *range(7, 0, -1), 3])) == [0] * 7 + [-1, 0]


def test_two_in_three_vectors():
    f = spc.two_in_three
    for v in ([1, 0, 1], [0, 1, 1], [1, 1, 0]):
        assert list(f(v, [1, 1, 1])) == [1, 1, 1]
        assert list(f(v, [1, -1, 1])) == [0, 0, 0]      # not all on one side
    assert list(f([0, 0, 1, 0, 1, 0, 0], [1] * 7)) == [0, 0, 1, 1, 1, 0, 0]
    assert list(f([0, 0, 1, 1, 0, 0, 0], [1] * 7)) == [0, 1, 1, 1, 1, 0, 0]
    assert list(f([0, 0, 1, 0, 1, 0, 0], [1, -1] * 3 + [1])) == [0] * 7
    # only the points close to a limit are flagged
    p = spc.part_of_two_in_three
    assert list(p(f([1, 0, 0, 1], [1] * 4), [1, 0, 0, 1])) == [0, 0, 0, 0]
    assert list(p(f([1, 0, 0, 1, 1], [1] * 5), [1, 0, 0, 1, 1])) == [0, 0, 0, 1, 1]


def test_rule_precedence_as_in_ptd_special_cause_type():
    # the mocked inputs of "ptd_special_cause_type works as expected"
    kinds = spc.special_cause_types(
        y=np.arange(1, 9), rel=np.array([1] * 4 + [-1] * 4),
        outside=np.array([0, 0, 0, 0, 0, 1, -1, 0]),
        part_trend=np.array([1, -1, 0, 0, 0, 0, 0, 0]),
        part_two=np.array([0, 0, 0, 0, 1, 0, 0, 0]),
        part_shift=np.array([0, 0, 1, -1, 0, 0, 0, 0]))
    assert kinds == ["trend_up", "trend_up", "shift_above", "shift_above",
                     "two_of_three_below", "below_limit", "below_limit", "common_cause"]


def test_two_close_points_on_opposite_sides_are_common_cause():
    # test-ptd_spc_standard.R: symmetrical data, points 15 and 16 at +5.5 and -5.5
    y = [1, -1] * 8
    y[14], y[15] = 5.5, -5.5
    r = spc.xmr(y)
    assert r.point_types[-2:] == ["common_cause", "common_cause"]


@pytest.mark.parametrize("direction,expected", [
    (1, ["fail", "pass", "hit_and_miss"]), (-1, ["pass", "fail", "hit_and_miss"]),
    (0, [None, None, None])])
def test_assurance_as_in_ptd_calculate_assurance_type(direction, expected):
    limits = [(1, 3), (5, 7), (1, 5)]   # lpl, upl of facets a, b, c; target 4
    assert [spc.assurance_type(4, lo, hi, direction) for lo, hi in limits] == expected
    assert spc.assurance_type(None, 1, 3, direction) is None
