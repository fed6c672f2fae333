"""The board pack's exceptions section (issue 16): the same content as the top of `/` -
what needs attention this month and what has improved for real, each with its reasons -
with each item's SPC chart, its alt text and summary.

Public mode: `exports.suppression.row_is_small` hides the latest figure where it rests on
1 to 4 children (written "fewer than 5"), and an SPC chart with any such month is left out
(said in its place), so no number in the section can pick out a child.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import plotly.graph_objects as go

from components.spc_chart import spc_figure, summary_sentence
from exports.suppression import PUBLIC, check_mode, row_is_small
from present.exceptions import exceptions
from present.spc import spc_view

CHART_HIDDEN = ("Chart not shown in the public paper: some months rest on fewer than 5 "
                "children.")
SPC_REASONS = ("special_cause_concerning", "special_cause_improving", "target_failed")
INTRO = ("Statistical process control (Making Data Count) separates real changes from the "
         "usual ups and downs: a figure is listed here only for a reason given beside it.")


@dataclass
class Entry:
    code: str
    title: str
    value_text: str
    period: str | None
    reasons: list[str]
    figure: go.Figure | None = None
    alt: str = ""
    note: str | None = None


@dataclass
class ExceptionsPart:
    as_at: date
    attention: list[Entry] = field(default_factory=list)
    improved: list[Entry] = field(default_factory=list)
    intro: str = INTRO

    @property
    def figures(self) -> list[go.Figure]:
        return [e.figure for e in self.attention + self.improved if e.figure is not None]


def _has_small_month(ind, view: dict) -> bool:
    return any(row_is_small(ind, p["value"], lim["numerator"], lim["denominator"])
               for p, lim in zip(view.get("points") or [], view.get("limits") or []))


def build_exceptions(wh, as_at: date, mode: str = PUBLIC, *, figures: bool = True,
                     on_figure=None) -> ExceptionsPart:
    """The section as at a month. `on_figure(fig)` is called as each chart is made."""
    mode = check_mode(mode)
    ex = exceptions(wh, as_at, hide=row_is_small if mode == PUBLIC else None)
    part = ExceptionsPart(as_at=as_at)
    drawn: dict[str, go.Figure] = {}   # an item in both lists is drawn once
    for items, out in ((ex.attention, part.attention), (ex.improved, part.improved)):
        for it in items:
            ind = wh.catalogue.get(it.code)
            e = Entry(it.code, it.title, it.value_text, it.period, [r.text for r in it.reasons])
            view = it.spc
            # the chart goes with the items whose reason it shows (an SPC signal or a
            # target outside the limits), not with comparator or small-cohort notes
            shows_reason = any(r.kind in SPC_REASONS for r in it.reasons)
            if figures and view and view.get("points") and shows_reason:
                if mode == PUBLIC and _has_small_month(ind, view):
                    e.note = CHART_HIDDEN
                else:
                    if it.code not in drawn:
                        drawn[it.code] = spc_figure(ind, view, authority_name=wh.config.name,
                                                    for_export=True, source=ind.source)
                        if on_figure is not None:
                            on_figure(drawn[it.code])
                    e.figure = drawn[it.code]
                    e.alt = summary_sentence(ind, view, wh.config.name)
            out.append(e)
    return part


def add_spc_charts(pack, wh, mode: str = PUBLIC, *, on_figure=None) -> int:
    """Give each monthly indicator of the pack its SPC chart after its trend chart (`lacdash
    export --spc-charts`); in public mode not where a month rests on fewer than 5 children.
    Returns how many charts were added."""
    mode = check_mode(mode)
    added = 0
    for item in pack.items:
        ind = item.indicator
        if ind.frequency != "M":
            continue
        view = spc_view(wh, ind.code, pack.as_at)
        if not view.get("points") or (mode == PUBLIC and _has_small_month(ind, view)):
            continue
        fig = spc_figure(ind, view, authority_name=wh.config.name, for_export=True,
                         source=ind.source)
        item.figures.append(("spc", fig, summary_sentence(ind, view, wh.config.name)))
        item.titles["spc"] = f"{ind.title}: is it changing, or the usual ups and downs?"
        if on_figure is not None:
            on_figure(fig)
        added += 1
    return added
