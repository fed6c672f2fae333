"""SSDA903 (children looked after return) child-level tables: recognise, read, check,
pseudonymise and stitch several collection years into one history.

Pure: raw tables (as `pipelines.sources.readers.read_table` returns them) go in; an
`Extract` (one frame per table, children pseudonymised) plus a list of `Problem`s (structural
errors refuse the upload) and a data-quality list (repairs and gaps, which warn and load)
come out. Definitions: ../shared/reference/ssda903.md. Indicators are computed from the
`Extract` by `pipelines.measures.ssda903`.

Privacy: CHILD is replaced at load by a keyed hash (HMAC-SHA256, key from the environment
`LACDASH_PSEUDONYM_KEY` or the config's `[ssda903] key` / `key_file`, never stored with the
data); dates of birth are kept to the month (the 1st); postcodes (HOME_POST, PL_POST), UPN
and the mother's details are dropped.
"""
from __future__ import annotations

import hmac
import io
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.core import periods
from pipelines.core.ssda903 import (ACCOM_RE, ACTIV_RE, CODES, QUALITY_COLUMNS,  # noqa: F401
                                    Extract, year_end_on_or_after, year_label)
from pipelines.sources.readers import ROW, _decode, read_table
from pipelines.sources.validate import Problem

# ------------------------------------------------------------------ tables and codes

