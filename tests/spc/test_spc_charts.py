"""Whole-chart behaviour a board member would check: shifts, trends, points on the mean,
too few points, direction by polarity, and the Laney p' chart."""
from __future__ import annotations

import pytest

from pipelines.measures import spc

FLAT = [50, 52, 49, 51, 50, 48, 51, 50, 49, 52, 51, 50]   # 12 steady months, mean 50.25, last below


def test_seven_points_above_the_mean_are_a_shift_but_six_are_not():
    # limits from the 12 steady months (a stated baseline), then the new months
    six = spc.xmr(FLAT + [51, 51.5, 51, 51.5, 51, 51.5, 49], fix_after_n_points=12)
    assert "shift" not in sum(six.rules, [])
    seven = FLAT + [51, 51.5, 51, 51.5, 51, 51.5, 51]
    r = spc.xmr(seven, fix_after_n_points=12, improvement_direction=1)
    assert [("shift" in x) for x in r.rules[-8:]] == [False] + [True] * 7
    assert r.variation == "special_cause_improving"
    assert spc.xmr(seven, fix_after_n_points=12,
                   improvement_direction=-1).variation == "special_cause_concerning"
    assert spc.xmr(seven, fix_after_n_points=12,
                   improvement_direction=0).variation == "special_cause_neither"


def test_a_point_exactly_on_the_mean_breaks_a_shift():
    # limits from the first 12 points (mean 50.25); the 4th later point sits on the mean
    y = FLAT + [51, 51, 51, 50.25, 51, 51, 51]
    r = spc.xmr(y, fix_after_n_points=12)
    assert r.mean[0] == pytest.approx(50.25)
    assert not any("shift" in x for x in r.rules)


def test_seven_rising_points_are_a_trend_and_a_tie_breaks_it():
    rising = FLAT + [48.5, 49, 49.5, 50, 50.5, 51, 51.5]
    r = spc.xmr(rising, fix_after_n_points=12, improvement_direction=-1)
    assert all("trend" in x for x in r.rules[-7:])
    assert r.kinds[-1] == "trend_up" and r.variation == "special_cause_concerning"
    tie = FLAT + [48.5, 49, 49.5, 49.5, 50.5, 51, 51.5]
    assert not any("trend" in x for x in spc.xmr(tie, fix_after_n_points=12).rules)


def test_too_few_points_give_no_limits_and_say_so():
    r = spc.xmr(FLAT[:11])
    assert r.upper == [None] * 11 and r.variation is None and r.assurance is None
    assert "11 points" in r.notes[0] and "12" in r.notes[0]
    # since a step change: the old group keeps its limits, the new one has none yet
    r = spc.xmr(FLAT + [60, 61, 59], rebase_at=[12])
    assert r.upper[0] is not None and r.upper[-1] is None
    assert r.variation is None and "since the last step change" in r.notes[0]


def test_pprime_with_equal_denominators_is_the_xmr_chart_of_the_percentages():
    num = [40, 42, 38, 45, 41, 39, 44, 40, 43, 37, 41, 42]
    p = spc.pprime(num, [100] * 12)
    x = spc.xmr(num)
    assert p.mean[0] == pytest.approx(x.mean[0])
    # the same chart, with 3 / 1.128 = 2.6596 in place of the rounded 2.66
    ratio = (3 / spc.D2) / spc.LIMIT
    assert [u - p.mean[0] for u in p.upper] == pytest.approx(
        [(u - x.mean[0]) * ratio for u in x.upper])
    assert [p.mean[0] - lo for lo in p.lower] == pytest.approx(
        [(x.mean[0] - lo) * ratio for lo in x.lower])


def test_pprime_limits_are_wider_where_the_denominator_is_smaller_and_stay_in_0_100():
    num = [8, 9, 7, 18, 9, 8, 19, 9, 8, 17, 9, 9]
    den = [10, 10, 10, 20, 10, 10, 20, 10, 10, 20, 10, 10]
    p = spc.pprime(num, den)
    assert p.upper[0] - p.lower[0] > p.upper[3] - p.lower[3]
    assert all(0 <= v <= 100 for v in p.upper + p.lower)
    with pytest.raises(ValueError):
        spc.pprime([1, 2], [10, None])


def test_missing_values_are_refused_not_filled():
    with pytest.raises(ValueError, match="missing"):
        spc.xmr(FLAT + [float("nan")])


def test_short_series_of_any_length_give_no_limits_and_no_error():
    for n in range(0, 12):
        r = spc.xmr(FLAT[:n])
        assert r.variation is None and all(u is None for u in r.upper)
        assert spc.pprime([5] * n, [10] * n).variation is None


def test_many_series_at_once_give_what_each_gives_alone():
    a = FLAT + [51, 51.5, 51, 51.5, 51, 51.5, 51]
    b = [5, 7, 6, 9, 8, 10, 11, 12, 14, 13, 15, 30, 16]
    c = FLAT[:5]
    b_all = spc.batch(a + b + c, [0] * len(a) + [1] * len(b) + [2] * len(c),
                      direction=[1] * len(a) + [-1] * len(b) + [0] * len(c))
    for vals, sl, d in ((a, slice(0, len(a)), 1), (b, slice(len(a), len(a) + len(b)), -1),
                        (c, slice(len(a) + len(b), None), 0)):
        one = spc.xmr(vals, improvement_direction=d)
        assert spc.KINDS[b_all.kind[sl]].tolist() == one.kinds
        assert spc.TYPES[b_all.type[sl]].tolist() == one.point_types
        assert [None if x != x else x for x in b_all.upper[sl].tolist()] == one.upper
