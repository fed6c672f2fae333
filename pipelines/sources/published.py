"""DfE's published open-data files (Explore Education Statistics), exactly as downloaded.

The files are long: one row per year, area and filter combination (``cla_group``,
``characteristic``, ``breakdown``, ``care_leaver_age``, ``social_care_group``, ...), with count
and percent columns. Which file, filter values and column feed which indicator is catalogue
data (``published:`` entries, see ``pipelines.core.publications``), so a new release or a new
file is an edit to ``data/indicators.yaml`` alone.

``recognise`` tells such a file by its columns (``time_period``, ``geographic_level`` and the
filter and value columns of a publication in the catalogue; old and new column names);
``normalise`` turns it into the canonical long frame for every authority, region and England
in it. Reference files (DfE's statistical-neighbour models, England-only tables named in
``reference_files:``) are recognised and accepted, with nothing to load.

Rules (the issue's definitions):
- ``time_period`` 2025 with ``Reporting year`` is the year ending 31 March 2025 (2024-25);
  a 6-digit ``202425`` is the academic year 2024/25.
- Symbols (``c``, ``k``, ``x``, ``z``, ``u``, ``low``) are missing with their reason, never zero.
- A row cut short (a truncated download: the last column empty, which never happens in a
  whole EES file) is an error naming the file and the Excel row.
- An area code not in ``data/areas.csv``, a filter value the catalogue expects but the file
  does not have (renamed between releases), an unreadable year: errors, nothing written.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipelines.core import neighbours as sn_models
from pipelines.core.areas import ENGLAND, area_name, resolve_area
from pipelines.core.periods import PeriodError, parse_period
from pipelines.core.publications import Mapping, alternatives
from pipelines.sources.adoption_published import years_months_as_days
from pipelines.sources.layouts.base import BLANK, header_map, parse_value
from pipelines.sources.normalise import canonical_dtypes, empty_frame
from pipelines.sources.readers import ROW
from pipelines.sources.validate import Problem

KIND = "published"
REFERENCE = "reference"
KINDS = (KIND, REFERENCE)
LEVELS = {"national", "regional", "local authority"}


@dataclass
class Recognised:
    kind: str  # published | reference
    publications: list[str] = field(default_factory=list)  # ids, empty: EES but none known
    note: str = ""


def _present(names: set[str], alternatives: tuple[str, ...]) -> str | None:
    return next((n for n in alternatives if n in names), None)


def _expected_values(maps: list[Mapping]) -> set[tuple[tuple[str, ...], str]]:
    return {(f.names, v) for m in maps for f in m.filters for v in f.values}


def recognise(raw: pd.DataFrame, catalogue, file_name: str = "") -> Recognised | None:
    """What kind of published file this is, or None when it is no published file we know
    (then the other layouts, including our own wide ``ees`` files, get their turn)."""
    header = [c for c in raw.columns if c != ROW]
    year = sn_models.model_year_of_header(header)
    if year is not None:
        return Recognised(REFERENCE, [f"sn_model_{year}"],
                          f"DfE statistical-neighbour model ({year})")
    cols = header_map(raw)
    names = set(cols)
    for ref in catalogue.publications.reference:
        if set(ref.columns) <= names:
            return Recognised(REFERENCE, [ref.id], ref.note)
    if not {"time_period", "geographic_level"} <= names:
        return None
    files = catalogue.publications.files()
    cands = [pid for pid, maps in files.items()
             if all(_present(names, alt) for m in maps for alt in m.columns())]
    if not cands:
        # One of our own wide files (a column per measure named by a code or published name)?
        if any(catalogue.resolve(c) is not None for c in cols.values()):
            return None
        return Recognised(KIND, [])
    if len(cands) > 1:
        # Same columns (the two care-leaver files): the one whose own filter values are there.
        present = _filter_values_present(raw, cols, cands, files)
        expected = {pid: _expected_values(files[pid]) for pid in cands}
        score = {pid: len({v for v in expected[pid]
                           if not any(v in expected[o] for o in cands if o != pid)} & present)
                 for pid in cands}
        best = max(score.values())
        cands = [pid for pid in cands if score[pid] == best]
        if len(cands) > 1:
            by_name = [pid for pid in cands if pid in file_name]
            cands = by_name or cands
    return Recognised(KIND, cands)


def _filter_values_present(raw, cols, cands, files) -> set:
    out = set()
    for pid in cands:
        for m in files[pid]:
            for f in m.filters:
                col = _present(set(cols), f.names)
                if col is not None:
                    have = set(raw[cols[col]].dropna().astype(str).str.strip().unique())
                    out |= {(f.names, v) for v in f.values if v in have}
    return out


def could_carry(catalogue) -> str:
    """'la_cla_placement_stability (STABILITY_FEWER_3_PCT, ...); ...' for messages."""
    return "; ".join(f"{pid} ({', '.join(dict.fromkeys(m.code for m in maps))})"
                     for pid, maps in catalogue.publications.files().items())


def _year_type(identifier, text) -> str:
    s = str(identifier or "").lower()
    if "academic" in s:
        return "academic"
    if "calendar" in s:
        return "calendar"
    if "financial" in s or "reporting" in s:
        return "financial"
    return "academic" if len(str(text).strip()) == 6 else "financial"


class _Out:
    def __init__(self, file_name: str, header_row: int):
        self.file = file_name
        self.header_row = header_row
        self.problems: list[Problem] = []

    def error(self, row, column, value, expected, what, severity="error"):
        self.problems.append(Problem.make(self.file, row, column, value, expected, what, severity))


def _rows_text(rows) -> str:
    rows = list(rows)
    shown = ", ".join(map(str, rows[:6])) + (f" ... ({len(rows)} rows)" if len(rows) > 6 else "")
    return ("row " if len(rows) == 1 else "rows ") + shown


def normalise(raw: pd.DataFrame, rec: Recognised, *, file_name: str, catalogue, config
              ) -> tuple[pd.DataFrame, list[Problem]]:
    """A recognised published file -> (canonical frame, problems)."""
    out = _Out(file_name, int(raw.attrs.get("header_row", 1)))
    if rec.kind == REFERENCE:
        _reference_note(raw, rec, out, config)
        return empty_frame(), out.problems
    if not rec.publications:
        out.error(out.header_row, None, None,
                  "a file the catalogue (data/indicators.yaml, published:) knows: " + could_carry(catalogue),
                  "this DfE file carries no indicator in the catalogue, so nothing can be loaded "
                  "from it; add a published: entry to an indicator to load it")
        return empty_frame(), out.problems
    cols = header_map(raw)
    names = set(cols)
    data_cols = [c for c in raw.columns if c != ROW]
    body = raw[data_cols]
    # A whole EES file fills its last column on every row (suppressed figures are symbols), so
    # a row without it was cut short; unless many rows lack it (a column that may be blank).
    last_missing = body[data_cols[-1]].isna()
    blank = pd.Series(False, index=raw.index)
    if last_missing.any():  # only those rows can be blank or short: look at them alone
        blank[last_missing] = body.loc[last_missing].isna().all(axis=1)
    short = last_missing & ~blank
    if short.sum() > max(5, 0.05 * (~blank).sum()):
        short[:] = False
    for i in raw.index[short][:20]:
        n = int(body.loc[i].notna().to_numpy().nonzero()[0].max()) + 1
        out.error(int(raw.at[i, ROW]), data_cols[-1], None,
                  f"all {len(data_cols)} columns filled, up to '{data_cols[-1]}'",
                  f"the row stops after {n} of {len(data_cols)} columns: the file looks cut short "
                  "(a truncated download?); download it again")
    if short.sum() > 20:
        out.error(None, None, None, "", f"and {int(short.sum()) - 20} more rows cut short")
    ok = ~blank & ~short

    stripped: dict = {}  # each column stripped once, however many mappings filter on it

    def text(col):
        if col is None:
            return None
        if col not in stripped:
            stripped[col] = _stripped(raw[col])
        return stripped[col]

    # Areas: England, regions (and Inner/Outer London), authorities, by code.
    level = text(cols["geographic_level"]).str.lower()
    other = ok & ~level.isin(LEVELS)
    if other.any():
        for lv, n in level[other].value_counts().items():
            out.error(None, cols["geographic_level"], lv, "National, Regional or Local authority",
                      f"skipped {n} rows at another geographic level", "warning")
    ok &= ~other
    area_arr = np.full(len(raw), ENGLAND, dtype=object)  # numpy: masked writes are cheap
    col_arr = np.full(len(raw), cols["geographic_level"], dtype=object)
    for lv, keys in (("regional", ("region_code", "region_name")),
                     ("local authority", ("new_la_code", "old_la_code", "la_name"))):
        sel = (level == lv).to_numpy(dtype=bool, na_value=False)
        if not sel.any():
            continue
        for k in reversed(keys):  # the first named key that is filled wins
            if k in cols:
                v = text(cols[k]).to_numpy(dtype=object)
                take = sel & pd.notna(v)
                area_arr[take] = v[take]
                col_arr[take] = cols[k]
    area_text = pd.Series(area_arr, index=raw.index, dtype="object")
    area_col = pd.Series(col_arr, index=raw.index, dtype="object")
    codes = {t: resolve_area(t) for t in area_text[ok].unique()}
    area = area_text.map(codes)
    bad_area = ok & area.isna()
    for (t, col), idx in area_text[bad_area].groupby([area_text[bad_area], area_col[bad_area]]).groups.items():
        rows = raw.loc[idx, ROW].tolist()
        out.error(rows[0], col, t, "an area code in data/areas.csv (an English authority, region or England)",
                  f"unknown area code in {_rows_text(rows)}")
    ok &= ~bad_area

    # Years: 2025 (Reporting year) = 2024-25, ending 31 March 2025; 202425 = 2024/25.
    tp = text(cols["time_period"])
    ti = text(cols["time_identifier"]) if "time_identifier" in cols else \
        pd.Series("", index=raw.index, dtype="object")
    key = tp.fillna("") + "\x1f" + ti.fillna("")  # object columns: plain Python strings, fast
    periods = {}
    for k in key[ok].unique():
        p_text, ident = k.split("\x1f")
        try:
            periods[k] = parse_period(p_text, _year_type(ident, p_text))
        except PeriodError:
            periods[k] = None
    period = key.map(periods)
    bad_period = ok & period.isna()
    for t, idx in tp[bad_period].groupby(tp[bad_period]).groups.items():
        rows = raw.loc[idx, ROW].tolist()
        out.error(rows[0], cols["time_period"], t,
                  "a year such as 2025 (year ending 31 March) or 202425 (academic year)",
                  f"unreadable time_period in {_rows_text(rows)}")
    ok &= ~bad_period

    files = catalogue.publications.files()
    chunks = []
    parsed: dict = {}
    for pid in rec.publications:
        for m in files[pid]:
            chunk = _mapping(raw, m, cols, names, ok, area, period, out, parsed, pid, text)
            if chunk is not None:
                chunks.append(chunk)
    if not chunks:
        return empty_frame(), out.problems
    frame = pd.concat(chunks, ignore_index=True)
    return _typed(frame), out.problems


def _stripped(series: pd.Series) -> pd.Series:
    """Cell text without surrounding spaces, as an object column (readers give str or None);
    each distinct text is stripped once."""
    series = series.astype("object")
    uniq = {u: u.strip() for u in series.unique() if isinstance(u, str) and u != u.strip()}
    if not uniq:  # the usual case: nothing to strip
        return series
    return pd.Series([uniq.get(v, v) for v in series.tolist()], index=series.index, dtype="object")


def _parse_column(series: pd.Series, parsed: dict):
    vals, reasons = [], []
    for t in series.tolist():
        r = parsed.get(t)
        if r is None:
            r = parsed[t] = parse_value(t)
        vals.append(r[0])
        reasons.append(r[1])
    return vals, reasons


def _mapping(raw, m: Mapping, cols, names, ok, area, period, out: _Out, parsed, pid, text):
    mask = ok.copy()
    den_mask = ok.copy() if m.denominator_filters else None
    join = [area.astype("object"), raw[cols["time_period"]].astype("object")]  # ties a figure to its denominator row
    breakdown = pd.Series("", index=raw.index, dtype="str")
    for f in m.filters:
        col = cols[_present(names, f.names)]
        values = text(col)
        have = set(values[ok].unique())
        den_value = m.denominator_filters.get(f.names) if den_mask is not None else None
        # a value with older names (catalogue "current|older"): the first the file holds
        groups = f.groups() + ((alternatives(den_value),) if den_value else ())
        missing = [g for g in groups if not any(v in have for v in g)]
        if missing:
            shown = "; ".join(sorted(have)[:12]) + (" ..." if len(have) > 12 else "")
            for g in missing:
                v = "' or '".join(g)
                out.error(out.header_row, col, None,
                          f"the value '{v}' in column '{col}' (data/indicators.yaml, {m.code}, "
                          f"published from {pid}); the file has: {shown}",
                          f"{m.code} cannot be loaded: filter value not found (renamed in this "
                          "release?); if so, update the catalogue's published: entry")
            return None
        chosen = {next(v for v in g if v in have): f.values[g[0]] for g in f.groups()}
        mask &= values.isin(chosen)
        if den_mask is not None:
            if den_value is not None:
                den_mask &= values == next(v for v in alternatives(den_value) if v in have)
            else:
                den_mask &= values.isin(chosen)
                join.append(values)
        if any(chosen.values()):
            breakdown = breakdown.where(~values.isin(chosen), values.map(chosen).fillna(""))
    vcol = cols[_present(names, m.value)]
    ncol = _present(names, m.numerator) if m.numerator else None
    sub = raw.loc[mask]
    if sub.empty:
        return None
    if m.transform == "years:months as days":  # DfE's "yy:mm" adoption averages
        pairs = [years_months_as_days(t) for t in sub[vcol].tolist()]
        vals, reasons = [p[0] for p in pairs], [p[1] for p in pairs]
    else:
        vals, reasons = _parse_column(sub[vcol], parsed)
    value = pd.Series(vals, index=sub.index, dtype="float64")
    if m.transform == "100 - x":
        value = 100 - value
    if ncol is not None and m.transform == "x":
        num = pd.Series(_parse_column(sub[cols[ncol]], parsed)[0], index=sub.index, dtype="float64")
    else:
        num = pd.Series(float("nan"), index=sub.index)
    den = pd.Series(float("nan"), index=sub.index)
    if m.denominator:
        dcol = cols[_present(names, m.denominator)]
        if den_mask is None:  # the same row
            den = pd.Series(_parse_column(sub[dcol], parsed)[0], index=sub.index, dtype="float64")
        else:
            keys = join[0].fillna("")
            for part in join[1:]:
                keys = keys + "\x1f" + part.fillna("")
            rows = raw.loc[den_mask]
            lookup = dict(zip(keys[den_mask], _parse_column(rows[dcol], parsed)[0]))
            den = keys[mask].map(lookup).astype("float64")
    per = period[mask]
    frame = pd.DataFrame({
        "indicator_code": m.code,
        "area_code": area[mask],
        "period_start": [p.start for p in per],
        "period_end": [p.end for p in per],
        "period_label": [p.label for p in per],
        "period_type": [p.type for p in per],
        "breakdown": breakdown[mask],
        "value": value,
        "numerator": num,
        "denominator": den,
        "missing_reason": pd.Series(reasons, index=sub.index, dtype="object"),
        "status": "final",
        "source_row": sub[ROW].astype("int64"),
        "source_column": vcol,
    })
    # A blank cell says nothing (never a zero, never overwrites a figure).
    return frame.loc[frame["missing_reason"].ne(BLANK) | frame["value"].notna()]


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    # a figure has no missing reason (the file's symbol column may say one anyway)
    out = df.assign(missing_reason=df["missing_reason"].where(df["value"].isna()))
    return canonical_dtypes(out).reset_index(drop=True)


def _reference_note(raw, rec: Recognised, out: _Out, config) -> None:
    what = rec.note or "reference data"
    if rec.publications and rec.publications[0].startswith("sn_model_"):
        year = int(rec.publications[0].rsplit("_", 1)[1])
        mine = sn_models.neighbours_of(config.code, year) if config is not None else []
        where = (f"; in it {area_name(config.code)}'s neighbours are "
                 + ", ".join(f"{n.name} ({n.closeness.lower()})" for n in mine)) if mine else ""
        what += (f": {len(raw)} authorities, reference data with no figures to load. The dashboard "
                 f"reads DfE's models from data/neighbours/ ([authority] statistical_neighbour_model "
                 f"picks the year){where}")
    out.error(None, None, None, "", what, "warning")
