"""What the action-plan editor's callbacks do (`/action-plan/edit`), kept out of the page
module so tests call them directly. Every handler calls `require("editor")` first: the server
refuses a viewer whatever the browser shows.

Each change is one atomic, audit-logged write through `pipelines.store.plan`; the handlers
return a sentence for the status line and a new value for the page's "changed" store, which
redraws the plan and the pickers.
"""
from __future__ import annotations

import base64
import binascii
from datetime import date

from components.formatting import is_missing

from pipelines.plan_uploads import check_plan_file, import_plan_file
from pipelines.sources.action_plan import parse_date
from pipelines.store.plan import (ACTION_STATUSES, PlanError, close_item, item_history,
                                  move_item, read_items, save_item, stamp)
from present.action_plan import STATUS, codes_of, plan_view, status_label
from webapp.auth import require
from webapp.context import get_config, get_warehouse
from webapp.plan_views import plan_body

NEW = "new"


def _short(text, n: int = 70) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _str(v):
    """Text of a stored value; None for missing (None, NaN, NaT)."""
    return None if is_missing(v) else str(v)


def status_options() -> list[dict]:
    return [{"label": f"{sym} {words}", "value": key} for key, (words, sym) in STATUS.items()]


def indicator_options() -> list[dict]:
    cat = get_warehouse().catalogue
    return [{"label": f"{i.code}: {i.title}", "value": i.code} for i in cat.indicators]


def _options() -> tuple[list, list, list, list]:
    """(actions, outcomes to put an action under, outcomes to edit, matters and requests)."""
    conn = get_warehouse().conn
    outcomes = read_items(conn, "outcome")
    names = {int(r.outcome_id): r.outcome for r in outcomes.itertuples()}
    actions = [{"label": "A new action", "value": NEW}] + [
        {"label": f"{_short(names.get(int(r.outcome_id), ''), 30)} / {_short(r.action)} "
                  f"({status_label(r.status)})", "value": int(r.action_id)}
        for r in read_items(conn, "action").itertuples()]
    under = [{"label": f"{r.plan}: {_short(r.outcome)}", "value": int(r.outcome_id)}
             for r in outcomes.itertuples()]
    edit = [{"label": "A new outcome", "value": NEW}] + under
    matters = [{"label": "A new matter or request", "value": NEW}]
    for kind in ("matter", "request"):
        for r in read_items(conn, kind).itertuples():
            when = f"{r.meeting_date:%d %b %Y}" if _str(r.meeting_date) else "no date"
            matters.append({"label": f"{when} {kind}: {_short(r.subject)} ({r.status})",
                            "value": int(r.matter_id)})
    return actions, under, edit, matters


def handle_refresh(_changed):
    """The plan as it is now (with private notes) and fresh pickers."""
    require("editor")
    view = plan_view(get_warehouse(), None, include_private=True)
    return (plan_body(view), *_options())


def _current(kind: str, item_id) -> dict | None:
    if _blank(item_id) or item_id == NEW:
        return None
    d = read_items(get_warehouse().conn, kind)
    col = "matter_id" if kind in ("matter", "request") else f"{kind}_id"
    row = d[d[col] == int(item_id)]
    return None if row.empty else row.iloc[0].to_dict()


def _current_matter(item_id) -> dict | None:
    return _current("matter", item_id) or _current("request", item_id)


def _check_codes(codes) -> list[str]:
    cat = get_warehouse().catalogue
    bad = [c for c in (codes or []) if c not in cat]
    if bad:
        raise PlanError(f"Unknown indicator codes: {', '.join(bad)}.")
    return list(codes or [])


def _due(text) -> tuple[date | None, str | None]:
    if _blank(text):
        return None, None
    d, _ = parse_date(text)
    if d is None:
        raise PlanError(f"'{text}' is not a date: write it like 'March 2014', '2014-03' or "
                        "'31/03/2014'.")
    return d, str(text).strip()


# ---------------------------------------------------------------- actions

def handle_pick_action(action_id):
    """Fill the form from the chosen action (blank for a new one)."""
    require("editor")
    cur = _current("action", action_id)
    if cur is None:
        return None, "", "", "", "not_started", "", [], ""
    due = _str(cur.get("due_text")) or (f"{cur['due']:%d/%m/%Y}" if _str(cur.get("due")) else "")
    return (int(cur["outcome_id"]) if _str(cur.get("outcome_id")) else None,
            _str(cur["action"]) or "", _str(cur.get("owner")) or "", due,
            _str(cur.get("status")) or "not_started", _str(cur.get("update_text")) or "",
            codes_of(cur.get("indicators")),
            _str(cur.get("private_notes")) or "")


