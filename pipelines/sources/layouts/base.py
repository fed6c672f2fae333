"""What every layout shares: the column roles, the row walk, cells, areas, statuses, values.

A layout module (``long.py``, ``wide.py``, ...) turns the rows of a raw table into ``Item``s
through a ``Ctx`` (the file, catalogue, configuration and the problems found so far);
``pipelines.sources.normalise`` then parses the values, applies the percent scale rule and builds
the canonical frame. Values: thousands separators (``1,234``) and a trailing ``%`` are read; DfE
symbols and blanks are missing with a reason (``c: suppressed for confidentiality``), never zero;
other text is kept as missing with the reason ``not a number: ...`` and reported by validation.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import pandas as pd

from pipelines.core.areas import resolve_area
from pipelines.core.periods import Period, PeriodError, parse_period
from pipelines.core.problems import Problem
from pipelines.sources.readers import ROW, clean_header
from pipelines.sources.validate import TEXT_REASON

SYNONYMS = {
    "indicator": ("indicator_code", "indicator", "code", "measure_code", "indicator_name"),
    "period": ("period", "month", "date", "time_period", "month_end", "as_at"),
    "value": ("value", "figure", "result", "percentage", "percent"),
    "numerator": ("numerator", "num", "count_meeting"),
    "denominator": ("denominator", "den", "cohort", "total"),
    "area": ("area_code", "area", "la_code", "new_la_code"),
    "status": ("status",),
    "breakdown": ("breakdown",),
}

SYMBOLS = {
    "c": "c: suppressed for confidentiality",
    "z": "z: not applicable",
    "k": "k: rounds to zero but is not zero",
    "x": "x: not available",
    "u": "u: low reliability",
    "low": "low: fewer than 0.5 (rounds to zero)",
    "~": "~: small number, suppressed",
    ":": ":: not available",
    ".": ".: not applicable",
    "n/a": "n/a: not available",
    "na": "n/a: not available",
}
BLANK = "blank: not given"

_NOTE = re.compile(r"^\s*(note|source|total|\*)", re.I)
_FORMULA = re.compile(r"^[=+\-@]\s*[A-Za-z]")
_FORMULA_START = frozenset("=+-@")  # a cheap test before the pattern (most cells are figures)
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")


def header_map(raw: pd.DataFrame) -> dict[str, str]:
    """cleaned name -> original header (first wins)."""
    out: dict[str, str] = {}
    for c in raw.columns:
        if c != ROW:
            out.setdefault(clean_header(c), c)
    return out


def find(cols: dict[str, str], role: str) -> str | None:
    for name in SYNONYMS[role]:
        if name in cols:
            return cols[name]
    return None


def is_period(text) -> bool:
    try:
        parse_period(text)
        return True
    except PeriodError:
        return False


@dataclass(slots=True)  # thousands per national file: slots make them cheaper to build
class Item:
    code: str
    ind: object | None
    area: str
    period: Period | None
    period_text: str
    breakdown: str
    value_text: object
    row: int
    column: str
    numerator_text: object = None
    denominator_text: object = None
    status: str = "final"
    already_percent: bool = False
    # filled by normalise._values
    value: float = float("nan")
    reason: str | None = None
    numerator: float = float("nan")
    denominator: float = float("nan")
    pct_sign: bool = False
    extra: dict = field(default_factory=dict)


class Ctx:
    def __init__(self, raw, file_name, catalogue, config):
        self.raw = raw
        self.file = file_name
        self.cat = catalogue
        self.config = config
        self.cols = header_map(raw)
        self.header_row = int(raw.attrs.get("header_row", 1))
        self.problems: list[Problem] = []
        self.source_columns: dict[str, str] = {}
        self.dims = {d for ind in catalogue for d in (getattr(ind, "breakdowns", None) or {})}

    def error(self, row, column, value, expected, what, severity="error"):
        self.problems.append(Problem.make(self.file, row, column, value, expected, what, severity))

    def warn(self, row, column, value, expected, what):
        self.error(row, column, value, expected, what, "warning")

    def indicator(self, text):
        """(code, Indicator|None): aliases resolved; unknown text kept for validation to report."""
        ind = self.cat.resolve(str(text).strip()) if text is not None else None
        return (ind.code, ind) if ind is not None else (str(text).strip(), None)

    def period(self, text, ind, year_type=None):
        yt = year_type or getattr(ind, "year_type", None) or "financial"
        return period_or_none(text if text is None else str(text), yt)

    def require(self, roles: dict[str, str | None]) -> bool:
        missing = [r for r, c in roles.items() if c is None]
        for r in missing:
            self.error(self.header_row, None, None,
                       f"a column named one of: {', '.join(SYNONYMS.get(r, (r,)))}",
                       f"missing required column '{r}'")
        return not missing


def count_rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def row_list(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:6])) + (" ..." if len(rows) > 6 else "")
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}"


NO_PERIOD = object()


@functools.lru_cache(maxsize=4096)  # national files repeat a handful of periods many times
def period_or_none(text, year_type) -> Period | None:
    try:
        return parse_period(text, year_type)
    except PeriodError:
        return None  # kept with no date; validation reports it with the reason


def cell(rec, col):
    if col is None:
        return None
    v = rec.get(col)
    return None if v is None or (isinstance(v, float) and v != v) else v


def records(raw: pd.DataFrame) -> list[dict]:
    """``raw.to_dict("records")``, built from whole columns (several times faster)."""
    names = list(raw.columns)
    if len(set(names)) != len(names):
        return raw.to_dict("records")
    columns = [raw[c].tolist() for c in names]
    return [dict(zip(names, vals)) for vals in zip(*columns)]


def table_records(ctx: Ctx, key_col: str | None) -> list[dict]:
    """The data rows: stop at a blank row followed by prose; skip notes and formula rows."""
    data_cols = [c for c in ctx.raw.columns if c != ROW]
    recs = records(ctx.raw)
    # which data columns each row fills, worked out once per row
    fills = [[c for c in data_cols
              if (v := rec[c]) is not None and not (isinstance(v, float) and v != v)]
             for rec in recs]
    out, notes = [], 0
    for i, rec in enumerate(recs):
        filled = fills[i]
        if not filled:
            nxt = next((f for f in fills[i + 1:] if f), None)
            if nxt is not None and len(nxt) == 1:
                notes += sum(1 for f in fills[i + 1:] if f)
                break  # the table ends here; what follows is prose
            continue
        key = cell(rec, key_col) if key_col else cell(rec, filled[0])
        if key is not None and _NOTE.match(str(key)):
            notes += 1
            continue
        if len(filled) == 1 and ctx.cat.resolve(str(cell(rec, filled[0]))) is None:
            notes += 1  # a lone line of prose
            continue
        formulas = [c for c in filled
                    if (s := str(rec[c]))[:1] in _FORMULA_START and _FORMULA.match(s)]
        if formulas:
            for c in formulas:
                ctx.error(rec[ROW], c, rec[c], "a plain value (paste as values in Excel)",
                          "formula text")
            continue
        out.append(rec)
    if notes:
        ctx.warn(None, None, None, "", f"skipped {count_rows(notes)} of notes, totals or prose under the table")
    return out


def read_breakdown(ctx: Ctx, rec, ind, bcols: dict[str, str]) -> str:
    parts = {}
    for dim, col in bcols.items():
        v = cell(rec, col)
        if v is None or clean_header(v) in ("", "total", "all", "all_children"):
            continue
        if dim == "breakdown":
            d, sep, val = str(v).partition("=")
            if sep:
                parts[clean_header(d)] = clean_header(val)
                continue
            val = clean_header(v)
            owners = [k for k, vals in (getattr(ind, "breakdowns", None) or {}).items() if val in vals]
            parts[owners[0] if owners else "breakdown"] = val
        else:
            parts[dim] = clean_header(v)
    order = list(getattr(ind, "breakdowns", None) or {})
    keys = sorted(parts, key=lambda d: (order.index(d) if d in order else len(order), d))
    return ";".join(f"{d}={parts[d]}" for d in keys)


def read_area(ctx: Ctx, rec, col, default=None) -> str | None:
    text = cell(rec, col)
    if text is None:
        if default is None:
            ctx.error(rec[ROW], col, None, "an area code or name", "area missing")
        return default
    own = ctx.config
    if str(text).strip().lower() in {str(getattr(own, "name", "")).strip().lower(), str(own.code).lower()}:
        return own.code  # the authority's own name, even when it is not in areas.csv (the sample)
    code = resolve_area(text)
    if code is None:
        ctx.error(rec[ROW], col, text,
                  "an ONS code (E08000031), a DfE number, an area name, West Midlands, "
                  "England or statistical neighbours", "unknown area")
    return code


def read_status(ctx: Ctx, rec, col) -> str:
    s = str(cell(rec, col) or "").strip().lower()
    if s.startswith("prov"):
        return "provisional"
    if s == "":
        return ""  # not stated: a re-stated value keeps the status it has
    if s in ("final", "f", "revised", "r", "actual"):
        return "final"
    ctx.warn(rec[ROW], col, s, "provisional or final", "unknown status, read as final")
    return "final"


def to_number(s: str) -> float | None:
    s = s.strip().replace("\u00a0", "").replace(" ", "")
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    if _NUMBER.match(s):
        return float(s)
    return None


def parse_value(text) -> tuple[float, str | None, bool]:
    """(value, missing_reason, had a % sign). Text that is no number -> NaN, 'not a number: ...'."""
    if text is None:
        return float("nan"), BLANK, False
    s = str(text).strip()
    if not s:
        return float("nan"), BLANK, False
    if s.lower() in SYMBOLS:
        return float("nan"), SYMBOLS[s.lower()], False
    pct = s.endswith("%")
    n = to_number(s.rstrip("%").strip() if pct else s)
    if n is None:
        return float("nan"), TEXT_REASON + s, False
    return n, None, pct
