"""The editor's handlers on the server: viewers and anonymous users are refused whatever the
browser shows and nothing changes; editors add, edit, close, reorder and import."""
from __future__ import annotations

import base64

import pytest

from pipelines.store.plan import read_items
from pipelines.store.warehouse import ReadConnection
from tests.action_plan.conftest import PLAN, SAMPLE, warehouse_bytes
from tests.fixtures import as_role
from webapp.auth import PermissionDenied


@pytest.fixture
def handlers(dash_app):
    from webapp import plan_edit
    return plan_edit


def _url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


CALLS = [
    ("handle_refresh", (None,)),
    ("handle_pick_action", (1,)),
    ("handle_action_history", (1,)),
    ("handle_save_action", (1, "new", 1, "Hacked", "x", "March 2030", "progressing", "", [], "")),
    ("handle_close_action", (1, 1)),
    ("handle_move", (1, "action", 2, -1)),
    ("handle_pick_outcome", (1,)),
    ("handle_save_outcome", (1, "new", "P", "Hacked", "", "", [], "")),
    ("handle_pick_matter", (1,)),
    ("handle_save_matter", (1, "new", "matter", "18/01/2018", "Hacked", "", "", [], "")),
    ("handle_close_matter", (1, 1)),
    ("handle_check_import", (_url(b"Outcome,Key action\nA,B\n"), "p.csv", "")),
    ("handle_import", (1, _url(b"Outcome,Key action\nA,B\n"), "p.csv", "", "add")),
]


@pytest.mark.parametrize("role", [None, "viewer"])
@pytest.mark.parametrize("fn, args", CALLS, ids=[c[0] for c in CALLS])
def test_viewers_are_refused_on_the_server(config, server_for, handlers, role, fn, args):
    server = server_for(config)
    before = warehouse_bytes(config)
    with as_role(server, role), pytest.raises(PermissionDenied, match="needs editor access"):
        getattr(handlers, fn)(*args)
    assert warehouse_bytes(config) == before


def test_an_editor_adds_edits_closes_and_moves_an_action(config, server_for, handlers):
    server = server_for(config)
    conn = ReadConnection(config.warehouse_path)
    with as_role(server, "editor"):
        msg, changed, new_id = handlers.handle_save_action(
            1, "new", 1, "Write to every school", "Lorna Tull", "January 2013", "not_started",
            "", ["PEP_Y1_11_PCT"], "ask the head teachers first")
        assert msg.startswith(f"Added action {new_id}.") and "already passed" in msg
        assert changed
        picked = handlers.handle_pick_action(new_id)
        assert picked == (1, "Write to every school", "Lorna Tull", "January 2013",
                          "not_started", "", ["PEP_Y1_11_PCT"], "ask the head teachers first")
        msg, _, _ = handlers.handle_save_action(
            1, new_id, 1, "Write to every school", "Lorna Tull", "January 2013", "progressing",
            "Letters drafted", ["PEP_Y1_11_PCT"], "")
        assert msg == f"Saved action {new_id}."
        assert handlers.handle_move(1, "action", new_id, -1)[0] == f"Moved action {new_id} up."
        assert handlers.handle_close_action(1, new_id)[0] == \
            f"Closed action {new_id}: marked completed."
        history = handlers.handle_action_history(new_id)
    # who and the state, version by version (added, edited, moved, closed)
    assert [h.split(" by ")[1].split(";")[0] for h in history] == [
        "demo-editor: ○ Not started yet", "demo-editor: ▶ Progressing in timescale",
        "demo-editor: ▶ Progressing in timescale", "demo-editor: ✓ Completed"]
    row = read_items(conn, "action").set_index("action_id").loc[new_id]
    assert (row.status, row.update_text, row.version) == ("completed", "Letters drafted", 4)
    ours = read_items(conn, "action")
    ours = ours[ours.outcome_id == 1].action.tolist()
    assert ours[-2:] == ["Write to every school", "Implement new programme of raising awareness "
                         "of Corporate Parenting responsibilities for all council staff and "
                         "partner agencies through training and communication activities"]


def test_an_editor_is_told_what_is_wrong(config, server_for, handlers):
    server = server_for(config)
    before = warehouse_bytes(config)
    with as_role(server, "editor"):
        assert handlers.handle_save_action(1, "new", None, "x", "", "", "progressing", "", [],
                                           "")[0] == "Not saved: Choose the outcome this action is for."
        assert "is not a date" in handlers.handle_save_action(
            1, "new", 1, "x", "", "whenever", "progressing", "", [], "")[0]
        assert "Give the date of the meeting" in handlers.handle_save_matter(
            1, "new", "request", "", "Subject", "", "", [], "")[0]
    assert warehouse_bytes(config) == before


def test_an_editor_imports_and_is_asked_about_duplicates(config, server_for, handlers):
    server = server_for(config)
    url = _url((SAMPLE / PLAN).read_bytes())
    with as_role(server, "editor"):
        lines, ok, dups = handlers.handle_check_import(url, PLAN, "26/06/2013")
        assert ok and dups == 14
        before = warehouse_bytes(config)
        lines, changed = handlers.handle_import(1, url, PLAN, "26/06/2013", "ask")
        assert "14 of its items are already on the plan" in lines[0] and changed is None
        assert warehouse_bytes(config) == before
        lines, changed = handlers.handle_import(1, url, PLAN, "26/06/2013", "skip")
        assert "14 duplicates skipped" in lines[0] and changed


def test_an_editor_reorders_the_schedule(config, server_for, handlers):
    server = server_for(config)
    conn = ReadConnection(config.warehouse_path)
    assert read_items(conn, "matter").subject.tolist() == [
        "Performance Monitoring report", "Councillor visits to establishments"]
    second = int(read_items(conn, "matter").matter_id.iloc[1])
    with as_role(server, "editor"):
        assert handlers.handle_move(1, "matter", second, -1)[0] == f"Moved matter {second} up."
    assert read_items(conn, "matter").subject.tolist() == [
        "Councillor visits to establishments", "Performance Monitoring report"]
