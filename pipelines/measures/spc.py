"""Statistical process control (Making Data Count): XmR and Laney p' charts.

The XmR chart mirrors NHSRplotthedots (NHS-R Community, MIT; R/ptd_spc_standard.R and
R/ptd_calculate_point_type.R at commit 050b07d) with its defaults, so a board reading our
charts sees the signals an NHS trust's SPC would show:

- centre line: the mean of the baseline points; moving ranges |x_i - x_(i-1)| over the
  baseline; moving ranges of 3.267 x their mean or more are screened out and the mean
  moving range taken again (`screen_outliers = TRUE`); limits mean +/- 2.66 x mean moving
  range; "close to a limit" beyond 2/3 of that distance.
- rules, each inside one rebase group: a point strictly outside a limit; a shift, 7 points
  in a row strictly on one side of the mean (a point exactly on the mean breaks the run);
  a trend, 7 points each strictly above (or below) the one before (a tie breaks it); two of
  three points close to a limit (not outside it) with all three on the same side of the mean.
- when several rules fire on one point its type follows the first of: outside limits,
  trend, two of three, shift (that order decides whether the point reads high or low).
- variation is the type of the latest point; assurance compares the target with the latest
  limits (target above the upper limit: a rising-is-good measure consistently fails).

No library on PyPI did exactly this when written (abspc screens no moving ranges and uses
6-point trends; statprocon and pyqicharts follow Western Electric/qicharts rules), so it
is one small module. Values arrive already without missing months: missing is not zero,
so a missing month is left out, never filled in.

The Laney p' chart (Laney 2002) is for percentages whose denominators are small or vary:
p-bar = sum(numerators) / sum(denominators); z_i = (p_i - p-bar) / sqrt(p-bar(1 - p-bar)/n_i);
sigma_z = mean moving range of z / 1.128 (screened as above); limits
p-bar +/- 3 sigma_z sqrt(p-bar(1 - p-bar)/n_i), held within 0 to 100%.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

LIMIT = 2.66               # 3 / d2 (d2 = 1.128 for moving ranges of two points)
LIMIT_CLOSE = 2 * LIMIT / 3
MR_SCREEN = 3.267          # D4: moving ranges this many times their mean are screened out
D2 = 1.128
RUN = 7                    # shift and trend length (NHSRplotthedots' 7-point rules)
MIN_POINTS = 12            # fewer points in the baseline group: no limits (the rule)
RULES = ("outside_limits", "trend", "two_of_three", "shift")   # precedence order

DIRECTIONS = {"up": 1, "down": -1, "none": 0}   # catalogue polarity -> improvement direction


# ---------------------------------------------------------------- the rules (as in the R code)

def seven_point_one_side_mean(rel: np.ndarray) -> np.ndarray:
    """1 where a point ends a run of 7 strictly on one side of the mean (0 on the mean)."""
    rel = np.asarray(rel, dtype=float)
    out = np.zeros(len(rel))
    for i in range(RUN - 1, len(rel)):
        w = rel[i - RUN + 1:i + 1]
        if rel[i] != 0 and np.all(w == rel[i]):
            out[i] = 1
    return out


def part_of_seven(ends: np.ndarray) -> np.ndarray:
    """1 for every point of a 7-point run, given where runs end (`ptd_part_of_seven_trend`)."""
    ends = np.asarray(ends, dtype=float)
    n = len(ends)
    out = np.zeros(n)
    for i in range(n):
        if np.any(np.abs(ends[i:i + RUN]) == 1):
            out[i] = 1
    return out


def seven_point_trend(y: np.ndarray) -> np.ndarray:
    """1 / -1 where a point ends 7 points each strictly above / below the one before."""
    y = np.asarray(y, dtype=float)
    out = np.zeros(len(y))
    for i in range(RUN - 1, len(y)):
        d = np.sign(np.diff(y[i - RUN + 1:i + 1]))
        if np.all(d == 1):
            out[i] = 1
        elif np.all(d == -1):
            out[i] = -1
    return out


def two_in_three(close: np.ndarray, rel: np.ndarray) -> np.ndarray:
    """1 for each point in a window of three with at least two close to a limit and all three
    on the same side of the mean (`ptd_two_in_three`)."""
    close = np.asarray(close, dtype=float)
    rel = np.asarray(rel, dtype=float)
    n = len(close)
    vp = np.concatenate([[0, 0], close, [0, 0]])
    rp = np.concatenate([[0, 0], rel, [0, 0]])
    out = np.zeros(n)
    for i in range(n):
        for s in (i, i + 1, i + 2):
            if vp[s:s + 3].sum() >= 2 and abs(rp[s:s + 3].sum()) == 3:
                out[i] = 1
                break
    return out


def part_of_two_in_three(flags: np.ndarray, close: np.ndarray) -> np.ndarray:
    """Only the points that are themselves close to a limit count (`ptd_part_of_two_in_three`)."""
    return ((np.asarray(flags) == 1) & (np.abs(np.asarray(close, dtype=float)) == 1)).astype(float)


def special_cause_types(y, rel, outside, part_trend, part_two, part_shift) -> list[str]:
    """Each point's type, by precedence: outside limits, trend, two of three, shift.

    Returns one of 'above_limit', 'below_limit', 'trend_up', 'trend_down', 'two_of_three_above',
    'two_of_three_below', 'shift_above', 'shift_below', 'common_cause'.
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    sdy = np.sign(np.diff(y))
    # a point in a trend takes the direction of the step after it when the next point is in
    # the trend too, else of the step before it (as the R code does)
    nxt = np.concatenate([part_trend[1:], [0]]) if n else np.zeros(0)
    after = np.concatenate([sdy, sdy[-1:]]) if n > 1 else np.zeros(n)
    before = np.concatenate([[0], sdy]) if n else np.zeros(0)
    trend_dir = np.where((nxt != 0) & (np.asarray(part_trend) != 0), after, before)
    out = []
    for i in range(n):
        side = "above" if rel[i] > 0 else "below"
        if outside[i]:
            out.append("above_limit" if rel[i] == 1 else "below_limit")
        elif part_trend[i]:
            out.append("trend_up" if trend_dir[i] == 1 else "trend_down")
        elif part_two[i]:
            out.append(f"two_of_three_{side}")
        elif part_shift[i]:
            out.append(f"shift_{side}")
        else:
            out.append("common_cause")
    return out


