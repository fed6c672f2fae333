"""Small-number suppression for public papers (pure: frames and dicts in, new ones out).

Public mode: a count of 1 to 4, and any figure worked out from a numerator or denominator of
1 to 4, is removed (value set to None/NaN, `suppressed` True, reason SUPPRESSED: "not shown
(fewer than 5 children)", the one wording in `components.formatting`), so one
child cannot be picked out. Secondary suppression: where categories add up to a total and
exactly one of them is suppressed, the next smallest is suppressed too, so the total minus
the others cannot give the hidden figure back. Private mode changes nothing.

Values are removed, not just hidden: whatever is built from the output cannot leak them.
"""
from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from components.formatting import FEWER_THAN, SUPPRESSED, SUPPRESSED_NOTE, SUPPRESSED_SECONDARY
from pipelines.core import periods

PUBLIC = "public"
PRIVATE = "private"
MODES = (PUBLIC, PRIVATE)
NOTE = (f"{SUPPRESSED_NOTE} Where a total would reveal a hidden figure, the next smallest "
        f"figure is hidden too (\"{SUPPRESSED_SECONDARY}\").")


def check_mode(mode: str | None) -> str:
    m = (mode or PUBLIC).strip().lower()
    if m not in MODES:
        raise ValueError(f"mode '{mode}' is not public or private")
    return m


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA:
        return True
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return True


def is_small(v: Any) -> bool:
    """1 to 4 (a count of fewer than 5 that is not zero)."""
    return not _missing(v) and 1 <= float(v) < 5


def _unit(indicator) -> str:
    return getattr(indicator, "unit", "") or ""


def row_is_small(indicator, value: Any, numerator: Any = None, denominator: Any = None,
                 value_is_count: bool | None = None) -> bool:
    """Primary suppression rule for one figure."""
    counts = _unit(indicator) == "count" if value_is_count is None else value_is_count
    return (counts and is_small(value)) or is_small(numerator) or is_small(denominator)


def _blank(df: pd.DataFrame, mask: pd.Series, secondary: pd.Series | None = None) -> pd.DataFrame:
    """Remove value (and numerator; denominator too when it is itself small) where mask; the
    reason says SUPPRESSED, or SUPPRESSED_SECONDARY where `secondary` (hidden only so that a
    total cannot give a hidden figure back)."""
    df = df.copy()
    df["suppressed"] = mask.astype(bool)
    if not mask.any():
        return df
    df["value"] = df["value"].astype(float).mask(mask)
    if "numerator" in df.columns:
        df["numerator"] = df["numerator"].astype(float).mask(mask)
    if "denominator" in df.columns:
        den = df["denominator"].astype(float)
        df["denominator"] = den.mask(mask & den.map(is_small))
    why = pd.Series(SUPPRESSED, index=df.index, dtype=object)
    if secondary is not None:
        why = why.mask(secondary.astype(bool), SUPPRESSED_SECONDARY)
    reason = (df["missing_reason"].astype(object) if "missing_reason" in df.columns
              else pd.Series(None, index=df.index, dtype=object))
    df["missing_reason"] = reason.mask(mask, why)
    return df


def suppress_frame(df: pd.DataFrame, indicator, mode: str = PUBLIC) -> pd.DataFrame:
    """A `series` or `comparators` frame with small figures removed; adds `suppressed`."""
    df = df.copy() if df is not None else pd.DataFrame(columns=["value"])
    if check_mode(mode) == PRIVATE or df.empty:
        df["suppressed"] = False
        return df
    num = df["numerator"] if "numerator" in df.columns else pd.Series(math.nan, index=df.index)
    den = df["denominator"] if "denominator" in df.columns else pd.Series(math.nan, index=df.index)
    mask = pd.Series([row_is_small(indicator, v, n, d)
                      for v, n, d in zip(df["value"], num, den)], index=df.index, dtype=bool)
    if getattr(indicator, "measure", "") == "year_to_date":
        mask |= across_months(df, indicator, mask)
    return _blank(df, mask)


