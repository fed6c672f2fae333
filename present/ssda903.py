"""View logic for the SSDA903 data-quality report and the reconciliation with published
figures: plain frames and sentences, no Dash."""
from __future__ import annotations

import math

import pandas as pd

QUALITY_HEADINGS = {"severity": "Severity", "kind": "Kind", "rule": "Rule or repair",
                    "child": "Child (pseudonym)", "file": "File", "rows": "Rows",
                    "message": "What we found and did", "indicators": "Indicators touched",
                    "months": "Months touched"}
KIND_WORDS = {"repair": "repaired and loaded", "gap": "gaps that cannot be repaired",
              "dfe rule": "DfE validation rule failures", "cohort": "cohort mismatches",
              "adoption": "adoption records left out", "year": "collection years read",
              "dfe rules": "DfE rules run"}


def quality_summary(quality: pd.DataFrame) -> pd.DataFrame:
    """One row per kind and rule: rows, children, indicators touched."""
    cols = ["Kind", "Rule or repair", "Rows", "Children", "Indicators touched"]
    if quality is None or quality.empty:
        return pd.DataFrame(columns=cols)
    q = quality[quality["severity"] != "info"]
    if q.empty:
        return pd.DataFrame(columns=cols)
    g = q.groupby(["kind", "rule"], sort=True)
    out = pd.DataFrame({
        "Kind": [KIND_WORDS.get(k, k) for k, _ in g.groups],
        "Rule or repair": [r for _, r in g.groups],
        "Rows": g.size().to_numpy(),
        "Children": g["child"].agg(lambda s: s.replace("", pd.NA).dropna().nunique()).to_numpy(),
        "Indicators touched": g["indicators"].first().to_numpy(),
    })
    return out.sort_values(["Rows"], ascending=False, kind="stable").reset_index(drop=True)


def quality_sentence(quality: pd.DataFrame) -> str:
    if quality is None or quality.empty:
        return "No SSDA903 extract has been loaded, so there is no data-quality report."
    q = quality[quality["severity"] != "info"]
    children = q["child"].replace("", pd.NA).dropna().nunique()
    kinds = q["kind"].value_counts()
    parts = [f"{n} {KIND_WORDS.get(k, k)}" for k, n in kinds.items()]
    return (f"The latest SSDA903 extract loaded with {len(q)} listed rows about {children} "
            f"children: " + (", ".join(parts) if parts else "nothing to report") + ".")


def quality_table(quality: pd.DataFrame) -> pd.DataFrame:
    """Every row of the report with plain headings (for the page and the CSV)."""
    cols = list(QUALITY_HEADINGS)
    if quality is None or quality.empty:
        return pd.DataFrame(columns=list(QUALITY_HEADINGS.values()))
    return quality[cols].rename(columns=QUALITY_HEADINGS).reset_index(drop=True)


def _fmt(v, decimals: int) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return f"{v:,.{decimals}f}"


def reconciliation_table(rec: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """Year, our computed figure (with numerator/denominator), published, difference."""
    cols = ["Year ending 31 March", "Computed from the SSDA903 extract", "Numerator",
            "Denominator", "Published by DfE", "Difference (computed - published)"]
    if rec is None or rec.empty:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame({
        cols[0]: rec["year"],
        cols[1]: [_fmt(v, decimals) for v in rec["computed"]],
        cols[2]: [_fmt(v, 0) for v in rec["numerator"]],
        cols[3]: [_fmt(v, 0) for v in rec["denominator"]],
        cols[4]: [_fmt(v, decimals) or "not loaded" for v in rec["published"]],
        cols[5]: [_fmt(v, decimals) for v in rec["difference"]],
    })


def reconciliation_sentence(rec: pd.DataFrame, decimals: int = 1) -> str:
    if rec is None or rec.empty:
        return ""
    both = rec.dropna(subset=["published"])
    if both.empty:
        return ("Figures for each year ending 31 March computed from the SSDA903 extract; no "
                "published figure for the authority is loaded to compare them with.")
    worst = both.loc[both["difference"].abs().idxmax()]
    return (f"Computed and published figures are compared for {len(both)} year(s); the largest "
            f"difference is {_fmt(worst['difference'], decimals)} in {worst['year']}.")
