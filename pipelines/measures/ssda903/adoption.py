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

import pandas as pd

from pipelines.measures.adoption import ADOPTION_COLUMNS
from pipelines.measures.ssda903.care import Care
from pipelines.core.ssda903 import ADOPTION_PLACES


def adoption_children(care: Care, quality: list | None = None) -> pd.DataFrame:
    e = care.episodes
    adopted = e[e["REC"].isin(["E11", "E12"]) & e["DEC"].notna()]
    rows = []
    ad1 = care.extract.ad1.drop_duplicates("CHILD", keep="last").set_index("CHILD")
    pfa = care.extract.placed_for_adoption.sort_values("DATE_PLACED") \
        .drop_duplicates("CHILD", keep="last").set_index("CHILD")
    for _, a in adopted.iterrows():
        period = e[e["period_id"] == a["period_id"]]
        child = a["CHILD"]

        def note(message, rule):
            if quality is not None:
                quality.append({"severity": "warning", "kind": "adoption", "rule": rule,
                                "child": child, "file": a["FILE"], "rows": str(int(a["__row__"])),
                                "message": message, "indicators": "A1, A2, A10",
                                "months": f"from {a['DEC']:%b %Y}"})

        if not bool(period["period_start_known"].iloc[0]) and \
                period["DECOM"].min() <= pd.Timestamp(care.extract.first_day):
            note(f"adopted {a['DEC']:%d/%m/%Y} but the period of care began before the first "
                 "file: entry date unknown, left out of the scorecard", "entry date unknown")
            continue
        orders = period[period["LS"].isin(["E1", "D1"])]["DECOM"]
        placed = period[period["PLACE"].isin(ADOPTION_PLACES)]
        if placed.empty:
            note(f"adopted {a['DEC']:%d/%m/%Y} with no A3-A6 placement episode: left out of "
                 "the scorecard", "no adoptive placement")
            continue
        first_a = placed.iloc[0]
        matched = ad1["DATE_MATCH"].get(child) if "DATE_MATCH" in ad1 else None
        if (matched is None or pd.isna(matched)) and child in pfa.index:
            matched = pfa.at[child, "DATE_PLACED"]
            note("no ad1 DATE_MATCH: the placed_for_adoption decision date is used as the "
                 "match date", "match date from placed_for_adoption")
        foster = str(ad1["FOSTER_CARE"].get(child, "")) == "1" if "FOSTER_CARE" in ad1 else False
        moved_in = None
        if foster:
            moved_in = first_a["carer_start"]
            if moved_in >= first_a["DECOM"]:
                before = period[period["DECOM"] < first_a["DECOM"]]
                if len(before):
                    moved_in = before.iloc[-1]["carer_start"]
        dob = care.header["DOB"].get(child) if len(care.header) else None
        rows.append({
            "child_id": child,
            "date_of_birth": dob,
            "date_entered_care": period["DECOM"].min(),
            "date_placement_order": orders.min() if len(orders) else pd.NaT,
            "date_matched": matched,
            "date_placed_for_adoption": first_a["DECOM"],
            "adopted_by_foster_carers": foster,
            "date_moved_in_with_foster_carers": moved_in,
            "date_adoption_order": a["DEC"],
        })
    out = pd.DataFrame(rows, columns=ADOPTION_COLUMNS)
    for c in ADOPTION_COLUMNS:
        if c.startswith("date_"):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[us]")
    out["child_id"] = out["child_id"].astype("str")
    out["adopted_by_foster_carers"] = out["adopted_by_foster_carers"].astype("bool")
    out["source_row"] = pd.Series(range(len(out)), dtype="int64")
    return out
