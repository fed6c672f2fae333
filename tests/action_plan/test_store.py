"""The plan in the warehouse: every change is a new version (so "as at" any past moment
shows the plan as it stood), logged in the audit log, and atomic."""
from __future__ import annotations

from datetime import date

import duckdb
import pytest

from pipelines.store import plan
from pipelines.store.plan import PlanError, item_history, read_items
from pipelines.store.warehouse import ReadConnection
from tests.action_plan.conftest import warehouse_bytes


def _audit(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT user_name, action, detail FROM audit_log "
                           "WHERE action LIKE 'action plan%'").fetchall()
    finally:
        con.close()


def test_edits_keep_versions_and_as_at_shows_the_plan_as_it_stood(empty_config):
    db = empty_config.warehouse_path
    oid = plan.save_item(db, "outcome", {"plan": "2013-14", "outcome": "Better health"}, "ann")
    aid = plan.save_item(db, "action", {"outcome_id": oid, "action": "Run clinics",
                                        "due": date(2013, 12, 31), "status": "not_started"}, "ann")
    before_close = plan.stamp()
    assert plan.close_item(db, "action", aid, "bob") is True
    assert plan.close_item(db, "action", aid, "bob") is False  # already completed
    conn = ReadConnection(db)
    assert read_items(conn, "action").status.tolist() == ["completed"]
    assert read_items(conn, "action", before_close).status.tolist() == ["not_started"]
    hist = item_history(conn, "action", aid)
    assert hist.version.tolist() == [1, 2] and hist.changed_by.tolist() == ["ann", "bob"]
    assert hist.valid_to.iloc[0] == hist.valid_from.iloc[1]
    assert _audit(db) == [("ann", "action plan", "added outcome 1: Better health"),
                          ("ann", "action plan", "added action 1: Run clinics"),
                          ("bob", "action plan", "closed action 1")]


def test_reordering_swaps_neighbours_and_keeps_history(empty_config):
    db = empty_config.warehouse_path
    oid = plan.save_item(db, "outcome", {"plan": "P", "outcome": "O"}, "ann")
    ids = [plan.save_item(db, "action", {"outcome_id": oid, "action": t}, "ann")
           for t in ("first", "second", "third")]
    before = plan.stamp()
    assert plan.move_item(db, "action", ids[2], -1, "ann") is True
    assert plan.move_item(db, "action", ids[0], -1, "ann") is False  # already first
    conn = ReadConnection(db)
    assert read_items(conn, "action").action.tolist() == ["first", "third", "second"]
    assert read_items(conn, "action", before).action.tolist() == ["first", "second", "third"]


def test_removed_items_leave_the_plan_but_not_its_past(empty_config):
    db = empty_config.warehouse_path
    oid = plan.save_item(db, "outcome", {"plan": "P", "outcome": "O"}, "ann")
    aid = plan.save_item(db, "action", {"outcome_id": oid, "action": "gone soon"}, "ann")
    before = plan.stamp()
    plan.remove_item(db, "action", aid, "ann")
    conn = ReadConnection(db)
    assert read_items(conn, "action").empty
    assert read_items(conn, "action", before).action.tolist() == ["gone soon"]


def test_a_failed_import_writes_nothing(config):
    """An action that names an outcome that is not in the import breaks nothing half-way:
    the transaction is rolled back and the file is untouched."""
    db = config.warehouse_path
    before = warehouse_bytes(config)
    with pytest.raises(Exception):
        plan.import_items(db, [{"key": 1, "plan": "X", "outcome": "New outcome"}],
                          [{"outcome_key": 1, "action": "ok"},
                           {"outcome_key": 1, "action": "bad", "due": "not a date"}], [],
                          "ann", duplicates="add")
    assert warehouse_bytes(config) == before


def test_unknown_items_and_kinds_are_refused(empty_config):
    db = empty_config.warehouse_path
    plan.save_item(db, "outcome", {"plan": "P", "outcome": "O"}, "ann")
    with pytest.raises(PlanError, match="There is no action 99"):
        plan.save_item(db, "action", {"action": "x"}, "ann", item_id=99)
    with pytest.raises(PlanError, match="not a kind of plan item"):
        plan.save_item(db, "minutes", {}, "ann")


def test_a_warehouse_from_before_the_plan_reads_as_an_empty_plan(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE observations (x INTEGER)")
    con.close()
    assert read_items(ReadConnection(db), "action").empty
