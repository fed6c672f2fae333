"""Views for issue 16: the SPC (Making Data Count) block of an indicator page and the
exceptions-first section at the top of `/`.

Both take what `present` computed (`present.spc.spc_view`, `present.exceptions.exceptions`)
and lay it out: icons always with their words (never colour alone), a summary sentence and
the figures as a table beside every chart.
"""
from __future__ import annotations

import dash
from dash import dcc, html

from components.layout import chart_block
from components.scorecard import indicator_href
from components.spc_chart import (assurance_icon, spc_figure, status_words, summary_sentence,
                                  table_rows, variation_icon)
from components.summary_text import change_label
from components.tables import _table as plain_table
from present.spc import change_words, signal_direction


def _asset(name: str) -> str:
    try:
        return dash.get_asset_url(f"spc_icons/{name}")
    except Exception:  # noqa: BLE001 - outside a running app (tests): the default path
        return f"/assets/spc_icons/{name}"


def spc_status(view: dict) -> html.Div | None:
    """The variation and assurance icons, each with its words beside it."""
    words = status_words(view)
    icons = [i for i in (variation_icon(view), assurance_icon(view)) if i]
    if not words:
        return None
    return html.Div([html.Span([html.Img(src=_asset(icon), alt="", width=40, height=40,
                                         className="spc-icon"),
                                html.Span(word, className="spc-word")], className="spc-status-item")
                     for icon, word in zip(icons, words)], className="spc-status")


def spc_table(ind, view: dict, id: str | None = None):
    rows = [list(r.values()) for r in reversed(table_rows(ind, view))]
    header = ["Month", "Value", "Average", "Lower limit", "Upper limit", "What SPC says"]
    return plain_table(f"{ind.title}: SPC figures by month, newest first", header, rows,
                       numeric_from=1, id=id)


def spc_block(ind, view: dict, authority_name: str, *, heading_level: int = 2) -> html.Section:
    """The SPC chart with its status words, step changes, summary sentence and table."""
    fig = spc_figure(ind, view, authority_name=authority_name)
    notes = [spc_status(view)]
    for s in view.get("step_changes") or []:
        notes.append(html.P(f"Step change from {s['month']}: {s['reason']} (the limits start "
                            "again from that month).", className="context-note"))
    for n in view.get("notes") or []:
        notes.append(html.P(n[0].upper() + n[1:] + ".", className="context-note"))
    notes.append(html.P(dcc.Link("Editors: record a step change (a new recording system, a "
                                 "service redesign)", href=f"/step-changes?code={ind.code}"),
                        className="secondary"))
    return chart_block(fig, summary_sentence(ind, view, authority_name),
                       spc_table(ind, view, id=f"spc-table-{ind.code}"),
                       id=f"spc-{ind.code}", heading_level=heading_level,
                       heading="Is it changing, or the usual ups and downs? (statistical "
                               "process control)", notes=notes)


def monthly_change(ind, summary, view: dict | None) -> tuple[str, str | None] | None:
    """The change since last month in SPC's terms: the move, then the signal where there is
    one ('↓ down 3 points: a real change for the worse (...)'); common-cause movement is
    neither improving nor worsening. None (keep the plain words) without an SPC chart."""
    if view is None or view.get("variation") is None:
        return None
    prev = summary.previous
    base = change_label(ind, prev.value if prev else None, summary.value)
    return change_words(base, view), signal_direction(view)


def monthly_changes(indicators, summaries, views: dict) -> dict:
    """code -> monthly_change for every indicator with an SPC view (for scorecard_section)."""
    out = {}
    for ind in indicators:
        if ind.code in views and ind.code in summaries:
            mc = monthly_change(ind, summaries[ind.code], views[ind.code])
            if mc is not None:
                out[ind.code] = mc
    return out


def _item(it, as_at_param) -> html.Li:
    return html.Li([
        html.P([dcc.Link(html.Strong(it.title), href=indicator_href(it.code, as_at_param)),
                f": {it.value_text}" + (f" in {it.period}" if it.period else "")]),
        html.Ul([html.Li(r.text, className=f"reason reason-{r.kind}") for r in it.reasons]),
    ], className="exception-item", id=f"exception-{it.code}")


def exceptions_block(ex, as_at_param) -> html.Section:
    """'Needs attention this month' then 'Improved for real', each item with its reasons."""
    children = [html.H2("Needs attention this month", id="attention-heading")]
    if ex.attention:
        children.append(html.Ol([_item(it, as_at_param) for it in ex.attention],
                                className="exception-list", id="attention-list"))
    else:
        children.append(html.P("Nothing needs the board's attention this month: no figure is "
                               "showing a real change for the worse or consistently missing its "
                               "target.", id="attention-none"))
    children.append(html.H2("Improved for real", id="improved-heading"))
    if ex.improved:
        children.append(html.Ul([_item(it, as_at_param) for it in ex.improved],
                                className="exception-list", id="improved-list"))
    else:
        children.append(html.P("No figure is showing a real improvement this month (changes "
                               "are within the usual ups and downs).", id="improved-none"))
    return html.Section(children, className="exceptions", id="exceptions",
                        **{"aria-labelledby": "attention-heading"})