def across_months(df: pd.DataFrame, indicator, hidden: pd.Series) -> pd.Series:
    """Year-to-date figures: months to hide so that no month's own count can be worked out
    by subtraction. Within each year (from its first month), a month is hidden when its
    count (a count indicator's value, or the numerator or denominator) has grown by 1 to 4
    since the last month left shown; the next month is then compared with that shown month
    too, so a hidden month cannot be recovered from its neighbours either. Forwards only: a
    month's fate never depends on later months, so last month's published paper and this
    month's never disagree about it (hiding the earlier month instead would let the two
    papers be subtracted). The latest month is hidden when it added only 1 to 4."""
    out = pd.Series(False, index=df.index)
    if df.empty or "period_type" not in df.columns:
        return out
    months = df[df["period_type"].astype(str) == "month"]
    if months.empty:
        return out
    fields = [c for c in ("numerator", "denominator") if c in months.columns]
    if _unit(indicator) == "count":
        fields.insert(0, "value")
    if not fields:
        return out
    ends = pd.to_datetime(months["period_end"])
    year_type = getattr(indicator, "year_type", "financial") or "financial"
    first = {"financial": 4, "academic": 9}.get(year_type, 1)
    year = ends.dt.year - (ends.dt.month < first).astype(int)
    for _, idx in months.groupby(year.values).groups.items():
        shown = None  # the last month left shown this year (the year starts from nothing)
        for i in ends.loc[idx].sort_values().index:
            row = months.loc[i]
            base = shown if shown is not None else {f: 0.0 for f in fields}
            grew_by_few = any(
                not _missing(row[f]) and not _missing(base[f]) and
                1 <= float(row[f]) - float(base[f]) < 5 for f in fields)
            if hidden.get(i, False) or grew_by_few:
                out[i] = True
            elif any(not _missing(row[f]) for f in fields):
                shown = {f: (base[f] if _missing(row[f]) else row[f]) for f in fields}
    return out


