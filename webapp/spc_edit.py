"""What the step-change editor's callbacks do (`/step-changes`, editors), kept out of the
page module so tests call them directly. Every handler calls `require("editor")` first: the
server refuses a viewer whatever the browser shows. Each change is one atomic write through
`pipelines.store.warehouse` and is in the audit log.
"""
from __future__ import annotations

from pipelines.store.queries import parse_as_at
from pipelines.store.warehouse import WarehouseError, record_step_change, remove_step_change
from webapp.auth import require
from webapp.context import get_config, get_warehouse


def step_rows(code: str | None = None) -> list[dict]:
    """The recorded step changes (of one indicator, or all), newest month first."""
    d = get_warehouse().step_changes(code)
    return [{"step": int(r.step_id), "indicator": r.indicator_code,
             "from": f"{r.month:%Y-%m}", "reason": r.reason, "by": r.user_name,
             "recorded": f"{r.recorded_at:%d %b %Y %H:%M}"}
            for r in d.iloc[::-1].itertuples()]


def handle_record(n_clicks, code, month, reason):
    """Record a step change; returns (status sentence, rows)."""
    if not n_clicks:
        return "", step_rows()
    user = require("editor")
    wh = get_warehouse()
    problems = []
    if not code or code not in wh.catalogue or wh.catalogue.get(code).frequency != "M":
        problems.append("choose a monthly indicator")
    try:
        month_end = parse_as_at(month) if month else None
        if month_end is None:
            problems.append("choose the first month of the new baseline (YYYY-MM)")
    except ValueError as exc:
        problems.append(str(exc))
        month_end = None
    if not (reason or "").strip():
        problems.append("say why the process changed (for example 'new recording system')")
    if problems:
        return "Not recorded: " + "; ".join(problems) + ".", step_rows()
    try:
        sid = record_step_change(get_config().warehouse_path, code, month_end, reason, user.name)
    except WarehouseError as exc:
        return f"Not recorded: {exc}.", step_rows()
    return (f"Step change {sid} recorded by {user.name}: {code} limits start again from "
            f"{month_end:%B %Y}.", step_rows())


def handle_remove(n_clicks, step_id):
    """Withdraw a step change; returns (status sentence, rows)."""
    if not n_clicks:
        return "", step_rows()
    user = require("editor")
    try:
        remove_step_change(get_config().warehouse_path, int(step_id), user.name)
    except (TypeError, ValueError):
        return "Not removed: give the step change's number from the table.", step_rows()
    except WarehouseError as exc:
        return f"Not removed: {exc}.", step_rows()
    return f"Step change {int(step_id)} removed by {user.name}.", step_rows()
