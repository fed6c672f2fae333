"""`lacdash ingest ../shared/ssda903/*.csv`: all five years, dry run first."""
from __future__ import annotations

import json

from cli import main
from tests.ssda903.conftest import SHARED, shared_files


def test_ingest_all_five_years_dry_run_then_commit(wolves_config, capsys, monkeypatch):
    monkeypatch.setenv("LACDASH_PSEUDONYM_KEY", "cli-tests")
    monkeypatch.setenv("LACDASH_903_RULES", "off")
    paths = [str(SHARED / n) for n in shared_files()]
    cfg = str(wolves_config.config_path)
    capsys.readouterr()
    assert main(["ingest", *paths, "--dry-run", "--json", "--config", cfg]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dry_run"] and len(report["files"]) == 1
    f = report["files"][0]
    assert f["kind"] == "ssda903" and not f["errors"] and f["would_change"]["new"] > 1000
    assert not wolves_config.warehouse_path.exists()
    assert main(["ingest", *paths, "--config", cfg]) == 0
    out = capsys.readouterr().out
    assert "loaded as upload 1" in out and "repair 'overlap: later start wins'" in out
    assert main(["show", "CLA_NUMBER", "--as-at", "2019-03", "--json", "--config", cfg]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["value"] == 286 and shown["period"] == "Mar 2019"
