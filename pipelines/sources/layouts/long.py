"""``long``: one row per indicator and period.

Columns: indicator, period, value, optional numerator, denominator, breakdown columns (named by a
catalogue breakdown dimension such as ``placement_type``, or ``breakdown``), area and status. The
configured authority's figures unless an area column says otherwise.
"""

from __future__ import annotations

from pipelines.sources.layouts.base import (
    Ctx, Item, cell, find, read_area, read_breakdown, read_status, table_records,
)
from pipelines.sources.readers import ROW

KIND = "long"


def read(ctx: Ctx) -> list[Item]:
    c = ctx.cols
    roles = {r: find(c, r) for r in ("indicator", "period", "value")}
    if not ctx.require(roles):
        return []
    num, den, area_col, status_col = (find(c, r) for r in ("numerator", "denominator", "area", "status"))
    bcols = {clean: orig for clean, orig in c.items() if clean in ctx.dims}
    if (b := find(c, "breakdown")) is not None:
        bcols["breakdown"] = b
    ctx.source_columns.update(indicator_code=roles["indicator"], period=roles["period"],
                              value=roles["value"], numerator=num or "numerator",
                              denominator=den or "denominator")
    ctx.source_columns.update({f"breakdown:{d}": col for d, col in bcols.items()})
    items = []
    for rec in table_records(ctx, roles["indicator"]):
        raw_ind = cell(rec, roles["indicator"])
        if raw_ind is None:
            ctx.error(rec[ROW], roles["indicator"], None, "an indicator code", "indicator missing")
            continue
        code, ind = ctx.indicator(raw_ind)
        area = read_area(ctx, rec, area_col, ctx.config.code) if area_col else ctx.config.code
        if area is None:
            continue
        ptext = cell(rec, roles["period"])
        items.append(Item(
            code, ind, area, ctx.period(ptext, ind), "" if ptext is None else str(ptext),
            read_breakdown(ctx, rec, ind, bcols), cell(rec, roles["value"]), rec[ROW], roles["value"],
            cell(rec, num), cell(rec, den), read_status(ctx, rec, status_col)))
    return items
