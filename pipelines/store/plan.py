"""The board's own business in the warehouse: the action plan (outcomes and their actions),
the schedule of outstanding matters and the board's requests for new measures.

Every change writes a new version of the row: the old one gets `valid_to`, the new one
`valid_from` (the same instant), so `read_items(..., at=...)` shows the plan exactly as it
stood at any past moment, and the audit log says who changed what. Nothing is deleted: a
removed item is a version with `removed = true`. Writes go through `write_transaction`
(copy, change, swap), like uploads.

Kinds: `outcome` (plan_outcomes), `action` (plan_actions), `matter` and `request` (both in
board_matters, told apart by its `kind` column: the schedule and the requests are tracked
the same way).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.store.warehouse import log, write_transaction


@dataclass(frozen=True)
class Table:
    name: str
    id_col: str
    fields: tuple[str, ...]   # what an editor can set (besides removed)
    group: str                 # items are ordered (position) within one value of this


TABLES = {
    "outcome": Table("plan_outcomes", "outcome_id",
                     ("plan", "position", "outcome", "target", "lead", "indicators",
                      "private_notes"), "plan"),
    "action": Table("plan_actions", "action_id",
                    ("outcome_id", "position", "action", "owner", "due", "due_text", "status",
                     "update_text", "indicators", "private_notes"), "outcome_id"),
    "matter": Table("board_matters", "matter_id",
                    ("kind", "position", "meeting_date", "subject", "lead", "current_position",
                     "status", "indicators", "private_notes"), "kind"),
}
TABLES["request"] = TABLES["matter"]
KINDS = ("outcome", "action", "matter", "request")
ACTION_STATUSES = ("completed", "progressing", "off_target", "not_started")
MATTER_STATUSES = ("open", "closed")
# What a short description of an item in the audit log is made from.
_LABEL = {"outcome": "outcome", "action": "action", "matter": "subject", "request": "subject"}


class PlanError(ValueError):
    """A change that cannot be made (unknown item, bad kind); the message says why."""


def stamp() -> datetime:
    """Now, to the microsecond (two edits in one second stay in order)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def norm_text(s) -> str:
    """Text compared for duplicates: case, spacing and punctuation ignored."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(s or "").lower()).split())


def item_key(kind: str, item: dict, outcome_text: str = "", plan: str = "") -> tuple:
    """What makes two items the same (an import offering one again is a duplicate)."""
    if kind == "outcome":
        return ("outcome", norm_text(item.get("plan")), norm_text(item.get("outcome")))
    if kind == "action":
        return ("action", norm_text(plan), norm_text(outcome_text), norm_text(item.get("action")))
    md = item.get("meeting_date")
    return (kind, str(pd.Timestamp(md).date()) if md is not None and not pd.isna(md) else "",
            norm_text(item.get("subject")), norm_text(item.get("current_position")))


def _check_kind(kind: str) -> Table:
    if kind not in TABLES:
        raise PlanError(f"'{kind}' is not a kind of plan item: expected one of {', '.join(KINDS)}")
    return TABLES[kind]


def _group_value(kind: str, values: dict):
    return kind if kind in ("matter", "request") else values.get(TABLES[kind].group)


# ---------------------------------------------------------------- reading

def _columns(t: Table) -> list[str]:
    return [t.id_col, "version", *t.fields, "removed", "valid_from", "valid_to", "changed_by"]


def _empty(t: Table) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in _columns(t)})


def _query(conn, sql: str, params: list, t: Table) -> pd.DataFrame:
    """Run on a ReadConnection or a DuckDB connection; a warehouse made before these tables
    existed simply has no items."""
    try:
        return conn.cursor().execute(sql, params).df()
    except duckdb.CatalogException:
        return _empty(t)


def _as_instant(at) -> datetime | None:
    """A month end or date means the end of that day; a datetime is taken as it is."""
    if at is None:
        return None
    if isinstance(at, pd.Timestamp):
        at = at.to_pydatetime()
    if isinstance(at, datetime):
        return at
    if isinstance(at, date):
        return datetime(at.year, at.month, at.day, 23, 59, 59, 999999)
    raise PlanError(f"'{at}' is not a date")


def read_items(conn, kind: str, at=None, include_removed: bool = False) -> pd.DataFrame:
    """The items of one kind as they stood at `at` (a date: its end; None: now), ordered as
    the board sees them."""
    t = _check_kind(kind)
    where, params = ["valid_to IS NULL"], []
    instant = _as_instant(at)
    if instant is not None:
        where = ["valid_from <= ?", "(valid_to IS NULL OR valid_to > ?)"]
        params = [instant, instant]
    if kind in ("matter", "request"):
        where.append("kind = ?")
        params.append(kind)
    if not include_removed:
        where.append("NOT coalesce(removed, false)")
    order = {"outcome": "plan DESC, position, outcome_id",
             "action": "outcome_id, position, action_id",
             "matter": "position, matter_id",     # as the editors order the schedule
             "request": "position, matter_id"}[kind]
    sql = f"SELECT * FROM {t.name} WHERE {' AND '.join(where)} ORDER BY {order}"
    return _query(conn, sql, params, t)


def item_history(conn, kind: str, item_id: int) -> pd.DataFrame:
    """Every version of one item, oldest first (who changed it and when)."""
    t = _check_kind(kind)
    return _query(conn, f"SELECT * FROM {t.name} WHERE {t.id_col} = ? ORDER BY version",
                  [int(item_id)], t)


# ---------------------------------------------------------------- writing

def _current(con, t: Table, item_id: int) -> dict | None:
    res = con.execute(f"SELECT * FROM {t.name} WHERE {t.id_col} = ? AND valid_to IS NULL",
                      [int(item_id)])
    names = [d[0] for d in res.description]
    rows = res.fetchall()
    return dict(zip(names, rows[0])) if rows else None


def _clean(v):
    if isinstance(v, str):
        v = v.strip()
        return v or None
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def _insert(con, t: Table, row: dict) -> None:
    cols = _columns(t)
    con.execute(f"INSERT INTO {t.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row.get(c) for c in cols])


def _next_id(con, t: Table) -> int:
    return con.execute(f"SELECT coalesce(max({t.id_col}), 0) + 1 FROM {t.name}").fetchall()[0][0]


def _next_position(con, kind: str, t: Table, group) -> int:
    if group is None:
        return 1
    return con.execute(
        f"SELECT coalesce(max(position), 0) + 1 FROM {t.name} WHERE valid_to IS NULL "
        f"AND {t.group} = ?", [group]).fetchall()[0][0]


def _short(text, n: int = 60) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _add(con, kind: str, values: dict, user: str, ts: datetime) -> int:
    t = TABLES[kind]
    row = {f: _clean(values.get(f)) for f in t.fields}
    if kind in ("matter", "request"):
        row["kind"] = kind
    if row.get("position") is None:
        row["position"] = _next_position(con, kind, t, _group_value(kind, row))
    item_id = _next_id(con, t)
    row.update({t.id_col: item_id, "version": 1, "removed": False, "valid_from": ts,
                "valid_to": None, "changed_by": user})
    _insert(con, t, row)
    return item_id


def _add_many(con, kind: str, items: list[dict], user: str, ts: datetime) -> list[int]:
    """Add many items in one INSERT (an import of hundreds of actions); returns their ids."""
    if not items:
        return []
    t = TABLES[kind]
    first = _next_id(con, t)
    positions: dict = {}
    rows = []
    for n, values in enumerate(items):
        row = {f: _clean(values.get(f)) for f in t.fields}
        if kind in ("matter", "request"):
            row["kind"] = kind
        if row.get("position") is None:
            g = _group_value(kind, row)
            if g not in positions:
                positions[g] = _next_position(con, kind, t, g)
            row["position"] = positions[g]
            positions[g] += 1
        row.update({t.id_col: first + n, "version": 1, "removed": False, "valid_from": ts,
                    "valid_to": None, "changed_by": user})
        rows.append(row)
    cols = _columns(t)
    frame = pd.DataFrame(rows, columns=cols).astype(object)
    con.register("new_items", frame)
    try:
        con.execute(f"INSERT INTO {t.name} ({', '.join(cols)}) "
                    f"SELECT {', '.join(cols)} FROM new_items")
    finally:
        con.unregister("new_items")
    return list(range(first, first + len(rows)))


def _change(con, kind: str, item_id: int, changes: dict, user: str, ts: datetime) -> list[str]:
    """Write a new version with `changes`; returns the changed field names (none: no write)."""
    t = TABLES[kind]
    cur = _current(con, t, item_id)
    if cur is None or (kind in ("matter", "request") and cur["kind"] != kind):
        raise PlanError(f"There is no {kind} {item_id}.")
    new = dict(cur)
    changed = []
    for f, v in changes.items():
        if f not in t.fields and f != "removed":
            raise PlanError(f"'{f}' is not a field of a {kind}")
        v = _clean(v)
        old = cur.get(f)
        if isinstance(old, pd.Timestamp):
            old = old.date()
        if isinstance(old, datetime):
            old = old.date()
        if old != v:
            new[f] = v
            changed.append(f)
    if not changed:
        return []
    con.execute(f"UPDATE {t.name} SET valid_to = ? WHERE {t.id_col} = ? AND valid_to IS NULL",
                [ts, int(item_id)])
    new.update(version=cur["version"] + 1, valid_from=ts, valid_to=None, changed_by=user)
    _insert(con, t, new)
    return changed


def save_item(db: Path, kind: str, values: dict, user: str, item_id: int | None = None) -> int:
    """Add an item (item_id None) or change one; logged. Returns the item's id."""
    _check_kind(kind)
    ts = stamp()
    with write_transaction(Path(db)) as con:
        if item_id is None:
            item_id = _add(con, kind, values, user, ts)
            log(con, user, "action plan", f"added {kind} {item_id}: "
                                          f"{_short(values.get(_LABEL[kind]))}")
        else:
            changed = _change(con, kind, item_id, values, user, ts)
            if changed:
                log(con, user, "action plan", f"changed {kind} {item_id} "
                                              f"({', '.join(changed)})")
    return item_id