def handle_action_history(action_id) -> list[str]:
    """Every version of the chosen action: when, who, and what it said then."""
    require("editor")
    if _blank(action_id) or action_id == NEW:
        return []
    h = item_history(get_warehouse().conn, "action", int(action_id))
    lines = []
    for r in h.itertuples():
        state = "removed" if r.removed else status_label(_str(r.status))
        due = _str(r.due_text) or (f"{r.due:%d %b %Y}" if _str(r.due) else "no date")
        lines.append(f"Version {r.version}, {r.valid_from:%d %b %Y %H:%M} by {r.changed_by}: "
                     f"{state}; due {due}; update: {_str(r.update_text) or 'none'}")
    return lines


def handle_save_action(n_clicks, action_id, outcome_id, text, owner, due, status, update,
                       indicators, private):
    """Add or change an action. Returns (message, changed, chosen action)."""
    if not n_clicks:
        return None, None, action_id
    user = require("editor")
    try:
        if _blank(outcome_id):
            raise PlanError("Choose the outcome this action is for.")
        if _blank(text):
            raise PlanError("Write the key action.")
        if status not in ACTION_STATUSES:
            raise PlanError("Choose a status.")
        due_date, due_text = _due(due)
        values = {"outcome_id": int(outcome_id), "action": text.strip(), "owner": owner,
                  "due": due_date, "due_text": due_text, "status": status,
                  "update_text": update, "indicators": ",".join(_check_codes(indicators)) or None,
                  "private_notes": private}
        db = get_config().warehouse_path
        if _blank(action_id) or action_id == NEW:
            new_id = save_item(db, "action", values, user.name)
            msg = f"Added action {new_id}."
            if due_date is not None and due_date < date.today() and status != "completed":
                msg += (f" Its date ({due_date:%d %B %Y}) has already passed: it shows as "
                        "overdue until it is completed.")
            return msg, stamp().isoformat(), new_id
        save_item(db, "action", values, user.name, int(action_id))
        return f"Saved action {action_id}.", stamp().isoformat(), int(action_id)
    except PlanError as exc:
        return f"Not saved: {exc}", None, action_id


def handle_close_action(n_clicks, action_id):
    if not n_clicks:
        return None, None
    user = require("editor")
    if _blank(action_id) or action_id == NEW:
        return "Choose the action to close.", None
    try:
        done = close_item(get_config().warehouse_path, "action", int(action_id), user.name)
    except PlanError as exc:
        return f"Not closed: {exc}", None
    if not done:
        return f"Action {action_id} was already completed.", None
    return f"Closed action {action_id}: marked completed.", stamp().isoformat()


def handle_move(n_clicks, kind, item_id, step):
    if not n_clicks:
        return None, None
    user = require("editor")
    if _blank(item_id) or item_id == NEW:
        return f"Choose the {kind} to move.", None
    if kind == "matter":
        cur = _current_matter(item_id)
        kind = cur["kind"] if cur else "matter"
    try:
        moved = move_item(get_config().warehouse_path, kind, int(item_id), step, user.name)
    except PlanError as exc:
        return f"Not moved: {exc}", None
    if not moved:
        return f"That {kind} is already {'first' if step < 0 else 'last'}.", None
    return f"Moved {kind} {item_id} {'up' if step < 0 else 'down'}.", stamp().isoformat()


# ---------------------------------------------------------------- outcomes

def handle_pick_outcome(outcome_id):
    require("editor")
    cur = _current("outcome", outcome_id)
    if cur is None:
        return "", "", "", "", [], ""
    return (_str(cur.get("plan")) or "", _str(cur.get("outcome")) or "", _str(cur.get("target")) or "",
            _str(cur.get("lead")) or "", codes_of(cur.get("indicators")),
            _str(cur.get("private_notes")) or "")


def handle_save_outcome(n_clicks, outcome_id, plan, outcome, target, lead, indicators, private):
    if not n_clicks:
        return None, None, outcome_id
    user = require("editor")
    try:
        if _blank(outcome):
            raise PlanError("Write the outcome (what is to be achieved).")
        values = {"plan": (plan or "").strip(), "outcome": outcome.strip(), "target": target,
                  "lead": lead, "indicators": ",".join(_check_codes(indicators)) or None,
                  "private_notes": private}
        db = get_config().warehouse_path
        if _blank(outcome_id) or outcome_id == NEW:
            new_id = save_item(db, "outcome", values, user.name)
            return f"Added outcome {new_id}.", stamp().isoformat(), new_id
        save_item(db, "outcome", values, user.name, int(outcome_id))
        return f"Saved outcome {outcome_id}.", stamp().isoformat(), int(outcome_id)
    except PlanError as exc:
        return f"Not saved: {exc}", None, outcome_id


