"""``lginform``: LG Inform+ downloads (``area_code, area_name, period, indicator, measure, unit, value``).

The indicator is named by its published name. LG Inform+ gives several rows per indicator (the
percentage, and counts behind it): for a percent indicator we keep the rows whose ``measure`` or
``unit`` says percent (``%``/``percent``/``percentage``); for any other indicator the rows whose
``measure`` and ``unit`` do not. Other rows are skipped (one warning says how many).
"""

from __future__ import annotations

import re

from pipelines.sources.layouts.base import Ctx, Item, cell, count_rows, read_area, table_records
from pipelines.sources.readers import ROW

KIND = "lginform"


def _is_percent_word(*texts) -> bool:
    return any(t is not None and re.search(r"%|percent", str(t), re.I) for t in texts)


def read(ctx: Ctx) -> list[Item]:
    c = ctx.cols
    roles = {r: c.get(r) for r in ("period", "indicator", "value")}
    area_col = c.get("area_code") or c.get("area_name")
    if not ctx.require(roles | {"area_code": area_col}):
        return []
    ctx.source_columns.update(indicator_code=roles["indicator"], period=roles["period"])
    items, skipped = [], 0
    for rec in table_records(ctx, roles["indicator"]):
        code, ind = ctx.indicator(cell(rec, roles["indicator"]))
        measure, unit = cell(rec, c.get("measure")), cell(rec, c.get("unit"))
        if ind is not None and _is_percent_word(measure, unit) != (ind.unit == "percent"):
            skipped += 1  # the counts behind a percentage, or a percentage beside a count
            continue
        area = read_area(ctx, rec, c.get("area_code")) if cell(rec, c.get("area_code")) else \
            read_area(ctx, rec, c.get("area_name"))
        if area is None:
            continue
        ptext = cell(rec, roles["period"])
        items.append(Item(code, ind, area, ctx.period(ptext, ind), str(ptext or ""), "",
                          cell(rec, roles["value"]), rec[ROW], roles["value"], already_percent=True))
    if skipped:
        ctx.warn(None, c.get("measure"), None, "",
                 f"skipped {count_rows(skipped)} whose measure is not the indicator's own value")
    return items
