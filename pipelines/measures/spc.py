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
#
# Every rule works on one long array holding many series at once: `seg` numbers the runs of
# points that are charted together (one series, or one baseline group of it, in order), so
# a window of points counts only when it lies inside one run. The whole national warehouse
# is then a few dozen numpy operations (bench/bench_spc.py); one chart is the same code with
# one run. The single-series functions below are the R functions' exact counterparts.

def _seg(n: int, seg=None) -> np.ndarray:
    return np.zeros(n, dtype=np.int64) if seg is None else np.asarray(seg)


def _same(seg: np.ndarray, k: int) -> np.ndarray:
    """For each window of k points starting at i: do all lie in one run? (runs are contiguous)"""
    return seg[k - 1:] == seg[:len(seg) - k + 1]


def _trues_ending_at(b: np.ndarray) -> np.ndarray:
    """How many consecutive True values end at each position (0 where False)."""
    idx = np.arange(len(b))
    last_false = np.maximum.accumulate(np.where(b, -1, idx))
    return idx - last_false


def seven_point_one_side_mean(rel, seg=None) -> np.ndarray:
    """1 where a point ends a run of 7 strictly on one side of the mean (0 on the mean)."""
    rel = np.asarray(rel, dtype=float)
    n, out = len(rel), np.zeros(len(rel))
    if n >= RUN:
        seg = _seg(n, seg)
        same = np.zeros(n, dtype=bool)
        same[1:] = (rel[1:] == rel[:-1]) & (seg[1:] == seg[:-1])
        out[(rel != 0) & (_trues_ending_at(same) >= RUN - 1)] = 1
    return out


def part_of_seven(ends, seg=None) -> np.ndarray:
    """1 for every point of a 7-point run, given where runs end (`ptd_part_of_seven_trend`)."""
    ends = np.abs(np.asarray(ends, dtype=float)) == 1
    n = len(ends)
    seg = _seg(n, seg)
    out = ends.copy()
    for o in range(1, min(RUN, n)):
        out[:n - o] |= ends[o:] & (seg[o:] == seg[:n - o])
    return out.astype(float)