# ---------------------------------------------------------------- matters and requests

def handle_pick_matter(matter_id):
    require("editor")
    cur = _current_matter(matter_id)
    if cur is None:
        return "matter", "", "", "", "", [], ""
    md = cur.get("meeting_date")
    return (cur["kind"], f"{md:%d/%m/%Y}" if _str(md) else "",
            _str(cur.get("subject")) or "", _str(cur.get("lead")) or "", _str(cur.get("current_position")) or "",
            codes_of(cur.get("indicators")), _str(cur.get("private_notes")) or "")


def handle_save_matter(n_clicks, matter_id, kind, meeting, subject, lead, position,
                       indicators, private):
    if not n_clicks:
        return None, None, matter_id
    user = require("editor")
    try:
        if kind not in ("matter", "request"):
            raise PlanError("Choose whether this is an outstanding matter or a request.")
        if _blank(subject):
            raise PlanError("Write the subject.")
        md, _ = parse_date(meeting or "", day_needed=True)
        if md is None:
            raise PlanError("Give the date of the meeting, like 18/01/2018 or 18 January 2018.")
        values = {"meeting_date": md, "subject": subject.strip(), "lead": lead,
                  "current_position": position,
                  "indicators": ",".join(indicators or []) or None, "private_notes": private}
        db = get_config().warehouse_path
        cur = _current_matter(matter_id)
        if cur is None:
            new_id = save_item(db, kind, {**values, "status": "open"}, user.name)
            return f"Added {kind} {new_id}.", stamp().isoformat(), new_id
        if cur["kind"] != kind:
            raise PlanError(f"Item {matter_id} is a {cur['kind']}; add a new {kind} instead.")
        save_item(db, kind, values, user.name, int(matter_id))
        return f"Saved {kind} {matter_id}.", stamp().isoformat(), int(matter_id)
    except PlanError as exc:
        return f"Not saved: {exc}", None, matter_id


def handle_close_matter(n_clicks, matter_id):
    if not n_clicks:
        return None, None
    user = require("editor")
    cur = _current_matter(matter_id)
    if cur is None:
        return "Choose the matter or request to close.", None
    done = close_item(get_config().warehouse_path, cur["kind"], int(matter_id), user.name)
    if not done:
        return f"That {cur['kind']} was already closed.", None
    return f"Closed {cur['kind']} {matter_id}.", stamp().isoformat()


# ---------------------------------------------------------------- importing a spreadsheet

def _decode(contents: str) -> bytes:
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=False)
    except (IndexError, binascii.Error, ValueError):
        raise PlanError("The file could not be read from the browser; try again.") from None


def _recorded(text) -> date | None:
    if _blank(text):
        return None
    d, _ = parse_date(text, day_needed=True)
    if d is None:
        raise PlanError(f"'{text}' is not a date: give the date the plan was agreed, like "
                        "26/06/2013.")
    return d


def import_report(checked) -> list:
    """Plain-text lines for the problems and what would be imported."""
    p = checked.parsed
    lines = [checked.message]
    if not p.errors:
        c = p.counts
        lines.append(f"The file holds {c['outcomes']} outcomes, {c['actions']} actions, "
                     f"{c['matters']} outstanding matters and {c['requests']} requests.")
    lines += [f"{'Error' if q.is_error else 'Warning'}: {q.message}" for q in p.problems]
    return lines


def handle_check_import(contents, file_name, recorded):
    """Check a dropped file; writes nothing. Returns (report lines, can import, duplicates)."""
    require("editor")
    if not contents:
        return [], False, 0
    try:
        data, rec = _decode(contents), _recorded(recorded)
    except PlanError as exc:
        return [str(exc)], False, 0
    checked = check_plan_file(get_config().warehouse_path, data, file_name or "upload",
                              get_warehouse().catalogue, recorded_at=rec)
    return import_report(checked), not checked.parsed.errors, checked.duplicates


def handle_import(n_clicks, contents, file_name, recorded, duplicates):
    """Import the checked file (duplicates: ask, skip or add). Returns (lines, changed)."""
    if not n_clicks:
        return None, None
    user = require("editor")
    if not contents:
        return ["Choose a file first."], None
    try:
        data, rec = _decode(contents), _recorded(recorded)
    except PlanError as exc:
        return [str(exc)], None
    done = import_plan_file(get_config().warehouse_path, data, file_name or "upload",
                            get_warehouse().catalogue, user.name, duplicates=duplicates,
                            recorded_at=rec)
    return import_report(done), (stamp().isoformat() if done.result else None)
