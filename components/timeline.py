"""The local series on a complete timeline, so that charts show a gap and tables say
"no figure" for a month that is absent, instead of silently skipping or joining it."""

from __future__ import annotations

import pandas as pd

from components.formatting import month_label
from pipelines.core import periods


def frame_or_empty(df: pd.DataFrame | None) -> pd.DataFrame:
    return pd.DataFrame() if df is None else df


def month_end(ts) -> pd.Timestamp:
    """periods.month_end as a Timestamp (what plotly's x axis holds); NaT stays NaT."""
    ts = pd.Timestamp(ts)
    return ts if ts is pd.NaT else pd.Timestamp(periods.month_end(ts))


def is_monthly(series_df: pd.DataFrame | None) -> bool:
    """True when the local series holds monthly figures (else annual)."""
    df = frame_or_empty(series_df)
    if df.empty:
        return False
    if "period_type" in df.columns:
        return bool((df["period_type"] == "month").any())
    ends = pd.to_datetime(df["period_end"]).sort_values()
    return len(ends) < 2 or bool((ends.diff().dt.days.dropna() < 40).any())


def local_points(series_df: pd.DataFrame) -> pd.DataFrame:
    """The local series on a complete timeline: one row per month (or per year for an annual
    indicator) from the first to the last figure, with rows for absent periods left missing,
    so the chart shows a gap instead of joining across them. Column `x` is the period end."""
    df = frame_or_empty(series_df)
    if df.empty:
        return pd.DataFrame(columns=["x", "period_label", "value", "numerator", "denominator",
                                     "missing_reason", "status"])
    if is_monthly(df):
        if "period_type" in df.columns:
            df = df[df["period_type"] == "month"]
        step = "ME"
    else:
        step = "12ME"
    # Vectorised month end (a per-row .map was most of a section page's build time).
    df = df.assign(x=periods.month_ends(df["period_end"]))
    df = df.sort_values("x").drop_duplicates("x", keep="last")
    full = pd.DataFrame({"x": pd.date_range(df["x"].min(), df["x"].max(), freq=step)})
    if step == "12ME" and not full["x"].isin(df["x"]).all():
        # irregular annual dates (e.g. mixed year ends): keep what was given
        full = df[["x"]]
    out = full.merge(df, on="x", how="left")
    for col in ("value", "numerator", "denominator"):
        if col not in out.columns:
            out[col] = float("nan")
    for col in ("missing_reason", "status", "period_label"):
        if col not in out.columns:
            out[col] = pd.NA
    no_label = out["period_label"].isna()
    if no_label.any():
        out.loc[no_label, "period_label"] = out.loc[no_label, "x"].map(month_label)
    no_reason = out["value"].isna() & out["missing_reason"].isna()
    out.loc[no_reason, "missing_reason"] = "not received"
    return out.reset_index(drop=True)
