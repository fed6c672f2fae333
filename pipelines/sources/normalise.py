"""Raw table (from readers) -> canonical long frame: detect the layout ("kind"), let the layout's
module read its rows, then parse values, apply the percent scale rule and build the frame.

Kinds, told apart by their cleaned column names (``detect_kind``), one module each in
``pipelines/sources/layouts/``:

- ``long`` (``layouts/long.py``): one row per indicator and period;
- ``wide`` (``layouts/wide.py``): one row per indicator, one column per period;
- ``ees`` (``layouts/ees.py``): DfE open data, one column per measure;
- ``lginform`` (``layouts/lginform.py``): LG Inform+ downloads;
- ``handkeyed`` (``layouts/handkeyed.py``): a short comparator file (indicator, year, area, value);
- ``adoption``: child-level adoption records (detected here, parsed by
  ``pipelines.measures.adoption``).

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

import pandas as pd

from pipelines.core.canonical import COLUMNS
from pipelines.core.problems import Problem
from pipelines.sources.layouts import LAYOUTS, LOCAL_KINDS
from pipelines.sources.layouts.base import (
    BLANK, Ctx, Item, count_rows, find, header_map, is_period, parse_value, row_list,
)
from pipelines.sources.validate import TEXT_REASON

PERCENT_RULE = __doc__.split("quoted in the README):\n\n", 1)[1].strip() + "\n"

KINDS = ("long", "wide", "ees", "lginform", "handkeyed", "adoption")
ADOPTION_COLUMNS = {"child_id", "date_of_birth", "date_entered_care", "date_placed_for_adoption",
                    "date_adoption_order", "date_placement_order", "date_matched"}



def detect_kind(raw: pd.DataFrame) -> str:
    """Which layout a raw table is in, by its cleaned column names."""
    cols = header_map(raw)
    names = set(cols)
    if len(names & ADOPTION_COLUMNS) >= 2 or "child_id" in names:
        return "adoption"
    if {"time_period", "geographic_level"} <= names:
        return "ees"
    if {"indicator", "measure", "value"} <= names and ("unit" in names or "area_name" in names):
        return "lginform"
    has_ind = find(cols, "indicator") is not None
    if has_ind and "year" in names and find(cols, "area") and not find(cols, "period"):
        return "handkeyed"
    if has_ind and not find(cols, "period") and any(is_period(c) for c in cols.values()):
        return "wide"
    return "long"


# ------------------------------------------------------------------ values
def _values(ctx: Ctx, items: list[Item]) -> None:
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


def _percent_scale(ctx: Ctx, items: list[Item], kind: str) -> None:
    """Apply PERCENT_RULE to percent indicators."""
    undecided: dict[str, list[Item]] = {}
    above_one: set[str] = set()
    for it in items:
        # a breakdown has its own unit (children by Ofsted rating are counts under a percentage)
        if it.ind is None or it.ind.unit_of(it.breakdown) != "percent" or it.value != it.value:
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
            shown = row_list(sorted({it.row for it in between}))
            first = between[0]
            ctx.error(first.row, first.column, first.value_text,
                      "61% or 61 (not 0.61), or a numerator and denominator",
                      f"ambiguous percentages for {code} ({shown}): every value is between 0 and 1, "
                      "so 0.61 could mean 61% or 0.61%")


def _frame(items: list[Item]) -> pd.DataFrame:
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
    return canonical_dtypes(pd.DataFrame(data))


def canonical_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """The canonical columns in order, with their dtypes (every layout's and published file's
    frame goes through here)."""
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
    return canonical_dtypes(pd.DataFrame({c: [] for c in COLUMNS}))


def _drop_exact_duplicates(ctx: Ctx, frame: pd.DataFrame) -> pd.DataFrame:
    cols = ["indicator_code", "area_code", "period_start", "period_end", "period_label", "breakdown",
            "value", "numerator", "denominator", "status"]
    dup = frame.duplicated(cols, keep="first")
    if dup.any():
        rows = frame.loc[dup, "source_row"].tolist()
        ctx.warn(None, None, None, "",
                 f"dropped {count_rows(len(rows))} repeating an earlier row exactly ({row_list(rows)})")
        frame = frame.loc[~dup].reset_index(drop=True)
    return frame


def normalise(raw: pd.DataFrame, kind: str, *, file_name: str, catalogue, config
              ) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn a raw table of the given kind into the canonical long frame and the problems found."""
    if kind not in LAYOUTS:
        msg = "adoption files are parsed by pipelines.measures.adoption" if kind == "adoption" else \
            f"unknown kind '{kind}'"
        raise ValueError(f"{msg}; normalise handles {', '.join(LAYOUTS)}")
    ctx = Ctx(raw, file_name, catalogue, config)
    items = LAYOUTS[kind](ctx)
    _values(ctx, items)
    _percent_scale(ctx, items, kind)
    frame = _drop_exact_duplicates(ctx, _frame(items))
    frame.attrs["source_columns"] = dict(ctx.source_columns)
    return frame, ctx.problems
