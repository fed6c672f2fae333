"""Key points editor (`/key-points/edit?as_at=YYYY-MM&section=<slug|key-points>`, editors).

The editor starts from a draft written from the figures, rewrites it in Markdown and saves;
each save is a new version (who, when), earlier ones stay listed. Text is shown through
dcc.Markdown without raw HTML, here and on the pages that read it.
"""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dash_table, dcc, html, no_update

from pipelines.store.warehouse import save_commentary
from present.keypoints import OVERALL, draft_key_points
from pipelines.store.queries import month_end, parse_as_at
from webapp.shell import access_denied
from webapp.auth import current_user, require
from webapp.context import get_config, get_warehouse

dash.register_page(__name__, path="/key-points/edit", title="Edit key points")


def _section_options(catalogue) -> list[dict]:
    return ([{"label": "Key points (front page)", "value": OVERALL}] +
            [{"label": s.title, "value": s.slug} for s in catalogue.sections])


def layout(as_at=None, section=None, **_):
    if not current_user().has("editor"):
        return access_denied("editor", "/key-points/edit")
    wh = get_warehouse()
    months = list(reversed(wh.months()))
    try:
        month = parse_as_at(as_at) if as_at else (months[0] if months else None)
    except ValueError:
        month = months[0] if months else None
    options = _section_options(wh.catalogue)
    section = section if section in {o["value"] for o in options} else OVERALL
    return html.Div([
        html.H1("Key points to note"),
        html.P("Write what the board should notice this month. Start from the draft written "
               "from the figures, then edit: Markdown is allowed (- for a bullet, **bold**)."),
        html.Div([
            html.Label(["Month ", dcc.Dropdown(
                id="kp-month", clearable=False, style={"minWidth": "12em"},
                options=[{"label": f"{m:%B %Y}", "value": f"{m:%Y-%m}"} for m in months],
                value=f"{month:%Y-%m}" if month else None)]),
            html.Label(["Section ", dcc.Dropdown(id="kp-section", options=options,
                                                 value=section, clearable=False,
                                                 style={"minWidth": "20em"})]),
        ], style={"display": "flex", "gap": "1em"}),
        html.P(html.Button("Insert a draft from the figures", id="kp-draft")),
        html.Label(["Key points (Markdown)",
                    dcc.Textarea(id="kp-text", style={"width": "100%", "height": "16em"})]),
        html.P([html.Button("Save", id="kp-save", className="primary"),
                html.Span(id="kp-status", role="status", **{"aria-live": "polite"},
                          style={"marginLeft": "1em"})]),
        html.H2("How it will look"),
        dcc.Markdown(id="kp-preview", dangerously_allow_html=False, className="key-points"),
        html.H2("Earlier versions"),
        dash_table.DataTable(id="kp-versions", data=[], page_size=10,
                             columns=[{"name": c, "id": c} for c in
                                      ("version", "saved", "by", "text")],
                             style_cell={"textAlign": "left", "whiteSpace": "pre-wrap",
                                         "height": "auto"}),
    ])


# ------------------------------------------------------------------ the callbacks' bodies

def _versions(month, section) -> list[dict]:
    d = get_warehouse().commentary_versions(month, section)
    return [{"version": int(r.version), "saved": f"{r.saved_at:%d %b %Y %H:%M}",
             "by": r.author, "text": r.text} for r in d.itertuples()]


def handle_load(month, section):
    """The saved text and its versions for a month and section."""
    require("editor")
    if not month or not section:
        return "", []
    saved = get_warehouse().commentary(month, section)
    return (saved["text"] if saved else ""), _versions(month, section)


def handle_draft(n_clicks, month, section):
    if not n_clicks:
        return no_update
    require("editor")
    if not month:
        return "No figures are loaded yet: there is nothing to draft from."
    return draft_key_points(get_warehouse(), month, section)


def handle_save(n_clicks, month, section, text):
    """Save a new version; returns (status, versions)."""
    if not n_clicks:
        return no_update, no_update
    user = require("editor")
    if not month:
        return "Choose a month first.", no_update
    text = (text or "").strip()
    v = save_commentary(get_config().warehouse_path, month_end(month), section, text,
                        user.name)
    return f"Saved version {v} by {user.name}.", _versions(month, section)


def render_preview(text):
    return text or "*Nothing written yet.*"


# ------------------------------------------------------------------ wiring

callback(Output("kp-text", "value"), Output("kp-versions", "data"),
         Input("kp-month", "value"), Input("kp-section", "value"))(handle_load)

callback(Output("kp-text", "value", allow_duplicate=True), Input("kp-draft", "n_clicks"),
         State("kp-month", "value"), State("kp-section", "value"),
         prevent_initial_call=True)(handle_draft)

callback(Output("kp-status", "children"),
         Output("kp-versions", "data", allow_duplicate=True),
         Input("kp-save", "n_clicks"), State("kp-month", "value"),
         State("kp-section", "value"), State("kp-text", "value"),
         prevent_initial_call=True)(handle_save)

callback(Output("kp-preview", "children"), Input("kp-text", "value"))(render_preview)
