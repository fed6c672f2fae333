"""Every indicator the SSDA903 tables can give, for every month end they cover, as canonical
long rows (the frame an uploaded file becomes), plus the annual OC2/OC3 out-turns and the
31 March figures for reconciliation with DfE's published ones.

Which definition feeds which indicator code is data (`data/indicators.yaml`, `ssda903:` on
each indicator); this module only knows the definitions' names.
"""
from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from pipelines.core import periods
from pipelines.measures import adoption as adoption_scorecard
from pipelines.measures.ssda903 import definitions as d
from pipelines.measures.ssda903.adoption import adoption_children, scorecard_monthly
from pipelines.measures.ssda903.care import Care, prepare
from pipelines.core.ssda903 import Extract, year_label

CANONICAL_COLUMNS = adoption_scorecard.CANONICAL_COLUMNS

# definition name -> function(care, population) returning Figures (None: table not given)
MONTHLY = {
    "cla_number": lambda c, p: d.cla_number(c),
    "cla_rate": d.cla_rate,
    "starts_12m": d.starts_12m,
    "ends_12m": d.ends_12m,
    "female_pct": lambda c, p: d.female_pct(c),
    "bme_pct": lambda c, p: d.bme_pct(c),
    "inhouse_foster_pct": lambda c, p: d.inhouse_foster_pct(c),
    "fostered_inhouse_pct": lambda c, p: d.fostered_inhouse_pct(c),
    "stability_fewer_3": lambda c, p: d.stability_fewer_3(c),
    "stability_long_term": lambda c, p: d.stability_long_term(c),
    "asylum_pct": lambda c, p: d.asylum_pct(c),
    "uasc_number": lambda c, p: d.uasc_number(c),
    "reviews_up_to_date": lambda c, p: d.reviews_up_to_date(c),
    "reviews_on_time_12m": lambda c, p: d.reviews_on_time_12m(c),
    "review_participation": lambda c, p: d.review_participation(c),
    "missing_12m": lambda c, p: d.missing_12m(c),
    "sw_3plus": lambda c, p: d.sw_3plus(c),
}
ANNUAL = {
    "oc2_health_assessment": lambda c, y: d.oc2_pct(c, y, "HEALTH_ASSESSMENT"),
    "oc2_teeth": lambda c, y: d.oc2_pct(c, y, "TEETH_CHECK"),
    "oc2_immunisations": lambda c, y: d.oc2_pct(c, y, "IMMUNISATIONS"),
    "oc3_eet": d.oc3_eet,
    "oc3_suitable": d.oc3_suitable,
}
# Definitions the tables cannot give: the reason shown instead of a figure.
CANNOT = {
    "placed_20_miles": "not computable from the SSDA903 extract: distance from home needs "
                       "full postcodes, which are dropped at load to protect children",
}
SW_REASON = "not computable: the extract has no sw_episodes table (social worker episodes)"


_PERIODS: dict = {}   # month ends (as bytes) -> (period starts, ends, labels): 25 codes share


def _month_periods(m: pd.DatetimeIndex):
    key = m.asi8.tobytes()
    if key not in _PERIODS:
        if len(_PERIODS) > 64:
            _PERIODS.clear()
        _PERIODS[key] = ((m - pd.offsets.MonthBegin(1)).astype("datetime64[us]"),
                         m.astype("datetime64[us]"), m.strftime("%b %Y"))
    return _PERIODS[key]


def _rows(code: str, figures: pd.DataFrame, area_code: str, breakdown: str = "") -> pd.DataFrame:
    starts, ends, labels = _month_periods(pd.DatetimeIndex(figures.index))
    return pd.DataFrame({
        "indicator_code": code, "area_code": area_code,
        "period_start": starts,
        "period_end": ends,
        "period_label": labels, "period_type": "month",
        "breakdown": breakdown,
        "value": figures["value"].to_numpy(dtype="float64"),
        "numerator": figures["numerator"].to_numpy(dtype="float64"),
        "denominator": figures["denominator"].to_numpy(dtype="float64"),
        "missing_reason": figures["missing_reason"].to_numpy(dtype="object"),
        "status": "final", "source_row": pd.NA, "source_column": "",
    })


def _year_row(code, year_end: date, value, num, den, area_code, reason=None) -> dict:
    return {"indicator_code": code, "area_code": area_code,
            "period_start": pd.Timestamp(year_end.year - 1, 4, 1),
            "period_end": pd.Timestamp(year_end), "period_label": year_label(year_end),
            "period_type": "year", "breakdown": "",
            "value": value, "numerator": num, "denominator": den,
            "missing_reason": reason if (value is None or (isinstance(value, float)
                                                             and math.isnan(value))) else pd.NA,
            "status": "final", "source_row": pd.NA, "source_column": ""}


