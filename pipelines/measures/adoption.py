"""A1, A2 and A10 (the DfE adoption scorecard) from the adoption team's child-level records.

Pure functions: a raw table (as `pipelines.sources.readers.read_table` returns it) goes in, checked
children, per-child waits, the scorecard and canonical monthly indicator rows come out.
Definitions: ../shared/reference/indicators.md, "Adoption scorecard definitions".
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

import pandas as pd

from pipelines.core.canonical import COLUMNS
from pipelines.core.canonical import frame as canonical_frame
from pipelines.core.periods import financial_year_label, financial_year_start, month_label
from pipelines.core.problems import Problem

ADOPTION_COLUMNS = [
    "child_id",
    "date_of_birth",
    "date_entered_care",
    "date_placement_order",
    "date_matched",
    "date_placed_for_adoption",
    "adopted_by_foster_carers",
    "date_moved_in_with_foster_carers",
    "date_adoption_order",
]

DATE_COLUMNS = [c for c in ADOPTION_COLUMNS if c.startswith("date_")]

# Other spellings seen in adoption trackers, written snake-cased (see `snake_case`).
COLUMN_SYNONYMS: dict[str, str] = {
    **{s: "child_id" for s in [
        "child_id", "childid", "child", "id", "child_ref", "child_reference", "child_no",
        "child_number", "pseudo_id", "pseudonymous_id", "pseudonymised_id", "lac_id",
        "person_id", "child_identifier",
    ]},
    **{s: "date_of_birth" for s in [
        "date_of_birth", "dob", "d_o_b", "birth_date", "birthdate", "child_dob",
    ]},
    **{s: "date_entered_care" for s in [
        "date_entered_care", "lac_start_date", "date_became_lac", "date_became_looked_after",
        "date_entered_lac", "entered_care", "date_of_entry_into_care", "date_entered_into_care",
        "date_child_entered_care", "care_start_date", "date_started_care",
        "date_started_to_be_looked_after", "start_of_care", "period_of_care_start",
        "poc_start_date", "date_looked_after", "date_lac",
    ]},
    **{s: "date_placement_order" for s in [
        "date_placement_order", "placement_order_granted", "date_placement_order_granted",
        "placement_order_date", "date_of_placement_order", "po_date", "date_po",
        "placement_order", "date_court_authority_to_place", "court_authority_to_place",
        "date_authority_to_place", "date_of_authority_to_place",
        "date_la_received_court_authority_to_place", "date_sho", "sho_date",
    ]},
    **{s: "date_matched" for s in [
        "date_matched", "matched_date", "match_date", "date_of_match", "date_of_matching",
        "date_matched_with_adopters", "date_matched_to_adopters",
        "date_matched_with_adoptive_family", "date_match_agreed", "date_match_decision",
        "matching_date",
    ]},
    **{s: "date_placed_for_adoption" for s in [
        "date_placed_for_adoption", "date_placed", "placed_for_adoption_date",
        "date_of_placement_for_adoption", "adoption_placement_date",
        "date_placed_with_adopters", "date_moved_in_with_adopters",
        "date_moved_in_with_adoptive_family", "date_placed_with_adoptive_family",
        "placement_date",
    ]},
    **{s: "adopted_by_foster_carers" for s in [
        "adopted_by_foster_carers", "adopted_by_foster_carer", "foster_carer_adoption",
        "foster_carers_adoption", "adopted_by_own_foster_carers", "adopted_by_carers",
        "fc_adoption", "adopted_by_fc", "foster_carer_adopter",
    ]},
    **{s: "date_moved_in_with_foster_carers" for s in [
        "date_moved_in_with_foster_carers", "date_moved_in_with_foster_carer",
        "date_placed_with_foster_carers", "date_placed_with_foster_carer",
        "date_moved_in_with_carers", "date_moved_in_with_carer", "foster_placement_start",
        "foster_placement_start_date", "date_fostered", "date_moved_to_foster_carers",
    ]},
    **{s: "date_adoption_order" for s in [
        "date_adoption_order", "adoption_order_date", "date_of_adoption_order",
        "adoption_order_granted", "date_adoption_order_granted", "adoption_order",
        "date_adopted", "adoption_date", "date_of_adoption",
    ]},
}

# Without these the averages cannot be computed (date of birth is context only).
REQUIRED_COLUMNS = [c for c in ADOPTION_COLUMNS if c != "date_of_birth"]

DEFAULT_THRESHOLDS = {"A1": 426, "A10": 426, "A2": 121}

_DATE_FORMATS = [
    "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d",
    "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
    "%d-%b-%Y", "%d %b %Y", "%d-%B-%Y", "%d %B %Y", "%d-%b-%y", "%d %b %y",
]
_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}

_LABELS = {
    "date_of_birth": "was born",
    "date_entered_care": "entered care",
    "date_placement_order": "had the placement order",
    "date_matched": "was matched",
    "date_placed_for_adoption": "was placed for adoption",
    "date_moved_in_with_foster_carers": "moved in with the foster carers",
    "date_adoption_order": "had the adoption order",
}

# (later, earlier): the later date may not come before the earlier one.
_ORDER_RULES = [
    ("date_entered_care", "date_of_birth"),
    ("date_placement_order", "date_entered_care"),
    ("date_matched", "date_entered_care"),
    ("date_placed_for_adoption", "date_entered_care"),
    ("date_moved_in_with_foster_carers", "date_entered_care"),
    ("date_adoption_order", "date_placed_for_adoption"),
    ("date_adoption_order", "date_placement_order"),
]


def snake_case(name) -> str:
    text = str(name).strip().lower().replace("(s)", "s")
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def _column_map(columns) -> dict[str, str]:
    """Canonical name -> original header, first header wins."""
    found: dict[str, str] = {}
    for col in columns:
        if col == "__row__":
            continue
        canon = COLUMN_SYNONYMS.get(snake_case(col))
        if canon and canon not in found:
            found[canon] = col
    return found


def is_adoption_table(columns) -> bool:
    """True when the headers name the adoption records (child, care start, placement, order)."""
    found = _column_map(columns)
    return all(c in found for c in
               ["child_id", "date_entered_care", "date_placed_for_adoption", "date_adoption_order"])


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        value is pd.NA or str(value).strip() == ""


def parse_date(text) -> date | None:
    """ISO, UK day-first (31/01/2018) or 31-Jan-2018; None when it is none of those."""
    s = str(text).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def round_days(x: float) -> int:
    """Whole days, halves up (612.5 -> 613), as the scorecard publishes them."""
    return int(math.floor(x + 0.5))


def parse_children(raw: pd.DataFrame, *, file_name: str, today: date | None = None):
    """Raw adoption records -> (children, problems).

    `children` holds one row per child (ADOPTION_COLUMNS plus `source_row`), dates as
    datetime64, the foster-carer flag as bool. Rows with an error are left out of it; the
    caller refuses the file when any problem is an error.
    """
    today = today or date.today()
    problems: list[Problem] = []
    cols = _column_map(raw.columns)

    def problem(row, canon, value, expected, message, severity="error"):
        problems.append(Problem(file=file_name, row=row, column=cols.get(canon, canon),
                                value="" if _blank(value) else str(value),
                                expected=expected, severity=severity,
                                message=f"{file_name}, row {row}, column '{cols.get(canon, canon)}': "
                                        f"{message}"))

    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        for c in missing:
            problems.append(Problem(
                file=file_name, row=None, column=c, value="", expected=f"a column '{c}'",
                severity="error",
                message=f"{file_name}: no column for '{c}' (the adoption template's columns are "
                        f"{', '.join(ADOPTION_COLUMNS)})."))
        return _empty_children(), problems

    records = []
    for _, rec in raw.iterrows():
        row = int(rec["__row__"])
        cells = {c: rec[cols[c]] if c in cols else None for c in ADOPTION_COLUMNS}
        if all(_blank(v) for v in cells.values()):
            continue  # trailing empty spreadsheet rows
        ok = True
        child = "" if _blank(cells["child_id"]) else str(cells["child_id"]).strip()
        who = f"child {child}" if child else "this child"
        if not child:
            problem(row, "child_id", "", "a child id", "the child id is missing; every row needs "
                    "the child's (pseudonymous) id.")
            ok = False

        out = {"child_id": child, "source_row": row}
        for c in DATE_COLUMNS:
            v = cells[c]
            if _blank(v):
                out[c] = None
                continue
            d = parse_date(v)
            if d is None:
                problem(row, c, v, "a date such as 2018-01-31, 31/01/2018 or 31-Jan-2018",
                        f"'{v}' for {who} is not a date we can read; expected a date such as "
                        f"2018-01-31, 31/01/2018 or 31-Jan-2018.")
                ok = False
            elif d > today:
                problem(row, c, v, f"a date on or before today ({today.isoformat()})",
                        f"{who} {_LABELS[c]} on {d.isoformat()}, which is in the future; "
                        f"expected a date on or before {today.isoformat()}.")
                ok = False
                d = None
            out[c] = d

        flag = cells["adopted_by_foster_carers"]
        if _blank(flag):
            out["adopted_by_foster_carers"] = False  # the template's Y/N left blank means no
        elif str(flag).strip().lower() in _YES:
            out["adopted_by_foster_carers"] = True
        elif str(flag).strip().lower() in _NO:
            out["adopted_by_foster_carers"] = False
        else:
            problem(row, "adopted_by_foster_carers", flag, "Y or N",
                    f"'{flag}' for {who} is not Y or N (Yes/No/TRUE/FALSE also load).")
            ok = False
            out["adopted_by_foster_carers"] = False

        if _blank(cells["date_entered_care"]):
            problem(row, "date_entered_care", "", "the date the child entered care",
                    f"the date {who} entered care is missing; it is needed for A1, A10 and "
                    f"the days waiting.")
            ok = False
        if out["date_adoption_order"] is not None and out["date_placed_for_adoption"] is None \
                and _blank(cells["date_placed_for_adoption"]):
            problem(row, "date_placed_for_adoption", "", "the date placed for adoption",
                    f"{who} has an adoption order but no date placed for adoption; A1 needs it.")
            ok = False
        if out["adopted_by_foster_carers"] and out["date_moved_in_with_foster_carers"] is None \
                and _blank(cells["date_moved_in_with_foster_carers"]):
            problem(row, "date_moved_in_with_foster_carers", "",
                    "the date the child moved in with the foster carers",
                    f"{who} was adopted by their foster carers but the date they moved in with "
                    f"them is missing; A10 needs it.")
            ok = False
        if not out["adopted_by_foster_carers"] and out["date_moved_in_with_foster_carers"]:
            problem(row, "date_moved_in_with_foster_carers",
                    cells["date_moved_in_with_foster_carers"], "blank unless adopted by foster carers",
                    f"{who} has a date moved in with foster carers but is not marked as adopted by "
                    f"them; the date is not used (A10 = A1 for this child).", severity="warning")

        for later, earlier in _ORDER_RULES:
            a, b = out[later], out[earlier]
            if a is not None and b is not None and a < b:
                problem(row, later, cells[later], f"a date on or after {b.isoformat()}",
                        f"{who} {_LABELS[later]} on {a.isoformat()}, before they "
                        f"{_LABELS[earlier]} on {b.isoformat()}; expected a date on or after "
                        f"{b.isoformat()}.")
                ok = False

        out["_ok"] = ok
        records.append(out)

    records = _drop_repeats(records, problem)
    kept = [r for r in records if r["_ok"]]
    children = pd.DataFrame(kept, columns=ADOPTION_COLUMNS + ["source_row"]) if kept \
        else _empty_children()
    return _typed(children), problems


def _drop_repeats(records, problem):
    """Identical repeats of a child are dropped; differing repeats are refused."""
    first: dict[str, dict] = {}
    out = []
    compare = DATE_COLUMNS + ["adopted_by_foster_carers"]
    for r in records:
        cid = r["child_id"]
        if not cid:
            out.append(r)
            continue
        if cid not in first:
            first[cid] = r
            out.append(r)
            continue
        f = first[cid]
        diffs = [c for c in compare if f[c] != r[c]]
        if not diffs:
            continue
        for c in diffs:
            shown = r[c].isoformat() if isinstance(r[c], date) else str(r[c])
            before = f[c].isoformat() if isinstance(f[c], date) else str(f[c])
            problem(r["source_row"], c, shown, f"the same as row {f['source_row']} ({before})",
                    f"child {cid} appears again (first at row {f['source_row']}) with a "
                    f"different value: {shown} here, {before} there; keep one row per child.")
        f["_ok"] = False
        r["_ok"] = False
        out.append(r)
    return out


def _empty_children() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in ADOPTION_COLUMNS + ["source_row"]})


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["child_id"] = df["child_id"].astype("str")
    for c in DATE_COLUMNS:
        df[c] = pd.to_datetime(df[c]).astype("datetime64[us]")
    df["adopted_by_foster_carers"] = df["adopted_by_foster_carers"].astype("bool")
    df["source_row"] = df["source_row"].astype("int64")
    return df.reset_index(drop=True)


def _days(end: pd.Series, start: pd.Series) -> pd.Series:
    return (end - start).dt.days.astype("float64")


def child_days(children: pd.DataFrame) -> pd.DataFrame:
    """Add each child's own waits: a1_days, a10_days, a2_days and adoption_fy."""
    df = children.copy()
    df["a1_days"] = _days(df["date_placed_for_adoption"], df["date_entered_care"])
    # A10 stops the clock when a foster-carer adopter first took the child in.
    a10_end = df["date_placed_for_adoption"].where(
        ~df["adopted_by_foster_carers"], df["date_moved_in_with_foster_carers"])
    df["a10_days"] = _days(a10_end, df["date_entered_care"])
    # Matched before the court's authority counts as 0 days; no order, no A2.
    df["a2_days"] = _days(df["date_matched"], df["date_placement_order"]).clip(lower=0)
    df["adoption_fy"] = pd.Series(
        [financial_year_label(d) if pd.notna(d) else pd.NA for d in df["date_adoption_order"]],
        index=df.index, dtype="str")
    return df


