"""One small function per indicator definition, each returning a `Figures` frame: one row per
month end (index `month`) with `value`, `numerator`, `denominator`, `missing_reason`.

A month a definition cannot cover (its window starts before the data do) has no row at all;
a month it covers but cannot compute (no population loaded, no cohort) has a missing value
with a reason, never a zero. Definitions: ../shared/reference/ssda903.md; decisions on the
unverified points: docs/ssda903.md.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from pipelines.core import periods
from pipelines.core.ssda903 import SHORT_BREAK_LS
from pipelines.measures.ssda903.care import Care, expand_months, months_back

COLUMNS = ["value", "numerator", "denominator", "missing_reason"]

FOSTER = {f"U{i}" for i in range(1, 7)}
FRIENDS_FAMILY = {"U1", "U2", "U3"}
RESIDENTIAL = {"K1", "K2", "R1", "R2", "R3", "R5", "S1"}
INDEPENDENT = {"P2", "H5", "K3"}
OWN_PROVISION = "PR1"
NOT_BME = {"WBRI"}                  # BME = every ethnicity but White British
ETHNICITY_UNKNOWN = {"REFU", "NOBT"}
PARTICIPATED = {f"PN{i}" for i in range(1, 7)}   # attended or gave views (PN0: under 4)
EET_ACTIV = r"^[FP][1-5]$"


def _frame(months, num, den, *, scale=100.0, reason_if_empty="no children in the cohort",
           value=None) -> pd.DataFrame:
    idx = pd.DatetimeIndex(months, name="month")
    num = pd.Series(num, dtype="float64").reindex(idx, fill_value=0.0) if num is not None \
        else pd.Series(np.nan, index=idx)
    den = pd.Series(den, dtype="float64").reindex(idx, fill_value=0.0) if den is not None \
        else pd.Series(np.nan, index=idx)
    if value is None:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = (num / den * scale).where(den > 0)
    reason = pd.Series(pd.NA, index=idx, dtype="object").where(value.notna(), reason_if_empty)
    return pd.DataFrame({"value": value, "numerator": num, "denominator": den,
                         "missing_reason": reason}, index=idx)


def _count(months, counts) -> pd.DataFrame:
    idx = pd.DatetimeIndex(months, name="month")
    v = pd.Series(counts, dtype="float64").reindex(idx, fill_value=0.0)
    return pd.DataFrame({"value": v, "numerator": np.nan, "denominator": np.nan,
                         "missing_reason": pd.Series(pd.NA, index=idx, dtype="object")},
                        index=idx)


def children_per_month(month, child) -> pd.Series:
    """Distinct children per month end: `month` and `child` are equal-length arrays or
    Series. Counted on integer codes with numpy (a groupby `nunique` on the text pseudonyms
    was a large share of the run); months with no child are absent, like a groupby's."""
    mv = np.asarray(month, dtype="datetime64[us]")
    if not len(mv):
        return pd.Series([], index=pd.DatetimeIndex([], name="month"), dtype="int64")
    mcode, mvals = pd.factorize(mv, sort=True)
    ccode, cvals = pd.factorize(np.asarray(child))
    keys = np.sort(mcode.astype("int64") * (len(cvals) + 1) + ccode)
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]   # distinct (sorted)
    counts = np.bincount(keys // (len(cvals) + 1), minlength=len(mvals))
    out = pd.Series(counts, index=pd.DatetimeIndex(mvals, name="month"))
    return out[out > 0]


def rolling_months(care: Care) -> pd.DatetimeIndex:
    """Month ends whose 12-month window lies inside the data."""
    first = pd.Timestamp(care.extract.first_day)
    return care.months[[months_back(m, 12) >= first - pd.Timedelta(days=1)
                        for m in care.months]]


# ------------------------------------------------------------------ snapshot counts

def cla_number(care: Care) -> pd.DataFrame:
    """Looked after at the month end (DECOM <= m < DEC), short breaks (V3/V4) excluded."""
    cm = care.child_months
    return _count(care.months, children_per_month(cm["month"], cm["cid"]))


def cla_rate(care: Care, population: pd.DataFrame | None) -> pd.DataFrame:
    """Month-end count per 10,000 children aged 0-17 (the latest ONS estimate loaded)."""
    n = cla_number(care)["value"]
    return _per_10k(care.months, n, population)


def _population_at(months, population: pd.DataFrame | None) -> pd.Series:
    """The latest mid-year estimate whose year has started by each month end."""
    idx = pd.DatetimeIndex(months)
    if population is None or population.empty:
        return pd.Series(np.nan, index=idx)
    pop = population.dropna(subset=["value"]).sort_values("period_start")
    pos = np.searchsorted(pop["period_start"].to_numpy(dtype="datetime64[us]"),
                          idx.to_numpy(dtype="datetime64[us]"), side="right") - 1
    vals = np.where(pos >= 0, pop["value"].to_numpy()[np.clip(pos, 0, None)], np.nan)
    return pd.Series(vals, index=idx)


def _per_10k(months, counts: pd.Series, population) -> pd.DataFrame:
    pop = _population_at(months, population)
    out = _frame(months, counts, pop, scale=10000.0,
                 reason_if_empty="no ONS population aged 0-17 (POP_0_17) loaded for the "
                                 "authority")
    return out


def window_stop(dates: pd.Series, months: int = 12) -> pd.Series:
    """The first day of the month `months` months after each date's month: an event on day d
    lies in the windows of the month ends m with d <= m < window_stop(d) (NaT stays NaT)."""
    v = dates.to_numpy(dtype="datetime64[us]").astype("datetime64[M]") + np.timedelta64(months, "M")
    return pd.Series(v.astype("datetime64[us]"), index=dates.index)


def _rolling_children(care: Care, events: pd.DataFrame, months) -> pd.Series:
    """Distinct children with an event (CHILD, date) in the 12 months ending each month."""
    if events.empty:
        return pd.Series(0.0, index=months)
    # An event on day d lies in the windows of month ends m with d <= m < d + 12 months.
    x = expand_months(events["date"], window_stop(events["date"]), pd.DatetimeIndex(months))
    return children_per_month(x["month"], events["CHILD"].to_numpy()[x["row"].to_numpy()])


def starts_12m(care: Care, population) -> pd.DataFrame:
    """Children starting to be looked after (RNE S) in the last 12 months per 10,000;
    a child counts once; short breaks excluded."""
    e = care.episodes
    ev = e[(e["RNE"] == "S") & ~e["short_break"]][["CHILD", "DECOM"]] \
        .rename(columns={"DECOM": "date"})
    months = rolling_months(care)
    return _per_10k(months, _rolling_children(care, ev, months), population)


def ends_12m(care: Care, population) -> pd.DataFrame:
    """Children who ceased (REC other than X1) in the last 12 months per 10,000."""
    e = care.episodes
    ev = e[e["DEC"].notna() & (e["REC"] != "X1") & ~e["short_break"]][["CHILD", "DEC"]] \
        .rename(columns={"DEC": "date"})
    months = rolling_months(care)
    return _per_10k(months, _rolling_children(care, ev, months), population)


def _with_header(care: Care) -> pd.DataFrame:
    cm = care.child_months[["month", "CHILD", "PLACE", "PLACE_PROVIDER"]]
    return cm.join(care.header[["SEX", "DOB", "ETHNIC"]], on="CHILD")


def female_pct(care: Care) -> pd.DataFrame:
    """% of children looked after at month end recorded as female (SEX 2), of those with a
    recorded sex."""
    cm = _with_header(care)
    known = cm[cm["SEX"].isin(["1", "2"])]
    return _frame(care.months, known[known["SEX"] == "2"].groupby("month").size(),
                  known.groupby("month").size())


def bme_pct(care: Care) -> pd.DataFrame:
    """% from black and minority ethnic backgrounds (every ethnicity but White British), of
    those with a recorded ethnicity (REFU, NOBT and no header row are left out)."""
    cm = _with_header(care)
    known = cm[cm["ETHNIC"].notna() & ~cm["ETHNIC"].isin(ETHNICITY_UNKNOWN)]
    return _frame(care.months, known[~known["ETHNIC"].isin(NOT_BME)].groupby("month").size(),
                  known.groupby("month").size())


def placement_group(place: pd.Series, provider: pd.Series) -> pd.Series:
    """The report's placement groups (PLACEMENT_TYPE breakdown)."""
    g = pd.Series("other", index=place.index, dtype="str")
    g[place.isin(FOSTER - FRIENDS_FAMILY) & (provider == OWN_PROVISION)] = "in_house_foster"
    g[place.isin(FOSTER - FRIENDS_FAMILY) & (provider != OWN_PROVISION)] = "agency_foster"
    g[place.isin(FRIENDS_FAMILY)] = "friends_family"
    g[place.isin(RESIDENTIAL)] = "residential"
    g[place.str.match(r"^A[3-6]$", na=False)] = "placed_for_adoption"
    g[place == "P1"] = "placed_with_parents"
    g[place.isin(INDEPENDENT)] = "independent_living"
    return g


def placement_types(care: Care) -> dict[str, pd.DataFrame]:
    """Counts at month end by placement group (breakdown category -> figures)."""
    cm = care.child_months
    groups = placement_group(cm["PLACE"], cm["PLACE_PROVIDER"])
    counts = cm.groupby([cm["month"], groups]).size()
    cats = ["in_house_foster", "agency_foster", "friends_family", "residential",
            "placed_for_adoption", "placed_with_parents", "independent_living", "other"]
    return {c: _count(care.months, counts.xs(c, level=1) if c in counts.index.get_level_values(1)
                      else pd.Series(dtype="float64")) for c in cats}


def inhouse_foster_pct(care: Care) -> pd.DataFrame:
    """% of all children looked after at month end in foster placements (U1-U6) the council
    provides itself (PLACE_PROVIDER PR1, own provision; connected carers it approved count)."""
    cm = care.child_months
    own = cm[cm["PLACE"].isin(FOSTER) & (cm["PLACE_PROVIDER"] == OWN_PROVISION)]
    return _frame(care.months, own.groupby("month").size(), cm.groupby("month").size())


def fostered_inhouse_pct(care: Care) -> pd.DataFrame:
    """Of children in foster placements (U1-U6) at month end, % with own-provision carers."""
    cm = care.child_months
    fostered = cm[cm["PLACE"].isin(FOSTER)]
    own = fostered[fostered["PLACE_PROVIDER"] == OWN_PROVISION]
    return _frame(care.months, own.groupby("month").size(), fostered.groupby("month").size())


# ------------------------------------------------------------------ stability

def placements_in_window(care: Care, months) -> pd.DataFrame:
    """Per (month, CHILD) looked after at the month end: placements in the 12 months ending
    then = 1 for a placement held at the window's start + each placement start in it."""
    months = pd.DatetimeIndex(months)
    cm = care.child_months[["month", "CHILD", "cid"]]   # columns first: a narrower copy
    cm = cm[cm["month"].isin(months)]
    e = care.episodes
    # Held at the start: in care (not a short break) at the month end 12 months before.
    mv = months.to_numpy(dtype="datetime64[us]")
    n = len(mv)
    nkids = int(e["cid"].max()) + 1 if len(e) else 1
    allm = care.child_months["month"].to_numpy(dtype="datetime64[us]")
    later = (allm.astype("datetime64[M]") + np.timedelta64(13, "M")).astype("datetime64[D]") \
        - np.timedelta64(1, "D")
    pos = np.searchsorted(mv, later.astype("datetime64[us]"))
    hit = (pos < n) & (mv[np.clip(pos, 0, n - 1)] == later.astype("datetime64[us]"))
    held = np.zeros(n * nkids, dtype=bool)
    held[pos[hit] * nkids + care.child_months["cid"].to_numpy()[hit]] = True
    ps = e[e["placement_start"]]
    x = expand_months(ps["DECOM"], window_stop(ps["DECOM"]), months)
    counts = np.zeros(n * nkids, dtype="int64")
    mi = np.searchsorted(mv, x["month"].to_numpy(dtype="datetime64[us]"))
    np.add.at(counts, mi * nkids + ps["cid"].to_numpy()[x["row"].to_numpy()], 1)
    key = np.searchsorted(mv, cm["month"].to_numpy(dtype="datetime64[us]")) * nkids + \
        cm["cid"].to_numpy()
    out = cm.copy()
    out["placements"] = held[key].astype("int64") + counts[key]
    return out


def stability_fewer_3(care: Care) -> pd.DataFrame:
    """Of children looked after at month end, % with fewer than 3 placements in the 12
    months ending then (DfE's 3+ measure turned round)."""
    months = rolling_months(care)
    p = placements_in_window(care, months)
    return _frame(months, p[p["placements"] < 3].groupby("month").size(),
                  p.groupby("month").size())


def age_in_months(dob: pd.Series, month_end: pd.Series) -> pd.Series:
    """Whole months of age at a month end (exact with dates of birth kept to the month)."""
    return (month_end.dt.year - dob.dt.year) * 12 + (month_end.dt.month - dob.dt.month)


def long_term_months(care: Care) -> pd.DatetimeIndex:
    """Month ends at least 30 months after the data start: durations are exact there."""
    first = pd.Timestamp(care.extract.first_day)
    return care.months[[months_back(m, 30) >= first - pd.Timedelta(days=1) for m in care.months]]


def stability_long_term(care: Care) -> pd.DataFrame:
    """Children under 16 looked after 2.5+ years: % with the same carer 2+ years, or placed
    for adoption with the adoptive and previous placement together 2+ years."""
    months = long_term_months(care)
    cm = care.child_months[["month", "CHILD", "period_start", "carer_start",
                            "adopt_combined_start"]]
    cm = cm[cm["month"].isin(months)].join(care.header[["DOB"]], on="CHILD")
    m = cm["month"]
    age = age_in_months(cm["DOB"], m)
    cohort = cm[(age < 192) & (cm["period_start"] <= add_months(m, -30))]
    cm2 = add_months(cohort["month"], -24)
    stable = (cohort["carer_start"] <= cm2) | (cohort["adopt_combined_start"] <= cm2)
    return _frame(months, cohort[stable].groupby("month").size(),
                  cohort.groupby("month").size())


# ------------------------------------------------------------------ reviews

def add_months(dates: pd.Series, n) -> pd.Series:
    """Same day n months later (the month's last day when it has no such day: 31 Aug + 6
    months = 28/29 Feb), vectorised."""
    d = dates.to_numpy(dtype="datetime64[D]")
    month = d.astype("datetime64[M]")
    day = (d - month.astype("datetime64[D]")).astype("int64")
    target = month + np.asarray(n).astype("timedelta64[M]")
    last = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D"))
    out = np.minimum(target.astype("datetime64[D]") + day.astype("timedelta64[D]"), last)
    return pd.Series(out, index=dates.index).astype("datetime64[us]")


@lru_cache(maxsize=8)
def _bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def add_working_days(start: pd.Series, n: int) -> pd.Series:
    """The n-th working day after `start` (the day after is day 1), skipping weekends and
    England and Wales bank holidays (`holidays`, GB subdivision ENG)."""
    s = start.to_numpy(dtype="datetime64[D]")
    if len(s) == 0:
        return pd.Series([], dtype="datetime64[us]", index=start.index)
    years = pd.DatetimeIndex(start.dropna())
    hol = _bank_holidays(int(years.year.min()), int(years.year.max()) + 1) if len(years) \
        else np.array([], dtype="datetime64[D]")
    ok = ~np.isnat(s)
    out = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[D]")
    out[ok] = np.busday_offset(s[ok], n, roll="backward", holidays=hol)
    return pd.Series(out, index=start.index).astype("datetime64[us]")


def first_review_due(care: Care, period_start: pd.Series) -> pd.Series:
    """`add_working_days(period_start, 20)`, worked out once per distinct start date."""
    starts = pd.Series(pd.unique(care.episodes["period_start"].dropna()),
                       dtype="datetime64[us]")
    due = add_working_days(starts, 20)
    pos = pd.DatetimeIndex(starts).get_indexer(period_start)
    out = due.to_numpy()[np.clip(pos, 0, None)] if len(due) else \
        np.full(len(pos), np.datetime64("NaT"), dtype="datetime64[us]")
    out = pd.Series(out, index=period_start.index)
    missing = pos < 0
    if missing.any():   # a start not among the episodes' (not expected): work it out
        out[missing] = add_working_days(period_start[missing], 20)
    return out


def review_schedule(care: Care) -> pd.DataFrame:
    """Reviews held in a period of care, each with the date the next one is due (reg 33:
    the second within 3 months of the first, later ones within 6 months). Reviews after the
    extract's last day are ignored."""
    if care.cache.get("reviews") is None:
        care.cache["reviews"] = _review_schedule(care)
    return care.cache["reviews"]


def _review_schedule(care: Care) -> pd.DataFrame:
    r = care.extract.reviews[["CHILD", "REVIEW", "REVIEW_CODE"]].dropna(subset=["REVIEW"])
    r = r[r["REVIEW"] <= pd.Timestamp(care.extract.last_day)]
    e = care.episodes
    g = e.groupby("period_id")
    periods = g.agg(CHILD=("CHILD", "first"), start=("DECOM", "min"), end=("DEC", "max"))
    periods.loc[e["DEC"].isna().groupby(e["period_id"]).any(), "end"] = pd.NaT
    periods = periods.reset_index().sort_values("start")
    r = r.sort_values("REVIEW")
    m = pd.merge_asof(r, periods[["CHILD", "start", "end", "period_id"]], left_on="REVIEW",
                      right_on="start", by="CHILD", direction="backward")
    m = m[m["period_id"].notna() & (m["end"].isna() | (m["REVIEW"] <= m["end"]))].copy()
    m["period_id"] = m["period_id"].astype("int64")
    m = m.sort_values(["period_id", "REVIEW"])
    m["n"] = m.groupby("period_id").cumcount() + 1
    m["next_due"] = add_months(m["REVIEW"], np.where(m["n"] == 1, 3, 6))
    return m[["CHILD", "period_id", "REVIEW", "REVIEW_CODE", "n", "next_due"]]


def review_status(care: Care) -> pd.DataFrame:
    """Per (month, CHILD) looked after at the month end whose first review was due by then:
    `period_id`, `due` (when the next review is due, as at the month end) and `up_to_date`
    (not overdue: a review due on the month end is not late)."""
    if care.cache.get("review_status") is None:
        cm = care.child_months[["month", "CHILD", "period_id", "period_start"]].copy()
        cm["first_due"] = first_review_due(care, cm["period_start"])
        cm = cm[cm["first_due"] <= cm["month"]]
        sched = review_schedule(care)
        cm = cm.sort_values("month")
        last = pd.merge_asof(cm, sched[["period_id", "REVIEW", "next_due"]]
                             .sort_values("REVIEW"), left_on="month", right_on="REVIEW",
                             by="period_id", direction="backward")
        last["due"] = last["next_due"].fillna(last["first_due"])
        last["up_to_date"] = last["due"] >= last["month"]
        care.cache["review_status"] = last[["month", "CHILD", "period_id", "due",
                                            "up_to_date"]]
    return care.cache["review_status"]


def reviews_up_to_date(care: Care) -> pd.DataFrame:
    """Children looked after at month end whose first review was due by then: % with no
    review overdue (first within 20 working days of the period starting, the second within
    3 months of the first, then every 6 months). A review due on the month end is not late."""
    last = review_status(care)
    ok = last[last["up_to_date"]]
    return _frame(care.months, ok.groupby("month").size(), last.groupby("month").size())


def late_reviews(care: Care) -> pd.DataFrame:
    """Reviews held after the day they were due: the first more than 20 working days after
    the period of care started, the second more than 3 months after the first, later ones
    more than 6 months after the one before. Columns CHILD, period_id, REVIEW, due."""
    sched = review_schedule(care)
    starts = care.episodes.groupby("period_id")["period_start"].first()
    first_due = first_review_due(care, sched["period_id"].map(starts))
    due = sched.groupby("period_id")["next_due"].shift(1).where(sched["n"] > 1, first_due)
    late = sched.assign(due=due)
    return late[late["REVIEW"] > late["due"]][["CHILD", "period_id", "REVIEW", "due"]]


def reviews_on_time_12m(care: Care) -> pd.DataFrame:
    """Reviews on time over the rolling 12 months (reference: "on time over the rolling 12
    months"): of the children looked after at the month end whose first review was due by
    then, % for whom every review held in the 12 months ending then, in this period of care,
    was held by its due date, and none is overdue at the month end."""
    months = rolling_months(care)
    status = review_status(care)
    status = status[status["month"].isin(months)]
    late = late_reviews(care)
    x = expand_months(late["REVIEW"], window_stop(late["REVIEW"]), pd.DatetimeIndex(months))
    flagged = pd.DataFrame({"month": x["month"].to_numpy(),
                            "period_id": late["period_id"].to_numpy()[x["row"].to_numpy()],
                            "late_in_window": True}).drop_duplicates()
    m = status.merge(flagged, on=["month", "period_id"], how="left")
    ok = m[m["up_to_date"] & m["late_in_window"].isna()]
    return _frame(months, ok.groupby("month").size(), m.groupby("month").size())


def review_participation(care: Care) -> pd.DataFrame:
    """Reviews held since 1 April (financial year to date): % where the child attended or
    gave views (PN1-PN6); reviews of children under 4 (PN0) are left out."""
    r = review_schedule(care)
    r = r[r["REVIEW_CODE"] != "PN0"]
    months = care.months
    fy_start = pd.Series(periods.financial_year_starts(pd.Series(months)).to_numpy(),
                         index=months)
    dates = r["REVIEW"].to_numpy(dtype="datetime64[us]")
    order = np.argsort(dates)
    dates = dates[order]
    took_part = r["REVIEW_CODE"].isin(PARTICIPATED).to_numpy()[order].cumsum()
    took_part = np.concatenate([[0], took_part])
    lo = np.searchsorted(dates, fy_start.to_numpy(dtype="datetime64[us]"), side="left")
    hi = np.searchsorted(dates, months.to_numpy(dtype="datetime64[us]"), side="right")
    return _frame(months, pd.Series(took_part[hi] - took_part[lo], index=months),
                  pd.Series(hi - lo, index=months), reason_if_empty="no reviews held since 1 April")


# ------------------------------------------------------------------ asylum, missing, social workers

def uasc_at(care: Care) -> pd.DataFrame:
    """(month, CHILD) looked after at month end with a UASC row and DUC blank or later."""
    u = care.extract.uasc[["CHILD", "DUC"]].drop_duplicates("CHILD", keep="last")
    cm = care.child_months[["month", "CHILD", "cid"]]
    cm = cm[cm["CHILD"].isin(u["CHILD"])].merge(u, on="CHILD")
    return cm[cm["DUC"].isna() | (cm["DUC"] > cm["month"])]


def uasc_number(care: Care) -> pd.DataFrame:
    u = uasc_at(care)
    return _count(care.months, children_per_month(u["month"], u["cid"]))


def asylum_pct(care: Care) -> pd.DataFrame:
    """% of children looked after at month end who are unaccompanied asylum seekers (the 903
    records UASC only: accompanied asylum seekers cannot be counted from it)."""
    cm = care.child_months
    u = uasc_at(care)
    return _frame(care.months, children_per_month(u["month"], u["cid"]),
                  children_per_month(cm["month"], cm["cid"]))


def missing_12m(care: Care) -> pd.DataFrame:
    """Of children looked after at any time in the 12 months ending the month (short breaks
    left out), % with a missing incident (MISSING M; A = away is not counted) starting then."""
    months = rolling_months(care)
    e = care.episodes[~care.episodes["short_break"]]
    # An episode overlaps the window ending m when DECOM <= m and DEC >= m - 12 months + 1d.
    x = expand_months(e["DECOM"], window_stop(e["DEC"]), pd.DatetimeIndex(months))
    den = children_per_month(x["month"], e["cid"].to_numpy()[x["row"].to_numpy()])
    mis = care.extract.missing
    ev = mis[mis["MISSING"] == "M"][["CHILD", "MIS_START"]].rename(columns={"MIS_START": "date"})
    ev = ev[ev["CHILD"].isin(e["CHILD"].unique())]
    return _frame(months, _rolling_children(care, ev.reset_index(drop=True), months), den)


def sw_3plus(care: Care) -> pd.DataFrame | None:
    """Of children looked after at month end, % with 3+ different social workers (SW_ID) in
    the 12 months ending then; None when no sw_episodes table was given."""
    sw = care.extract.sw_episodes
    if sw is None:
        return None
    months = rolling_months(care)
    stop = window_stop(sw["SW_DEC"]) if "SW_DEC" in sw else \
        pd.Series(pd.NaT, index=sw.index, dtype="datetime64[us]")
    x = expand_months(sw["SW_DECOM"], stop, pd.DatetimeIndex(months))
    x["CHILD"] = sw["CHILD"].to_numpy()[x["row"].to_numpy()]
    x["SW_ID"] = sw["SW_ID"].to_numpy()[x["row"].to_numpy()]
    n = x.groupby(["month", "CHILD"])["SW_ID"].nunique().rename("workers").reset_index()
    cm = care.child_months[["month", "CHILD"]]
    cm = cm[cm["month"].isin(months)]
    cm = cm.merge(n, on=["month", "CHILD"], how="left")
    return _frame(months, cm[cm["workers"].fillna(0) >= 3].groupby("month").size(),
                  cm.groupby("month").size())


# ------------------------------------------------------------------ annual OC2 / OC3

def oc2_cohort(care: Care, year_end: date) -> pd.DataFrame:
    """Children looked after continuously for 12 months at 31 March, with no short break in
    the year, joined to that year's OC2 rows (`has_row` False when a child has none)."""
    ye = pd.Timestamp(year_end)
    if ("oc2", ye) not in care.cache:
        care.cache[("oc2", ye)] = _oc2_cohort(care, ye)
    return care.cache[("oc2", ye)]


def _oc2_cohort(care: Care, ye: pd.Timestamp) -> pd.DataFrame:
    cm = care.child_months[["month", "CHILD", "period_start"]]
    cm = cm[cm["month"] == ye]
    cohort = cm[cm["period_start"] <= ye - pd.DateOffset(years=1)]
    e = care.episodes
    sb = e[e["short_break"] & (e["DECOM"] <= ye) &
           (e["DEC"].isna() | (e["DEC"] >= ye - pd.DateOffset(years=1)))]["CHILD"]
    cohort = cohort[~cohort["CHILD"].isin(set(sb))][["CHILD"]].drop_duplicates()
    oc2 = care.extract.oc2
    rows = oc2[oc2["YEAR_END"] == ye].drop_duplicates("CHILD", keep="last")
    out = cohort.merge(rows, on="CHILD", how="left", indicator=True)
    out["has_row"] = out["_merge"] == "both"
    return out.drop(columns="_merge")


def oc2_pct(care: Care, year_end: date, column: str) -> tuple[float, float, float]:
    """(value, numerator, denominator): % of the OC2 cohort with `column` = 1, of the cohort
    children who have an OC2 row (those without one are listed in the data-quality report)."""
    c = oc2_cohort(care, year_end)
    c = c[c["has_row"]]
    den = float(len(c))
    num = float((c[column] == "1").sum())
    return (100.0 * num / den if den else np.nan), num, den


OC3_LEFT_OUT_IN_TOUCH = {"DIED": "died", "RHOM": "returned home to parents for 6 months or more"}


def oc3_leavers(care: Care, year_end: date) -> pd.DataFrame:
    """That year's OC3 rows for care leavers whose 17th to 21st birthday fell in the year
    (aged 17-21 at 31 March), each with `left_out`: why DfE leaves the young person out of
    the care-leaver figures, or missing when they count. DfE leaves out those who died
    (DIED), returned home to parents for 6+ months (RHOM), whose care was transferred to
    another local authority (their last episode ended E3), and those looked after under an
    agreed series of short breaks when they left care (their last episode V3/V4, which covers
    children only ever looked after for short breaks). Care leavers with no episode in the
    extract (in care before the first file) are kept."""
    ye = pd.Timestamp(year_end)
    if ("oc3", ye) not in care.cache:
        care.cache[("oc3", ye)] = _oc3_leavers(care, ye)
    return care.cache[("oc3", ye)]


def _oc3_leavers(care: Care, year_end: pd.Timestamp) -> pd.DataFrame:
    oc3 = care.extract.oc3
    rows = oc3[oc3["YEAR_END"] == pd.Timestamp(year_end)].drop_duplicates("CHILD", keep="last")
    age = age_in_months(rows["DOB"], pd.Series(pd.Timestamp(year_end), index=rows.index)) // 12
    rows = rows[(age >= 17) & (age <= 21)].copy()
    e = care.episodes[["CHILD", "LS", "REC"]]
    last = e[e["CHILD"].isin(rows["CHILD"].unique())] \
        .drop_duplicates("CHILD", keep="last").set_index("CHILD")  # sorted by DECOM
    last_ls = rows["CHILD"].map(last["LS"]) if len(last) else pd.Series(None, index=rows.index)
    last_rec = rows["CHILD"].map(last["REC"]) if len(last) else pd.Series(None, index=rows.index)
    left_out = rows["IN_TOUCH"].map(OC3_LEFT_OUT_IN_TOUCH).astype("object")
    left_out = left_out.where(left_out.notna(), pd.Series(np.where(
        last_rec.eq("E3").fillna(False).to_numpy(dtype=bool),
        "care transferred to another local authority (last episode ended E3)", None),
        index=rows.index, dtype="object"))
    left_out = left_out.where(left_out.notna(), pd.Series(np.where(
        last_ls.isin(SHORT_BREAK_LS).to_numpy(dtype=bool),
        "looked after under an agreed series of short breaks when leaving care (last "
        "episode V3/V4)", None), index=rows.index, dtype="object"))
    rows["left_out"] = left_out
    return rows


def oc3_cohort(care: Care, year_end: date) -> pd.DataFrame:
    """Care leavers whose 17th to 21st birthday fell in the year, less those DfE leaves out
    (see `oc3_leavers`)."""
    rows = oc3_leavers(care, year_end)
    return rows[rows["left_out"].isna()].drop(columns="left_out")


def oc3_eet(care: Care, year_end: date) -> tuple[float, float, float]:
    """% in education, employment or training (ACTIV F1-F5 or P1-P5); not in touch and no
    information stay in the denominator."""
    c = oc3_cohort(care, year_end)
    num = float(c["ACTIV"].fillna("").str.upper().str.match(EET_ACTIV).sum())
    den = float(len(c))
    return (100.0 * num / den if den else np.nan), num, den


def oc3_suitable(care: Care, year_end: date) -> tuple[float, float, float]:
    """% in suitable accommodation (ACCOM letter + 1)."""
    c = oc3_cohort(care, year_end)
    num = float(c["ACCOM"].fillna("").str.upper().str.match(r"^[A-Z]1$").sum())
    den = float(len(c))
    return (100.0 * num / den if den else np.nan), num, den
