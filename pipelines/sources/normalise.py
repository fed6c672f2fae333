"""Raw table (from readers) -> canonical long frame, by layout ("kind").

Kinds, told apart by their cleaned column names (``detect_kind``):

- ``long``: one row per indicator and period: indicator, period, value, optional numerator,
  denominator, breakdown columns (named by a catalogue breakdown dimension such as
  ``placement_type``, or ``breakdown``), area and status;
- ``wide``: one row per indicator, one column per period (the headers are periods); blank cells
  are not figures and are not loaded;
- ``ees``: DfE open data (``time_period``, ``time_identifier``, ``geographic_level``, area code
  columns, then one column per measure named by our code or a published name);
- ``lginform``: LG Inform+ downloads (``area_code, area_name, period, indicator, measure, unit,
  value``); the indicator is named by its published name. LG Inform+ gives several rows per
  indicator (the percentage, and counts behind it): for a percent indicator we keep the rows
  whose ``measure`` or ``unit`` says percent (``%``/``percent``/``percentage``); for any other
  indicator the rows whose ``measure`` and ``unit`` do not. Other rows are skipped (one
  warning says how many);
- ``handkeyed``: a short comparator file: indicator, year, area (a code, a name, "England",
  "West Midlands", "statistical neighbours" -> ``SN``), value;
- ``adoption``: child-level adoption records (detected here, parsed by ``adoption.py``).

Local extracts (long and wide) are the configured authority's figures unless an area column
says otherwise.

Values: thousands separators (``1,234``) and a trailing ``%`` are read; DfE symbols and blanks
are missing with a reason (``c: suppressed for confidentiality``), never zero; other text is
kept as missing with the reason ``not a number: ...`` and reported by validation.

The percent scale rule (also ``PERCENT_RULE``, quoted in the README):

Percentages are stored on the 0-100 scale. For an indicator whose unit is percent:
1. A value written with % (61%) is a percentage: 61% is 61.
2. DfE open-data (EES) and LG Inform+ figures are already percentages: 61 is 61 and 0.6 is 0.6.
3. In local extracts and hand-keyed files, when a row gives a numerator and denominator, the
   scale that agrees with numerator / denominator wins: 0.61 with 61 of 100 is 61; 61 is 61.
4. Otherwise, per indicator per file: if any value of that indicator in the file is above 1,
   every value is a percentage (so 0.9 beside 1.7 is 0.9%). If every value is between 0 and 1
   and at least one is strictly between (0.61), the file is ambiguous and is refused: write
   61% or 61, or give the numerator and denominator. Values that are all exactly 0 or 1 are
   read as percentages (0% and 1%).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipelines.core.areas import resolve_area
from pipelines.core.periods import Period, PeriodError, parse_period
from pipelines.sources.readers import ROW, clean_header
from pipelines.sources.validate import TEXT_REASON, Problem

PERCENT_RULE = __doc__.split("quoted in the README):\n\n", 1)[1].strip() + "\n"

KINDS = ("long", "wide", "ees", "lginform", "handkeyed", "adoption")
ENGLAND = "E92000001"

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

EES_DESCRIPTIVE = {
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "la_code",
    "lad_code", "lad_name", "pcon_code", "pcon_name", "school_urn", "school_laestab",
    "school_name", "opportunity_area_code", "opportunity_area_name", "english_devolved_area_code",
    "english_devolved_area_name", "local_enterprise_partnership_code", "local_enterprise_partnership_name",
}
ADOPTION_COLUMNS = {"child_id", "date_of_birth", "date_entered_care", "date_placed_for_adoption",
                    "date_adoption_order", "date_placement_order", "date_matched"}
_NOTE = re.compile(r"^\s*(note|source|total|\*)", re.I)
_FORMULA = re.compile(r"^[=+\-@]\s*[A-Za-z]")
_FORMULA_START = frozenset("=+-@")  # a cheap test before the pattern (most cells are figures)
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
LOCAL_KINDS = ("long", "wide", "handkeyed")

COLUMNS = ["indicator_code", "area_code", "period_start", "period_end", "period_label",
           "period_type", "breakdown", "value", "numerator", "denominator", "missing_reason",
           "status", "source_row", "source_column"]


# ------------------------------------------------------------------ detection
def _columns(raw: pd.DataFrame) -> dict[str, str]:
    """cleaned name -> original header (first wins)."""
    out: dict[str, str] = {}
    for c in raw.columns:
        if c != ROW:
            out.setdefault(clean_header(c), c)
    return out


def _find(cols: dict[str, str], role: str) -> str | None:
    for name in SYNONYMS[role]:
        if name in cols:
            return cols[name]
    return None


def _is_period(text) -> bool:
    try:
        parse_period(text)
        return True
    except PeriodError:
        return False


def detect_kind(raw: pd.DataFrame) -> str:
    """Which layout a raw table is in, by its cleaned column names."""
    cols = _columns(raw)
    names = set(cols)
    if len(names & ADOPTION_COLUMNS) >= 2 or "child_id" in names:
        return "adoption"
    if {"time_period", "geographic_level"} <= names:
        return "ees"
    if {"indicator", "measure", "value"} <= names and ("unit" in names or "area_name" in names):
        return "lginform"
    has_ind = _find(cols, "indicator") is not None
    if has_ind and "year" in names and _find(cols, "area") and not _find(cols, "period"):
        return "handkeyed"
    if has_ind and not _find(cols, "period") and any(_is_period(c) for c in cols.values()):
        return "wide"
    return "long"


# ------------------------------------------------------------------ items
@dataclass(slots=True)  # thousands per national file: slots make them cheaper to build
class _Item:
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
    # filled by _values
    value: float = float("nan")
    reason: str | None = None
    numerator: float = float("nan")
    denominator: float = float("nan")
    pct_sign: bool = False
    extra: dict = field(default_factory=dict)


class _Ctx:
    def __init__(self, raw, file_name, catalogue, config):
        self.raw = raw
        self.file = file_name
        self.cat = catalogue
        self.config = config
        self.cols = _columns(raw)
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
        return _period_or_none(text if text is None else str(text), yt)

    def require(self, roles: dict[str, str | None]) -> bool:
        missing = [r for r, c in roles.items() if c is None]
        for r in missing:
            self.error(self.header_row, None, None,
                       f"a column named one of: {', '.join(SYNONYMS.get(r, (r,)))}",
                       f"missing required column '{r}'")
        return not missing


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _row_list(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:6])) + (" ..." if len(rows) > 6 else "")
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}"


_NO_PERIOD = object()


@functools.lru_cache(maxsize=4096)  # national files repeat a handful of periods many times
def _period_or_none(text, year_type) -> Period | None:
    try:
        return parse_period(text, year_type)
    except PeriodError:
        return None  # kept with no date; validation reports it with the reason


def _cell(rec, col):
    if col is None:
        return None
    v = rec.get(col)
    return None if v is None or (isinstance(v, float) and v != v) else v


def _records(raw: pd.DataFrame) -> list[dict]:
    """``raw.to_dict("records")``, built from whole columns (several times faster)."""
    names = list(raw.columns)
    if len(set(names)) != len(names):
        return raw.to_dict("records")
    columns = [raw[c].tolist() for c in names]
    return [dict(zip(names, vals)) for vals in zip(*columns)]


def _table_records(ctx: _Ctx, key_col: str | None) -> list[dict]:
    """The data rows: stop at a blank row followed by prose; skip notes and formula rows."""
    data_cols = [c for c in ctx.raw.columns if c != ROW]
    recs = _records(ctx.raw)
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
        key = _cell(rec, key_col) if key_col else _cell(rec, filled[0])
        if key is not None and _NOTE.match(str(key)):
            notes += 1
            continue
        if len(filled) == 1 and ctx.cat.resolve(str(_cell(rec, filled[0]))) is None:
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
        ctx.warn(None, None, None, "", f"skipped {_rows(notes)} of notes, totals or prose under the table")
    return out


def _breakdown(ctx: _Ctx, rec, ind, bcols: dict[str, str]) -> str:
    parts = {}
    for dim, col in bcols.items():
        v = _cell(rec, col)
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


def _area(ctx: _Ctx, rec, col, default=None) -> str | None:
    text = _cell(rec, col)
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


def _status(ctx: _Ctx, rec, col) -> str:
    s = str(_cell(rec, col) or "").strip().lower()
    if s.startswith("prov"):
        return "provisional"
    if s == "":
        return ""  # not stated: a re-stated value keeps the status it has
    if s in ("final", "f", "revised", "r", "actual"):
        return "final"
    ctx.warn(rec[ROW], col, s, "provisional or final", "unknown status, read as final")
    return "final"


# ------------------------------------------------------------------ layouts
def _long(ctx: _Ctx) -> list[_Item]:
    c = ctx.cols
    roles = {r: _find(c, r) for r in ("indicator", "period", "value")}
    if not ctx.require(roles):
        return []
    num, den, area_col, status_col = (_find(c, r) for r in ("numerator", "denominator", "area", "status"))
    bcols = {clean: orig for clean, orig in c.items() if clean in ctx.dims}
    if (b := _find(c, "breakdown")) is not None:
        bcols["breakdown"] = b
    ctx.source_columns.update(indicator_code=roles["indicator"], period=roles["period"],
                              value=roles["value"], numerator=num or "numerator",
                              denominator=den or "denominator")
    ctx.source_columns.update({f"breakdown:{d}": col for d, col in bcols.items()})
    items = []
    for rec in _table_records(ctx, roles["indicator"]):
        raw_ind = _cell(rec, roles["indicator"])
        if raw_ind is None:
            ctx.error(rec[ROW], roles["indicator"], None, "an indicator code", "indicator missing")
            continue
        code, ind = ctx.indicator(raw_ind)
        area = _area(ctx, rec, area_col, ctx.config.code) if area_col else ctx.config.code
        if area is None:
            continue
        ptext = _cell(rec, roles["period"])
        items.append(_Item(
            code, ind, area, ctx.period(ptext, ind), "" if ptext is None else str(ptext),
            _breakdown(ctx, rec, ind, bcols), _cell(rec, roles["value"]), rec[ROW], roles["value"],
            _cell(rec, num), _cell(rec, den), _status(ctx, rec, status_col)))
    return items


def _wide(ctx: _Ctx) -> list[_Item]:
    c = ctx.cols
    ind_col = _find(c, "indicator")
    if not ctx.require({"indicator": ind_col}):
        return []
    area_col, status_col = _find(c, "area"), _find(c, "status")
    bcols = {clean: orig for clean, orig in c.items() if clean in ctx.dims}
    if (b := _find(c, "breakdown")) is not None:
        bcols["breakdown"] = b
    period_cols = [orig for orig in c.values() if _is_period(orig)]
    if not period_cols:
        ctx.error(ctx.header_row, None, None, "column headers that are months, such as Jan 2018",
                  "missing required period columns")
        return []
    ctx.source_columns.update(indicator_code=ind_col)
    items = []
    for rec in _table_records(ctx, ind_col):
        raw_ind = _cell(rec, ind_col)
        if raw_ind is None:
            ctx.error(rec[ROW], ind_col, None, "an indicator code", "indicator missing")
            continue
        code, ind = ctx.indicator(raw_ind)
        area = _area(ctx, rec, area_col, ctx.config.code) if area_col else ctx.config.code
        if area is None:
            continue
        bd = _breakdown(ctx, rec, ind, bcols)
        status = _status(ctx, rec, status_col)
        for col in period_cols:
            v = _cell(rec, col)
            if v is None:
                continue  # an empty cell in a grid is "no figure", not a missing figure
            items.append(_Item(code, ind, area, ctx.period(col, ind), str(col), bd, v, rec[ROW], col,
                               status=status))
    return items


def _ees_year_type(identifier) -> str | None:
    s = str(identifier or "").lower()
    if "financial" in s or "reporting" in s:
        return "financial"
    if "academic" in s:
        return "academic"
    if "calendar" in s:
        return "calendar"
    return None


def _mostly_numbers(values) -> bool:
    vals = [v for v in values if v is not None]
    if not vals:
        return False
    ok = sum(1 for v in vals if str(v).strip().lower() in SYMBOLS or _to_number(str(v)) is not None)
    return ok * 2 > len(vals)


def _ees(ctx: _Ctx) -> list[_Item]:
    c = ctx.cols
    records = _table_records(ctx, c.get("time_period"))
    measures = {}
    for clean, orig in c.items():
        if clean in EES_DESCRIPTIVE:
            continue
        ind = ctx.cat.resolve(orig) or ctx.cat.resolve(clean)
        if ind is not None:
            measures[orig] = ind
        elif _mostly_numbers([r.get(orig) for r in records]):
            ctx.warn(ctx.header_row, orig, orig, "an indicator code or published name from the catalogue",
                     "unknown measure column, not loaded")
    if not measures:
        ctx.error(ctx.header_row, None, None, "at least one column named by an indicator code or published name",
                  "no measure columns")
        return []
    ctx.source_columns.update(period=c["time_period"])
    measure_list = [(col, ind, getattr(ind, "year_type", None) or "financial")
                    for col, ind in measures.items()]
    skipped: dict[str, int] = {}
    items = []
    for rec in records:
        level = str(_cell(rec, c["geographic_level"]) or "").strip().lower()
        if level == "national":
            area = ENGLAND
        elif level == "regional":
            area = next((resolve_area(_cell(rec, c[k])) for k in ("region_code", "region_name")
                         if k in c and _cell(rec, c[k]) is not None), None)
        elif level == "local authority":
            area = next((resolve_area(_cell(rec, c[k])) for k in ("new_la_code", "old_la_code", "la_name")
                         if k in c and _cell(rec, c[k]) is not None), None)
        else:
            skipped[level] = skipped.get(level, 0) + 1
            continue
        if area is None:
            ctx.error(rec[ROW], c.get("new_la_code") or c.get("region_code") or c["geographic_level"],
                      _cell(rec, c.get("new_la_code") or c.get("region_code")),
                      "a known ONS code or DfE number", f"unknown {level} area")
            continue
        ptext = _cell(rec, c["time_period"])
        yt = _ees_year_type(_cell(rec, c.get("time_identifier")))
        label, row = str(ptext or ""), rec[ROW]
        periods = {}  # one parse per row and year type, not per measure
        for col, ind, ind_yt in measure_list:
            key = yt or ind_yt
            period = periods.get(key, _NO_PERIOD)
            if period is _NO_PERIOD:
                period = periods[key] = ctx.period(ptext, ind, yt)
            v = rec.get(col)
            if v is not None and isinstance(v, float) and v != v:
                v = None
            items.append(_Item(ind.code, ind, area, period, label, "", v, row, col,
                               already_percent=True))
    for level, n in skipped.items():
        ctx.warn(None, c["geographic_level"], level, "National, Regional or Local authority",
                 f"skipped {_rows(n)} at another geographic level")
    return items


def _is_percent_word(*texts) -> bool:
    return any(t is not None and re.search(r"%|percent", str(t), re.I) for t in texts)


def _lginform(ctx: _Ctx) -> list[_Item]:
    c = ctx.cols
    roles = {r: c.get(r) for r in ("period", "indicator", "value")}
    area_col = c.get("area_code") or c.get("area_name")
    if not ctx.require(roles | {"area_code": area_col}):
        return []
    ctx.source_columns.update(indicator_code=roles["indicator"], period=roles["period"])
    items, skipped = [], 0
    for rec in _table_records(ctx, roles["indicator"]):
        code, ind = ctx.indicator(_cell(rec, roles["indicator"]))
        measure, unit = _cell(rec, c.get("measure")), _cell(rec, c.get("unit"))
        if ind is not None and _is_percent_word(measure, unit) != (ind.unit == "percent"):
            skipped += 1  # the counts behind a percentage, or a percentage beside a count
            continue
        area = _area(ctx, rec, c.get("area_code")) if _cell(rec, c.get("area_code")) else \
            _area(ctx, rec, c.get("area_name"))
        if area is None:
            continue
        ptext = _cell(rec, roles["period"])
        items.append(_Item(code, ind, area, ctx.period(ptext, ind), str(ptext or ""), "",
                           _cell(rec, roles["value"]), rec[ROW], roles["value"], already_percent=True))
    if skipped:
        ctx.warn(None, c.get("measure"), None, "",
                 f"skipped {_rows(skipped)} whose measure is not the indicator's own value")
    return items


def _handkeyed(ctx: _Ctx) -> list[_Item]:
    c = ctx.cols
    roles = {"indicator": _find(c, "indicator"), "year": c.get("year"), "area": _find(c, "area"),
             "value": _find(c, "value")}
    if not ctx.require(roles):
        return []
    num, den = _find(c, "numerator"), _find(c, "denominator")
    ctx.source_columns.update(indicator_code=roles["indicator"], period=roles["year"],
                              numerator=num or "numerator", denominator=den or "denominator")
    items = []
    for rec in _table_records(ctx, roles["indicator"]):
        raw_ind = _cell(rec, roles["indicator"])
        if raw_ind is None:
            ctx.error(rec[ROW], roles["indicator"], None, "an indicator code", "indicator missing")
            continue
        code, ind = ctx.indicator(raw_ind)
        area = _area(ctx, rec, roles["area"])
        if area is None:
            continue
        ptext = _cell(rec, roles["year"])
        items.append(_Item(code, ind, area, ctx.period(ptext, ind), str(ptext or ""), "",
                           _cell(rec, roles["value"]), rec[ROW], roles["value"],
                           _cell(rec, num), _cell(rec, den)))
    return items


LAYOUTS = {"long": _long, "wide": _wide, "ees": _ees, "lginform": _lginform, "handkeyed": _handkeyed}


# ------------------------------------------------------------------ values
def _to_number(s: str) -> float | None:
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
    n = _to_number(s.rstrip("%").strip() if pct else s)
    if n is None:
        return float("nan"), TEXT_REASON + s, False
    return n, None, pct


def _values(ctx: _Ctx, items: list[_Item]) -> None:
    # Each distinct cell text is parsed once (national files repeat symbols and figures), and
    # an absent numerator or denominator (most rows) is NaN without parsing.
    parsed: dict = {}

    def parse(text):
        if type(text) is not str:  # readers give str or None; anything else is parsed as it is
            return parse_value(text)
        r = parsed.get(text)
        if r is None:
            r = parsed[text] = parse_value(text)
        return r

    nan = float("nan")
    for it in items:
        it.value, it.reason, it.pct_sign = parse(it.value_text)
        for part in ("numerator", "denominator"):
            text = it.numerator_text if part == "numerator" else it.denominator_text
            if text is None:
                v = nan
            else:
                v, reason, _ = parse(text)
                if reason and reason.startswith(TEXT_REASON):
                    ctx.error(it.row, ctx.source_columns.get(part, part), text, "a number or a blank",
                              "text where a number belongs")
            setattr(it, part, v)


def _percent_scale(ctx: _Ctx, items: list[_Item], kind: str) -> None:
    """Apply PERCENT_RULE to percent indicators."""
    undecided: dict[str, list[_Item]] = {}
    above_one: set[str] = set()
    for it in items:
        if it.ind is None or it.ind.unit != "percent" or it.value != it.value:
            continue
        if it.pct_sign or it.already_percent or kind not in LOCAL_KINDS:
            pass
        elif it.numerator == it.numerator and it.denominator == it.denominator and it.denominator > 0:
            r = it.numerator / it.denominator
            if abs(it.value - r) < abs(it.value - 100 * r):
                it.value = it.value * 100
        else:
            undecided.setdefault(it.code, []).append(it)
            continue
        if it.value > 1:
            above_one.add(it.code)
    for code, group in undecided.items():
        if code in above_one or any(it.value > 1 for it in group):
            continue
        between = [it for it in group if 0 < it.value < 1]
        if between:
            shown = _row_list(sorted({it.row for it in between}))
            first = between[0]
            ctx.error(first.row, first.column, first.value_text,
                      f"61% or 61 (not 0.61), or a numerator and denominator",
                      f"ambiguous percentages for {code} ({shown}): every value is between 0 and 1, "
                      "so 0.61 could mean 61% or 0.61%")


def _frame(items: list[_Item]) -> pd.DataFrame:
    # A blank cell says nothing: it neither loads a missing value nor overwrites a real one
    # (a blank template loaded by mistake changes nothing). Symbols such as `c` do load.
    items = [it for it in items if not (it.reason == BLANK and it.value != it.value
                                        and it.numerator != it.numerator
                                        and it.denominator != it.denominator)]
    if not items:
        return empty_frame()
    data = {
        "indicator_code": [it.code for it in items],
        "area_code": [it.area for it in items],
        "period_start": [it.period.start if it.period else None for it in items],
        "period_end": [it.period.end if it.period else None for it in items],
        "period_label": [it.period.label if it.period else it.period_text for it in items],
        "period_type": [it.period.type if it.period else "" for it in items],
        "breakdown": [it.breakdown for it in items],
        "value": [it.value for it in items],
        "numerator": [it.numerator for it in items],
        "denominator": [it.denominator for it in items],
        "missing_reason": [it.reason if it.value != it.value else None for it in items],
        "status": [it.status for it in items],
        "source_row": [int(it.row) for it in items],
        "source_column": [str(it.column) for it in items],
    }
    return _typed(pd.DataFrame(data))


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in ("period_start", "period_end"):
        out[c] = pd.to_datetime(out[c]).astype("datetime64[us]")
    for c in ("value", "numerator", "denominator"):
        out[c] = out[c].astype("float64")
    out["source_row"] = out["source_row"].astype("int64")
    for c in ("indicator_code", "area_code", "period_label", "period_type", "breakdown", "status",
              "source_column", "missing_reason"):
        out[c] = out[c].astype("str") if c != "missing_reason" else out[c].astype("str").where(out[c].notna())
    return out[COLUMNS]


def empty_frame() -> pd.DataFrame:
    """A canonical frame with no rows and the right dtypes."""
    return _typed(pd.DataFrame({c: [] for c in COLUMNS}))


def _drop_exact_duplicates(ctx: _Ctx, frame: pd.DataFrame) -> pd.DataFrame:
    cols = ["indicator_code", "area_code", "period_start", "period_end", "period_label", "breakdown",
            "value", "numerator", "denominator", "status"]
    dup = frame.duplicated(cols, keep="first")
    if dup.any():
        rows = frame.loc[dup, "source_row"].tolist()
        ctx.warn(None, None, None, "",
                 f"dropped {_rows(len(rows))} repeating an earlier row exactly ({_row_list(rows)})")
        frame = frame.loc[~dup].reset_index(drop=True)
    return frame


def normalise(raw: pd.DataFrame, kind: str, *, file_name: str, catalogue, config
              ) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn a raw table of the given kind into the canonical long frame and the problems found."""
    if kind not in LAYOUTS:
        msg = "adoption files are parsed by pipelines.measures.adoption" if kind == "adoption" else \
            f"unknown kind '{kind}'"
        raise ValueError(f"{msg}; normalise handles {', '.join(LAYOUTS)}")
    ctx = _Ctx(raw, file_name, catalogue, config)
    items = LAYOUTS[kind](ctx)
    _values(ctx, items)
    _percent_scale(ctx, items, kind)
    frame = _drop_exact_duplicates(ctx, _frame(items))
    frame.attrs["source_columns"] = dict(ctx.source_columns)
    return frame, ctx.problems