def close_item(db: Path, kind: str, item_id: int, user: str) -> bool:
    """An action is closed by marking it completed; a matter or request by closing it.
    Returns False when it was already closed."""
    if kind not in ("action", "matter", "request"):
        raise PlanError(f"A {kind} is not closed; edit or remove it instead.")
    status = "completed" if kind == "action" else "closed"
    ts = stamp()
    with write_transaction(Path(db)) as con:
        changed = _change(con, kind, item_id, {"status": status}, user, ts)
        if changed:
            log(con, user, "action plan", f"closed {kind} {item_id}")
    return bool(changed)


def remove_item(db: Path, kind: str, item_id: int, user: str) -> None:
    """Take an item off the plan (kept in its history; earlier "as at" views still show it)."""
    ts = stamp()
    with write_transaction(Path(db)) as con:
        _change(con, kind, item_id, {"removed": True}, user, ts)
        log(con, user, "action plan", f"removed {kind} {item_id}")


def move_item(db: Path, kind: str, item_id: int, step: int, user: str) -> bool:
    """Swap an item with its neighbour above (step -1) or below (+1) in its group.
    Returns False when it is already first or last."""
    t = _check_kind(kind)
    ts = stamp()
    with write_transaction(Path(db)) as con:
        cur = _current(con, t, item_id)
        if cur is None or cur.get("removed"):
            raise PlanError(f"There is no {kind} {item_id}.")
        group = _group_value(kind, cur)
        rows = con.execute(
            f"SELECT {t.id_col}, position FROM {t.name} WHERE valid_to IS NULL "
            f"AND NOT coalesce(removed, false) AND {t.group} IS NOT DISTINCT FROM ? "
            f"ORDER BY position, {t.id_col}", [group]).fetchall()
        ids = [r[0] for r in rows]
        i = ids.index(item_id)
        j = i + (1 if step > 0 else -1)
        if j < 0 or j >= len(ids):
            return False
        ids[i], ids[j] = ids[j], ids[i]
        # Renumber the whole group 1..n so gaps and ties left by earlier edits disappear.
        for pos, other in enumerate(ids, start=1):
            _change(con, kind, other, {"position": pos}, user, ts)
        log(con, user, "action plan", f"moved {kind} {item_id} {'down' if step > 0 else 'up'}")
    return True