def _steps(y: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """sign(y[i+1] - y[i]) inside a run; 0 across runs (so nothing spans two runs)."""
    d = np.sign(np.diff(y))
    return np.where(seg[1:] == seg[:-1], d, 0.0)


def seven_point_trend(y, seg=None) -> np.ndarray:
    """1 / -1 where a point ends 7 points each strictly above / below the one before."""
    y = np.asarray(y, dtype=float)
    n, out = len(y), np.zeros(len(y))
    if n >= RUN:
        d = _steps(y, _seg(n, seg))
        out[1:][_trues_ending_at(d == 1) >= RUN - 1] = 1
        out[1:][_trues_ending_at(d == -1) >= RUN - 1] = -1
    return out


def two_in_three(close, rel, seg=None) -> np.ndarray:
    """1 for each point in a window of three with at least two close to a limit and all three
    on the same side of the mean (`ptd_two_in_three`; a window reaching past either end has
    a zero in it, so only whole windows count)."""
    close = np.asarray(close, dtype=float)
    rel = np.asarray(rel, dtype=float)
    n, out = len(close), np.zeros(len(close), dtype=bool)
    if n >= 3:
        seg = _seg(n, seg)
        c = close[:-2] + close[1:-1] + close[2:]
        r = rel[:-2] + rel[1:-1] + rel[2:]
        ok = (c >= 2) & (np.abs(r) == 3) & _same(seg, 3)
        out[:-2] |= ok
        out[1:-1] |= ok
        out[2:] |= ok
    return out.astype(float)


def part_of_two_in_three(flags, close) -> np.ndarray:
    """Only the points that are themselves close to a limit count (`ptd_part_of_two_in_three`)."""
    return ((np.asarray(flags) == 1) & (np.abs(np.asarray(close, dtype=float)) == 1)).astype(float)


KINDS = np.array(["common_cause", "above_limit", "below_limit", "trend_up", "trend_down",
                  "two_of_three_above", "two_of_three_below", "shift_above", "shift_below"])
_HIGH = {"above_limit", "trend_up", "two_of_three_above", "shift_above"}


def _kind_codes(y, rel, outside, part_trend, part_two, part_shift, seg) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    n = len(y)
    rel = np.asarray(rel, dtype=float)
    part_trend = np.asarray(part_trend) != 0
    if n > 1:
        d = _steps(y, seg)
        nxt = np.concatenate([part_trend[1:] & (seg[1:] == seg[:-1]), [False]])
        after = np.concatenate([d, [0.0]])
        before = np.concatenate([[0.0], d])
        # a point in a trend takes the direction of the step after it when the next point
        # is in the trend too, else of the step before it (as the R code does)
        trend_up = np.where(nxt & part_trend, after, before) == 1
    else:
        trend_up = np.zeros(n, dtype=bool)
    above = rel > 0
    return np.select(
        [np.asarray(outside) != 0, part_trend, np.asarray(part_two) != 0,
         np.asarray(part_shift) != 0],
        [np.where(rel == 1, 1, 2), np.where(trend_up, 3, 4), np.where(above, 5, 6),
         np.where(above, 7, 8)], 0)


def special_cause_types(y, rel, outside, part_trend, part_two, part_shift) -> list[str]:
    """Each point's type, by precedence: outside limits, trend, two of three, shift.

    One of 'above_limit', 'below_limit', 'trend_up', 'trend_down', 'two_of_three_above',
    'two_of_three_below', 'shift_above', 'shift_below', 'common_cause'.
    """
    n = len(np.asarray(y))
    return KINDS[_kind_codes(y, rel, outside, part_trend, part_two, part_shift,
                             _seg(n))].tolist()


TYPES = np.array(["common_cause", "special_cause_improvement", "special_cause_concern",
                  "special_cause_neutral_high", "special_cause_neutral_low"])


def _type_codes(kind_codes: np.ndarray, direction) -> np.ndarray:
    v = np.where(kind_codes == 0, 0, np.where(np.isin(kind_codes, (1, 3, 5, 7)), 1, -1))
    direction = np.broadcast_to(np.asarray(direction), v.shape)
    return np.select([v == 0, direction == 0, v * direction > 0],
                     [0, np.where(v > 0, 3, 4), 1], 2)


def point_type(kind: str, direction: int) -> str:
    """'common_cause', 'special_cause_improvement', 'special_cause_concern' or (neutral
    indicators) 'special_cause_neutral_high' / 'special_cause_neutral_low'."""
    code = int(np.flatnonzero(KINDS == kind)[0])
    return str(TYPES[_type_codes(np.array([code]), direction)[0]])


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


# ---------------------------------------------------------------- many charts at once

def _per_run(seg: np.ndarray, values: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    """Mean of `values` where `mask`, per run (NaN for a run with none)."""
    cnt = np.bincount(seg, weights=mask.astype(float), minlength=size)
    tot = np.bincount(seg, weights=np.where(mask, values, 0.0), minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(cnt > 0, tot / np.where(cnt > 0, cnt, 1), np.nan)


def _mean_mr(x: np.ndarray, seg: np.ndarray, base: np.ndarray, size: int, screen: bool):
    """Mean moving range per run over the baseline points; with screening, moving ranges of
    3.267 x the mean or more left out and the mean taken again."""
    n = len(x)
    mr = np.zeros(n)
    ok = np.zeros(n, dtype=bool)
    if n > 1:
        mr[1:] = np.abs(np.diff(x))
        ok[1:] = (seg[1:] == seg[:-1]) & base[1:] & base[:-1]
    amr = _per_run(seg, mr, ok, size)
    if screen:
        with np.errstate(invalid="ignore"):
            ok = ok & (mr < MR_SCREEN * amr[seg])
        amr = _per_run(seg, mr, ok, size)
    return amr


@dataclass
class Batch:
    """Per point (numpy arrays over the long array): limits, kind and type codes, flags."""
    y: np.ndarray
    seg: np.ndarray
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    lower_close: np.ndarray
    upper_close: np.ndarray
    charted: np.ndarray          # the point's run has enough points for limits
    kind: np.ndarray             # codes into KINDS
    type: np.ndarray             # codes into TYPES
    flags: dict                  # rule name -> bool array


BLOCK = 1 << 15    # points worked on at a time: a block's arrays stay in the CPU caches


def batch(values, seg, *, direction=1, chart: str = "xmr", numerators=None,
          denominators=None, fix_after_n_points: int | None = None,
          screen_outliers: bool = True, min_points: int = MIN_POINTS) -> Batch:
    """SPC of many runs at once. `seg`: a run number per point, non-decreasing (each run is
    one chart's baseline group, its points in time order); `direction` per point or one
    for all. For `chart="pprime"` pass numerators and denominators (values are ignored).

    Long inputs are worked in blocks of whole runs of about BLOCK points (the same
    numbers: no rule or limit looks past its run), which keeps every temporary array in
    the CPU caches rather than streaming megabytes through memory a few dozen times."""
    seg = np.asarray(seg, dtype=np.int64)
    n = len(seg)
    if n and np.any(np.diff(seg) < 0):
        raise ValueError("runs must be in order")
    opts = dict(chart=chart, fix_after_n_points=fix_after_n_points,
                screen_outliers=screen_outliers, min_points=min_points)
    cols = {"values": values, "numerators": numerators, "denominators": denominators,
            "direction": direction}
    cols = {k: (np.asarray(v) if v is not None and np.ndim(v) else v) for k, v in cols.items()}
    if n <= BLOCK:
        return _batch(seg=seg, **cols, **opts)
    starts = np.flatnonzero(np.diff(seg)) + 1          # where each run begins (but the first)
    cuts = np.unique(starts[np.searchsorted(starts, np.arange(BLOCK, n, BLOCK))
                            .clip(max=len(starts) - 1)]) if len(starts) else []
    parts = []
    for a, b in zip([0, *cuts], [*cuts, n]):
        part = {k: (v[a:b] if isinstance(v, np.ndarray) else v) for k, v in cols.items()}
        parts.append(_batch(seg=seg[a:b] - seg[a], **part, **opts))
    out = Batch(**{f: np.concatenate([getattr(p, f) for p in parts])
                   for f in ("y", "mean", "lower", "upper", "lower_close", "upper_close",
                             "charted", "kind", "type")},
                seg=seg, flags={r: np.concatenate([p.flags[r] for p in parts])
                                for r in parts[0].flags})
    return out


def _batch(values, seg, *, direction, chart, numerators, denominators, fix_after_n_points,
           screen_outliers, min_points) -> Batch:
    n = len(seg)
    size = int(seg.max()) + 1 if n else 0
    starts = np.searchsorted(seg, np.arange(size))
    pos = np.arange(n) - starts[seg] if n else np.zeros(0, dtype=np.int64)
    count = np.bincount(seg, minlength=size) if n else np.zeros(0, dtype=np.int64)
    base = pos < fix_after_n_points if fix_after_n_points else np.ones(n, dtype=bool)
    if chart == "xmr":
        y = np.asarray(values, dtype=float)
        if np.isnan(y).any():
            raise ValueError("SPC needs the points that have values: leave missing months out")
        centre = _per_run(seg, y, base, size)[seg]
        amr = _mean_mr(y, seg, base, size, screen_outliers)[seg]
        lower, upper = centre - LIMIT * amr, centre + LIMIT * amr
        lower_close, upper_close = centre - LIMIT_CLOSE * amr, centre + LIMIT_CLOSE * amr
    elif chart == "pprime":
        num = np.asarray(numerators, dtype=float)
        den = np.asarray(denominators, dtype=float)
        if np.isnan(num).any() or np.isnan(den).any() or (den <= 0).any():
            raise ValueError("a p' chart needs a numerator and a positive denominator at "
                             "every point")
        p = num / den
        wsum = np.bincount(seg, weights=np.where(base, num, 0.0), minlength=size)
        dsum = np.bincount(seg, weights=np.where(base, den, 0.0), minlength=size)
        pbar = (wsum / np.where(dsum > 0, dsum, 1))[seg]
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.sqrt(pbar * (1 - pbar) / den)
            z = np.where(sd > 0, (p - pbar) / sd, 0.0)
        sz = np.nan_to_num(_mean_mr(z, seg, base, size, screen_outliers)[seg] / D2)
        sig = sd * sz
        y, centre = p * 100, pbar * 100
        lower, upper = (np.clip(pbar - 3 * sig, 0, 1) * 100, np.clip(pbar + 3 * sig, 0, 1) * 100)
        lower_close = np.clip(pbar - 2 * sig, 0, 1) * 100
        upper_close = np.clip(pbar + 2 * sig, 0, 1) * 100
    else:
        raise ValueError(f"unknown chart {chart!r}")
    charted = (count[seg] >= min_points) & ~np.isnan(centre) if n else np.zeros(0, dtype=bool)
    for a in (centre, lower, upper, lower_close, upper_close):
        a[~charted] = np.nan
    with np.errstate(invalid="ignore"):
        rel = np.where(charted, np.sign(y - centre), 0.0)
        outside = charted & ((y > upper) | (y < lower))
        close = charted & ~outside & ((y < lower_close) | (y > upper_close))
    p_trend = (part_of_seven(seven_point_trend(y, seg), seg) != 0) & charted
    p_two = (part_of_two_in_three(two_in_three(close, rel, seg), close) != 0) & charted
    p_shift = (part_of_seven(seven_point_one_side_mean(rel, seg), seg) != 0) & charted
    kind = _kind_codes(y, rel, outside, p_trend, p_two, p_shift, seg)
    return Batch(y=y, seg=seg, mean=centre, lower=lower, upper=upper,
                 lower_close=lower_close, upper_close=upper_close, charted=charted,
                 kind=kind, type=_type_codes(kind, direction),
                 flags={"outside_limits": outside, "trend": p_trend, "two_of_three": p_two,
                        "shift": p_shift})


# ---------------------------------------------------------------- one chart

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
    point_types: list
    baseline: tuple                  # (first, last) index of the latest group's baseline
    enough_points: bool              # the latest group has MIN_POINTS or more
    variation: str | None
    assurance: str | None
    notes: list = field(default_factory=list)
    flags: dict = field(default_factory=dict, repr=False)

    @property
    def rules(self) -> list[list[str]]:
        """Per point: every rule that fires, in RULES (precedence) order."""
        cols = [self.flags[r] for r in RULES]
        return [[r for r, f in zip(RULES, fired) if f] for fired in zip(*cols)]

    @property
    def special_cause(self) -> list[bool]:
        return [k != "common_cause" for k in self.kinds]


def _groups(n: int, rebase_at) -> np.ndarray:
    g = np.zeros(n, dtype=np.int64)
    for i in sorted(set(int(i) for i in rebase_at or [])):
        if 0 < i < n:
            g[i:] += 1
    return g


def _l(a) -> list:
    return [None if v != v else v for v in np.asarray(a, dtype=float).tolist()]


def _one(chart, values, numerators, denominators, rebase_at, fix_after_n_points,
         screen_outliers, improvement_direction, target, min_points) -> SPCResult:
    n = len(values if chart == "xmr" else numerators)
    groups = _groups(n, rebase_at)
    b = batch(values, groups, direction=improvement_direction, chart=chart,
              numerators=numerators, denominators=denominators,
              fix_after_n_points=fix_after_n_points, screen_outliers=screen_outliers,
              min_points=min_points)
    last = np.flatnonzero(groups == groups[-1]) if n else np.array([], dtype=int)
    enough = bool(n) and len(last) >= min_points and bool(b.charted[-1])
    base_end = (last[-1] if not fix_after_n_points
                else last[min(len(last), fix_after_n_points) - 1]) if n else None
    types = TYPES[b.type].tolist()
    notes = []
    if n and not enough:
        since = " since the last step change" if groups[-1] > 0 else ""
        notes.append(f"{len(last)} point{'s' if len(last) != 1 else ''}{since}: "
                     f"SPC limits need at least {min_points}, so none are drawn")
    lower, upper = _l(b.lower), _l(b.upper)
    return SPCResult(
        chart=chart, mean=_l(b.mean), lower=lower, upper=upper,
        lower_close=_l(b.lower_close), upper_close=_l(b.upper_close),
        group=groups.tolist(), kinds=KINDS[b.kind].tolist(), point_types=types,
        baseline=(int(last[0]), int(base_end)) if n else (None, None),
        enough_points=enough, variation=VARIATION[types[-1]] if enough else None,
        assurance=(assurance_type(target, lower[-1], upper[-1], improvement_direction)
                   if enough else None),
        notes=notes, flags={k: v.tolist() for k, v in b.flags.items()})


def xmr(values, *, rebase_at=(), fix_after_n_points: int | None = None,
        screen_outliers: bool = True, improvement_direction: int = 1, target=None,
        min_points: int = MIN_POINTS) -> SPCResult:
    """XmR chart of `values` (oldest first, no missing values). `rebase_at`: indexes of the
    points that start a new baseline (step changes). `improvement_direction`: 1 higher is
    better, -1 lower is better, 0 neutral."""
    return _one("xmr", values, None, None, rebase_at, fix_after_n_points, screen_outliers,
                improvement_direction, target, min_points)


def pprime(numerators, denominators, *, rebase_at=(), fix_after_n_points: int | None = None,
           screen_outliers: bool = True, improvement_direction: int = 1, target=None,
           min_points: int = MIN_POINTS) -> SPCResult:
    """Laney p' chart on the 0-100 scale from numerators and denominators (oldest first)."""
    return _one("pprime", None, numerators, denominators, rebase_at, fix_after_n_points,
                screen_outliers, improvement_direction, target, min_points)