def point_type(kind: str, direction: int) -> str:
    """'common_cause', 'special_cause_improvement', 'special_cause_concern' or (neutral
    indicators) 'special_cause_neutral_high' / 'special_cause_neutral_low'."""
    if kind == "common_cause":
        return "common_cause"
    v = 1 if kind.endswith(("above", "_up", "above_limit")) else -1
    if direction == 0:
        return "special_cause_neutral_high" if v > 0 else "special_cause_neutral_low"
    return "special_cause_improvement" if v * direction > 0 else "special_cause_concern"


def assurance_type(target, lower, upper, direction: int) -> str | None:
    """'pass' | 'fail' | 'hit_and_miss' (NHSRplotthedots' consistent_pass, consistent_fail,
    inconsistent) from the latest limits; None without a target or for a neutral measure."""
    if target is None or direction == 0 or lower is None or upper is None:
        return None
    if target > upper:
        return "fail" if direction > 0 else "pass"
    if target < lower:
        return "pass" if direction > 0 else "fail"
    return "hit_and_miss"


VARIATION = {"common_cause": "common_cause",
             "special_cause_improvement": "special_cause_improving",
             "special_cause_concern": "special_cause_concerning",
             "special_cause_neutral_high": "special_cause_neither",
             "special_cause_neutral_low": "special_cause_neither"}


# ---------------------------------------------------------------- charts

@dataclass
class SPCResult:
    """One chart. Lists run over the points given, oldest first; `group` numbers the rebase
    groups (0 before the first step change). Limits are None where a group has too few
    points; for a p' chart they vary by point."""
    chart: str
    mean: list
    lower: list
    upper: list
    lower_close: list
    upper_close: list
    group: list
    kinds: list                      # special_cause_types() per point
    rules: list                      # per point: every rule that fires, in RULES order
    point_types: list
    baseline: tuple                  # (first, last) index of the latest group's baseline
    enough_points: bool              # the latest group has MIN_POINTS or more
    variation: str | None
    assurance: str | None
    notes: list = field(default_factory=list)

    @property
    def special_cause(self) -> list[bool]:
        return [k != "common_cause" for k in self.kinds]


def _groups(n: int, rebase_at) -> np.ndarray:
    g = np.zeros(n, dtype=int)
    for i in sorted(set(int(i) for i in rebase_at or [])):
        if 0 < i < n:
            g[i:] += 1
    return g


def _mean_mr(x: np.ndarray, screen: bool) -> float:
    mr = np.abs(np.diff(x))
    mr = mr[~np.isnan(mr)]
    if len(mr) == 0:
        return math.nan
    amr = mr.mean()
    if screen:
        mr = mr[mr < MR_SCREEN * amr]
        amr = mr.mean() if len(mr) else math.nan
    return float(amr)


def _rules_for(y, mean, lower, upper, lower_close, upper_close):
    rel = np.sign(y - mean)
    outside = (y > upper) | (y < lower)
    close = ~outside & ((y < lower_close) | (y > upper_close))
    ends = seven_point_trend(y)
    p_trend = part_of_seven(ends)
    p_two = part_of_two_in_three(two_in_three(close, rel), close)
    p_shift = part_of_seven(seven_point_one_side_mean(rel))
    kinds = special_cause_types(y, rel, outside, p_trend, p_two, p_shift)
    rules = []
    for i in range(len(y)):
        fired = {"outside_limits": bool(outside[i]), "trend": bool(p_trend[i]),
                 "two_of_three": bool(p_two[i]), "shift": bool(p_shift[i])}
        rules.append([r for r in RULES if fired[r]])
    return kinds, rules