# table -> (columns that identify it, columns it must have, date columns)
TABLES: dict[str, tuple[set, list, list]] = {
    "episodes": ({"DECOM", "RNE", "LS", "PLACE"},
                 ["CHILD", "DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "DEC", "REC"],
                 ["DECOM", "DEC"]),
    "uasc": ({"DUC"}, ["CHILD", "DUC"], ["DUC"]),
    "header": ({"SEX", "DOB", "ETHNIC"}, ["CHILD", "SEX", "DOB", "ETHNIC"], ["DOB"]),
    "reviews": ({"REVIEW", "REVIEW_CODE"}, ["CHILD", "REVIEW", "REVIEW_CODE"], ["REVIEW"]),
    "missing": ({"MIS_START"}, ["CHILD", "MISSING", "MIS_START"], ["MIS_START", "MIS_END"]),
    "oc2": ({"HEALTH_ASSESSMENT", "TEETH_CHECK"},
            ["CHILD", "HEALTH_ASSESSMENT", "TEETH_CHECK", "IMMUNISATIONS"], []),
    "oc3": ({"IN_TOUCH", "ACCOM"}, ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"], ["DOB"]),
    "ad1": ({"DATE_INT", "DATE_MATCH"}, ["CHILD", "DATE_INT", "DATE_MATCH", "FOSTER_CARE"],
            ["DATE_INT", "DATE_MATCH"]),
    "placed_for_adoption": ({"DATE_PLACED"}, ["CHILD", "DATE_PLACED"],
                            ["DATE_PLACED", "DATE_PLACED_CEASED"]),
    "previous_permanence": ({"PREV_PERM"}, ["CHILD", "PREV_PERM"], []),
    "sw_episodes": ({"SW_ID", "SW_DECOM"}, ["CHILD", "SW_ID", "SW_DECOM"],
                    ["SW_DECOM", "SW_DEC"]),
}
# Dates that place a table in its collection year (the latest one decides).
YEAR_DATES = {"episodes": ["DECOM"], "reviews": ["REVIEW"], "missing": ["MIS_START"],
              "ad1": ["DATE_INT", "DATE_MATCH"], "placed_for_adoption": ["DATE_PLACED"],
              "sw_episodes": ["SW_DECOM"]}
DROPPED = ["HOME_POST", "PL_POST", "UPN", "MOTHER", "MC_DOB"]

_DATE_RE_UK = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_DATE_RE_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?\s*$")


def read_raw(data: bytes, file_name: str, sheet: str | None = None) -> pd.DataFrame:
    """A 903 table as `readers.read_table` gives it (strings, missing for blanks, ROW = the row
    as Excel numbers it), but a CSV whose first line is the header is read by pandas' C
    parser: the general reader (header hunting, cell by cell) is several times slower on a
    large authority's episodes and reviews."""
    if file_name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return read_table(data, file_name, sheet=sheet)
    text = _decode(data, file_name)
    first = text.split("\n", 1)[0]
    if "CHILD" not in first.upper() or "," not in first:
        return read_table(data, file_name, sheet=sheet)
    try:
        df = pd.read_csv(io.StringIO(text), dtype="str", keep_default_na=False,
                         skip_blank_lines=False)
    except (ValueError, pd.errors.ParserError):
        return read_table(data, file_name, sheet=sheet)
    df.columns = [str(c).strip().replace("\ufeff", "") for c in df.columns]
    # Blank or all-space cells are missing. Text columns are pandas' Arrow strings, so the
    # test is vectorised, not a Python call per cell (object columns took 2 s on 1.6 M cells).
    for c in df.columns:
        df[c] = df[c].where(df[c].str.strip() != "")
    df[ROW] = pd.Series(range(2, 2 + len(df)), dtype="int64")
    df.attrs["header_row"] = 1
    return df


def detect_table(columns) -> str | None:
    """The 903 table a set of headers is, or None (matched on columns, not file names)."""
    cols = {str(c).strip().upper() for c in columns}
    if "CHILD" not in cols:
        return None
    for name, (ident, _, _) in TABLES.items():
        if ident <= cols:
            return name
    return None


def is_ssda903_table(columns) -> bool:
    return detect_table(columns) is not None


# ------------------------------------------------------------------ pseudonymisation

class KeyError903(Exception):
    pass


def pseudonym_key(config=None) -> bytes:
    """The key for child pseudonyms: $LACDASH_PSEUDONYM_KEY, else the config's
    `[ssda903] key_file` (relative to the config) or `key`. Never stored in the warehouse."""
    env = os.environ.get("LACDASH_PSEUDONYM_KEY")
    if env:
        return env.encode()
    path = getattr(config, "config_path", None)
    if path is not None and Path(path).is_file():
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("ssda903", {})
        if raw.get("key_file"):
            kf = Path(raw["key_file"])
            kf = kf if kf.is_absolute() else Path(path).parent / kf
            if not kf.is_file():
                raise KeyError903(f"[ssda903] key_file {kf} does not exist")
            return kf.read_bytes().strip()
        if raw.get("key"):
            return str(raw["key"]).encode()
    raise KeyError903("no pseudonymisation key: set LACDASH_PSEUDONYM_KEY or `[ssda903] key_file` "
                      "in the config before loading SSDA903 child-level files")


def pseudonymise(ids: pd.Series, key: bytes, cache: dict | None = None) -> pd.Series:
    """Keyed hash of each child id (the same child gets the same pseudonym in every file).
    `cache` (id -> pseudonym, for this key only) saves hashing a child again in the next
    file of the same extract."""
    values = ids.to_numpy(dtype=object)
    uniq = pd.unique(values[pd.notna(values)])
    cache = {} if cache is None else cache
    for v in uniq:
        if v not in cache:
            cache[v] = hmac.digest(key, str(v).strip().encode(), "sha256").hex()[:16]
    table = pd.Series([cache[v] for v in uniq], index=uniq, dtype=object)
    # Object dtype on purpose: pandas' Arrow strings make `isin` against thousands of ids
    # slow (a scalar per value), and the ids are matched across tables all the time.
    return pd.Series(table.reindex(values).to_numpy(), index=ids.index, dtype=object)


# ------------------------------------------------------------------ parsing one table

def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """dd/mm/yyyy or ISO (yyyy-mm-dd) -> (datetime64 series, bool mask of unreadable cells)."""
    s = values.astype("str").where(values.notna(), "").str.strip()
    out = pd.to_datetime(s, format="%d/%m/%Y", errors="coerce")
    retry = out.isna() & (s != "")
    if retry.any():
        iso = pd.to_datetime(s[retry].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        out = out.fillna(iso)
    out = out.astype("datetime64[us]")
    bad = (s != "") & out.isna()
    return out, bad


@dataclass
class Table:
    file_name: str
    table: str
    frame: pd.DataFrame              # CHILD pseudonymised, dates parsed, ROW kept
    year_end: date | None = None     # 31 March closing the collection year
    year_reason: str = ""
    date_year: date | None = None    # the collection year most of its dates fall in


def _problem(file, row, column, value, expected, message, severity="error"):
    where = f"{file}" + (f", row {row}" if row is not None else "") + \
        (f", column '{column}'" if column else "")
    blank = value is None or (not isinstance(value, str) and pd.isna(value))
    return Problem(file=file, row=row, column=column, value="" if blank else str(value),
                   expected=expected, severity=severity, message=f"{where}: {message}")


def _where(df: pd.DataFrame, bad: pd.Series, column: str) -> list:
    """(row as Excel numbers it, value) of the cells of `column` where `bad` holds (most
    columns have none: the lookup is skipped)."""
    if not bad.any():
        return []
    return list(zip(df.loc[bad, ROW], df.loc[bad, column]))


def parse_table(raw: pd.DataFrame, file_name: str, key: bytes,
                pseudonyms: dict | None = None) -> tuple[Table | None, list]:
    """One raw 903 table -> (Table, structural problems). Every problem is listed at once.
    `pseudonyms`: `pseudonymise`'s cache, shared by the files of one extract."""
    rename = {c: str(c).strip().upper() for c in raw.columns if c != ROW}
    df = raw.rename(columns=rename)
    name = detect_table(df.columns)
    problems: list[Problem] = []
    if name is None:
        return None, [_problem(file_name, None, None, None, "an SSDA903 table",
                               "not an SSDA903 table (no CHILD column with a table's columns)")]
    _, required, date_cols = TABLES[name]
    for c in required:
        if c not in df.columns:
            problems.append(_problem(file_name, None, c, None, f"a column {c}",
                                     f"the {name} table has no {c} column; expected the 903 "
                                     f"columns {', '.join(required)}"))
    if problems:
        return None, problems
    df = df.drop(columns=[c for c in DROPPED if c in df.columns])
    # Spreadsheet rows with nothing in them are not records.
    cells = df.drop(columns=[ROW])
    df = df[cells.notna().any(axis=1)].copy()
    for c in df.columns:
        if c == ROW:
            continue
        if isinstance(df[c].dtype, pd.StringDtype):   # read_raw's CSV columns
            df[c] = df[c].str.strip()
        else:
            df[c] = df[c].astype("str").str.strip().where(df[c].notna())
    blank_child = df["CHILD"].isna()
    for r in df.loc[blank_child, ROW]:
        problems.append(_problem(file_name, int(r), "CHILD", "", "a child id",
                                 "the child id is missing; every row needs one"))
    for c in date_cols + (["DOB"] if "DOB" in df.columns and "DOB" not in date_cols else []):
        if c not in df.columns:
            continue
        parsed, bad = parse_dates(df[c])
        for r, v in _where(df, bad, c):
            problems.append(_problem(file_name, int(r), c, v, "a date such as 31/01/2020 or "
                                     "2020-01-31", f"'{v}' is not a date (expected dd/mm/yyyy "
                                     "or yyyy-mm-dd)"))
        df[c] = parsed
    required_dates = {"episodes": ["DECOM"], "reviews": ["REVIEW"], "missing": ["MIS_START"],
                      "header": ["DOB"], "sw_episodes": ["SW_DECOM"],
                      "placed_for_adoption": ["DATE_PLACED"]}.get(name, [])
    for c in required_dates:
        for r, _ in _where(df, df[c].isna() & ~blank_child, c):
            if not any(p.row == int(r) and p.column == c for p in problems):
                problems.append(_problem(file_name, int(r), c, "", "a date",
                                         f"{c} is blank; every {name} row needs it"))
    for c, allowed in CODES.items():
        if c not in df.columns or (c == "REC" and name != "episodes"):
            continue
        v = df[c]
        if c in ("RNE", "LS", "PLACE", "REVIEW_CODE", "SEX", "MISSING", "IN_TOUCH"):
            bad = v.isna() | ~v.str.upper().isin(allowed)
        else:
            bad = v.notna() & ~v.str.upper().isin(allowed)
        if c == "PLACE_PROVIDER" and name == "episodes":
            bad = bad & ~(v.isna() & df["PLACE"].isin(["P1", "P2", "Z1"]))
        if c == "SEX" and name == "uasc":
            bad = v.notna() & ~v.isin(allowed)
        for r, val in _where(df, bad, c):
            problems.append(_problem(file_name, int(r), c, val, "one of " + ", ".join(
                sorted(allowed)), f"'{'' if pd.isna(val) else val}' is not a 903 {c} code"))
        df[c] = v.str.upper()
    for c, rx in (("ACTIV", ACTIV_RE), ("ACCOM", ACCOM_RE)):
        if c in df.columns and name == "oc3":
            bad = df[c].notna() & ~df[c].fillna("").str.upper().str.match(rx)
            for r, val in _where(df, bad, c):
                problems.append(_problem(file_name, int(r), c, val, f"a 903 {c} code",
                                         f"'{val}' is not a 903 {c} code"))
    if "DOB" in df.columns:  # kept to the month
        df["DOB"] = df["DOB"].dt.to_period("M").dt.to_timestamp().astype("datetime64[us]")
    df["CHILD"] = pseudonymise(df["CHILD"], key, pseudonyms)
    df = df[~blank_child]
    table = Table(file_name, name, df.reset_index(drop=True))
    dates = YEAR_DATES.get(name)
    if dates:
        values = pd.concat([df[c] for c in dates if c in df.columns]).dropna()
        if len(values):
            if name == "episodes":  # the anchor: the latest start closes its year
                latest = values.max()
                table.year_end = year_end_on_or_after(latest.date())
                table.year_reason = f"latest DECOM {latest:%d/%m/%Y}"
            else:  # other tables carry history and future dates: the usual year
                ends = periods.financial_year_ends(values)
                table.date_year = ends.mode().iloc[0].date()
    return table, problems


# ------------------------------------------------------------------ the extract

def _q(quality, severity, kind, rule, child, file, rows, message, indicators="", months=""):
    quality.append({"severity": severity, "kind": kind, "rule": rule, "child": child or "",
                    "file": file or "", "rows": rows or "", "message": message,
                    "indicators": indicators, "months": months})


_EP_INDICATORS = ("CLA_NUMBER, CLA_RATE, CLA_STARTS_RATE, CLA_ENDS_RATE, PLACEMENT_TYPE, "
                  "STABILITY_FEWER_3_PCT, STABILITY_LONG_TERM_PCT")


def _month_spans(a: pd.Series, b: pd.Series) -> pd.Series:
    """'Jun 2019 to Aug 2019' (or one month) for each pair of dates."""
    ma, mb = a.dt.strftime("%b %Y"), b.dt.strftime("%b %Y")
    return ma.where(ma == mb, ma + " to " + mb).fillna("")


def _q_many(quality, e, mask, kind, rule, rows, message, indicators, months):
    """Quality rows for every episode in `mask` (vectorised `_q`)."""
    m = np.asarray(mask)
    if not m.any():
        return
    sub = pd.DataFrame({"severity": "warning", "kind": kind, "rule": rule,
                        "child": e["CHILD"][m], "file": e["FILE"][m], "rows": rows,
                        "message": message, "indicators": indicators, "months": months})
    quality.extend(sub.astype("object").where(sub.notna(), "").to_dict("records"))


def _month_span(a, b) -> str:
    a, b = pd.Timestamp(a), pd.Timestamp(b)
    return f"{a:%b %Y}" if a.to_period("M") == b.to_period("M") else f"{a:%b %Y} to {b:%b %Y}"


def assign_years(tables: list[Table]) -> list:
    """Dateless tables (header, oc2, oc3, uasc, previous_permanence) take the collection
    year their children fit best (the file name is only a tie-break): header/uasc/
    previous_permanence: share of children with an episode open in the year; oc2: share
    looked after at the year end; oc3: every 17th-21st birthday in the year."""
    problems = []
    ep = [t for t in tables if t.table == "episodes" and t.year_end]
    by_year: dict[date, pd.DataFrame] = {}
    for t in ep:
        by_year.setdefault(t.year_end, t.frame)
    prefix_year = {_name_stem(t.file_name): t.year_end for t in ep}
    open_children: dict = {}
    for t in tables:
        if t.year_end:
            continue
        hint = prefix_year.get(_name_stem(t.file_name))
        if t.frame.empty:  # a table with no rows says nothing either way
            t.year_end = hint or (max(by_year) if by_year else None)
            t.year_reason = "no rows"
            continue
        if t.date_year is not None:
            t.year_end = hint or t.date_year
            t.year_reason = ("like the episodes file named alike" if hint else
                             "the year most of its dates fall in")
            continue
        if not by_year:
            continue
        kids = pd.unique(t.frame["CHILD"].to_numpy(dtype=object))
        scores = {}
        for ye, f in by_year.items():
            start = pd.Timestamp(ye.year - 1, 4, 1)
            end = pd.Timestamp(ye)
            if t.table == "oc3":
                dob = t.frame["DOB"].dropna()
                age = (end.year - dob.dt.year) - ((dob.dt.month > 3).astype(int))
                scores[ye] = float(((age >= 17) & (age <= 21)).mean()) if len(dob) else 0.0
                continue
            kind = "oc2" if t.table == "oc2" else "open"
            if (ye, kind) not in open_children:   # the same for every table: once per year
                if kind == "oc2":
                    open_ = f[(f["DECOM"] <= end) & (f["DEC"].isna() | (f["DEC"] > end))]
                else:
                    open_ = f[(f["DECOM"] <= end) & (f["DEC"].isna() | (f["DEC"] >= start))]
                open_children[(ye, kind)] = pd.unique(open_["CHILD"].to_numpy(dtype=object))
            open_ids = open_children[(ye, kind)]
            scores[ye] = float(pd.Index(kids, dtype=object).isin(open_ids).mean()) \
                if len(kids) else 0.0
        best = max(scores.values())
        if hint is not None and hint in scores:
            # A dated table from the same set of files (2019-episodes.csv beside
            # 2019-oc2.csv) decides; the children's fit is only checked.
            top = [hint]
            if scores[hint] < best - 0.5:
                problems.append(_problem(
                    t.file_name, None, None, None, "", f"read as {year_label(hint)} like the "
                    f"dated tables named alike, though only {scores[hint]:.0%} of its children "
                    f"fit that year ({best:.0%} fit another)", severity="warning"))
        else:
            top = [ye for ye, s in scores.items() if s == best]
        if (best == 0 and hint is None) or len(top) > 1:
            problems.append(_problem(t.file_name, None, None, None, "a table whose children "
                                     "match one collection year",
                                     f"cannot tell which collection year this {t.table} table "
                                     f"belongs to (its children match "
                                     f"{', '.join(year_label(y) for y in top) or 'no year'}); "
                                     "load it with the episodes file of its year"))
            continue
        t.year_end = top[0]
        t.year_reason = (f"{scores[top[0]]:.0%} of its children fit {year_label(top[0])}"
                         + (", like the dated tables named alike" if hint else ""))
    return problems


def _name_stem(file_name: str) -> str:
    """'2019-episodes.csv' and '2019-oc2.csv' share the stem '2019'."""
    stem = Path(file_name).stem.lower()
    for name in sorted(TABLES, key=len, reverse=True):
        stem = stem.replace(name, "")
    return re.sub(r"[^0-9a-z]+", "", stem)


def _combine(tables: list[Table], name: str, key: list[str]) -> pd.DataFrame | None:
    """One table across years: the same record in two years' files is one (later wins)."""
    parts = [t.frame.assign(YEAR_END=pd.Timestamp(t.year_end) if t.year_end else pd.NaT,
                            FILE=t.file_name)
             for t in tables if t.table == name]
    if not parts:
        return None
    df = pd.concat(parts, ignore_index=True)
    df = df.sort_values(["YEAR_END", ROW], na_position="first", kind="stable")
    return df.drop_duplicates(key, keep="last").reset_index(drop=True)


def build_extract(tables: list[Table], *, today: date | None = None) -> Extract:
    """Stitch the years (see `stitch_episodes`) and combine the other tables."""
    today = today or date.today()
    quality: list[dict] = []
    for t in tables:
        if t.year_end:
            _q(quality, "info", "year", "collection year", "", t.file_name, "",
               f"{t.table} table read as {year_label(t.year_end)} ({t.year_reason})")
    eps_raw = _combine(tables, "episodes", ["CHILD", "DECOM"])
    years = sorted({t.year_end for t in tables if t.table == "episodes" and t.year_end})
    present = {}
    for t in tables:
        if t.table == "episodes" and t.year_end:
            present.setdefault(t.year_end, set()).update(t.frame["CHILD"])
    episodes = stitch_episodes(eps_raw, years, quality, present)
    header = _combine(tables, "header", ["CHILD"])
    if header is None:
        header = pd.DataFrame({"CHILD": pd.Series([], dtype="str"),
                               "SEX": pd.Series([], dtype="str"),
                               "DOB": pd.Series([], dtype="datetime64[us]"),
                               "ETHNIC": pd.Series([], dtype="str")})
    reviews = _combine(tables, "reviews", ["CHILD", "REVIEW"])
    uasc = _combine(tables, "uasc", ["CHILD"])
    missing = _combine(tables, "missing", ["CHILD", "MIS_START"])
    oc2 = _combine(tables, "oc2", ["CHILD", "YEAR_END"])
    oc3 = _combine(tables, "oc3", ["CHILD", "YEAR_END"])
    ad1 = _combine(tables, "ad1", ["CHILD", "DATE_INT"])
    pfa = _combine(tables, "placed_for_adoption", ["CHILD", "DATE_PLACED"])
    sw = _combine(tables, "sw_episodes", ["CHILD", "SW_ID", "SW_DECOM"])
    first_day = date(years[0].year - 1, 4, 1) if years else today
    last_day = min(years[-1], today) if years else today
    return Extract(episodes=episodes, header=header, reviews=_or_empty(reviews, "reviews"),
                   uasc=_or_empty(uasc, "uasc"), missing=_or_empty(missing, "missing"),
                   oc2=_or_empty(oc2, "oc2"), oc3=_or_empty(oc3, "oc3"),
                   ad1=_or_empty(ad1, "ad1"),
                   placed_for_adoption=_or_empty(pfa, "placed_for_adoption"),
                   sw_episodes=sw, years=years, first_day=first_day, last_day=last_day,
                   quality=quality, tables=tables)


def _or_empty(df, name) -> pd.DataFrame:
    if df is not None:
        return df
    _, required, dates = TABLES[name]
    cols = {c: pd.Series([], dtype="datetime64[us]" if c in dates else "str")
            for c in required}
    return pd.DataFrame({**cols, "YEAR_END": pd.Series([], dtype="datetime64[us]")})


def stitch_episodes(eps: pd.DataFrame | None, years: list[date], quality: list,
                    present: dict | None = None) -> pd.DataFrame:
    """One history per child from several years' episodes (liia-tools `fix_episodes` rules).

    - the same episode (CHILD, DECOM) in two files is one; the later file wins (done by
      `_combine`);
    - a DEC after its file's year end is an open episode (DEC cleared);
    - an episode that is open, or ends after the next one starts, gives way to the next:
      it ends the day the next starts with X1 (care continued), or the day before with E99
      when the next is a new start (RNE S) ("later start wins");
    - an X1 ending with a gap before the next episode is closed up to the next start; an X1
      (or blank reason) with no next episode gets E99 "not recorded";
    - an episode open at the end of a year whose child is missing from the next year's
      episodes file (when that file is loaded) cannot be repaired: the child was looked
      after on that 31 March, so it is treated as ending the next day (1 April) with E99,
      and listed;
    - a child whose first episode starts before the first year's file without RNE S, but is
      missing from the earlier year's file that is loaded, is listed (durations are then
      lower bounds).
    Every repair and gap is appended to `quality` with the child and the file rows.
    """
    cols = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
            "REASON_PLACE_CHANGE", "URN", "YEAR_END", "FILE", ROW]
    if eps is None or eps.empty:
        return pd.DataFrame({c: pd.Series([], dtype="datetime64[us]" if c in
                                          ("DECOM", "DEC", "YEAR_END") else "str")
                             for c in cols if c != ROW}).assign(**{ROW: pd.Series([], dtype="int64")})
    e = eps.copy()
    for c in cols:
        if c not in e.columns:
            e[c] = pd.NA
    e = e[cols].sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True)
    e["DEC"] = e["DEC"].astype("datetime64[us]")
    e["REC"] = e["REC"].astype("str").where(e["REC"].notna())

    def where(idx):
        return f"{e.at[idx, 'FILE']} row {int(e.at[idx, ROW])}"

    # DEC after the file's year end: open at that year end.
    late = e["DEC"].notna() & e["YEAR_END"].notna() & (e["DEC"] > e["YEAR_END"])
    for i in e.index[late]:
        _q(quality, "warning", "repair", "end after year end", e.at[i, "CHILD"], e.at[i, "FILE"],
           str(int(e.at[i, ROW])), f"episode starting {e.at[i, 'DECOM']:%d/%m/%Y} ends "
           f"{e.at[i, 'DEC']:%d/%m/%Y}, after its file's year end: read as open",
           _EP_INDICATORS)
    e.loc[late, ["DEC", "REC"]] = [pd.NaT, None]
    # An open episode's REC means nothing.
    e.loc[e["DEC"].isna(), "REC"] = None

    decom, dec0 = e["DECOM"], e["DEC"]
    same = (e["CHILD"].shift(-1) == e["CHILD"]).to_numpy()
    nd = decom.shift(-1)
    nxt_rne = e["RNE"].shift(-1)
    rec0 = e["REC"]
    # Overlap (open, or ending after the next starts): the later start wins.
    overlap = same & (dec0.isna() | (dec0 > nd)).to_numpy()
    new_rec = pd.Series(np.where(nxt_rne == "S", "E99", "X1"), index=e.index)
    new_dec = nd.where(new_rec == "X1", nd - pd.Timedelta(days=1))
    too_early = new_dec < decom
    new_dec = new_dec.where(~too_early, nd)
    new_rec = new_rec.where(~too_early, "X1")
    rest = same & ~overlap
    x1_gap = rest & (rec0 == "X1").to_numpy() & (dec0 < nd).to_numpy()
    no_reason = rest & rec0.isna().to_numpy() & (dec0 < nd).to_numpy()
    same_day = rest & rec0.isna().to_numpy() & (dec0 == nd).to_numpy()
    last = ~same & dec0.notna().to_numpy() & (rec0.isna() | (rec0 == "X1")).to_numpy()

    def fmt(series):
        return series.dt.strftime("%d/%m/%Y")

    rows = e[ROW].astype("int64").astype("str")
    nxt_where = e["FILE"].shift(-1) + " row " + rows.shift(-1)
    if overlap.any():
        m = overlap
        what = ("ending " + fmt(dec0[m])).where(dec0[m].notna(), "open")
        _q_many(quality, e, m, "repair", "overlap: later start wins",
                rows[m] + "; next " + nxt_where[m],
                "episode starting " + fmt(decom[m]) + " (" + what + ") overlaps the next, "
                "starting " + fmt(nd[m]) + ": ended " + fmt(new_dec[m]) + " with "
                + new_rec[m], _EP_INDICATORS, _month_spans(decom[m], nd[m]))
    if x1_gap.any():
        m = x1_gap
        _q_many(quality, e, m, "repair", "X1 gap closed", rows[m] + "; next " + nxt_where[m],
                "episode ends " + fmt(dec0[m]) + " with X1 (care continues) but the next "
                "starts " + fmt(nd[m]) + ": extended to the next start", _EP_INDICATORS,
                _month_spans(dec0[m], nd[m]))
    if no_reason.any():
        m = no_reason
        _q_many(quality, e, m, "repair", "no reason episode ceased", rows[m],
                "episode ends " + fmt(dec0[m]) + " with no reason: E99 (not recorded)",
                "CLA_ENDS_RATE", "")
    if last.any():
        m = last
        _q_many(quality, e, m, "repair", "last episode ended without a reason", rows[m],
                "last episode ends " + fmt(dec0[m]) + " with " + rec0[m].fillna("no reason")
                + " and no episode follows: E99 (not recorded)", "CLA_ENDS_RATE", "")
    dec = dec0.copy()
    rec = rec0.astype("object").copy()
    dec[overlap] = new_dec[overlap]
    rec[overlap] = new_rec[overlap]
    dec[x1_gap] = nd[x1_gap]
    rec[no_reason | last] = "E99"
    rec[same_day] = "X1"
    e["DEC"] = dec.astype("datetime64[us]")
    e["REC"] = rec.astype("str").where(rec.notna())

    # Gaps between years' files.
    if len(years) > 1:
        # Which children each year's file holds (before duplicates across years were merged).
        kids_by_year = present or {y: set(e.loc[e["YEAR_END"] == pd.Timestamp(y), "CHILD"])
                                   for y in years}
        for a, b in zip(years, years[1:]):
            if b.year - a.year != 1:
                continue
            ye = pd.Timestamp(a)
            open_end = e[(e["YEAR_END"] == ye) & (e["DECOM"] <= ye) &
                         (e["DEC"].isna())]
            for i, r in open_end.iterrows():
                if r["CHILD"] not in kids_by_year[b]:
                    _q(quality, "warning", "gap", "open at year end, absent next year",
                       r["CHILD"], r["FILE"], str(int(r[ROW])),
                       f"episode starting {r['DECOM']:%d/%m/%Y} is open at 31/03/{a.year} but "
                       f"the child is not in the {year_label(b)} episodes file: treated as "
                       f"ending the next day, 01/04/{a.year} (E99); the real end is unknown",
                       _EP_INDICATORS, f"from Apr {a.year}")
                    e.at[i, "DEC"] = ye + pd.Timedelta(days=1)
                    e.at[i, "REC"] = "E99"
            start_b = pd.Timestamp(b.year - 1, 4, 1)
            first_b = e[(e["YEAR_END"] == pd.Timestamp(b)) & (e["DECOM"] < start_b)]
            first_b = first_b[~first_b["CHILD"].isin(kids_by_year[a])]
            for _, r in first_b.drop_duplicates("CHILD").iterrows():
                _q(quality, "warning", "gap", "in care before the year, absent from the "
                   "earlier file", r["CHILD"], r["FILE"], str(int(r[ROW])),
                   f"episode starting {r['DECOM']:%d/%m/%Y} is in the {year_label(b)} file but "
                   f"the child is not in the {year_label(a)} episodes file: counted from its "
                   f"start; earlier moves are unknown", _EP_INDICATORS,
                   _month_span(r["DECOM"], ye))
    return e.reset_index(drop=True)


# ------------------------------------------------------------------ reading files

def read_files(raws: list[tuple[str, pd.DataFrame]], key: bytes, *,
               today: date | None = None) -> tuple[Extract | None, list]:
    """Raw 903 tables (file name, raw frame) -> (Extract, structural problems).

    A file with any structural error (missing column, unreadable date, unknown code)
    refuses the whole extract: the caller writes nothing.
    """
    tables, problems = [], []
    pseudonyms: dict = {}
    for name, raw in raws:
        t, ps = parse_table(raw, name, key, pseudonyms)
        problems += ps
        if t is not None:
            tables.append(t)
    if not any(t.table == "episodes" for t in tables):
        problems.append(_problem(", ".join(n for n, _ in raws), None, None, None,
                                 "an episodes table", "no episodes table among the SSDA903 "
                                 "files; every figure needs episodes (CHILD, DECOM, RNE, LS, "
                                 "PLACE, ...)"))
    problems += assign_years(tables)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return build_extract(tables, today=today), problems
