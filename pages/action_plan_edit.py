"""Action plan editor (`/action-plan/edit`, editors): add, edit, close and reorder actions;
add and edit outcomes; keep the schedule of outstanding matters and the board's requests;
import a plan from the council's spreadsheet. The handlers (webapp.plan_edit) refuse anyone
who is not an editor, whatever this page shows."""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from webapp import plan_edit as h
from webapp.auth import current_user
from webapp.shell import access_denied

dash.register_page(__name__, path="/action-plan/edit", title="Edit the action plan")


def _field(label, control):
    return html.Label([label, control], className="form-field")


def _status(id_):
    return html.P(id=id_, role="status", **{"aria-live": "polite"})


def layout(**_):
    if not current_user().has("editor"):
        return access_denied("editor", "/action-plan/edit")
    inds = h.indicator_options()
    body, actions, under, outcomes, matters = h.handle_refresh(None)
    wide = {"width": "100%"}
    return html.Div([
        dcc.Store(id="ape-changed"),
        html.H1("Edit the action plan"),
        html.P(["Every change is kept: the plan page can show the plan as it stood at any "
                "past month, and the admin page's audit log says who changed what. ",
                dcc.Link("See the action plan", href="/action-plan")]),
        html.H2("Key actions"),
        _field("Action ", dcc.Dropdown(id="ape-action", options=actions, value=h.NEW,
                                          clearable=False)),
        _field("Outcome it is for ", dcc.Dropdown(id="ape-outcome", options=under)),
        _field("Key action (what) ", dcc.Textarea(id="ape-text", style=wide)),
        _field("Who ", dcc.Input(id="ape-owner", type="text", style=wide)),
        _field("By when (e.g. March 2014 or 31/03/2014) ", dcc.Input(id="ape-due", type="text")),
        _field("Status ", dcc.Dropdown(id="ape-status", options=h.status_options(),
                                       value="not_started", clearable=False)),
        _field("Six month update ", dcc.Textarea(id="ape-update", style=wide)),
        _field("Indicators it is meant to move ", dcc.Dropdown(id="ape-indicators", options=inds,
                                                               multi=True)),
        _field("Private note (left out of public packs) ",
               dcc.Textarea(id="ape-private", style=wide)),
        html.P([html.Button("Save the action", id="ape-save", className="primary"), " ",
                html.Button("Close (mark completed)", id="ape-close"), " ",
                html.Button("Move up", id="ape-up"), " ",
                html.Button("Move down", id="ape-down")]),
        _status("ape-msg"),
        html.H3("This action's versions"),
        html.Ul(id="ape-history"),
        html.H2("Outcomes"),
        _field("Outcome ", dcc.Dropdown(id="apo-outcome", options=outcomes, value=h.NEW,
                                         clearable=False)),
        _field("Plan (e.g. 2013-14) ", dcc.Input(id="apo-plan", type="text")),
        _field("Outcome (what is to be achieved) ", dcc.Textarea(id="apo-text", style=wide)),
        _field("Target and timescale ", dcc.Textarea(id="apo-target", style=wide)),
        _field("Lead officer accountable ", dcc.Input(id="apo-lead", type="text", style=wide)),
        _field("Indicators ", dcc.Dropdown(id="apo-indicators", options=inds, multi=True)),
        _field("Private note ", dcc.Textarea(id="apo-private", style=wide)),
        html.P([html.Button("Save the outcome", id="apo-save"), " ",
                html.Button("Move up", id="apo-up"), " ", html.Button("Move down", id="apo-down")]),
        _status("apo-msg"),
        html.H2("Outstanding matters and the board's requests"),
        _field("Item ", dcc.Dropdown(id="apm-item", options=matters, value=h.NEW,
                                      clearable=False)),
        # a dropdown, not dcc.RadioItems: Dash 4's radio items nest interactive controls (axe)
        _field("Kind ", dcc.Dropdown(id="apm-kind", value="matter", clearable=False,
                                     options=[{"label": "Outstanding matter", "value": "matter"},
                                              {"label": "Request for a new measure or breakdown",
                                               "value": "request"}])),
        _field("Date of meeting (e.g. 18/01/2018) ", dcc.Input(id="apm-date", type="text")),
        _field("Subject ", dcc.Input(id="apm-subject", type="text", style=wide)),
        _field("Lead member/officer ", dcc.Input(id="apm-lead", type="text", style=wide)),
        _field("Current position ", dcc.Textarea(id="apm-position", style=wide)),
        _field("Indicators ", dcc.Dropdown(id="apm-indicators", options=inds, multi=True)),
        _field("Private note ", dcc.Textarea(id="apm-private", style=wide)),
        html.P([html.Button("Save the item", id="apm-save"), " ",
                html.Button("Close the item", id="apm-close"), " ",
                html.Button("Move up", id="apm-up"), " ", html.Button("Move down", id="apm-down")]),
        _status("apm-msg"),
        html.H2("Import from a spreadsheet"),
        html.P("A CSV or Excel file laid out like the paper: an action plan (outcome, target "
               "and timescale, lead officer, key action, who, by when, status, six month "
               "update) or a schedule of outstanding matters (date of meeting, subject, lead "
               "member/officer, current position). A file with any error imports nothing."),
        _field("Date the plan was agreed (optional; e.g. 26/06/2013) ",
               dcc.Input(id="api-recorded", type="text")),
        dcc.Upload(id="api-file", children=html.Div(["Drop a file here or ",
                                                      html.Button("choose a file")]),
                   className="upload-drop"),
        html.Ul(id="api-report"),
        dcc.Store(id="api-ok"), dcc.Store(id="api-dups"),
        html.P([html.Button("Import", id="api-import"), " ",
                html.Button("Skip the duplicates and import", id="api-skip"), " ",
                html.Button("Add the duplicates again", id="api-add")]),
        html.H2("The plan now"),
        html.Div(body, id="ape-plan"),
    ], className="plan-editor")


