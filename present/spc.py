"""SPC for one indicator as the dashboard shows it: the warehouse's monthly figures up to
a month, the editors' step changes, the indicator's polarity and target -> the chart's data.

`spc_view` gives a plain dict (the `lacdash spc --json` keys plus what the chart and the
words need); `spc_json` keeps exactly the contract keys. Months with no figure are left out
(missing is not zero) and listed in `notes`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.measures import spc

# Keys of `lacdash spc --json` (a contract: see issue 16).
JSON_KEYS = ("code", "as_at", "chart", "baseline", "mean", "upper", "lower", "points",
             "variation", "assurance")
CHARTS = ("xmr", "pprime")
# A percentage gets the Laney p' chart when its denominators are small (any point below the
# indicator's small-cohort size) or vary (the largest at least this many times the smallest).
PPRIME_SPREAD = 1.5

VARIATION_WORDS = {
    "common_cause": "Common cause variation: the usual ups and downs",
    "special_cause_improving": "Special cause variation, improving",
    "special_cause_concerning": "Special cause variation, concerning",
    "special_cause_neither": "Special cause variation (neither better nor worse: context only)",
}
ASSURANCE_WORDS = {
    "pass": "Consistently passing the target",
    "fail": "Consistently failing the target",
    "hit_and_miss": "Hit and miss: the target falls within the usual variation",
}
RULE_WORDS = {
    "outside_limits": "outside the process limits",
    "shift": f"{spc.RUN} or more months in a row on one side of the average",
    "trend": f"{spc.RUN} or more months each higher (or lower) than the month before",
    "two_of_three": "two of three months close to a process limit",
}


def _ym(d) -> str:
    return pd.Timestamp(d).strftime("%Y-%m")


def choose_chart(ind, numerators, denominators) -> str:
    """'pprime' for a percentage with numerators and denominators at every point whose
    denominators are small or vary; 'xmr' otherwise (Making Data Count's default)."""
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    if ind.unit != "percent" or len(den) == 0:
        return "xmr"
    if np.isnan(den).any() or np.isnan(num).any() or (den <= 0).any():
        return "xmr"
    small = ind.is_small_cohort(den.min())
    return "pprime" if small or den.max() >= PPRIME_SPREAD * den.min() else "xmr"


def spc_view(wh, code: str, as_at=None, chart: str | None = None, *, steps=None) -> dict:
    """The SPC chart of a monthly indicator as at a month (see module docstring). `steps`:
    `Warehouse.step_changes(None, as_at)` read once by a caller charting many indicators."""
    ind = wh.catalogue.get(code)
    as_at = wh.resolve_as_at(as_at)
    out = {"code": ind.code, "as_at": as_at.strftime("%Y-%m") if as_at else None,
           "chart": chart or "xmr", "baseline": None, "mean": None, "upper": None,
           "lower": None, "points": [], "variation": None, "assurance": None,
           "title": ind.title, "unit": ind.unit, "polarity": ind.polarity, "target": None,
           "step_changes": [], "notes": [], "limits": []}
    if ind.frequency != "M":
        out["notes"].append("SPC charts are for monthly figures; this indicator is annual")
        return out
    if as_at is None:
        out["notes"].append("no figures loaded")
        return out
    frame = wh.series(code, as_at)
    frame = frame[frame["period_type"] == "month"] if len(frame) else frame
    gaps = frame[frame["value"].isna()]
    if len(gaps):
        out["notes"].append(f"{len(gaps)} month{'s' if len(gaps) != 1 else ''} with no figure "
                            "left out: " + ", ".join(gaps["period_label"].astype(str)))
    frame = frame[frame["value"].notna()].reset_index(drop=True)
    chart = chart or choose_chart(ind, frame["numerator"], frame["denominator"])
    if chart not in CHARTS:
        raise ValueError(f"chart must be one of {', '.join(CHARTS)}")
    if chart == "pprime" and len(frame) and (
            frame["numerator"].isna().any() or frame["denominator"].isna().any()):
        raise ValueError(f"{ind.code}: a p' chart needs a numerator and denominator every month")
    out["chart"] = chart
    target = wh.target(ind, as_at)
    out["target"] = None if target is None else float(target)
    ends = pd.to_datetime(frame["period_end"])
    steps = (wh.step_changes(ind.code, as_at) if steps is None
             else steps[steps["indicator_code"] == ind.code])
    rebase_at = []
    for s in steps.itertuples():
        at = int((ends < pd.Timestamp(s.month)).sum())
        out["step_changes"].append({"month": _ym(s.month), "reason": s.reason,
                                    "user": s.user_name, "index": at})
        rebase_at.append(at)
    if frame.empty:
        out["notes"].append(f"no monthly figures up to {as_at:%b %Y}")
        return out
    direction = spc.DIRECTIONS.get(ind.polarity, 0)
    if chart == "pprime":
        r = spc.pprime(frame["numerator"], frame["denominator"], rebase_at=rebase_at,
                       improvement_direction=direction, target=out["target"])
    else:
        r = spc.xmr(frame["value"], rebase_at=rebase_at, improvement_direction=direction,
                    target=out["target"])
    out["notes"] += r.notes
    first, last = r.baseline
    out["baseline"] = {"from": _ym(ends.iloc[first]), "to": _ym(ends.iloc[last])}
    if r.enough_points:
        if chart == "pprime":
            out["mean"] = r.mean[-1]
            out["upper"], out["lower"] = r.upper, r.lower
        else:
            out["mean"], out["upper"], out["lower"] = r.mean[-1], r.upper[-1], r.lower[-1]
    out["variation"], out["assurance"] = r.variation, r.assurance
    values = frame["value"].astype(float).tolist() if chart == "xmr" else [
        float(v) for v in (frame["numerator"] / frame["denominator"] * 100)]
    rules = r.rules
    labels = frame["period_label"].astype(str).tolist()
    nums, dens = frame["numerator"].tolist(), frame["denominator"].tolist()
    for i, end in enumerate(ends):
        out["points"].append({"period": _ym(end), "value": values[i],
                              "special_cause": r.kinds[i] != "common_cause",
                              "rules": rules[i]})
    out["limits"] = [{"mean": r.mean[i], "upper": r.upper[i], "lower": r.lower[i],
                      "group": r.group[i], "kind": r.kinds[i], "type": r.point_types[i],
                      "label": labels[i], "numerator": _n(nums[i]),
                      "denominator": _n(dens[i])}
                     for i in range(len(frame))]
    return out


def _n(v):
    return None if pd.isna(v) else float(v)


def spc_json(view: dict) -> dict:
    """Exactly the `lacdash spc --json` keys."""
    return {k: view[k] for k in JSON_KEYS}


def signal_words(view: dict | None) -> str | None:
    """What SPC says about the latest month, in a few words for a change phrase: None when
    there is no signal (common cause or too few points)."""
    if not view or not view.get("points") or view.get("variation") in (None, "common_cause"):
        return None
    last = view["points"][-1]
    if not last["special_cause"]:
        return None
    v = view["variation"]
    kind = {"special_cause_improving": "a real improvement",
            "special_cause_concerning": "a real change for the worse",
            "special_cause_neither": "a real change"}[v]
    return f"{kind} ({RULE_WORDS[last['rules'][0]]})"


def signal_direction(view: dict | None) -> str | None:
    """'improving' / 'worsening' when the latest month is a special cause that is better /
    worse by the indicator's polarity; None otherwise (common cause, neutral, too few points)."""
    if signal_words(view) is None:
        return None
    return {"special_cause_improving": "improving",
            "special_cause_concerning": "worsening"}.get(view["variation"])


def change_words(base: str, view: dict | None) -> str:
    """A month-to-month change phrase ('↓ down 3 points, worsening') rewritten so common-cause
    movement is not called improving or worsening: the move, then the SPC signal if any.
    Where no SPC could be drawn (too few points) the phrase is left as it was."""
    if not view or view.get("variation") is None or not view.get("points"):
        return base
    move = base.split(", ")[0]
    signal = signal_words(view)
    if signal:
        return f"{move}: {signal}"
    if move.endswith("no change") or move.startswith("no figure"):
        return move
    return f"{move}, within the usual variation"
