"""The pages' callbacks called directly on the server: viewers are refused (whatever the
browser shows), editors upload, commit, revert, and save key points; admins manage users."""
from __future__ import annotations

import base64

import pytest

from pipelines.store.queries import Warehouse
from tests.fixtures import as_role
from tests.upload.conftest import warehouse_bytes
from webapp.auth import PermissionDenied, start_session

NOVEMBER = (b"indicator_code,period,value,numerator,denominator\n"
            b"HEALTH_CHECKS_PCT,2026-11,88.2,380,431\nCLA_NUMBER,2026-11,580,,\n")
BROKEN = b"indicator_code,period,value\nHEALTH_CHECKS_PCT,2026-11,120\n"


def url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


@pytest.fixture
def pages(dash_app):
    import pages.admin as admin
    import pages.keypoints_edit as kp
    import pages.upload as upload
    return upload, kp, admin


VIEWER_CALLS = [
    ("upload", "handle_upload", ([url(NOVEMBER)], ["nov.csv"])),
    ("upload", "handle_commit", (1, "0" * 32, 0)),
    ("upload", "handle_history", (0,)),
    ("upload", "handle_revert_ask", (1, 2)),
    ("upload", "handle_revert", (1, 2, 0)),
    ("upload", "handle_template", (1,)),
    ("kp", "handle_load", ("2026-10", "key-points")),
    ("kp", "handle_draft", (1, "2026-10", "key-points")),
    ("kp", "handle_save", (1, "2026-10", "key-points", "Hacked")),
    ("admin", "handle_save_user", (1, "mallory", "admin", "long password 1")),
]


@pytest.mark.parametrize("role", [None, "viewer"])
@pytest.mark.parametrize("module, fn, args", VIEWER_CALLS, ids=[c[1] for c in VIEWER_CALLS])
def test_viewers_are_refused_on_the_server(config, server_for, pages, role, module, fn, args):
    upload, kp, admin = pages
    mod = {"upload": upload, "kp": kp, "admin": admin}[module]
    server = server_for(config)
    before = warehouse_bytes(config)
    with as_role(server, role), pytest.raises(PermissionDenied, match="access"):
        getattr(mod, fn)(*args)
    assert warehouse_bytes(config) == before


def test_editors_cannot_manage_users(make_config, server_for, pages):
    config = make_config(mode="local", sample=False)
    server = server_for(config)
    from webapp.auth import set_user
    set_user(config, "ed", "editor", "long password 1")
    with server.test_request_context():
        start_session(config, "ed")
        with pytest.raises(PermissionDenied, match="needs admin access; you are signed in as ed"):
            pages[2].handle_save_user(1, "ed", "admin", None)


def test_viewers_see_no_controls(config, server_for, pages):
    upload, kp, admin = pages
    server = server_for(config)
    with as_role(server, "viewer"):
        for page, need in ((upload, "editor"), (kp, "editor"), (admin, "admin")):
            text = str(page.layout())
            assert f"You need {need} access" in text
            for control in ("upl-files", "upl-commit", "kp-save", "adm-save", "upl-revert"):
                assert control not in text


def test_editor_uploads_previews_commits_and_sees_the_value(config, server_for, pages):
    upload = pages[0]
    server = server_for(config)
    with as_role(server, "editor"):
        status, report, summary, values, disabled, token, contents, _, _again = \
            upload.handle_upload([url(NOVEMBER)], ["nov.csv"])
        assert "2 new" in status and not disabled and token and contents is None
        assert config.warehouse_path.exists() and Warehouse(config).latest_month().month == 10
        result, disabled, token2, version, _again = upload.handle_commit(1, token, 0)
        assert disabled and token2 is None and version == 1
        text = str(result)
        assert "loaded as upload 3" in text and "/indicator/HEALTH_CHECKS_PCT" in text
    s = Warehouse(config).summary("HEALTH_CHECKS_PCT")
    assert (s["period"], s["value"], s["numerator"], s["denominator"]) == (
        "Nov 2026", 88.2, 380, 431)
    log = Warehouse(config).audit_log()
    assert log.user_name.iloc[0] == "demo-editor" and log.action.iloc[0] == "upload"


def test_the_same_file_twice_changes_nothing_and_says_so(config, server_for, pages):
    upload = pages[0]
    server = server_for(config)
    with as_role(server, "editor"):
        token = upload.handle_upload([url(NOVEMBER)], ["nov.csv"])[5]
        upload.handle_commit(1, token, 0)
        before = warehouse_bytes(config)
        status, *_rest = upload.handle_upload([url(NOVEMBER)], ["nov.csv"])
        assert "already loaded as upload 3" in status and _rest[3] is True  # commit disabled
        # a stale token (already committed) cannot load it again
        result = upload.handle_commit(1, token, 1)[0]
        assert "upload them again" in str(result)
    assert warehouse_bytes(config) == before


