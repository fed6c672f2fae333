"""The warehouse: atomic commits, idempotence, revisions, revert, reading while writing."""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import textwrap
import time

import duckdb
import pandas as pd
import pytest

from pipelines.store import warehouse as wh
from pipelines.core.catalogue import load_catalogue
from pipelines.store.queries import Warehouse
from tests.conftest import month_row, year_row


def frame(rows):
    return pd.DataFrame(rows)


def contents(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        obs = con.execute("SELECT * EXCLUDE (upload_id) FROM observations ORDER BY ALL").fetchall()
        ups = con.execute("SELECT upload_id, status FROM uploads ORDER BY 1").fetchall()
        rev = con.execute("SELECT count(*) FROM revisions").fetchone()[0]
        return obs, ups, rev
    finally:
        con.close()


def load(cfg, rows, data=b"file-1", name="jan.csv"):
    return wh.commit_upload(cfg.warehouse_path, frame(rows), data=data, file_name=name,
                            kind="long", user="tester", catalogue=load_catalogue(), config=cfg)


def test_commit_then_same_file_again_changes_nothing(wolves_config):
    cfg = wolves_config
    r1 = load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61, 120, 197)])
    assert r1.upload_id == 1 and r1.counts["new"] == 1
    before = contents(cfg.warehouse_path)
    r2 = load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61, 120, 197)])
    assert r2.upload_id is None and r2.already_loaded["upload_id"] == 1
    assert "nothing changed" in r2.message
    assert contents(cfg.warehouse_path) == before
    # The raw bytes are archived by their sha256.
    assert (cfg.archive_dir / wh.sha256_of(b"file-1")).read_bytes() == b"file-1"


def test_different_file_with_same_values_says_nothing_to_change(wolves_config):
    cfg = wolves_config
    load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61, 120, 197)])
    r = load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61, 120, 197)], data=b"other bytes")
    assert r.upload_id is None and r.counts == {"new": 0, "revised": 0, "unchanged": 1}


def test_revision_keeps_first_reported_value_and_revert_restores(wolves_config):
    cfg = wolves_config
    load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61, 120, 197),
               month_row("CL_EET_PCT", 2017, 12, 60, 118, 197)])
    r2 = load(cfg, [month_row("CL_EET_PCT", 2018, 1, 63, 124, 197),
                    month_row("CL_EET_PCT", 2018, 2, 64, 126, 197)], data=b"file-2")
    assert r2.counts == {"new": 1, "revised": 1, "unchanged": 0}
    w = Warehouse(cfg)
    s = w.summary("CL_EET_PCT", "2018-01")
    assert s["value"] == 63 and s["first_reported"]["value"] == 61
    revs = w.revisions("CL_EET_PCT")
    assert list(revs.first_value) == [61] and list(revs.current_value) == [63]
    out = wh.revert(cfg.warehouse_path, r2.upload_id, user="tester")
    assert out == {"upload_id": 2, "file_name": "jan.csv", "values_removed": 1,
                   "values_restored": 1}
    w2 = Warehouse(cfg)
    assert w2.summary("CL_EET_PCT", "2018-01")["value"] == 61
    assert w2.summary("CL_EET_PCT", "2018-01")["first_reported"] is None
    assert w2.latest_month().isoformat() == "2018-01-31"
    hist = wh.history(cfg.warehouse_path)
    assert list(hist.status) == ["reverted", "committed"]
    with pytest.raises(wh.WarehouseError, match="already reverted"):
        wh.revert(cfg.warehouse_path, 2)


def test_failed_commit_leaves_warehouse_as_before(wolves_config):
    cfg = wolves_config
    load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61, 120, 197)])
    before = contents(cfg.warehouse_path)

    def boom():
        raise RuntimeError("power cut")
    with pytest.raises(RuntimeError):
        wh.commit(cfg.warehouse_path, frame([month_row("CL_EET_PCT", 2018, 2, 70, 1, 2)]),
                  data=b"x", file_name="feb.csv", kind="long", config=cfg, _before_swap=boom)
    assert contents(cfg.warehouse_path) == before
    leftovers = [p for p in cfg.warehouse_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


KILL_SCRIPT = textwrap.dedent("""
    import sys, time, pandas as pd
    from datetime import date
    from pipelines.store import warehouse as wh
    from pipelines.core.config import load_config
    cfg = load_config(sys.argv[1])
    rows = [{"indicator_code": "CLA_NUMBER", "area_code": "E08000031",
             "period_start": date(2010 + i // 12, i % 12 + 1, 1),
             "period_end": (pd.Timestamp(date(2010 + i // 12, i % 12 + 1, 1)) + pd.offsets.MonthEnd(0)).date(),
             "period_label": "m", "period_type": "month", "breakdown": "", "value": 500.0 + i,
             "numerator": None, "denominator": None, "missing_reason": None, "status": "final"}
            for i in range(100)]
    def stall():
        print("READY", flush=True)
        time.sleep(60)
    wh.commit(cfg.warehouse_path, pd.DataFrame(rows), data=b"big", file_name="big.csv",
              kind="long", config=cfg, _before_swap=stall)
""")


def test_killed_mid_commit_leaves_warehouse_as_before(wolves_config, tmp_path):
    cfg = wolves_config
    load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61, 120, 197)])
    before = contents(cfg.warehouse_path)
    script = tmp_path / "kill.py"
    script.write_text(KILL_SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script), str(cfg.config_path)],
                            stdout=subprocess.PIPE, text=True, cwd=os.getcwd())
    assert proc.stdout.readline().strip() == "READY"   # all rows written to the copy
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert contents(cfg.warehouse_path) == before
    # The next writer is not blocked by the dead one's lock or its leftovers.
    r = load(cfg, [month_row("CL_EET_PCT", 2018, 2, 62, 122, 197)], data=b"feb")
    assert r.upload_id == 2


