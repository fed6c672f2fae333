"""Admin (`/admin`, admins only): users and their roles, and the audit log of every action."""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dash_table, dcc, html, no_update

from webapp.shell import access_denied
from webapp.auth import ROLES, AuthError, audit, auth_mode, load_users, require, set_user
from webapp.auth import current_user
from webapp.context import get_config, get_warehouse

dash.register_page(__name__, path="/admin", title="Admin")


def _users_rows() -> list[dict]:
    users = load_users(get_config())
    return [{"user": n, "role": u["role"], "password set": "yes" if u["password_hash"] else "no"}
            for n, u in sorted(users.items())]


def _audit_rows() -> list[dict]:
    d = get_warehouse().audit_log()
    return [{"when": f"{r.at:%d %b %Y %H:%M:%S}", "who": r.user_name, "action": r.action,
             "detail": r.detail} for r in d.itertuples()]


def layout(**_):
    if not current_user().has("admin"):
        return access_denied("admin", "/admin")
    mode = auth_mode(get_config())
    if mode == "demo":
        users = html.P("The sample uses the demo sign-in: anyone may pick a role, so there is "
                       "no users file. A council's deployment sets [auth] mode to 'header' or "
                       "'local' in its config.")
    else:
        users = html.Div([
            dash_table.DataTable(id="adm-users", data=_users_rows(), sort_action="native",
                                 columns=[{"name": c, "id": c} for c in
                                          ("user", "role", "password set")]),
            html.H3("Add a user or change a role"),
            html.Div([
                html.Label(["User name ", dcc.Input(id="adm-name", type="text")]),
                html.Label(["Role ", dcc.Dropdown(id="adm-role", options=list(ROLES),
                                                  value="viewer", clearable=False,
                                                  style={"minWidth": "10em"})]),
                html.Label(["New password (at least 10 characters) ",
                            dcc.Input(id="adm-password", type="password",
                                      autoComplete="new-password")],
                           # header mode has no passwords; kept in the page for the callback
                           style={} if mode == "local" else {"display": "none"}),
                html.Button("Save user", id="adm-save"),
            ], style={"display": "flex", "gap": "1em", "alignItems": "end",
                      "flexWrap": "wrap"}),
            html.P(id="adm-status", role="status", **{"aria-live": "polite"}),
        ])
    return html.Div([
        html.H1("Admin"),
        html.H2("Users"),
        users,
        html.H2("Audit log"),
        html.P("Every sign-in, upload, revert, key-points save and user change: who, what, "
               "when (times in UTC)."),
        dash_table.DataTable(id="adm-audit", data=_audit_rows(), page_size=25,
                             sort_action="native", filter_action="native",
                             export_format="csv",
                             columns=[{"name": c, "id": c} for c in
                                      ("when", "who", "action", "detail")],
                             style_cell={"textAlign": "left", "whiteSpace": "normal",
                                         "height": "auto"}),
    ])


def handle_save_user(n_clicks, name, role, password=None):
    """Add or change a user; returns (status, users rows, audit rows)."""
    if not n_clicks:
        return no_update, no_update, no_update
    admin = require("admin")
    config = get_config()
    try:
        what = set_user(config, name, role, password or None)
    except AuthError as exc:
        return str(exc), no_update, no_update
    audit(config, admin, "user change", what)
    return f"Saved: {what}.", _users_rows(), _audit_rows()


callback(Output("adm-status", "children"), Output("adm-users", "data"),
         Output("adm-audit", "data"),
         Input("adm-save", "n_clicks"), State("adm-name", "value"),
         State("adm-role", "value"), State("adm-password", "value"),
         prevent_initial_call=True)(handle_save_user)