def _to_date(d) -> date:
    return pd.Timestamp(d).date()


def _windows(as_at: date) -> dict[str, tuple[str, date, date]]:
    """Name -> (label, first day, last day) of each scorecard window as at a date."""
    fy = financial_year_start(as_at)

    def back(years):
        return date(fy.year - years, 4, 1)

    def span(first, last_start):
        return f"{financial_year_label(first)} to {financial_year_label(last_start)}"

    return {
        "three_year": (span(back(2), fy), back(2), as_at),
        "previous_three_year": (span(back(5), back(3)), back(5), back(2) - timedelta(days=1)),
        "single_year": (financial_year_label(back(1)), back(1), fy - timedelta(days=1)),
        "year_to_date": (financial_year_label(fy), fy, as_at),
    }


def _summary(waits: pd.Series, threshold: int) -> dict:
    waits = waits.dropna()
    n = int(len(waits))
    within = int((waits <= threshold).sum())
    return {
        "n": n,
        "days": round_days(waits.sum() / n) if n else None,
        "total_days": float(waits.sum()) if n else None,
        "n_within": within,
        "pct_within": 100.0 * within / n if n else None,
    }


_MEASURES = {"A1": "a1_days", "A2": "a2_days", "A10": "a10_days"}


def _adopted_between(df: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    order = df["date_adoption_order"]
    return df[(order >= pd.Timestamp(first)) & (order <= pd.Timestamp(last))]


def catalogue_thresholds(catalogue):
    """A `thresholds` callable: financial year label -> {measure: days} from the catalogue's
    targets (`targets_by_year` first, e.g. the 428 days the 2018 report printed)."""
    def for_year(fy_label: str) -> dict:
        out = {}
        for measure, code in THRESHOLD_CODES.items():
            if code in catalogue:
                t = catalogue.get(code).target_for(fy_label)
                if t is not None:
                    out[measure] = t
        return out
    return for_year


def thresholds_for(thresholds, as_at) -> dict:
    """The thresholds in force in as_at's financial year, defaults filled in.

    `thresholds` is None, {measure: days}, {measure: {fy_label: days}} or a callable
    fy_label -> {measure: days} (see `catalogue_thresholds`).
    """
    fy = financial_year_label(_to_date(as_at))
    given = thresholds(fy) if callable(thresholds) else (thresholds or {})
    out = dict(DEFAULT_THRESHOLDS)
    for measure, t in given.items():
        if isinstance(t, dict):
            t = t.get(fy)
        if t is not None:
            out[measure] = round_days(float(t))
    return out


def scorecard(children: pd.DataFrame, as_at, thresholds=None) -> dict:
    """The scorecard as the board reads it, as at a date.

    For each of A1, A2, A10: `threshold`, and windows `three_year` (current financial year to
    date and the two before), `previous_three_year` (the three years before that),
    `single_year` (last completed year) and `year_to_date`, each with `label`, `start`, `end`,
    `days` (child-weighted mean, whole days; None when no child), `n`, `n_within`,
    `pct_within`; also `pct_within` by window name. `thresholds`: see `thresholds_for`; the
    threshold of as_at's financial year applies to every window, as the report prints one.
    """
    as_at = _to_date(as_at)
    thresholds = thresholds_for(thresholds, as_at)
    df = children if "a1_days" in children.columns else child_days(children)
    result: dict = {"as_at": as_at}
    for measure, col in _MEASURES.items():
        out: dict = {"threshold": thresholds[measure]}
        for name, (label, first, last) in _windows(as_at).items():
            waits = _adopted_between(df, first, last)[col]
            out[name] = {"label": label, "start": first, "end": last,
                         **_summary(waits, thresholds[measure])}
        out["pct_within"] = {name: out[name]["pct_within"] for name in _windows(as_at)}
        result[measure] = out
    return result


CANONICAL_COLUMNS = COLUMNS  # the canonical frame's columns (pipelines.core.canonical)

_NO_CHILDREN = "no children adopted in the period"

# How each figure is made: indicator code -> (measure, window, figure). Which of them are
# loaded is the catalogue's to say (`computed: adoption`); see `monthly_indicators`.
RECIPES = {
    "A1_DAYS_3YR": ("A1", "three_year", "days"),
    "A1_DAYS_1YR": ("A1", "year_to_date", "days"),
    "A1_WITHIN_PCT": ("A1", "year_to_date", "pct"),
    "A2_DAYS_3YR": ("A2", "three_year", "days"),
    "A2_DAYS_1YR": ("A2", "year_to_date", "days"),
    "A10_DAYS_3YR": ("A10", "three_year", "days"),
    "A10_DAYS_1YR": ("A10", "year_to_date", "days"),
    "ADOPTIONS_NUMBER": ("A1", "year_to_date", "count"),  # orders so far this year
}
# The catalogue indicator whose target is each measure's threshold: its three-year average.
THRESHOLD_CODES = {m: c for c, (m, w, f) in RECIPES.items() if w == "three_year" and f == "days"}
# (code, measure, window, figure) of the averages and percentages, as other feeds read them.
_INDICATORS = [(c, *r) for c, r in RECIPES.items() if r[2] != "count"]


def computed_codes(catalogue) -> list[str]:
    """The catalogue's indicators computed from adoption records (each must have a recipe)."""
    codes = [i.code for i in catalogue if i.computed == "adoption"]
    unknown = [c for c in codes if c not in RECIPES]
    if unknown:
        raise ValueError(f"the catalogue marks {', '.join(unknown)} as computed from adoption "
                         f"records, but there is no recipe for them here (known: {', '.join(RECIPES)})")
    return codes


def monthly_indicators(children: pd.DataFrame, area_code: str, months,
                       thresholds=None, codes=None) -> pd.DataFrame:
    """Canonical long rows for the adoption indicators, one set per month end.

    `codes`: the indicators to make (``computed_codes(catalogue)``; default every recipe).

    The single-year (_1YR) and % within figures are the financial year to date, as the report's
    "Single year performance (2017-18 as at 31 May)". `thresholds`: see `thresholds_for`
    (each month uses its own financial year's threshold).
    """
    df = children if "a1_days" in children.columns else child_days(children)
    recipes = list(RECIPES) if codes is None else list(codes)
    rows = []
    for m in months:
        as_at = _to_date(m)
        card = scorecard(df, as_at, thresholds)
        base = {"area_code": area_code, "period_start": pd.Timestamp(as_at.replace(day=1)),
                "period_end": pd.Timestamp(as_at), "period_label": month_label(as_at),
                "period_type": "month", "breakdown": "", "status": "final",
                "source_row": pd.NA, "source_column": ""}
        for code in recipes:
            measure, window, figure = RECIPES[code]
            w = card[measure][window]
            if figure == "count":  # zero adoptions so far this year is a true zero
                rows.append({**base, "indicator_code": code, "value": float(w["n"]),
                             "numerator": math.nan, "denominator": math.nan,
                             "missing_reason": pd.NA})
                continue
            if w["n"] == 0:
                value, num, reason = math.nan, math.nan, _NO_CHILDREN
            elif figure == "days":
                value, num, reason = float(w["days"]), w["total_days"], pd.NA
            else:
                value, num, reason = w["pct_within"], float(w["n_within"]), pd.NA
            rows.append({**base, "indicator_code": code, "value": value, "numerator": num,
                         "denominator": float(w["n"]), "missing_reason": reason})
    return canonical_frame(rows)


def children_waiting(children: pd.DataFrame, as_at) -> pd.DataFrame:
    """Children in care (or with a placement order) but not adopted as at a date, longest first.

    Columns: child_id, date_entered_care, date_placement_order, date_matched,
    date_placed_for_adoption, stage, days_waiting (since entering care),
    days_since_placement_order.
    """
    as_at_ts = pd.Timestamp(_to_date(as_at))
    df = children
    started = (df["date_entered_care"] <= as_at_ts) | (df["date_placement_order"] <= as_at_ts)
    not_adopted = df["date_adoption_order"].isna() | (df["date_adoption_order"] > as_at_ts)
    w = df[started & not_adopted].copy()

    # Only what had happened by as_at counts towards the stage reached.
    def by(col):
        return w[col].notna() & (w[col] <= as_at_ts)

    stage = pd.Series("in care", index=w.index, dtype="str")
    stage = stage.mask(by("date_placement_order"), "placement order")
    stage = stage.mask(by("date_matched"), "matched")
    stage = stage.mask(by("date_placed_for_adoption"), "placed for adoption")
    w["stage"] = stage
    w["days_waiting"] = _days(pd.Series(as_at_ts, index=w.index), w["date_entered_care"])
    po = w["date_placement_order"].where(by("date_placement_order"))
    w["days_since_placement_order"] = _days(pd.Series(as_at_ts, index=w.index), po)
    cols = ["child_id", "date_entered_care", "date_placement_order", "date_matched",
            "date_placed_for_adoption", "stage", "days_waiting", "days_since_placement_order"]
    return w[cols].sort_values("days_waiting", ascending=False, na_position="last") \
        .reset_index(drop=True)