# ---------------------------------------------------------------- importing

@dataclass
class ImportResult:
    outcomes_added: int = 0
    outcomes_matched: int = 0
    actions_added: int = 0
    matters_added: int = 0
    requests_added: int = 0
    duplicates_skipped: int = 0

    @property
    def message(self) -> str:
        parts = []
        if self.outcomes_added or self.outcomes_matched:
            parts.append(f"{self.outcomes_added} new outcomes ({self.outcomes_matched} already "
                         "on the plan)")
        for n, what in ((self.actions_added, "actions"), (self.matters_added,
                        "outstanding matters"), (self.requests_added, "board requests")):
            if n:
                parts.append(f"{n} {what}")
        text = "Imported " + (", ".join(parts) if parts else "nothing new")
        if self.duplicates_skipped:
            text += f"; {self.duplicates_skipped} duplicates skipped"
        return text + "."


def existing_keys(conn) -> set[tuple]:
    """The duplicate keys of every current item (an import compares against these)."""
    keys = set()
    outcomes = read_items(conn, "outcome")
    by_id = {int(r.outcome_id): r for r in outcomes.itertuples()}
    for r in outcomes.itertuples():
        keys.add(item_key("outcome", {"plan": r.plan, "outcome": r.outcome}))
    for r in read_items(conn, "action").itertuples():
        o = by_id.get(int(r.outcome_id)) if not pd.isna(r.outcome_id) else None
        keys.add(item_key("action", {"action": r.action}, o.outcome if o else "",
                          o.plan if o else ""))
    for kind in ("matter", "request"):
        for r in read_items(conn, kind).itertuples():
            keys.add(item_key(kind, r._asdict()))
    return keys


