"""Episodes, ad1 and placed_for_adoption -> the adoption scorecard's child records
(`pipelines.measures.adoption.ADOPTION_COLUMNS`), so A1, A2, A10 and the rest come from the
scorecard we already have.

- adopted: an episode ending E11 or E12; date_adoption_order = its DEC;
- date_entered_care: the start of that period of care;
- date_placement_order: the first episode in the period with LS E1 (placement order) or D1
  (freeing order);
- date_placed_for_adoption: DECOM of the first A3-A6 episode in the period (the move-in;
  placed_for_adoption's DATE_PLACED is the decision date, not the move-in);
- date_matched: ad1 DATE_MATCH (else placed_for_adoption DATE_PLACED, listed as a fallback);
- adopted_by_foster_carers: ad1 FOSTER_CARE = 1; the clock for A10 then stops when the child
  moved in with those carers: the carer start of the adoptive placement (walking back over
  RNE L/T/U), or of the placement before it when the adoption started a new carer record.
A child whose period of care began before the first file (no RNE S seen) has an unknown
entry date: left out of A1/A10/A2 and listed.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pipelines.core.canonical import frame as canonical_frame
from pipelines.measures import adoption as scorecard
from pipelines.measures.adoption import ADOPTION_COLUMNS
from pipelines.measures.ssda903.care import Care
from pipelines.core.ssda903 import ADOPTION_PLACES


def adoption_children(care: Care, quality: list | None = None) -> pd.DataFrame:
    e = care.episodes
    adopted = e[e["REC"].isin(["E11", "E12"]) & e["DEC"].notna()] \
        .drop_duplicates("period_id", keep="last")
    per = e.groupby("period_id")
    start = per["DECOM"].min()
    known = per["period_start_known"].first()
    orders = e[e["LS"].isin(["E1", "D1"])].groupby("period_id")["DECOM"].min()
    prev_carer = e["carer_start"].shift(1).where(e["period_id"].shift(1) == e["period_id"])
    a_eps = e.assign(prev_carer=prev_carer)[e["PLACE"].isin(ADOPTION_PLACES)] \
        .drop_duplicates("period_id", keep="first").set_index("period_id")
    ad1 = care.extract.ad1.drop_duplicates("CHILD", keep="last").set_index("CHILD")
    pfa = care.extract.placed_for_adoption.sort_values("DATE_PLACED") \
        .drop_duplicates("CHILD", keep="last").set_index("CHILD")

    pid = adopted["period_id"]
    entered = pid.map(start)
    unknown = ~pid.map(known).fillna(False).astype(bool) & \
        (entered <= pd.Timestamp(care.extract.first_day))
    no_a = ~pid.isin(a_eps.index)
    _note(quality, adopted[unknown],
          "adopted " + adopted["DEC"][unknown].dt.strftime("%d/%m/%Y") + " but the period of "
          "care began before the first file: entry date unknown, left out of the scorecard",
          "entry date unknown")
    _note(quality, adopted[no_a & ~unknown],
          "adopted " + adopted["DEC"][no_a & ~unknown].dt.strftime("%d/%m/%Y") + " with no "
          "A3-A6 placement episode: left out of the scorecard", "no adoptive placement")
    keep = adopted[~unknown & ~no_a]
    pid = keep["period_id"]
    first_a = a_eps.loc[pid.to_numpy()]
    child = keep["CHILD"]
    nat = pd.Series(pd.NaT, index=keep.index, dtype="datetime64[us]")
    matched = child.map(ad1["DATE_MATCH"]) if len(ad1) and "DATE_MATCH" in ad1 else nat
    from_pfa = matched.isna() & child.isin(pfa.index)
    matched = matched.where(~from_pfa, child.map(pfa["DATE_PLACED"]) if len(pfa) else pd.NaT)
    _note(quality, keep[from_pfa], pd.Series("no ad1 DATE_MATCH: the placed_for_adoption "
                                             "decision date is used as the match date",
                                             index=keep.index)[from_pfa],
          "match date from placed_for_adoption")
    foster = (child.map(ad1["FOSTER_CARE"]).astype("str") == "1") \
        if len(ad1) and "FOSTER_CARE" in ad1 else pd.Series(False, index=keep.index)
    a_decom = pd.Series(first_a["DECOM"].to_numpy(), index=keep.index)
    a_carer = pd.Series(first_a["carer_start"].to_numpy(), index=keep.index)
    a_prev = pd.Series(first_a["prev_carer"].to_numpy(), index=keep.index)
    moved = a_carer.where(a_carer < a_decom, a_prev.fillna(a_decom))
    dob = child.map(care.header["DOB"]) if len(care.header) else nat
    out = pd.DataFrame({
        "child_id": child,
        "date_of_birth": dob,
        "date_entered_care": pid.map(start),
        # (an extract with no placement order at all: mapping an empty series fails)
        "date_placement_order": pid.map(orders) if len(orders) else nat,
        "date_matched": matched,
        "date_placed_for_adoption": a_decom,
        "adopted_by_foster_carers": foster.fillna(False),
        "date_moved_in_with_foster_carers": moved.where(foster),
        "date_adoption_order": keep["DEC"],
    }, columns=ADOPTION_COLUMNS).reset_index(drop=True)
    for c in ADOPTION_COLUMNS:
        if c.startswith("date_"):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[us]")
    out["child_id"] = out["child_id"].astype("str")
    out["adopted_by_foster_carers"] = out["adopted_by_foster_carers"].astype("bool")
    out["source_row"] = pd.Series(range(len(out)), dtype="int64")
    return out


def _note(quality, rows: pd.DataFrame, messages: pd.Series, rule: str) -> None:
    if quality is None or rows.empty:
        return
    quality.extend({"severity": "warning", "kind": "adoption", "rule": rule,
                    "child": child, "file": file, "rows": str(int(row)),
                    "message": msg, "indicators": "A1, A2, A10", "months": f"from {month}"}
                   for child, file, row, msg, month in zip(
                       rows["CHILD"], rows["FILE"], rows["__row__"], messages,
                       rows["DEC"].dt.strftime("%b %Y")))


# indicator code -> (measure, window, figure): as `pipelines.measures.adoption._INDICATORS`
def scorecard_monthly(children: pd.DataFrame, area_code: str, months, thresholds=None):
    """`pipelines.measures.adoption.monthly_indicators`, the same rows, by cumulative sums
    over the adoption order dates instead of a scorecard per month (120 month ends of a
    large authority in milliseconds). Tested equal to it."""
    df = children if "a1_days" in children.columns else scorecard.child_days(children)
    orders = df["date_adoption_order"].to_numpy(dtype="datetime64[us]")
    months = [scorecard._to_date(m) for m in months]
    rows = []
    sums = {}
    for measure, col in scorecard._MEASURES.items():
        ok = df[col].notna().to_numpy() & ~np.isnat(orders)
        order = np.argsort(orders[ok], kind="stable")
        dates = orders[ok][order]
        waits = df[col].to_numpy(dtype="float64")[ok][order]
        sums[measure] = (dates, waits, np.concatenate([[0.0], np.cumsum(waits)]))
    for as_at in months:
        t = scorecard.thresholds_for(thresholds, as_at)
        windows = scorecard._windows(as_at)
        base = {"area_code": area_code, "period_start": pd.Timestamp(as_at.replace(day=1)),
                "period_end": pd.Timestamp(as_at), "period_label": as_at.strftime("%b %Y"),
                "period_type": "month", "breakdown": "", "status": "final",
                "source_row": pd.NA, "source_column": ""}
        card = {}
        for measure, (dates, waits, cum) in sums.items():
            for name in ("three_year", "year_to_date"):
                _, first, last = windows[name]
                lo = np.searchsorted(dates, np.datetime64(first, "us"), side="left")
                hi = np.searchsorted(dates, np.datetime64(last, "us"), side="right")
                n = int(hi - lo)
                total = float(cum[hi] - cum[lo])
                within = int((waits[lo:hi] <= t[measure]).sum())
                card[(measure, name)] = (n, total, within)
        for code, measure, window, figure in scorecard._INDICATORS:
            n, total, within = card[(measure, window)]
            if n == 0:
                value, num, reason = math.nan, math.nan, scorecard._NO_CHILDREN
            elif figure == "days":
                value, num, reason = float(scorecard.round_days(total / n)), total, pd.NA
            else:
                value, num, reason = 100.0 * within / n, float(within), pd.NA
            rows.append({**base, "indicator_code": code, "value": value, "numerator": num,
                         "denominator": float(n), "missing_reason": reason})
        rows.append({**base, "indicator_code": "ADOPTIONS_NUMBER",
                     "value": float(card[("A1", "year_to_date")][0]), "numerator": math.nan,
                     "denominator": math.nan, "missing_reason": pd.NA})
    return canonical_frame(rows)
