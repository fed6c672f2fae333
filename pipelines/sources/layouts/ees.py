"""``ees``: DfE open data (explore-education-statistics).

Columns ``time_period``, ``time_identifier``, ``geographic_level``, area code columns, then one
column per measure named by our code or a published name. Figures are already percentages.
"""

from __future__ import annotations

from pipelines.core.areas import ENGLAND, resolve_area
from pipelines.sources.layouts.base import (
    Ctx, Item, NO_PERIOD, SYMBOLS, cell, count_rows, table_records, to_number,
)
from pipelines.sources.readers import ROW

KIND = "ees"


EES_DESCRIPTIVE = {
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "la_code",
    "lad_code", "lad_name", "pcon_code", "pcon_name", "school_urn", "school_laestab",
    "school_name", "opportunity_area_code", "opportunity_area_name", "english_devolved_area_code",
    "english_devolved_area_name", "local_enterprise_partnership_code", "local_enterprise_partnership_name",
}


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
    ok = sum(1 for v in vals if str(v).strip().lower() in SYMBOLS or to_number(str(v)) is not None)
    return ok * 2 > len(vals)


def read(ctx: Ctx) -> list[Item]:
    c = ctx.cols
    records = table_records(ctx, c.get("time_period"))
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
        level = str(cell(rec, c["geographic_level"]) or "").strip().lower()
        if level == "national":
            area = ENGLAND
        elif level == "regional":
            area = next((resolve_area(cell(rec, c[k])) for k in ("region_code", "region_name")
                         if k in c and cell(rec, c[k]) is not None), None)
        elif level == "local authority":
            area = next((resolve_area(cell(rec, c[k])) for k in ("new_la_code", "old_la_code", "la_name")
                         if k in c and cell(rec, c[k]) is not None), None)
        else:
            skipped[level] = skipped.get(level, 0) + 1
            continue
        if area is None:
            ctx.error(rec[ROW], c.get("new_la_code") or c.get("region_code") or c["geographic_level"],
                      cell(rec, c.get("new_la_code") or c.get("region_code")),
                      "a known ONS code or DfE number", f"unknown {level} area")
            continue
        ptext = cell(rec, c["time_period"])
        yt = _ees_year_type(cell(rec, c.get("time_identifier")))
        label, row = str(ptext or ""), rec[ROW]
        periods = {}  # one parse per row and year type, not per measure
        for col, ind, ind_yt in measure_list:
            key = yt or ind_yt
            period = periods.get(key, NO_PERIOD)
            if period is NO_PERIOD:
                period = periods[key] = ctx.period(ptext, ind, yt)
            v = rec.get(col)
            if v is not None and isinstance(v, float) and v != v:
                v = None
            items.append(Item(ind.code, ind, area, period, label, "", v, row, col,
                              already_percent=True))
    for level, n in skipped.items():
        ctx.warn(None, c["geographic_level"], level, "National, Regional or Local authority",
                 f"skipped {count_rows(n)} at another geographic level")
    return items
