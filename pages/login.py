"""Sign-in (`/login`): a password form (local users), a marked demo role picker (the sample),
or, behind the council's single sign-on, just who you are. (Who is signed in and "you need
editor access" are drawn by webapp.shell, for every page.)"""
from __future__ import annotations

import dash
from dash import dcc, html

from webapp.auth import auth_mode, current_user
from webapp.security import THROTTLE_WINDOW_S, safe_next
from webapp.context import get_config
from webapp.shell import ROLE_TEXT

dash.register_page(__name__, path="/login", title="Sign in")


def demo_banner() -> html.Div:
    return html.Div(
        [html.Strong("Demo sign-in. "),
         "This is the sample with made-up figures: anyone can choose any role. A council's "
         "own deployment signs people in through its single sign-on or a users file."],
        className="demo-banner", role="note", id="demo-banner")


def _next_field(next_path: str | None):
    return dcc.Input(type="hidden", name="next", value=safe_next(next_path))


def layout(failed=None, next=None, **_):  # noqa: A002 - `next` is the query parameter
    config = get_config()
    mode = auth_mode(config)
    user = current_user()
    now = html.P(f"You are signed in as {user.name} ({user.role})." if user.signed_in
                 else "You are not signed in: you can read the dashboard as a viewer.",
                 id="login-now")
    if mode == "header":
        return html.Div([html.H1("Sign in"), now, html.P(
            "You are signed in by the council's single sign-on. To change your role, ask an "
            "admin.")])
    if mode == "demo":
        buttons = [html.Form([_next_field(next),
                              dcc.Input(type="hidden", name="role", value=role),
                              html.Button(f"Continue as {role}", type="submit",
                                          id=f"demo-{role}"),
                              html.Span(f" can {ROLE_TEXT[role]}")],
                             action="/auth/sign-in", method="POST")
                   for role in ("viewer", "editor", "admin")]
        return html.Div([html.H1("Demo sign-in"), demo_banner(), now, *buttons])
    return html.Div([
        html.H1("Sign in"), now,
        html.P(f"Too many failed sign-ins for this user name or from this computer: try again "
               f"in {THROTTLE_WINDOW_S // 60} minutes, or ask an admin to reset your password.",
               role="alert", id="login-failed") if failed == "wait" else
        html.P("That user name and password do not match. Try again, or ask an admin to reset "
               "your password.", role="alert", id="login-failed") if failed else None,
        html.Form([
            _next_field(next),
            html.Label(["User name ", dcc.Input(type="text", name="name", id="login-name",
                                                autoComplete="username")]),
            html.Label(["Password ", dcc.Input(type="password", name="password",
                                               id="login-password",
                                               autoComplete="current-password")]),
            html.Button("Sign in", type="submit", id="login-submit"),
        ], action="/auth/sign-in", method="POST"),
    ])