def _lines(lines):
    return [html.Li(x) for x in (lines or [])]


def _check(contents, name, recorded):
    lines, ok, dups = h.handle_check_import(contents, name, recorded)
    return _lines(lines), ok, dups


def _import(choice):
    def run(n, contents, name, recorded):
        lines, changed = h.handle_import(n, contents, name, recorded, choice)
        return (_lines(lines) if lines is not None else dash.no_update,
                changed or dash.no_update)
    return run


def _changed_only(fn):
    def run(*args):
        msg, changed, *rest = fn(*args)
        return (msg if msg is not None else dash.no_update,
                changed or dash.no_update, *rest)
    return run


callback(Output("ape-plan", "children"), Output("ape-action", "options"),
         Output("ape-outcome", "options"), Output("apo-outcome", "options"),
         Output("apm-item", "options"), Input("ape-changed", "data"),
         prevent_initial_call=True)(h.handle_refresh)

callback(Output("ape-outcome", "value"), Output("ape-text", "value"),
         Output("ape-owner", "value"), Output("ape-due", "value"), Output("ape-status", "value"),
         Output("ape-update", "value"), Output("ape-indicators", "value"),
         Output("ape-private", "value"), Input("ape-action", "value"))(h.handle_pick_action)

callback(Output("ape-msg", "children"), Output("ape-changed", "data"),
         Output("ape-action", "value", allow_duplicate=True),
         Input("ape-save", "n_clicks"), State("ape-action", "value"),
         State("ape-outcome", "value"), State("ape-text", "value"), State("ape-owner", "value"),
         State("ape-due", "value"), State("ape-status", "value"), State("ape-update", "value"),
         State("ape-indicators", "value"), State("ape-private", "value"),
         prevent_initial_call=True)(_changed_only(h.handle_save_action))

callback(Output("ape-msg", "children", allow_duplicate=True),
         Output("ape-changed", "data", allow_duplicate=True),
         Input("ape-close", "n_clicks"), State("ape-action", "value"),
         prevent_initial_call=True)(_changed_only(h.handle_close_action))

for _button, _kind, _picker, _msg, _step in (
        ("ape-up", "action", "ape-action", "ape-msg", -1),
        ("ape-down", "action", "ape-action", "ape-msg", 1),
        ("apo-up", "outcome", "apo-outcome", "apo-msg", -1),
        ("apo-down", "outcome", "apo-outcome", "apo-msg", 1),
        ("apm-up", "matter", "apm-item", "apm-msg", -1),
        ("apm-down", "matter", "apm-item", "apm-msg", 1)):
    callback(Output(_msg, "children", allow_duplicate=True),
             Output("ape-changed", "data", allow_duplicate=True),
             Input(_button, "n_clicks"), State(_picker, "value"), prevent_initial_call=True)(
        _changed_only(lambda n, item, kind=_kind, step=_step: h.handle_move(n, kind, item, step)))

callback(Output("ape-history", "children"), Input("ape-action", "value"),
         Input("ape-changed", "data"))(lambda action_id, _changed: _lines(
             h.handle_action_history(action_id)))

callback(Output("apo-plan", "value"), Output("apo-text", "value"), Output("apo-target", "value"),
         Output("apo-lead", "value"), Output("apo-indicators", "value"),
         Output("apo-private", "value"), Input("apo-outcome", "value"))(h.handle_pick_outcome)

callback(Output("apo-msg", "children"), Output("ape-changed", "data", allow_duplicate=True),
         Output("apo-outcome", "value", allow_duplicate=True),
         Input("apo-save", "n_clicks"), State("apo-outcome", "value"), State("apo-plan", "value"),
         State("apo-text", "value"), State("apo-target", "value"), State("apo-lead", "value"),
         State("apo-indicators", "value"), State("apo-private", "value"),
         prevent_initial_call=True)(_changed_only(h.handle_save_outcome))

callback(Output("apm-kind", "value"), Output("apm-date", "value"),
         Output("apm-subject", "value"), Output("apm-lead", "value"),
         Output("apm-position", "value"), Output("apm-indicators", "value"),
         Output("apm-private", "value"), Input("apm-item", "value"))(h.handle_pick_matter)

callback(Output("apm-msg", "children"), Output("ape-changed", "data", allow_duplicate=True),
         Output("apm-item", "value", allow_duplicate=True),
         Input("apm-save", "n_clicks"), State("apm-item", "value"), State("apm-kind", "value"),
         State("apm-date", "value"), State("apm-subject", "value"), State("apm-lead", "value"),
         State("apm-position", "value"), State("apm-indicators", "value"),
         State("apm-private", "value"), prevent_initial_call=True)(
    _changed_only(h.handle_save_matter))

callback(Output("apm-msg", "children", allow_duplicate=True),
         Output("ape-changed", "data", allow_duplicate=True),
         Input("apm-close", "n_clicks"), State("apm-item", "value"),
         prevent_initial_call=True)(_changed_only(h.handle_close_matter))

callback(Output("api-report", "children"), Output("api-ok", "data"), Output("api-dups", "data"),
         Input("api-file", "contents"), State("api-file", "filename"),
         State("api-recorded", "value"), prevent_initial_call=True)(_check)

for _button, _choice in (("api-import", "ask"), ("api-skip", "skip"), ("api-add", "add")):
    callback(Output("api-report", "children", allow_duplicate=True),
             Output("ape-changed", "data", allow_duplicate=True),
             Input(_button, "n_clicks"), State("api-file", "contents"),
             State("api-file", "filename"), State("api-recorded", "value"),
             prevent_initial_call=True)(_import(_choice))
