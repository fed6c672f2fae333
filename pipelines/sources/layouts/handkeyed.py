"""``handkeyed``: a short comparator file: indicator, year, area, value.

The area is a code, a name, "England", "West Midlands" or "statistical neighbours" (-> ``SN``).
"""

from __future__ import annotations

from pipelines.sources.layouts.base import Ctx, Item, cell, find, read_area, table_records
from pipelines.sources.readers import ROW

KIND = "handkeyed"


def read(ctx: Ctx) -> list[Item]:
    c = ctx.cols
    roles = {"indicator": find(c, "indicator"), "year": c.get("year"), "area": find(c, "area"),
             "value": find(c, "value")}
    if not ctx.require(roles):
        return []
    num, den = find(c, "numerator"), find(c, "denominator")
    ctx.source_columns.update(indicator_code=roles["indicator"], period=roles["year"],
                              numerator=num or "numerator", denominator=den or "denominator")
    items = []
    for rec in table_records(ctx, roles["indicator"]):
        raw_ind = cell(rec, roles["indicator"])
        if raw_ind is None:
            ctx.error(rec[ROW], roles["indicator"], None, "an indicator code", "indicator missing")
            continue
        code, ind = ctx.indicator(raw_ind)
        area = read_area(ctx, rec, roles["area"])
        if area is None:
            continue
        ptext = cell(rec, roles["year"])
        items.append(Item(code, ind, area, ctx.period(ptext, ind), str(ptext or ""), "",
                          cell(rec, roles["value"]), rec[ROW], roles["value"],
                          cell(rec, num), cell(rec, den)))
    return items
