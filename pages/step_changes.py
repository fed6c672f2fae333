"""Step changes (`/step-changes?code=CODE`, editors): record that a process changed (a new
recording system, a service redesign) so an indicator's SPC limits start again from that
month; withdraw one. The handlers are in webapp/spc_edit.py."""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dash_table, dcc, html

from webapp.auth import current_user
from webapp.context import get_warehouse
from webapp.shell import access_denied
from webapp.spc_edit import handle_record, handle_remove, step_rows

dash.register_page(__name__, path="/step-changes", title="SPC step changes")


def layout(code=None, **_):
    if not current_user().has("editor"):
        return access_denied("editor", "/step-changes")
    wh = get_warehouse()
    monthly = [i for i in wh.catalogue.indicators if i.frequency == "M"]
    months = list(reversed(wh.months()))
    return html.Div([
        html.H1("SPC step changes"),
        html.P("When the way a figure is produced changes (a new recording system, a service "
               "redesign), record a step change: the indicator's SPC average and process limits "
               "start again from that month, and the chart shows the line with your reason. "
               "Every change is in the audit log."),
        html.Div([
            html.Label(["Indicator ", dcc.Dropdown(
                id="sc-code", options=[{"label": f"{i.title} ({i.code})", "value": i.code}
                                       for i in monthly],
                value=code if code in {i.code for i in monthly} else None,
                style={"minWidth": "28em"})]),
            html.Label(["First month of the new baseline ", dcc.Dropdown(
                id="sc-month", options=[{"label": f"{m:%B %Y}", "value": f"{m:%Y-%m}"}
                                        for m in months], style={"minWidth": "12em"})]),
        ], style={"display": "flex", "gap": "1em", "flexWrap": "wrap"}),
        html.Label(["Reason ", dcc.Input(id="sc-reason", type="text", maxLength=300,
                                         style={"width": "100%"})]),
        html.P([html.Button("Record the step change", id="sc-record", className="primary"),
                html.Span(id="sc-status", role="status", **{"aria-live": "polite"},
                          style={"marginLeft": "1em"})]),
        html.H2("Recorded step changes"),
        dash_table.DataTable(id="sc-table", data=step_rows(), page_size=20,
                             columns=[{"name": c, "id": c} for c in
                                      ("step", "indicator", "from", "reason", "by", "recorded")],
                             style_cell={"textAlign": "left", "whiteSpace": "normal"}),
        html.P([html.Label(["Withdraw step change number ",
                            dcc.Input(id="sc-remove-id", type="number", min=1, step=1)]),
                html.Button("Withdraw", id="sc-remove")]),
    ])


callback(Output("sc-status", "children"), Output("sc-table", "data"),
         Input("sc-record", "n_clicks"), State("sc-code", "value"),
         State("sc-month", "value"), State("sc-reason", "value"),
         prevent_initial_call=True)(handle_record)

callback(Output("sc-status", "children", allow_duplicate=True),
         Output("sc-table", "data", allow_duplicate=True),
         Input("sc-remove", "n_clicks"), State("sc-remove-id", "value"),
         prevent_initial_call=True)(handle_remove)
