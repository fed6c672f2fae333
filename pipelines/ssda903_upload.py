"""An SSDA903 extract (several child-level tables, one or more collection years) as one
upload: recognise the tables among the files given, read and check them (structural
problems refuse everything), run DfE's validation rules, compute every indicator for every
month end, and hand `pipelines.uploads` the canonical frame, the data-quality report, the
31 March figures (reconciliation) and the adoption child records to store.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipelines.core.catalogue import load_catalogue
from pipelines.sources import ssda903, ssda903_rules
from pipelines.sources.readers import ReadError
from pipelines.sources.validate import Problem
from pipelines.store import warehouse as wh
from pipelines.store.queries import Warehouse

KIND = "ssda903"
_RULES_CACHE: dict = {}
QUALITY_COLUMNS = ssda903.QUALITY_COLUMNS


_CHILD_HEADING = re.compile(rb'(?:^(?:\xef\xbb\xbf)?|[,;\t])[ \t"]*CHILD[ \t"]*(?:[,;\t\r]|$)')


def _may_be_903(data: bytes) -> bool:
    """Cheap look before a full read: a CSV whose first line names CHILD (in any of the
    encodings the readers accept), or a spreadsheet (zip)."""
    head = data[:4096]
    if head[:2] == b"PK":
        return True
    first = head.split(b"\n", 1)[0].upper()
    # CHILD as a whole heading (detect_table's test), so DfE's files with children_count
    # headings are not read twice
    return bool(_CHILD_HEADING.search(first)) or b"C\x00H\x00I\x00L\x00D" in first


def split_files(files, *, sheet=None, kind=None):
    """(other files, [(name, bytes, raw frame)] of SSDA903 tables): tables are recognised by
    their columns, whatever the files are called."""
    if kind not in (None, KIND):
        return list(files), []
    others, tables = [], []
    for name, data in files:
        raw = None
        if kind == KIND or _may_be_903(data):
            try:
                raw = ssda903.read_raw(data, name, sheet=sheet)
            except ReadError:
                raw = None
        if raw is not None and (ssda903.is_ssda903_table(raw.columns) or kind == KIND):
            tables.append((name, data, raw))
        else:
            others.append((name, data))
    return others, tables


def bundle(tables) -> bytes:
    """The extract's files as one deterministic zip (archived; same files = same bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data, _ in sorted(tables, key=lambda t: t[0]):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


@dataclass
class CheckedExtract:
    file_name: str
    data: bytes
    frame: pd.DataFrame
    problems: list
    rows_read: int
    quality: pd.DataFrame
    year_end: pd.DataFrame
    children: pd.DataFrame | None
    tables: dict = field(default_factory=dict)


def population(config) -> pd.DataFrame | None:
    """The authority's ONS 0-17 population estimates loaded in the warehouse."""
    if not config.warehouse_path.exists():
        return None
    w = Warehouse(config)
    return w.df(
        f"SELECT period_start, value FROM {w.figures()} o WHERE indicator_code = 'POP_0_17' "
        "AND area_code = ? AND breakdown = '' AND value IS NOT NULL ORDER BY period_start",
        [config.code])


def check(tables, *, config, today: date | None = None, catalogue=None,
          run_rules: bool = True) -> CheckedExtract:
    catalogue = catalogue or load_catalogue()
    names = [n for n, _, _ in tables]
    data = bundle(tables)
    label = _label(names)
    rows_read = int(sum(len(raw) for _, _, raw in tables))
    empty = pd.DataFrame(columns=QUALITY_COLUMNS)
    try:
        key = ssda903.pseudonym_key(config)
    except ssda903.KeyError903 as exc:
        p = Problem(label, None, None, None, "a pseudonymisation key", "error", f"{label}: {exc}")
        return CheckedExtract(label, data, pd.DataFrame(), [p], rows_read, empty,
                              pd.DataFrame(), None)
    extract, problems = ssda903.read_files([(n, raw) for n, _, raw in tables], key, today=today)
    if extract is None:
        return CheckedExtract(label, data, pd.DataFrame(), problems, rows_read, empty,
                              pd.DataFrame(), None)
    label = _label(names, extract)
    if run_rules:
        # The upload page checks twice (preview, then commit): the rules, which take a
        # while, run once per extract and key in a process.
        cache_key = (wh.sha256_of(data), wh.sha256_of(key), config.code)
        if cache_key not in _RULES_CACHE:
            _RULES_CACHE.clear()
            _RULES_CACHE[cache_key] = ssda903_rules.run(tables, extract, key, la=config.code)
        extract.quality.extend(_RULES_CACHE[cache_key])
    from pipelines.measures.ssda903 import monthly  # lazy: only 903 extracts need it (lacdash ingest's start-up)
    frame, year_end, kids = monthly.compute(extract, area_code=config.code,
                                            catalogue=catalogue,
                                            population=population(config))
    quality = pd.DataFrame(extract.quality, columns=QUALITY_COLUMNS)
    problems = list(problems) + _summary_problems(label, quality)
    return CheckedExtract(label, data, frame, problems, rows_read, quality, year_end,
                          kids if len(kids) else None,
                          tables={"ssda903_quality": quality, "ssda903_year_end": year_end})


def keep_loaded_figures(plan: wh.Plan, frame: pd.DataFrame) -> pd.DataFrame:
    """A figure the extract cannot give (missing, with its reason) never replaces a figure
    already loaded for that month, e.g. distance from home typed in from another source."""
    r = plan.revised
    if r is None or not len(r):
        return frame
    hide = r[r["value"].isna() & r["old_value"].notna()]
    if not len(hide):
        return frame
    key = ["indicator_code", "area_code", "period_end", "breakdown"]
    drop = hide[key].assign(_drop=True)
    drop["period_end"] = pd.to_datetime(drop["period_end"]).astype("datetime64[us]")
    f = frame.merge(drop, on=key, how="left")
    return f[f["_drop"].isna()].drop(columns="_drop").reset_index(drop=True)


def _label(names, extract=None) -> str:
    span = ""
    if extract is not None and extract.years:
        a, b = extract.years[0], extract.years[-1]
        span = f", {ssda903.year_label(a)}" + (f" to {ssda903.year_label(b)}" if b != a else "")
    return f"SSDA903 extract ({len(names)} file{'s' if len(names) != 1 else ''}{span})"


def _summary_problems(label: str, quality: pd.DataFrame) -> list[Problem]:
    """One warning per kind of repair, gap or DfE rule, with how many children and rows."""
    out = []
    q = quality[quality["severity"] != "info"]
    dfe = q[q["kind"] == "dfe rule"]
    if len(dfe):
        top = dfe["rule"].value_counts().head(5)
        out.append(Problem(label, None, None, None, "", "warning", (
            f"{label}: DfE validation rules: {dfe['rule'].nunique()} rule(s) failed on "
            f"{len(dfe)} child-and-rule rows about {dfe['child'].nunique()} child(ren) "
            f"(most: {', '.join(f'{r} x{n}' for r, n in top.items())}); the figures are "
            "computed all the same; see the data-quality report (/data-quality)")))
    q = q[q["kind"] != "dfe rule"]
    for (kind, rule), g in q.groupby(["kind", "rule"], sort=True):
        children = g["child"].replace("", pd.NA).dropna().nunique()
        msg = (f"{label}: {kind} '{rule}': {len(g)} row(s), {children} child(ren); see the "
               "data-quality report (/data-quality) for each child and row")
        out.append(Problem(label, None, None, None, "", "warning", msg))
    return out