def _finish(chart, y, groups, mean, lower, upper, lower_close, upper_close, direction,
            target, fix_after_n_points, min_points, notes) -> SPCResult:
    n = len(y)
    kinds, rules, types = ["common_cause"] * n, [[] for _ in range(n)], ["common_cause"] * n
    counts = {}
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        counts[int(g)] = len(idx)
        if len(idx) < min_points or np.isnan(mean[idx]).any():
            lower[idx] = upper[idx] = lower_close[idx] = upper_close[idx] = np.nan
            mean[idx] = np.nan
            continue
        k, r = _rules_for(y[idx], mean[idx], lower[idx], upper[idx], lower_close[idx],
                          upper_close[idx])
        for j, i in enumerate(idx):
            kinds[i], rules[i], types[i] = k[j], r[j], point_type(k[j], direction)
    last = np.flatnonzero(groups == groups[-1]) if n else np.array([], dtype=int)
    enough = bool(n) and len(last) >= min_points
    base_end = last[-1] if not fix_after_n_points else last[min(len(last), fix_after_n_points) - 1]
    variation = VARIATION[types[-1]] if enough else None
    assurance = (assurance_type(target, _f(lower[-1]), _f(upper[-1]), direction)
                 if enough else None)
    if n and not enough:
        since = " since the last step change" if groups[-1] > 0 else ""
        notes.append(f"{len(last)} point{'s' if len(last) != 1 else ''}{since}: "
                     f"SPC limits need at least {min_points}, so none are drawn")
    return SPCResult(chart=chart, mean=_l(mean), lower=_l(lower), upper=_l(upper),
                     lower_close=_l(lower_close), upper_close=_l(upper_close),
                     group=[int(g) for g in groups], kinds=kinds, rules=rules,
                     point_types=types,
                     baseline=(int(last[0]), int(base_end)) if n else (None, None),
                     enough_points=enough, variation=variation, assurance=assurance,
                     notes=notes)


def _f(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _l(a) -> list:
    return [_f(float(v)) for v in a]


def xmr(values, *, rebase_at=(), fix_after_n_points: int | None = None,
        screen_outliers: bool = True, improvement_direction: int = 1, target=None,
        min_points: int = MIN_POINTS) -> SPCResult:
    """XmR chart of `values` (oldest first, no missing values). `rebase_at`: indexes of the
    points that start a new baseline (step changes). `improvement_direction`: 1 higher is
    better, -1 lower is better, 0 neutral."""
    y = np.asarray(values, dtype=float)
    if np.isnan(y).any():
        raise ValueError("SPC needs the points that have values: leave missing months out")
    n = len(y)
    groups = _groups(n, rebase_at)
    mean, amr = np.full(n, np.nan), np.full(n, np.nan)
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        base = y[idx][:fix_after_n_points] if fix_after_n_points else y[idx]
        mean[idx] = base.mean()
        amr[idx] = _mean_mr(base, screen_outliers)
    return _finish("xmr", y, groups, mean, mean - LIMIT * amr, mean + LIMIT * amr,
                   mean - LIMIT_CLOSE * amr, mean + LIMIT_CLOSE * amr,
                   improvement_direction, target, fix_after_n_points, min_points, [])


def pprime(numerators, denominators, *, rebase_at=(), fix_after_n_points: int | None = None,
           screen_outliers: bool = True, improvement_direction: int = 1, target=None,
           min_points: int = MIN_POINTS) -> SPCResult:
    """Laney p' chart on the 0-100 scale from numerators and denominators (oldest first)."""
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    if np.isnan(num).any() or np.isnan(den).any() or (den <= 0).any():
        raise ValueError("a p' chart needs a numerator and a positive denominator at every point")
    n = len(num)
    p = num / den
    groups = _groups(n, rebase_at)
    centre, sig = np.full(n, np.nan), np.full(n, np.nan)
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        b = idx[:fix_after_n_points] if fix_after_n_points else idx
        pbar = num[b].sum() / den[b].sum()
        sd = np.sqrt(pbar * (1 - pbar) / den[idx])
        if pbar in (0.0, 1.0):
            sz = 0.0
        else:
            z = (p[b] - pbar) / np.sqrt(pbar * (1 - pbar) / den[b])
            sz = _mean_mr(z, screen_outliers) / D2
        centre[idx] = pbar
        sig[idx] = sd * sz
    def clip(a):
        return np.clip(a, 0, 1) * 100
    return _finish("pprime", p * 100, groups, centre * 100, clip(centre - 3 * sig),
                   clip(centre + 3 * sig), clip(centre - 2 * sig), clip(centre + 2 * sig),
                   improvement_direction, target, fix_after_n_points, min_points, [])
