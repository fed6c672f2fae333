"""Which breakdown charts an indicator gets, and how each is drawn: the one rule both the
screen (webapp.views) and the board pack (exports.content) follow.

Every breakdown dimension the catalogue lists (`breakdowns:`) and the warehouse holds gets
one chart, in the catalogue's category order. Numbers of children in each category (a count
indicator, or categories published without a numerator, e.g. homes by Ofsted rating behind
a percentage) are stacked bars of counts; percentages of each category (with numerator and
denominator, e.g. health assessments by check type) are bars side by side.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

BREAKDOWN_MONTHS = 13
# How a dimension reads in a heading, where its name alone does not say it.
DIMENSION_LABELS = {"placed": "where the child is placed"}


def dimension_label(dimension: str) -> str:
    return DIMENSION_LABELS.get(dimension, dimension.replace("_", " "))


def _as_counts(ind):
    """The indicator as its categories are counted: whole numbers of children."""
    if ind.unit == "count":
        return ind
    if hasattr(ind, "model_copy"):  # a pydantic catalogue model
        return ind.model_copy(update={"unit": "count", "decimals": 0})
    return replace(ind, unit="count", decimals=0)


@dataclass
class BreakdownChart:
    """One breakdown dimension of one indicator, as both screen and pack draw it."""
    indicator: Any
    dimension: str
    categories: list[str]
    frame: pd.DataFrame  # the rows of this dimension (suppressed already in public exports)
    counts: bool  # stacked numbers of children; else percentages side by side
    kind: str  # the chart's name in exports and download links: "breakdown" for the first
    months: int = BREAKDOWN_MONTHS
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return dimension_label(self.dimension)

    @property
    def barmode(self) -> str:
        return "stack" if self.counts else "group"

    @property
    def shown_as(self):
        """The indicator to format this chart's values with."""
        return _as_counts(self.indicator) if self.counts else self.indicator

    @property
    def heading(self) -> str:
        return f"{self.indicator.title} by {self.label}, last {self.months} months"


def counts_like(ind, part: pd.DataFrame) -> bool:
    """Stacked counts: a count indicator, or categories that carry no numerator (each value is
    a number of children, not a percentage)."""
    if ind.unit == "count":
        return True
    return "numerator" in part.columns and bool(part["numerator"].isna().all()) and bool(
        (part["value"].dropna() % 1 == 0).all())


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
        charts.append(BreakdownChart(ind, dim, cats, part, counts_like(ind, part), kind))
    return charts
