"""The page shell around every page (header with the as-at control, the main landmark,
footer), its two callbacks, and small pieces every page uses (messages, commentary).

The URL is the single source of truth for the month: the as-at control only rewrites
`?as_at=` in the address; the page and the header are then drawn again from the address.
"""
from __future__ import annotations

from dash import Input, Output, State, dcc, html, no_update, page_container

from components import layout as shell_parts
from components.formatting import as_at_param
from webapp import context, views
from webapp.auth import auth_mode, current_user
from webapp.context import get_config
from webapp.urls import check_as_at, href, query_params, search_with_as_at

URL_ID = "url"
HEADER_ID = "page-header"
ROLE_TEXT = {"viewer": "read the dashboard (board members)",
             "editor": "upload figures and write key points (insight team)",
             "admin": "manage users and read the audit log"}


def header(pathname: str | None, search: str | None):
    ctx = context.current()
    months = ctx.warehouse.months()
    asked = query_params(search).get("as_at")
    as_at = check_as_at(asked, months)
    top = shell_parts.page_header(ctx.config.name, as_at.month, months, ctx.config.is_sample,
                                  current_path=pathname or "/", sections=ctx.catalogue.sections)
    return html.Div([top, user_links(as_at.param)])  # the skip link stays first


def user_bar() -> html.Div:
    """Who is signed in, with sign-in / sign-out (for the page shell; built per request)."""
    user = current_user()
    mode = auth_mode(get_config())
    if user.signed_in:
        parts = [html.Span(f"Signed in as {user.name} ({user.role})", id="user-name")]
        if mode != "header":
            parts.append(html.Form(html.Button("Sign out", type="submit", id="sign-out"),
                                   action="/auth/sign-out", method="POST",
                                   style={"display": "inline", "marginLeft": "0.5em"}))
    else:
        parts = [dcc.Link("Sign in", href="/login", id="sign-in-link")]
    if mode == "demo":
        parts.insert(0, html.Strong("Demo sign-in ", className="demo-flag"))
    return html.Div(parts, className="user-bar")


def access_denied(role: str, path: str) -> html.Div:
    """What a user without `role` sees instead of a page's controls."""
    user = current_user()
    who = (f"You are signed in as {user.name}, a {user.role}."
           if user.signed_in else "You are not signed in.")
    return html.Div([
        html.H1(f"You need {role} access"),
        html.P(f"This page is for {role}s: people who {ROLE_TEXT[role]}. {who}",
               id="access-denied"),
        html.P(dcc.Link("Sign in with another account", href=f"/login?next={path}")
               if auth_mode(get_config()) != "header" else
               "Ask an admin to give your account this role."),
        html.P(dcc.Link("Back to the dashboard", href="/")),
    ])


def user_links(as_at_param=None):
    """Who is signed in, and the insight team's pages for those allowed to use them."""
    try:
        user = current_user()
        bar = user_bar()
    except Exception:  # noqa: BLE001 - sign-in not configured for this app
        return None
    links = []
    if user.role in ("editor", "admin"):
        links += [dcc.Link("Upload figures", href="/upload"),
                  dcc.Link("Write key points",
                           href=href("/key-points/edit", as_at_param)),
                  dcc.Link("Edit the action plan", href="/action-plan/edit"),
                  dcc.Link("Data quality", href="/data-quality")]
    if user.role == "admin":
        links.append(dcc.Link("Admin", href="/admin"))
    return html.Aside([bar, html.Nav(links, className="team-links",
                                     **{"aria-label": "Insight team"}) if links else None],
                      className="user-strip no-print", **{"aria-label": "Your account"})


def app_layout():
    """The layout function Dash calls for each new browser page."""
    ctx = context.current()
    return html.Div([
        dcc.Location(id=URL_ID, refresh="callback-nav"),
        html.Div(header("/", ""), id=HEADER_ID),
        shell_parts.main(page_container),
        shell_parts.footer(ctx.config.name, region_name=ctx.config.region_name),
    ], className="app-shell")


def register_callbacks(app) -> None:
    views.register_callbacks(app)  # the figures tables, sent when opened

    @app.callback(Output(HEADER_ID, "children"),
                  Input(URL_ID, "pathname"), Input(URL_ID, "search"))
    def _header(pathname, search):
        return header(pathname, search)

    @app.callback(Output(URL_ID, "search"),
                  Input(shell_parts.AS_AT_ID, "value"), State(URL_ID, "search"),
                  prevent_initial_call=True)
    def _as_at_to_url(value, search):
        new = search_for_choice(value, search, context.current().warehouse.months())
        return no_update if new is None else new


def search_for_choice(value: str | None, search: str | None, months) -> str | None:
    """The address's query string once the as-at control shows `value`, or None when the
    address already shows that month. An address without ?as_at= shows the latest month, so
    the control showing the latest month there is no change: the dropdown reports its value
    as it mounts, and writing ?as_at= then made the page router draw the whole page a second
    time on every first view of a page opened without it (issue 15)."""
    asked = (query_params(search).get("as_at") or "").strip()
    if not value or asked == value:
        return None
    if not asked and months and as_at_param(months[-1]) == value:
        return None
    return search_with_as_at(search, value)


# ------------------------------------------------------------------ pieces for pages
def message(title: str, text: str, links=(), *, heading_id: str = "page-title") -> html.Div:
    """A plain page for something the reader can act on (bad address, nothing loaded)."""
    items = [html.Li(dcc.Link(label, href=to)) for label, to in links]
    return html.Div([
        html.H1(title, id=heading_id),
        html.P(text, className="message", id="page-message"),
        html.Ul(items, className="message-links") if items else None,
    ], className="message-page")


def as_at_problem(error: str, path: str = "/") -> html.Div:
    wh = context.get_warehouse()
    latest = wh.latest_month()
    links = [(f"Show the latest figures ({latest:%B %Y})", href(path, None))] if latest else []
    return message("These figures cannot be shown", error, links)


def commentary(comment: dict | None, heading: str, *, id: str) -> html.Section | None:
    """Commentary written for the month, as Markdown with raw HTML switched off."""
    if not comment or not str(comment.get("text") or "").strip():
        return None
    meta = []
    if comment.get("author"):
        meta.append(f"Written by {comment['author']}")
    saved = comment.get("saved_at")
    if saved is not None and hasattr(saved, "strftime"):
        meta.append(f"on {saved.strftime('%-d %B %Y')}")
    return html.Section([
        html.H2(heading, id=f"{id}-heading"),
        dcc.Markdown(str(comment["text"]), dangerously_allow_html=False, className="commentary",
                     link_target="_self"),
        html.P(" ".join(meta), className="secondary") if meta else None,
    ], id=id, className="commentary-block", **{"aria-labelledby": f"{id}-heading"})