def compute(extract: Extract, *, area_code: str, catalogue, population=None,
            quality: list | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(canonical rows, 31 March figures for reconciliation, adoption child records)."""
    care = prepare(extract)
    quality = quality if quality is not None else extract.quality
    by_definition = {}
    for ind in catalogue:
        name = (getattr(ind, "ssda903", None) or _SSDA903.get(ind.code)
                or ("adoption" if ind.computed == "adoption" else None))
        if name:
            by_definition.setdefault(name, []).append(ind.code)
    parts = []
    for name, codes in by_definition.items():
        if name in MONTHLY:
            figures = MONTHLY[name](care, population)
            if figures is None:
                figures = _missing(care.months, SW_REASON if name == "sw_3plus" else "")
            for code in codes:
                parts.append(_rows(code, figures, area_code))
        elif name in CANNOT:
            for code in codes:
                parts.append(_rows(code, _missing(care.months, CANNOT[name]), area_code))
        elif name == "placement_types":
            by_type = d.placement_types(care)
            # The total row too (every child looked after at the month end), as an uploaded
            # long extract has it: without it the indicator's headline figure is missing.
            total = d.cla_number(care)
            for code in codes:
                parts.append(_rows(code, total, area_code))
                for cat, figures in by_type.items():
                    parts.append(_rows(code, figures, area_code, f"placement_type={cat}"))
    years = [y for y in extract.years if pd.Timestamp(y) <= pd.Timestamp(extract.last_day)]
    annual = []
    for name, codes in by_definition.items():
        if name not in ANNUAL:
            continue
        table = "oc2" if name.startswith("oc2") else "oc3"
        have = set(getattr(extract, table)["YEAR_END"].dropna())
        for y in years:
            if pd.Timestamp(y) not in have:
                continue
            value, num, den = ANNUAL[name](care, y)
            for code in codes:
                annual.append(_year_row(code, y, value, num, den, area_code,
                                        f"no children in the {table.upper()} cohort"))
    _oc2_quality(care, years, quality)
    _oc3_quality(care, years, quality)
    kids = adoption_children(care, quality)
    if len(kids) and any(n == "adoption" for n in by_definition):
        months = [m.date() for m in care.months]
        thresholds = adoption_scorecard.catalogue_thresholds(catalogue)
        parts.append(scorecard_monthly(kids, area_code, months, thresholds))
    frame = pd.concat(parts + ([pd.DataFrame(annual)] if annual else []), ignore_index=True)
    frame = frame[CANONICAL_COLUMNS]
    for c in ["indicator_code", "area_code", "period_label", "period_type", "breakdown",
              "status", "source_column"]:
        frame[c] = frame[c].astype("str")
    for c in ["period_start", "period_end"]:
        frame[c] = pd.to_datetime(frame[c]).astype("datetime64[us]")
    for c in ["value", "numerator", "denominator"]:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    frame["missing_reason"] = frame["missing_reason"].astype("object").where(
        frame["missing_reason"].notna() & frame["value"].isna(), None)
    frame["source_row"] = frame["source_row"].astype("Int64")
    year_end = year_end_figures(frame)
    return frame.reset_index(drop=True), year_end, kids


# The catalogue names each indicator's definition with `ssda903:`; this is the fallback
# while that field is being added (codes are a contract, so the map cannot drift silently:
# tests check every name exists).
_SSDA903 = {
    "CLA_NUMBER": "cla_number", "CLA_RATE": "cla_rate", "CLA_STARTS_RATE": "starts_12m",
    "CLA_ENDS_RATE": "ends_12m", "CLA_FEMALE_PCT": "female_pct", "CLA_BME_PCT": "bme_pct",
    "PLACED_20_MILES_PCT": "placed_20_miles", "PLACED_INHOUSE_FOSTER_PCT": "inhouse_foster_pct",
    "FOSTERED_INHOUSE_PCT": "fostered_inhouse_pct", "PLACEMENT_TYPE": "placement_types",
    "STABILITY_FEWER_3_PCT": "stability_fewer_3",
    "STABILITY_LONG_TERM_PCT": "stability_long_term", "ASYLUM_PCT": "asylum_pct",
    "UASC_NUMBER": "uasc_number", "REVIEWS_ON_TIME_PCT": "reviews_up_to_date",
    "REVIEWS_ON_TIME_12M_PCT": "reviews_on_time_12m",
    "REVIEW_PARTICIPATION_PCT": "review_participation", "MISSING_12M_PCT": "missing_12m",
    "SW_3PLUS_PCT": "sw_3plus", "HEALTH_CHECKS_PCT": "oc2_health_assessment",
    "DENTAL_CHECKS_PCT": "oc2_teeth", "IMMUNISATIONS_PCT": "oc2_immunisations",
    "CL_EET_PCT": "oc3_eet", "CL_SUITABLE_ACCOM_PCT": "oc3_suitable",
}  # the adoption scorecard's codes: the catalogue's `computed: adoption`
DEFINITIONS = set(MONTHLY) | set(ANNUAL) | set(CANNOT) | {"placement_types", "adoption"}


def _missing(months, reason) -> pd.DataFrame:
    idx = pd.DatetimeIndex(months, name="month")
    return pd.DataFrame({"value": np.nan, "numerator": np.nan, "denominator": np.nan,
                         "missing_reason": reason}, index=idx)


def year_end_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """Our figure for each year ending 31 March: the March month-end row, or the annual
    out-turn row (OC2/OC3). Columns: indicator_code, year (2019-20), value, numerator,
    denominator."""
    f = frame[frame["breakdown"] == ""]
    march = f[(f["period_type"] == "month") & (f["period_end"].dt.month == 3)]
    march = march.assign(year=[periods.financial_year_label(d) for d in march["period_end"]])
    years = f[f["period_type"] == "year"].assign(year=lambda x: x["period_label"])
    # DfE publishes the 3+ placements share; ours is its complement (fewer than 3).
    three = march[march["indicator_code"] == "STABILITY_FEWER_3_PCT"]
    three = three.assign(indicator_code="STABILITY_3PLUS_PCT", value=100 - three["value"],
                         numerator=three["denominator"] - three["numerator"])
    out = pd.concat([march, three, years], ignore_index=True)
    return out[["indicator_code", "year", "value", "numerator", "denominator"]] \
        .reset_index(drop=True)


def _oc2_quality(care: Care, years, quality: list) -> None:
    """OC2 rows and the 12-month cohort that do not match are listed, not guessed."""
    oc2 = care.extract.oc2
    for y in years:
        ye = pd.Timestamp(y)
        if ye not in set(oc2["YEAR_END"].dropna()):
            continue
        c = d.oc2_cohort(care, y)
        missing_rows = c[~c["has_row"]]["CHILD"]
        rows = oc2[oc2["YEAR_END"] == ye]
        extra = rows[~rows["CHILD"].isin(set(c["CHILD"]))]
        for child in missing_rows:
            quality.append({"severity": "warning", "kind": "cohort", "rule": "OC2 row missing",
                            "child": child, "file": "", "rows": "",
                            "message": f"looked after 12 months at 31/03/{y.year} but no OC2 "
                                       "row: left out of the OC2 figures",
                            "indicators": "HEALTH_CHECKS_PCT, DENTAL_CHECKS_PCT, "
                                          "IMMUNISATIONS_PCT", "months": year_label(y)})
        quality.extend({"severity": "warning", "kind": "cohort",
                        "rule": "OC2 row outside the cohort", "child": child,
                        "file": file, "rows": str(int(row)),
                        "message": f"OC2 row for a child not looked after continuously for "
                                   f"12 months at 31/03/{y.year}: not counted",
                        "indicators": "HEALTH_CHECKS_PCT, DENTAL_CHECKS_PCT, "
                                      "IMMUNISATIONS_PCT", "months": year_label(y)}
                       for child, file, row in zip(extra["CHILD"], extra["FILE"],
                                                   extra["__row__"]))


def _oc3_quality(care: Care, years, quality: list) -> None:
    """Care leavers DfE leaves out of the OC3 figures for what their episodes show (care
    transferred, short breaks) are listed, so a reader can see who was left out and why."""
    oc3 = care.extract.oc3
    for y in years:
        if pd.Timestamp(y) not in set(oc3["YEAR_END"].dropna()):
            continue
        rows = d.oc3_leavers(care, y)
        rows = rows[rows["left_out"].notna() & ~rows["IN_TOUCH"].isin(["DIED", "RHOM"])]
        quality.extend({"severity": "info", "kind": "cohort", "rule": "OC3 care leaver left out",
                        "child": child, "file": file, "rows": str(int(row)),
                        "message": f"left out of the care-leaver figures for {year_label(y)}: "
                                   f"{why}",
                        "indicators": "CL_EET_PCT, CL_SUITABLE_ACCOM_PCT",
                        "months": year_label(y)}
                       for child, file, row, why in zip(rows["CHILD"], rows["FILE"],
                                                        rows["__row__"], rows["left_out"]))
