"""The `lacdash` command line: exit codes, dry runs, history, revert, config selection."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main
from pipelines.core.config import ConfigError, load_config

GOOD = "Indicator Code,Month,Value,Numerator,Denominator\nCL_EET_PCT,Jan-18,61%,120,197\n"
BAD = ("Indicator Code,Month,Value\nCL_EET_PC,Jan-18,61%\nHEALTH_CHECKS_PCT,2018-13,88%\n"
       "DENTAL_CHECKS_PCT,Jan-18,140%\n")


def run(capsys, *args):
    capsys.readouterr()
    rc = main(list(args))
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def test_ingest_dry_run_writes_nothing_then_commit(wolves_config, tmp_path, capsys):
    f = tmp_path / "jan.csv"
    f.write_text(GOOD)
    cfg = str(wolves_config.config_path)
    rc, out, _ = run(capsys, "ingest", str(f), "--dry-run", "--config", cfg)
    assert rc == 0 and "1 new" in out and "Dry run: nothing was written" in out
    assert not wolves_config.warehouse_path.exists()
    rc, out, _ = run(capsys, "ingest", str(f), "--config", cfg, "--user", "amy")
    assert rc == 0 and "loaded as upload 1" in out
    rc, out, _ = run(capsys, "history", "--json", "--config", cfg)
    h = json.loads(out)
    assert [u["upload_id"] for u in h] == [1] and h[0]["user_name"] == "amy"
    assert h[0]["file_name"] == "jan.csv" and h[0]["rows_read"] == 1


def test_bad_file_reports_every_problem_and_exits_1(wolves_config, tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text(BAD)
    rc, out, _ = run(capsys, "ingest", str(f), "--config", str(wolves_config.config_path))
    assert rc == 1
    assert "row 2" in out and "CL_EET_PCT" in out            # the nearest code is suggested
    assert "row 3" in out and "2018-13" in out
    assert "row 4" in out and "140" in out
    assert "nothing was written" in out
    assert not wolves_config.warehouse_path.exists()


def test_one_bad_file_stops_all_files(wolves_config, tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD)
    bad.write_text(BAD)
    rc, out, _ = run(capsys, "ingest", str(good), str(bad), "--config",
                     str(wolves_config.config_path))
    assert rc == 1 and not wolves_config.warehouse_path.exists()


def test_usage_errors_exit_2(wolves_config, tmp_path, capsys):
    cfg = str(wolves_config.config_path)
    assert run(capsys, "ingest", str(tmp_path / "nope.csv"), "--config", cfg)[0] == 2
    assert run(capsys, "frobnicate")[0] == 2
    rc, _, err = run(capsys, "show", "CL_EET_PC", "--config", cfg)
    assert rc == 2 and "CL_EET_PCT" in err
    rc, _, err = run(capsys, "show", "CL_EET_PCT", "--as-at", "2018-13", "--config", cfg)
    assert rc == 2 and "YYYY-MM" in err
    assert run(capsys, "revert", "9", "--config", cfg)[0] == 2


def test_revert_from_the_command_line(wolves_config, tmp_path, capsys):
    cfg = str(wolves_config.config_path)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(GOOD)
    b.write_text(GOOD.replace("61%,120", "63%,124"))
    assert run(capsys, "ingest", str(a), "--config", cfg)[0] == 0
    assert run(capsys, "ingest", str(b), "--config", cfg)[0] == 0
    rc, out, _ = run(capsys, "show", "CL_EET_PCT", "--json", "--config", cfg)
    assert json.loads(out)["value"] == 63
    rc, out, _ = run(capsys, "revert", "2", "--config", cfg)
    assert rc == 0 and "1 restored" in out
    rc, out, _ = run(capsys, "show", "CL_EET_PCT", "--json", "--config", cfg)
    assert json.loads(out)["value"] == 61


def test_db_option_creates_a_new_warehouse(wolves_config, tmp_path, capsys):
    f = tmp_path / "jan.csv"
    f.write_text(GOOD)
    db = tmp_path / "elsewhere" / "new.duckdb"
    rc, _, _ = run(capsys, "ingest", str(f), "--db", str(db), "--config",
                   str(wolves_config.config_path))
    assert rc == 0 and db.exists() and not wolves_config.warehouse_path.exists()
    assert (db.parent / "archive").is_dir()


def test_config_from_environment_and_errors(tmp_path, monkeypatch, wolves_config):
    monkeypatch.setenv("LACDASH_CONFIG", str(wolves_config.config_path))
    assert load_config().name == "Wolverhampton"
    assert load_config().warehouse_path == wolves_config.config_path.parent / "warehouse.duckdb"
    bad = tmp_path / "bad.toml"
    bad.write_text("[authority]\nname = 'X'\n")
    with pytest.raises(ConfigError, match="code is missing"):
        load_config(bad)
    monkeypatch.delenv("LACDASH_CONFIG")
    assert load_config().name == "Sample Borough"


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / "lacdash"
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "ingest" in out.stdout and "export" in out.stdout


def test_a_big_change_since_last_month_is_a_warning_not_an_error(wolves_config, tmp_path,
                                                                  capsys):
    cfg = str(wolves_config.config_path)
    jan, feb = tmp_path / "jan.csv", tmp_path / "feb.csv"
    jan.write_text(GOOD)
    feb.write_text("Indicator Code,Month,Value\nCL_EET_PCT,Feb-18,75%\n")
    assert run(capsys, "ingest", str(jan), "--config", cfg)[0] == 0
    rc, out, _ = run(capsys, "ingest", str(feb), "--config", cfg)
    assert rc == 0 and "warning" in out and "+14.0 points since Jan 2018" in out
    assert "loaded as upload 2" in out


def test_user_command_makes_the_first_admin_for_local_sign_in(tmp_path, capsys, monkeypatch):
    from tests.conftest import WOLVES_TOML
    from webapp.auth import verify_password
    cfg_path = tmp_path / "config.toml"
    cfg_path.write_text(WOLVES_TOML + '\n[auth]\nmode = "local"\nusers_file = "users.toml"\n')
    import io
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    rc, out, _ = run(capsys, "user", "helena", "--role", "admin", "--password-stdin",
                     "--config", str(cfg_path))
    assert rc == 0 and "added helena as admin" in out
    cfg = load_config(cfg_path)
    assert verify_password(cfg, "helena", "correct horse battery").role == "admin"
    assert verify_password(cfg, "helena", "wrong") is None
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    rc, _, err = run(capsys, "user", "amy", "--role", "editor", "--password-stdin",
                     "--config", str(cfg_path))
    assert rc == 2 and "10 characters" in err
