"""Key points (the landing page), exceptions first: what needs attention this month and what
has improved for real (each with its reason), then the month's key-points commentary, then
every indicator's scorecard row grouped by the report's sections."""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from components.downloads import board_pack_links, board_pack_panel
from components.scorecard import scorecard_section
from present.exceptions import exceptions
from present.summary import read_summaries
from present.pack import PackDefinition
from webapp import context, pack_choice, shell
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
    return html.Div([page, board_pack_panel(asked.param, can_private=_can_private(),
                                            choice=_choice(ctx), can_save=_can_private()),
                     dcc.Store(id="pack-as-at", data=asked.param)])


def _choice(ctx) -> dict | None:
    """The saved pack (webapp.pack_choice) as the panel's starting values."""
    cat = ctx.catalogue
    try:
        d = pack_choice.current(ctx.warehouse.config, cat)
    except ValueError:  # a saved pack naming what is no longer there: start from all
        d = PackDefinition()
    by_id = {s.id: s for s in cat.sections}
    order = d.sections or [s.id for s in cat.sections]
    return {"all_sections": [(s.slug, s.title) for s in cat.sections],
            "sections": [by_id[i].slug for i in order if i in by_id],
            "all_indicators": [(i.code, i.title) for i in cat.indicators],
            "leave_out": list(d.leave_out), "orientation": d.orientation,
            "appendices": [k for k in pack_choice.APPENDICES if getattr(d, k)]}


@callback(Output("board-pack-links", "children"),
          Input("pack-sections", "value"), Input("pack-leave-out", "value"),
          Input("pack-orientation", "value"), Input("pack-appendices", "value"),
          State("pack-as-at", "data"))
def _links_for_choice(sections, leave_out, orientation, appendices, as_at):
    """The download links carry the choice (the route reads it back)."""
    return board_pack_links(as_at, can_private=_can_private(),
                            choice=pack_choice.query(sections, leave_out, orientation,
                                                     appendices))


@callback(Output("pack-save-status", "children"), Input("pack-save", "n_clicks"),
          State("pack-sections", "value"), State("pack-leave-out", "value"),
          State("pack-orientation", "value"), State("pack-appendices", "value"),
          prevent_initial_call=True)
def _save_choice(_, sections, leave_out, orientation, appendices):
    """Editors remember the choice for next month (checked again here, not only by hiding
    the button)."""
    ctx = context.current()
    try:
        role = current_user().role
    except Exception:  # noqa: BLE001 - no sign-in configured: nobody may save
        role = "viewer"
    try:
        pack_choice.save(ctx.warehouse.config, ctx.catalogue, role, sections, leave_out,
                         orientation, appendices)
    except (PermissionError, ValueError) as exc:
        return f"Not saved: {exc}"
    return "Saved: next month's pack starts from this choice."


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
