"""An indicator's trend block as both the section page and the board pack draw it: the
latest figure (`IndicatorSummary`), the series and comparators behind the chart, the heading
that says what the chart shows, the one-sentence summary, and the breakdown charts.

The caller reads (and, for a public export, suppresses) the frames; this module decides the
words and the charts, so the screen and the paper say the same thing. To add to a block (an
SPC reading, a rank line, action-plan links): a field with a default here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from components.summary_text import chart_summary, headline
from present.breakdowns import BreakdownChart, breakdown_charts
from present.summary import IndicatorSummary


@dataclass
class TrendBlock:
    indicator: Any
    summary: IndicatorSummary
    series: pd.DataFrame
    comparators: pd.DataFrame | None
    breakdowns: pd.DataFrame | None  # every breakdown row (all dimensions), or None
    headline: str
    text: str  # the chart's one-sentence summary (and its alt text in the pack)
    charts: list[BreakdownChart] = field(default_factory=list)


def trend_block(ind, summary: IndicatorSummary, series: pd.DataFrame,
                comparators: pd.DataFrame | None, breakdowns: pd.DataFrame | None,
                authority: str, *, hidden: str | None = None) -> TrendBlock:
    """The block for one indicator. `hidden` is how a figure removed from a public paper
    reads (`components.formatting.SUPPRESSED`): the heading says it, and so does the
    sentence, in place of "no figure (...)"."""
    if hidden and summary.suppressed:
        head = f"{ind.title}: {hidden} in {summary.period or ''}".strip()
    else:
        head = headline(ind, summary)
    text = chart_summary(ind, summary, authority)
    if hidden:
        text = text.replace(f"no figure ({hidden})", hidden)
    return TrendBlock(ind, summary, series, comparators, breakdowns, head, text,
                      breakdown_charts(ind, breakdowns))
