"""Stitched SSDA903 episodes -> the facts every definition reads.

`prepare(extract)` adds to each episode its period of care, whether it starts a new
placement (for the 3+ placements count), when the child started living with the current
carer (long-term stability, A10), and builds the child-month table: one row per child looked
after at each month end (short breaks excluded), which every snapshot measure aggregates.

Definitions and decisions: ../shared/reference/ssda903.md and docs/ssda903.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from pipelines.core.ssda903 import (ADOPTION_PLACES, SHORT_BREAK_LS, TEMPORARY_PLACES,
                                       Extract)

PLACEMENT_CHANGE_RNE = {"P", "B", "T", "U"}
# The episode columns each child-month row carries (what the measures read).
CHILD_MONTH_COLUMNS = ["CHILD", "cid", "LS", "PLACE", "PLACE_PROVIDER", "period_id",
                       "period_start", "period_start_known", "carer_start",
                       "adopt_combined_start"]
SAME_CARER_RNE = {"L", "T", "U"}


def month_ends(first: date, last: date) -> pd.DatetimeIndex:
    """Every month end from the month of `first` to the last month end on or before `last`."""
    ends = pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq="ME")
    return ends.astype("datetime64[us]")


def months_back(m, n: int) -> pd.Timestamp:
    """The month end n months before month end m."""
    return (pd.Timestamp(m) - pd.offsets.MonthEnd(n)).as_unit("us")


@dataclass
class Care:
    episodes: pd.DataFrame      # one row per episode with the derived columns
    child_months: pd.DataFrame  # month + CHILD_MONTH_COLUMNS: looked after at month end
    header: pd.DataFrame        # indexed by CHILD: SEX, DOB, ETHNIC
    extract: Extract
    months: pd.DatetimeIndex    # every month end the data cover
    cache: dict = field(default_factory=dict)


def derive(episodes: pd.DataFrame) -> pd.DataFrame:
    """Periods of care, placement starts and carer start dates (vectorised per child)."""
    e = episodes.sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True).copy()
    first = e["CHILD"] != e["CHILD"].shift(1)
    e["cid"] = first.cumsum().astype("int64")   # an integer per child: fast joins
    prev_dec = e["DEC"].shift(1)
    prev_rec = e["REC"].shift(1)
    e["short_break"] = e["LS"].isin(SHORT_BREAK_LS)
    e["temporary"] = e["PLACE"].isin(TEMPORARY_PLACES)
    # A period of care starts at RNE S, after a gap, or after a non-X1 ending.
    new_period = first | (e["RNE"] == "S") | (prev_rec != "X1") | prev_dec.isna() | \
        (e["DECOM"] > prev_dec)
    e["new_period"] = new_period
    e["period_id"] = new_period.cumsum()
    e["period_start"] = e.groupby("period_id")["DECOM"].transform("first")
    e["period_start_known"] = e.groupby("period_id")["RNE"].transform("first") == "S"
    # The placement (type, provider, home) an episode is in.
    place_key = e["PLACE"].fillna("") + "|" + e["PLACE_PROVIDER"].fillna("") + "|" + \
        e["URN"].fillna("")
    prev_temp = e["temporary"].shift(1, fill_value=False) & ~new_period
    back_from_temp = prev_temp & (place_key == place_key.shift(2)) & \
        (e["period_id"] == e["period_id"].shift(2))
    # Placements counted (UNVERIFIED rule, see the reference): a new period, or a change with
    # RNE P/B/T/U; not temporary placements, the return after them, nor short breaks.
    e["placement_start"] = (new_period | e["RNE"].isin(PLACEMENT_CHANGE_RNE)) & \
        ~e["temporary"] & ~back_from_temp & ~e["short_break"]
    # Same carer: RNE L/T/U, a temporary absence, or the return from one.
    inherit = ~new_period & (e["RNE"].isin(SAME_CARER_RNE) | e["temporary"] | back_from_temp)
    e["carer_start"] = e["DECOM"].where(~inherit).ffill().astype("datetime64[us]")
    # Placed for adoption: the adoptive placement plus the one before it.
    is_a = e["PLACE"].isin(ADOPTION_PLACES)
    prev_a = is_a.shift(1, fill_value=False) & ~new_period
    prev_carer = e["carer_start"].shift(1).where(~new_period)
    start_a = is_a & ~prev_a
    adopt = prev_carer.where(start_a & prev_carer.notna(), e["carer_start"].where(start_a))
    e["adopt_combined_start"] = adopt.where(is_a).groupby(e["period_id"]).ffill() \
        .where(is_a).astype("datetime64[us]")
    return e


def expand_months(start: pd.Series, stop: pd.Series, months: pd.DatetimeIndex) -> pd.DataFrame:
    """For each row i, the month ends m in `months` with start[i] <= m < stop[i] (stop NaT =
    open): returns columns `row` (position) and `month`."""
    mv = months.to_numpy()
    s = np.searchsorted(mv, start.to_numpy(dtype="datetime64[us]"), side="left")
    stop_v = stop.to_numpy(dtype="datetime64[us]")
    e = np.where(np.isnat(stop_v), len(mv), np.searchsorted(mv, stop_v, side="left"))
    n = np.clip(e - s, 0, None)
    rows = np.repeat(np.arange(len(n)), n)
    offs = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    return pd.DataFrame({"row": rows, "month": mv[s[rows] + offs] if len(rows) else mv[:0]})


def prepare(extract: Extract, months: pd.DatetimeIndex | None = None) -> Care:
    e = derive(extract.episodes)
    if months is None:
        months = month_ends(extract.first_day, extract.last_day)
    # Looked after at month end m: DECOM <= m < DEC (DEC = m means left that day).
    # Short-break episodes are left out before the expansion, and only the columns the
    # measures read are copied (every episode column made this the largest copy of the run).
    keep = e[~e["short_break"]]
    cm = expand_months(keep["DECOM"], keep["DEC"], months)
    cm = pd.concat([cm[["month"]].reset_index(drop=True),
                    keep[CHILD_MONTH_COLUMNS].iloc[cm["row"].to_numpy()]
                    .reset_index(drop=True)], axis=1)
    header = extract.header.drop_duplicates("CHILD", keep="last").set_index("CHILD")
    return Care(episodes=e, child_months=cm, header=header, extract=extract, months=months)
