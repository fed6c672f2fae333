"""``wide``: one row per indicator, one column per period (the headers are periods).

Blank cells are not figures and are not loaded. The configured authority's figures unless an
area column says otherwise.
"""

from __future__ import annotations

from pipelines.sources.layouts.base import (
    Ctx, Item, cell, find, is_period, read_area, read_breakdown, read_status, table_records,
)
from pipelines.sources.readers import ROW

KIND = "wide"


def read(ctx: Ctx) -> list[Item]:
    c = ctx.cols
    ind_col = find(c, "indicator")
    if not ctx.require({"indicator": ind_col}):
        return []
    area_col, status_col = find(c, "area"), find(c, "status")
    bcols = {clean: orig for clean, orig in c.items() if clean in ctx.dims}
    if (b := find(c, "breakdown")) is not None:
        bcols["breakdown"] = b
    period_cols = [orig for orig in c.values() if is_period(orig)]
    if not period_cols:
        ctx.error(ctx.header_row, None, None, "column headers that are months, such as Jan 2018",
                  "missing required period columns")
        return []
    ctx.source_columns.update(indicator_code=ind_col)
    items = []
    for rec in table_records(ctx, ind_col):
        raw_ind = cell(rec, ind_col)
        if raw_ind is None:
            ctx.error(rec[ROW], ind_col, None, "an indicator code", "indicator missing")
            continue
        code, ind = ctx.indicator(raw_ind)
        area = read_area(ctx, rec, area_col, ctx.config.code) if area_col else ctx.config.code
        if area is None:
            continue
        bd = read_breakdown(ctx, rec, ind, bcols)
        status = read_status(ctx, rec, status_col)
        for col in period_cols:
            v = cell(rec, col)
            if v is None:
                continue  # an empty cell in a grid is "no figure", not a missing figure
            items.append(Item(code, ind, area, ctx.period(col, ind), str(col), bd, v, rec[ROW], col,
                              status=status))
    return items
