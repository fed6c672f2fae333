"""Issue 14, item 10: a commit under page load took 7 to 14 s. The commit itself is about a
tenth of a second (bench/bench_load_fault.py times the whole command under load, with its
CPU time); what it waited for was CPU taken by the workers, above all each worker's rebuild
of the latest month's pages after every commit (app.keep_warm). That rebuild now runs at a
lower CPU priority and only once a run of commits has settled."""
from __future__ import annotations

import os
import sys
import threading
import time

import flask
import pytest

import app as appmod

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="niceness is per thread on Linux only")


@linux_only
def test_the_rebuild_thread_runs_at_a_lower_priority_than_the_rest_of_the_worker():
    me = threading.get_native_id()
    before = os.getpriority(os.PRIO_PROCESS, me)
    seen = {}

    def rebuild_thread():
        seen["done"] = appmod.lower_thread_priority(appmod.WARM_NICE)
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    t = threading.Thread(target=rebuild_thread)
    t.start()
    t.join()
    assert seen["done"] and seen["nice"] == max(before, appmod.WARM_NICE) > 0
    assert os.getpriority(os.PRIO_PROCESS, me) == before  # the request threads keep theirs


class _File:
    """Stands in for the warehouse: its version is whatever the test last committed."""
    def __init__(self):
        self.v = 1

    def version(self):
        return self.v


def test_a_run_of_commits_is_rebuilt_once_after_the_last_has_settled(monkeypatch):
    file, builds = _File(), []
    monkeypatch.setattr(appmod.context, "get_warehouse", lambda: file)
    monkeypatch.setattr(appmod, "warm_up", lambda app: builds.append((file.v, time.monotonic())))
    fake_app = type("App", (), {"server": flask.Flask(__name__)})()
    stop = threading.Event()
    worker = threading.Thread(target=appmod.keep_warm, args=(fake_app,), daemon=True,
                              kwargs=dict(every=0.02, stop=stop, settle=0.6, nice=None))
    worker.start()
    try:
        end = time.monotonic() + 10
        while not builds and time.monotonic() < end:
            time.sleep(0.01)
        assert [v for v, _ in builds] == [1]  # at start: at once
        file.v = 2          # a commit ...
        time.sleep(0.3)
        file.v = 3          # ... and another before the first settled
        last = time.monotonic()
        time.sleep(1.5)
    finally:
        stop.set()
        worker.join(timeout=10)
    assert [v for v, _ in builds] == [1, 3]  # version 2 was never built
    assert builds[1][1] - last >= 0.6  # and 3 only once it had stayed the same


def test_loading_a_file_with_nothing_to_change_leaves_the_warehouse_file_as_it_was(config):
    """`lacdash ingest` of a file already loaded (or superseded) changes nothing, so it must
    not publish a new file version either: that made every worker build its pages again
    for both audiences, and bench_load_fault saw a killed no-op ingest change the file."""
    from pipelines.uploads import check_files, commit_checked
    from tests.upload.conftest import warehouse_bytes
    month = b"indicator_code,period,value\nHEALTH_CHECKS_PCT,2026-11,81\n"
    later = b"indicator_code,period,value\nHEALTH_CHECKS_PCT,2026-11,82\n"
    for data in (month, later):
        commit_checked(check_files([("nov.csv", data)], config=config), config=config, user="t")
    before, ino = warehouse_bytes(config), config.warehouse_path.stat().st_ino
    for data in (later, month):  # already loaded; loaded before and superseded
        checked = check_files([("nov.csv", data)], config=config)
        (result,) = commit_checked(checked, config=config, user="t")
        assert result.upload_id is None and "Nothing was loaded" in result.message or \
            "nothing changed" in result.message
    assert warehouse_bytes(config) == before and config.warehouse_path.stat().st_ino == ino
    assert not list(config.warehouse_path.parent.glob(".warehouse.duckdb.*.tmp*"))
