"""Which breakdown charts an indicator gets, and how each is drawn: the one rule both the
screen (webapp.views) and the board pack (exports.content) follow.

Every breakdown dimension the catalogue lists (`breakdowns:`) and the warehouse holds gets
one chart, in the catalogue's category order. The breakdown's unit is catalogue data
(`Indicator.for_breakdown`): numbers of children in each category (a count indicator, or
e.g. homes by Ofsted rating under a percentage) are stacked bars of counts; percentages of
each category (e.g. health assessments by check type) are bars side by side.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

BREAKDOWN_MONTHS = 13
# How a dimension reads in a heading, where its name alone does not say it.
DIMENSION_LABELS = {"placed": "where the child is placed"}


def dimension_label(dimension: str) -> str:
    return DIMENSION_LABELS.get(dimension, dimension.replace("_", " "))


@dataclass
class BreakdownChart:
    """One breakdown dimension of one indicator, as both screen and pack draw it."""
    indicator: Any
    dimension: str
    categories: list[str]
    frame: pd.DataFrame  # the rows of this dimension (suppressed already in public exports)
    kind: str  # the chart's name in exports and download links: "breakdown" for the first
    shown_as: Any  # the indicator as this breakdown is formatted (its own unit)
    months: int = BREAKDOWN_MONTHS

    @property
    def label(self) -> str:
        return dimension_label(self.dimension)

    @property
    def counts(self) -> bool:
        """Stacked numbers of children; else percentages (or rates) side by side."""
        return self.shown_as.unit == "count"

    @property
    def barmode(self) -> str:
        return "stack" if self.counts else "group"

    @property
    def heading(self) -> str:
        return f"{self.indicator.title} by {self.label}, last {self.months} months"


def breakdown_charts(ind, frame: pd.DataFrame | None) -> list[BreakdownChart]:
    """One chart per catalogue dimension with rows in `frame` (`Warehouse.breakdown_series`,
    with a `dimension` and `category` column), in the catalogue's order."""
    if not ind.breakdowns or frame is None or not len(frame):
        return []
    charts = []
    for dim, order in ind.breakdowns.items():
        part = frame[frame["dimension"] == dim]
        if part.empty:
            continue
        seen = list(dict.fromkeys(part["category"]))
        cats = [c for c in order if c in seen] + [c for c in seen if c not in order]
        kind = "breakdown" if not charts else f"breakdown-{dim}".replace("_", "-")
        charts.append(BreakdownChart(ind, dim, cats, part, kind, ind.for_breakdown(dim)))
    return charts