def import_items(db: Path, outcomes: list[dict], actions: list[dict], matters: list[dict],
                 user: str, *, duplicates: str = "ask", recorded_at=None,
                 source: str = "") -> ImportResult:
    """Add a checked import in one transaction: all of it lands or none does.

    `outcomes` carry a `key`; each action names its outcome by `outcome_key`. An outcome
    already on the plan (same plan and wording) is reused, not added again. Actions and
    matters already on the plan are duplicates: `duplicates` = "skip" leaves them out, "add"
    adds them again, "ask" (the default) refuses with PlanError so the caller can ask.
    `recorded_at` (a date) backdates the new items' first version to when the paper was
    agreed, so "as at" shows a plan typed in from an old paper; the audit log keeps the
    real time.
    """
    if duplicates not in ("ask", "skip", "add"):
        raise PlanError(f"duplicates='{duplicates}': expected ask, skip or add")
    ts = stamp()
    first = _as_instant(recorded_at).replace(hour=0, minute=0, second=0, microsecond=0) \
        if recorded_at is not None else ts
    result = ImportResult()
    with write_transaction(Path(db)) as con:
        keys = existing_keys(con)
        current = read_items(con, "outcome")
        known = {item_key("outcome", {"plan": r.plan, "outcome": r.outcome}): int(r.outcome_id)
                 for r in current.itertuples()}
        found = duplicate_items(keys, outcomes, actions, matters)
        if found and duplicates == "ask":
            raise PlanError(f"{len(found)} of the items are already on the plan: "
                            "skip them or add them again?")
        ids, texts, new_outcomes = {}, {}, []
        for o in outcomes:
            k = item_key("outcome", o)
            texts[o["key"]] = (o.get("outcome"), o.get("plan"))
            if k in known:
                ids[o["key"]] = known[k]
                result.outcomes_matched += 1
            elif k not in {item_key("outcome", n) for n in new_outcomes}:
                new_outcomes.append(o)
        for o, new_id in zip(new_outcomes, _add_many(con, "outcome", new_outcomes, user, first)):
            known[item_key("outcome", o)] = new_id
        for o in outcomes:
            ids.setdefault(o["key"], known[item_key("outcome", o)])
        result.outcomes_added = len(new_outcomes)
        keep = []
        for a in actions:
            text, plan = texts.get(a.get("outcome_key"), ("", ""))
            if item_key("action", a, text, plan) in found and duplicates == "skip":
                result.duplicates_skipped += 1
                continue
            keep.append({**a, "outcome_id": ids.get(a.get("outcome_key"))})
        result.actions_added = len(_add_many(con, "action", keep, user, first))
        by_kind: dict[str, list] = {"matter": [], "request": []}
        for m in matters:
            kind = m.get("kind", "matter")
            if item_key(kind, m) in found and duplicates == "skip":
                result.duplicates_skipped += 1
                continue
            by_kind[kind].append(m)
        result.matters_added = len(_add_many(con, "matter", by_kind["matter"], user, first))
        result.requests_added = len(_add_many(con, "request", by_kind["request"], user, first))
        log(con, user, "action plan import", f"{source}: {result.message}".strip(": "))
    return result


def duplicate_items(keys: set[tuple], outcomes: list[dict], actions: list[dict],
                    matters: list[dict]) -> set[tuple]:
    """Keys of incoming actions, matters and requests already on the plan."""
    texts = {o["key"]: (o.get("outcome"), o.get("plan")) for o in outcomes}
    found = set()
    for a in actions:
        text, plan = texts.get(a.get("outcome_key"), ("", ""))
        k = item_key("action", a, text, plan)
        if k in keys:
            found.add(k)
    for m in matters:
        k = item_key(m.get("kind", "matter"), m)
        if k in keys:
            found.add(k)
    return found