def test_a_broken_file_shows_errors_then_the_fixed_file_loads(config, server_for, pages):
    upload = pages[0]
    server = server_for(config)
    before = warehouse_bytes(config)
    with as_role(server, "editor"):
        status, report, *_x, disabled, token, contents, _r, _again = upload.handle_upload(
            [url(BROKEN)], ["nov.csv"])
        assert "1 error(s) in nov.csv" in status and disabled and token is None
        assert (report[0]["row"], report[0]["column"], report[0]["value"]) == (2, "value", "120")
        assert contents is None  # cleared, so the same file name can be dropped again
        assert warehouse_bytes(config) == before
        status, *_x, disabled, token, _c, _r, _again = upload.handle_upload([url(NOVEMBER)], ["nov.csv"])
        assert not disabled
        upload.handle_commit(1, token, 0)
    assert Warehouse(config).latest_month().month == 11


def test_an_oversized_payload_is_refused_by_the_callback(config, server_for, pages):
    upload = pages[0]
    server = server_for(config)
    huge = "data:text/csv;base64," + "A" * (21 * 1024 * 1024 * 4 // 3)
    with as_role(server, "editor"):
        status, report, *_x, disabled, token, _c, _r, _again = upload.handle_upload([huge], ["big.csv"])
    assert "1 file(s) refused" in status and "the limit is 20 MB" in report[0]["message"]
    assert disabled and token is None


def test_revert_asks_first_then_restores(config, server_for, pages):
    upload = pages[0]
    server = server_for(config)
    revised = b"indicator_code,period,value\nCLA_NUMBER,2026-10,575\n"
    with as_role(server, "editor"):
        upload.handle_commit(1, upload.handle_upload([url(revised)], ["oct.csv"])[5], 0)
        assert Warehouse(config).summary("CLA_NUMBER")["value"] == 575
        message, shown, _ = upload.handle_revert_ask(1, 3)
        assert shown and message.startswith("Revert upload 3 (oct.csv)? 0 value(s) it added "
                                            "will be removed and 1 value(s) it revised")
        result, version = upload.handle_revert(1, 3, 4)
        assert "reverted" in str(result) and version == 5
        rows, options, default = upload.handle_history(version)
    assert Warehouse(config).summary("CLA_NUMBER")["value"] == 573
    assert rows[0]["status"].startswith("reverted by demo-editor")
    assert 3 not in [o["value"] for o in options] and default == 2


def test_template_is_for_the_month_after_the_latest(config, server_for, pages):
    with as_role(server_for(config), "editor"):
        sent = pages[0].handle_template(1)
    assert sent["filename"] == "monthly_extract_template_2026-11.csv"
    assert "HEALTH_CHECKS_PCT,Health assessments up to date,2026-11" in sent["content"]


def test_key_points_are_drafted_saved_and_versioned(config, server_for, pages):
    kp = pages[1]
    with as_role(server_for(config), "editor"):
        draft = kp.handle_draft(1, "2026-10", "health")
        assert draft.startswith("- Health assessments up to date: 90% in Oct 2026, down from 92% "
                                "at the 2025-26 out-turn (worse).")
        status, versions = kp.handle_save(1, "2026-10", "health", "First **note**")
        assert status == "Saved version 1 by demo-editor."
        kp.handle_save(1, "2026-10", "health", "Second note")
        text, versions = kp.handle_load("2026-10", "health")
    assert text == "Second note"
    assert [(v["version"], v["by"], v["text"]) for v in versions] == [
        (2, "demo-editor", "Second note"), (1, "demo-editor", "First **note**")]
    assert Warehouse(config).commentary("2026-10", "health")["text"] == "Second note"


def test_admin_adds_a_user_and_it_is_audited(make_config, server_for, pages):
    config = make_config(mode="local", sample=False)
    from webapp.auth import load_users, set_user
    set_user(config, "root.admin", "admin", "long password 1")
    server = server_for(config)
    with server.test_request_context():
        start_session(config, "root.admin")
        status, users, audit = pages[2].handle_save_user(1, "new.editor", "editor",
                                                         "another password")
        assert status == "Saved: added new.editor as editor."
        assert {"user": "new.editor", "role": "editor", "password set": "yes"} in users
        assert audit[0]["action"] == "user change" and audit[0]["who"] == "root.admin"
        status, *_ = pages[2].handle_save_user(1, "x y", "editor", "another password")
        assert "not a usable user name" in status
    assert load_users(config)["new.editor"]["role"] == "editor"


def test_editors_and_admins_get_their_pages(config, server_for, pages):
    upload, kp, admin = pages
    with as_role(server_for(config), "admin"):
        page = str(admin.layout())
        assert "Audit log" in page and "demo sign-in" in page and "adm-audit" in page
        assert "upl-files" in str(upload.layout()) and "up to 20 MB each" in str(upload.layout())
        assert "kp-save" in str(kp.layout(as_at="2026-10", section="health"))
