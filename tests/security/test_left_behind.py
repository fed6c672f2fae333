"""Issue 14 item 9: nothing left behind by a killed commit, a read-only warehouse folder
says what is wrong, the secret key is not kept beside a real authority's data, and a
deleted archive says the file is gone."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from pipelines.core.config import PROJECT_ROOT
from pipelines.store.warehouse import record_action
from webapp import auth


def test_a_killed_commit_leaves_a_temp_copy_the_next_commit_removes(config):
    db = config.warehouse_path
    code = f"""
import os
from pathlib import Path
from pipelines.store.warehouse import write_transaction, log
with write_transaction(Path({str(db)!r})) as con:
    log(con, "x", "test", "killed before the swap")
    os.kill(os.getpid(), 9)
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, timeout=60,
                       env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)))
    assert r.returncode == -9
    left = list(db.parent.glob(f".{db.name}.*.tmp*"))
    assert left, "the kill should have left the temp copy (else this test proves nothing)"
    record_action(db, "someone", "test", "next commit")
    assert not list(db.parent.glob(f".{db.name}.*.tmp*"))


def test_a_real_authority_needs_its_secret_key_in_config_or_environment(make_config,
                                                                        monkeypatch):
    config = make_config(mode="local", sample=False)
    config.auth.pop("secret_key")
    monkeypatch.delenv("LACDASH_SECRET_KEY", raising=False)
    with pytest.raises(auth.AuthError, match="LACDASH_SECRET_KEY"):
        auth.secret_key(config)
    assert not (config.warehouse_path.parent / ".lacdash_secret_key").exists()
    monkeypatch.setenv("LACDASH_SECRET_KEY", "from-the-environment")
    assert auth.secret_key(config) == "from-the-environment"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_warehouse_folder_is_explained(make_config, monkeypatch):
    config = make_config(mode="demo")
    config.auth.pop("secret_key")
    monkeypatch.delenv("LACDASH_SECRET_KEY", raising=False)
    folder = config.warehouse_path.parent
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(auth.AuthError, match="writable"):
            auth.secret_key(config)
    finally:
        folder.chmod(stat.S_IRWXU)


def test_serve_says_what_is_wrong_with_a_read_only_folder(make_config, monkeypatch):
    from webapp.serve import preflight
    config = make_config(mode="local", sample=False)
    monkeypatch.setattr(os, "access", lambda p, mode: False)
    problems, warnings = preflight(config)
    assert not problems
    assert any("read-only" in w and str(config.warehouse_path.parent) in w for w in warnings)


def test_a_deleted_archive_says_the_file_is_gone(config, server_for):
    import shutil
    shutil.rmtree(config.archive_dir)
    client = server_for(config).test_client()
    client.post("/auth/sign-in", data={"role": "editor"})
    r = client.get("/uploads/2/file")
    assert r.status_code == 410 and b"has been deleted" in r.data and b"the file is gone" in r.data


def test_the_history_says_when_an_archived_file_is_gone(config):
    import shutil
    from pipelines.store.warehouse import history
    from webapp.upload_logic import history_rows
    h = history(config.warehouse_path)
    linked = history_rows(h, config.archive_dir)
    assert all("](/uploads/" in r["file"] for r in linked)
    shutil.rmtree(config.archive_dir)
    gone = history_rows(h, config.archive_dir)
    assert all("archived copy deleted" in r["file"] and "](/uploads/" not in r["file"]
               for r in gone)
