"""Issue 14 item 4 (re-loading an earlier file) and the upload page's item-10 fixes."""
from __future__ import annotations

import base64
import csv
import io

import pytest

from cli import main
from pipelines.store.queries import Warehouse
from webapp import upload_logic as ul
from webapp.auth import start_session

V1 = b"indicator_code,period,value,numerator,denominator\nHEALTH_CHECKS_PCT,2026-11,80,80,100\n"
V2 = b"indicator_code,period,value,numerator,denominator\nHEALTH_CHECKS_PCT,2026-11,90,90,100\n"


def _ingest(capsys, config, path, *extra):
    capsys.readouterr()
    rc = main(["ingest", str(path), "--config", str(config.config_path), *extra])
    return rc, capsys.readouterr().out


def _nov(config):
    s = Warehouse(config).series("HEALTH_CHECKS_PCT")
    return float(s[s.period_label == "Nov 2026"].value.iloc[0])


def test_reloading_a_superseded_file_says_so_and_again_loads_it(config, tmp_path, capsys):
    v1, v2 = tmp_path / "v1.csv", tmp_path / "v2.csv"
    v1.write_bytes(V1)
    v2.write_bytes(V2)
    assert _ingest(capsys, config, v1)[0] == 0
    assert _ingest(capsys, config, v2)[0] == 0 and _nov(config) == 90
    rc, out = _ingest(capsys, config, v1)
    assert rc == 0 and _nov(config) == 90
    # plainly: loaded before, superseded by which upload, and what to do
    assert "v1.csv was loaded before, as upload 3" in out and "superseded" in out
    assert "later upload(s) 4" in out and "--again" in out and "revert" in out
    assert "nothing to change" not in out
    rc, out = _ingest(capsys, config, v1, "--again")
    assert rc == 0 and "loaded as upload 5" in out and _nov(config) == 80
    # a new upload that revised upload 4's value: reverting it brings v2's figure back
    capsys.readouterr()
    assert main(["revert", "5", "--config", str(config.config_path)]) == 0
    assert _nov(config) == 90


def test_the_same_file_with_nothing_superseded_is_still_just_nothing_to_do(config, tmp_path,
                                                                           capsys):
    v1 = tmp_path / "v1.csv"
    v1.write_bytes(V1)
    _ingest(capsys, config, v1)
    rc, out = _ingest(capsys, config, v1)
    assert rc == 0 and "already loaded as upload 3" in out and "superseded" not in out


def _url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def test_the_upload_page_offers_to_load_a_superseded_file_again(config, server_for, dash_app):
    import pages.upload as upload
    server = server_for(config)
    with server.test_request_context():
        start_session(config, "demo-editor", "editor")
        for data in (V1, V2):
            out = upload.handle_upload([_url(data)], ["nov.csv"])
            upload.handle_commit(1, out[5], 0)
        assert _nov(config) == 90
        status, *_x, commit_disabled, token, _c, _r, again_disabled = upload.handle_upload(
            [_url(V1)], ["nov.csv"])
        assert "superseded" in status and "Load again" in status
        assert commit_disabled and not again_disabled and token
        result = upload.handle_again(1, token, 0)[0]
        assert "loaded as upload" in str(result)
    assert _nov(config) == 80


def test_a_carriage_return_in_a_file_name_does_not_shift_the_others(tmp_path):
    files = [("a\rb.csv", b"1"), ("second.csv", b"2"), ("third.csv", b"3")]
    token = ul.stage_files(tmp_path, files)
    assert ul.load_staged(tmp_path, token) == files


def test_the_checks_table_export_neutralises_formulas(config, server_for, dash_app):
    import pages.upload as upload
    bad = (b"indicator_code,period,value,numerator,denominator\n"
           b'HEALTH_CHECKS_PCT,2026-10,"=HYPERLINK(""http://x.example"",""90"")",389,431\n')
    with server_for(config).test_request_context():
        start_session(config, "demo-editor", "editor")
        report = upload.handle_upload([_url(bad)], ["=evil.csv"])[1]
    # what DataTable's CSV export writes: the rows as they are
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=ul.REPORT_COLUMNS)
    w.writerows(report)
    cells = [c for row in csv.reader(io.StringIO(buf.getvalue())) for c in row]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_lacdash_user_changes_are_audited(make_config, capsys, monkeypatch):
    import sys
    config = make_config(mode="local", sample=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    assert main(["user", "kim", "--role", "editor", "--password-stdin",
                 "--config", str(config.config_path)]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))  # no new password: role only
    assert main(["user", "kim", "--role", "admin", "--password-stdin",
                 "--config", str(config.config_path)]) == 0
    log = Warehouse(config).audit_log()
    changes = log[log.action == "user change"].detail.tolist()
    assert changes == ["kim: role editor -> admin (lacdash user)",
                       "added kim as editor (lacdash user)"]
