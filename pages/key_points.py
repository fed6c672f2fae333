"""Key points (the landing page), exceptions first: what needs attention this month and what
has improved for real (each with its reason), then the month's key-points commentary, then
every indicator's scorecard row grouped by the report's sections."""
from __future__ import annotations

import dash
from dash import html

from components.downloads import board_pack_panel
from components.scorecard import scorecard_section
from present.exceptions import exceptions
from present.summary import read_summaries
from webapp import context, shell
from webapp.auth import current_user
from webapp.spc_views import exceptions_block, monthly_changes
from webapp.urls import check_as_at

dash.register_page(__name__, path="/", name="Key points", order=0,
                   title="Key points: looked-after children's performance")


def layout(as_at=None, **_):
    ctx = context.current()
    wh, cat = ctx.warehouse, ctx.catalogue
    asked = check_as_at(as_at, wh.months())
    if asked.error:
        return shell.as_at_problem(asked.error, "/")
    page = ctx.cached(("key-points", asked.month), lambda: _build(ctx, asked))
    # The export panel depends on who is asking, so it is not cached with the page.
    return html.Div([page, board_pack_panel(asked.param, can_private=_can_private())])


def _can_private() -> bool:
    try:
        return current_user().role in ("editor", "admin")
    except Exception:  # noqa: BLE001 - no sign-in configured: public exports only
        return False


def _build(ctx, asked):
    wh, cat, month = ctx.warehouse, ctx.catalogue, asked.month
    by_code = read_summaries(wh, cat.indicators, month)
    indicators = {i.code: i for i in cat.indicators}
    ex = exceptions(wh, month)
    changes = monthly_changes(cat.indicators, by_code, ex.views)
    sections = [scorecard_section(sec.slug, [by_code[i.code] for i in sec.indicators], indicators,
                                  title=sec.title, as_at=asked.param, monthly_changes=changes)
                for sec in cat.sections if sec.indicators]
    return html.Div([
        html.H1(f"Key points as at {month:%B %Y}", id="page-title"),
        html.P("What needs the board's attention this month and what has improved for real, "
               "then every measure in the board's report: the latest figure, how it has changed, "
               "its target and how it compares. Choose a measure to see its trend.",
               className="lead"),
        exceptions_block(ex, asked.param),
        shell.commentary(wh.commentary(month, "key-points"), "Key points this month", id="key-points"),
        *sections,
    ], className="key-points-page")
