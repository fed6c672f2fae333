"""The step-change editor's handlers on the server: viewers are refused, editors record and
withdraw step changes (all problems listed at once), and each change is in the audit log."""
from __future__ import annotations

import flask
import pytest

from pipelines.store.queries import Warehouse
from tests.upload.conftest import built_dir, config, warehouse_bytes  # noqa: F401 - fixtures
from webapp.auth import PermissionDenied, init_auth, start_session
from webapp.context import set_context
from webapp.spc_edit import handle_record, handle_remove


def _server(cfg):
    server = flask.Flask(__name__)
    set_context(server, cfg)
    init_auth(server, cfg)
    return server


@pytest.mark.parametrize("role", [None, "viewer"])
def test_viewers_are_refused(config, role):  # noqa: F811
    server = _server(config)
    before = warehouse_bytes(config)
    with server.test_request_context():
        if role:
            start_session(config, f"demo-{role}", role)
        with pytest.raises(PermissionDenied, match="access"):
            handle_record(1, "HEALTH_CHECKS_PCT", "2026-01", "new system")
        with pytest.raises(PermissionDenied, match="access"):
            handle_remove(1, 1)
    assert warehouse_bytes(config) == before


def test_editor_records_and_withdraws_a_step_change(config):  # noqa: F811
    server = _server(config)
    with server.test_request_context():
        start_session(config, "demo-editor", "editor")
        status, rows = handle_record(1, "POP_0_17", None, " ")
        assert status.startswith("Not recorded") and "monthly indicator" in status
        assert "first month" in status and "say why" in status and rows == []
        status, rows = handle_record(1, "HEALTH_CHECKS_PCT", "2026-01", "new recording system")
        assert "recorded" in status and "January 2026" in status
        assert rows[0]["indicator"] == "HEALTH_CHECKS_PCT" and rows[0]["from"] == "2026-01"
        assert rows[0]["reason"] == "new recording system"
        status, _ = handle_record(1, "HEALTH_CHECKS_PCT", "2026-01", "again")
        assert "already has a step change" in status
        status, rows = handle_remove(1, rows[0]["step"])
        assert "removed" in status and rows == []
    log = Warehouse(config).audit_log()
    assert {"step change", "step change removed"} <= set(log.action)