def suppress_breakdowns(df: pd.DataFrame, indicator, mode: str = PUBLIC,
                        totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """A `breakdown_series` frame with primary and secondary suppression, per period and
    dimension. `totals` (the `series` frame) helps tell counts from percentages: a
    percentage indicator's categories without numerators are numbers of children when they
    add up to the total's denominator (or, with no total, not to 100)."""
    df = df.copy() if df is not None else pd.DataFrame(columns=["value"])
    if check_mode(mode) == PRIVATE or df.empty:
        df["suppressed"] = False
        return df
    if "dimension" not in df.columns:
        df["dimension"] = df["breakdown"].astype(str).str.split("=", n=1).str[0]
    for col in ("numerator", "denominator"):
        if col not in df.columns:
            df[col] = math.nan
    value = df["value"].astype(float)
    num = df["numerator"].astype(float)
    den = df["denominator"].astype(float)
    keys = [pd.to_datetime(df["period_end"]), df["dimension"]]
    if _unit(indicator) == "count":
        counts = pd.Series(True, index=df.index)
    else:
        group_sum = value.groupby(keys).transform("sum")
        has_num = num.notna().groupby(keys).transform("any")
        total_den = pd.Series(math.nan, index=df.index)
        if totals is not None and len(totals) and "denominator" in totals.columns:
            by_end = dict(zip(pd.to_datetime(totals["period_end"]), totals["denominator"]))
            total_den = keys[0].map(by_end).astype(float)
        by_total = (group_sum - total_den).abs() < 0.5
        not_shares = (group_sum - 100).abs() > 0.5 if _unit(indicator) == "percent" else True
        counts = ~has_num & total_den.notna() & by_total | ~has_num & total_den.isna() & not_shares
    small = lambda s: (s >= 1) & (s < 5)  # noqa: E731
    primary = (counts & small(value)) | small(num) | small(den)
    # what adds up to the total: numerators where there are any, else counted values
    size = num.where(num.notna(), value.where(counts))
    mask = primary.copy()
    n_primary = primary.groupby(keys).transform("sum")
    for _, g in size[n_primary == 1].groupby([k[n_primary == 1] for k in keys]):
        rest = g[~primary[g.index] & g.notna() & (g > 0)]
        if len(rest):
            mask[rest.idxmin()] = True
    return _blank(df, mask, secondary=mask & ~primary)


def _suppressed_labels(frame: pd.DataFrame | None) -> set[str]:
    if frame is None or frame.empty or "suppressed" not in frame.columns:
        return set()
    return set(frame.loc[frame["suppressed"].astype(bool), "period_label"].astype(str))


def suppress_summary(summary: dict, indicator, mode: str = PUBLIC,
                     series_df: pd.DataFrame | None = None,
                     comparators_df: pd.DataFrame | None = None) -> dict:
    """A `Warehouse.summary` dict with small figures removed. Pass the already suppressed
    `series_df`/`comparators_df` so previous months and out-turns follow the same rule.
    Adds `suppressed` (the current figure was removed)."""
    out = dict(summary)
    out["suppressed"] = False
    if check_mode(mode) == PRIVATE:
        return out
    gone_series = _suppressed_labels(series_df)
    gone_comps = _suppressed_labels(comparators_df)

    def _lookup(frame, label) -> bool:
        return label is not None and str(label) in (gone_series if frame is series_df
                                                    else gone_comps)
    counts = _unit(indicator) == "count"
    cur = (row_is_small(indicator, out.get("value"), out.get("numerator"), out.get("denominator"))
           or _lookup(series_df, out.get("period")))
    if cur:
        out.update(value=None, numerator=None, missing_reason=SUPPRESSED, rag=None,
                   suppressed=True, first_reported=None)
        if is_small(out.get("denominator")):
            out["denominator"] = None
    fr = out.get("first_reported")
    if fr and counts and is_small(fr.get("value")):
        out["first_reported"] = None

    def gone(entry, label_key, label_value=None) -> bool:
        if not entry:
            return False
        label = label_value if label_value is not None else entry.get(label_key)
        return (counts and is_small(entry.get("value"))) or _lookup(series_df, label)

    prev = out.get("previous")
    if gone(prev, "period"):
        out["previous"] = {**prev, "value": None, "suppressed": True}
    ot = out.get("outturn")
    if ot:
        year = str(ot.get("year") or "")
        march = periods.financial_year_march(year)
        if gone(ot, "year") or _lookup(series_df, march) or _lookup(comparators_df, year):
            out["outturn"] = {**ot, "value": None, "suppressed": True}
    comps = dict(out.get("comparators") or {})
    for k, c in comps.items():
        if c and counts and is_small(c.get("value")):
            comps[k] = {**c, "value": None, "missing_reason": SUPPRESSED, "suppressed": True}
    out["comparators"] = comps
    out["sparkline"] = [
        ({**p, "value": None, "suppressed": True}
         if (counts and is_small(p.get("value"))) or _lookup(series_df, p.get("period")) else p)
        for p in (out.get("sparkline") or [])]
    if out["value"] is None or not out.get("previous") or out["previous"].get("value") is None:
        out["change_since_previous"] = out["direction_since_previous"] = None
    if out["value"] is None or not out.get("outturn") or out["outturn"].get("value") is None:
        out["change_since_outturn"] = out["direction_since_outturn"] = None
    return out


# Digits 1-4 naming people in free text ("3 children", "2 young people"). Words such as "one
# child" are left: they are usually general statements, and the figures come from the data.
_PEOPLE = (r"(?:looked[- ]after |care |new |more |fewer |other )?(?:children|child|young "
           r"(?:people|person)|care leavers?|babies|baby|boys?|girls?|siblings?|adopters?|"
           r"famil(?:y|ies)|carers?|households?)")
_SMALL_IN_TEXT = re.compile(r"(?<![\d.,£$%-])\b([1-4])\b(?![.,]\d)(\s+)(" + _PEOPLE + r")\b",
                            re.IGNORECASE)


def suppress_text(text: str | None, mode: str = PUBLIC) -> str | None:
    """Free text (commentary) with "3 children" written as "fewer than 5 children" (the
    word after the number says what is counted)."""
    if text is None or check_mode(mode) == PRIVATE:
        return text
    return _SMALL_IN_TEXT.sub(lambda m: f"{FEWER_THAN}{m.group(2)}{m.group(3)}", text)
