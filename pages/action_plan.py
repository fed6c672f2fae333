"""The action plan, the schedule of outstanding matters and the board's requests
(`/action-plan`, everyone): today's plan (also for `?as_at=` the latest month, which the
header sets); `?as_at=YYYY-MM` an earlier month: the plan as it stood at that month's end; `?on=YYYY-MM-DD` the plan as it stood on any
day (older plans predate the figures). Each action's state and overdue flag are as at that
day, and each outcome's indicators show their figures as at the latest month up to it."""
from __future__ import annotations

from datetime import date

import dash
from dash import dcc, html

from pipelines.sources.action_plan import parse_date
from pipelines.store.queries import parse_as_at
from present.action_plan import month_or_today_label, plan_view
from webapp import context, shell
from webapp.auth import current_user
from webapp.plan_views import plan_body

dash.register_page(__name__, path="/action-plan", name="Action plan", order=90,
                   title="Action plan and outstanding matters")


def _can_edit() -> bool:
    try:
        return current_user().has("editor")
    except Exception:  # noqa: BLE001 - no sign-in configured: read only
        return False


def _day(on: str):
    d, inside = parse_date(on)
    if d is None or inside:
        raise ValueError(f"'{on}' is not a date: write it as YYYY-MM-DD, e.g. ?on=2014-01-31")
    return d


def layout(as_at=None, on=None, **_):
    ctx = context.current()
    try:
        day = _day(on) if on else parse_as_at(as_at)
    except ValueError as exc:
        return shell.message("The action plan cannot be shown", str(exc),
                             [("The action plan today", "/action-plan")])
    if not on and day is not None and day == ctx.warehouse.latest_month():
        day = None  # the latest month (the header's default) means today's plan
    editor = _can_edit()
    # built once per warehouse file version (every plan change swaps the file), per day
    # (overdue flags move with today) and per audience (editors see private notes)
    return ctx.cached(("action-plan", day, date.today(), editor),
                      lambda: _build(ctx, day, editor))


def _build(ctx, day, editor):
    view = plan_view(ctx.warehouse, day, include_private=editor)
    when = f"as it stood on {day:%-d %B %Y}" if day else "today"
    return html.Div([
        html.H1("Action plan and outstanding matters", id="page-title"),
        html.P(f"The board's action plan {when}, with the state of every action; the "
               f"linked indicators show {month_or_today_label(view)}, with what statistical "
               "process control (SPC) says about their latest month.",
               className="chart-summary"),
        html.Form([html.Label(["Show the plan as it stood on ",
                               dcc.Input(type="date", name="on", id="plan-on",
                                         value=f"{day:%Y-%m-%d}" if day else None)]),
                   " ", html.Button("Show", type="submit", id="plan-on-show")],
                  method="GET", action="/action-plan", className="no-print"),
        html.P(dcc.Link("Edit the action plan", href="/action-plan/edit", id="plan-edit-link"))
        if editor else None,
        html.P("Private notes are shown to the insight team only and left out of public packs."
               ) if editor else None,
        plan_body(view),
    ], className="action-plan-page")
