"""The canonical long frame every reader and measure produces and the warehouse stores (see
docs/architecture.md, "The canonical long frame"): its columns, once, and its key."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["indicator_code", "area_code", "period_start", "period_end", "period_label",
           "period_type", "breakdown", "value", "numerator", "denominator", "missing_reason",
           "status", "source_row", "source_column"]

# One figure per indicator, area, period and breakdown.
KEY = ["indicator_code", "area_code", "period_start", "period_end", "breakdown"]

_TEXT = ["indicator_code", "area_code", "period_label", "period_type", "breakdown", "status",
         "source_column", "missing_reason"]


def frame(rows: list[dict]) -> pd.DataFrame:
    """Rows (dicts keyed by COLUMNS) as the canonical frame with its dtypes: text as `str`,
    dates as `datetime64[us]`, figures as float (NaN when missing), Excel rows as Int64."""
    out = pd.DataFrame(rows, columns=COLUMNS)
    for c in _TEXT:
        out[c] = out[c].astype("str")
    for c in ["period_start", "period_end"]:
        out[c] = out[c].astype("datetime64[us]")
    for c in ["value", "numerator", "denominator"]:
        out[c] = out[c].astype("float64")
    out["source_row"] = out["source_row"].astype("Int64")
    return out