READER_SCRIPT = textwrap.dedent("""
    import sys, time, duckdb
    path, seconds = sys.argv[1], float(sys.argv[2])
    end = time.time() + seconds
    seen, errors = set(), 0
    while time.time() < end:
        try:
            con = duckdb.connect(path, read_only=True)
            n = con.execute("SELECT count(*) FROM observations").fetchone()[0]
            ups = con.execute("SELECT coalesce(sum(rows_loaded), 0) FROM uploads").fetchone()[0]
            con.close()
            if n != ups:
                print("HALF", n, ups, flush=True)
            seen.add(n)
        except Exception as exc:
            errors += 1
            print("ERROR", exc, flush=True)
    print("SEEN", sorted(seen), "ERRORS", errors, flush=True)
""")


def test_readers_in_other_processes_never_see_half_an_upload_or_a_lock(wolves_config, tmp_path):
    cfg = wolves_config
    load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61, 120, 197)])
    script = tmp_path / "reader.py"
    script.write_text(READER_SCRIPT)
    readers = [subprocess.Popen([sys.executable, str(script), str(cfg.warehouse_path), "4"],
                                stdout=subprocess.PIPE, text=True) for _ in range(2)]
    for k in range(8):
        rows = [month_row("CLA_NUMBER", 2000 + k, m, 500 + m) for m in range(1, 13)]
        load(cfg, rows, data=f"batch-{k}".encode(), name=f"b{k}.csv")
    outs = [r.communicate(timeout=60)[0] for r in readers]
    for out in outs:
        bad = [ln for ln in out.splitlines() if ln.startswith(("ERROR", "HALF"))]
        assert bad == [], out
        assert out.strip().endswith("ERRORS 0") and "SEEN [" in out
    final = contents(cfg.warehouse_path)[0]
    assert len(final) == 1 + 8 * 12


def test_indicator_values_view_has_documented_columns(wolves_config):
    cfg = wolves_config
    load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61, 120, 197),
               year_row("CL_EET_PCT", 2016, 46, "E12000005")])
    con = duckdb.connect(str(cfg.warehouse_path), read_only=True)
    cols = [c[0] for c in con.execute("DESCRIBE indicator_values").fetchall()]
    for c in ["indicator_code", "area_code", "area_type", "period_start", "period_end",
              "period_label", "breakdown", "value", "numerator", "denominator", "status",
              "upload_id", "missing_reason", "period_type", "source", "headline"]:
        assert c in cols
    types = dict(con.execute("SELECT area_code, area_type FROM indicator_values").fetchall())
    assert types == {"E08000031": "authority", "E12000005": "region"}


def test_restating_a_value_without_its_numerator_or_status_changes_nothing(wolves_config):
    cfg = wolves_config
    load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61, 120, 197, status="provisional")])
    bare = month_row("CL_EET_PCT", 2018, 1, 61)
    bare["status"] = None
    r = load(cfg, [bare], data=b"wide file")
    assert r.upload_id is None and r.counts["unchanged"] == 1
    s = Warehouse(cfg).summary("CL_EET_PCT", "2018-01")
    assert (s["numerator"], s["denominator"]) == (120, 197)
    # A different value without a numerator replaces the old numerator too (it no longer fits).
    changed = month_row("CL_EET_PCT", 2018, 1, 62)
    changed["status"] = None
    r = load(cfg, [changed], data=b"wide file 2")
    s = Warehouse(cfg).summary("CL_EET_PCT", "2018-01")
    assert s["value"] == 62 and s["numerator"] is None
    con = duckdb.connect(str(cfg.warehouse_path), read_only=True)
    assert con.execute("SELECT status FROM observations").fetchall() == [("provisional",)]


def test_statistical_neighbour_figure_is_the_average_of_loaded_neighbours(wolves_config):
    cfg = wolves_config
    load(cfg, [month_row("CL_EET_PCT", 2018, 1, 61),
               year_row("CL_EET_PCT", 2016, 47, "SN"),            # hand-keyed 2016-17
               year_row("CL_EET_PCT", 2015, 44, "SN"),            # hand-keyed 2015-16
               year_row("CL_EET_PCT", 2016, 40, "E08000028"),     # Sandwell
               year_row("CL_EET_PCT", 2016, 50, "E06000021"),     # Stoke-on-Trent
               year_row("CL_EET_PCT", 2016, 57, "E08000030"),     # Walsall
               year_row("CL_EET_PCT", 2016, 99, "E08000025")])    # Birmingham: not a neighbour
    w = Warehouse(cfg)
    s = w.summary("CL_EET_PCT", "2018-01")
    # (40 + 50 + 57) / 3 = 49: the neighbours' figures win over the hand-keyed 47.
    assert s["comparators"]["statistical_neighbours"] == {"year": "2016-17", "value": 49,
                                                          "n_neighbours": 3,
                                                          "n_without_figure": 7}
    comp = w.comparators("CL_EET_PCT", "2018-01")
    sn = comp[comp.comparator == "statistical_neighbours"]
    # 2015-16 has no neighbour figures, so the hand-keyed average stands (n unknown).
    assert list(sn.value) == [44, 49] and sn.n_neighbours.isna().tolist() == [True, False]
