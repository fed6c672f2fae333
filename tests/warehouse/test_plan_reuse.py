"""A checked file's plan (what it would add and revise) is reused at commit only while it is
still true: made on the very file the commit copies, and before this commit wrote anything."""
from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.core.catalogue import load_catalogue
from pipelines.store import warehouse as wh
from tests.conftest import month_row


def _upload(rows, data: bytes, name: str, plan=None) -> dict:
    return dict(frame=pd.DataFrame(rows), data=data, file_name=name, kind="long",
                user="tester", plan=plan)


def _commit(cfg, uploads):
    return wh.commit_many(cfg.warehouse_path, uploads, catalogue=load_catalogue(), config=cfg)


def _observations(cfg):
    con = duckdb.connect(str(cfg.warehouse_path), read_only=True)
    try:
        return con.execute("SELECT period_end, value FROM observations "
                           "WHERE indicator_code = 'CL_EET_PCT' ORDER BY period_end").fetchall()
    finally:
        con.close()


JAN = month_row("CL_EET_PCT", 2018, 1, 61, 120, 197)
JAN_REVISED = month_row("CL_EET_PCT", 2018, 1, 63, 124, 197)
FEB = month_row("CL_EET_PCT", 2018, 2, 64, 126, 197)
MAR = month_row("CL_EET_PCT", 2018, 3, 65, 128, 197)


def _planned(cfg, rows, data):
    return wh.plan(cfg.warehouse_path, pd.DataFrame(rows), sha256=wh.sha256_of(data))


def test_a_plan_made_on_the_file_committed_to_is_not_made_again(wolves_config, monkeypatch):
    cfg = wolves_config
    _commit(cfg, [_upload([JAN], b"jan", "jan.csv")])
    p = _planned(cfg, [JAN_REVISED, FEB], b"feb")
    assert p.counts == {"new": 1, "revised": 1, "unchanged": 0}
    calls = []
    real = wh._plan_on
    monkeypatch.setattr(wh, "_plan_on", lambda con, f: calls.append(1) or real(con, f))
    [r] = _commit(cfg, [_upload([JAN_REVISED, FEB], b"feb", "feb.csv", plan=p)])
    assert calls == []
    assert r.upload_id == 2 and r.counts == {"new": 1, "revised": 1, "unchanged": 0}
    assert [v for _, v in _observations(cfg)] == [63, 64]


def test_a_commit_in_between_makes_the_checked_plan_stale(wolves_config):
    cfg = wolves_config
    _commit(cfg, [_upload([JAN], b"jan", "jan.csv")])
    p = _planned(cfg, [JAN_REVISED], b"mine")
    assert p.counts["revised"] == 1
    # someone else loads the same figure first
    _commit(cfg, [_upload([JAN_REVISED], b"theirs", "theirs.csv")])
    [r] = _commit(cfg, [_upload([JAN_REVISED], b"mine", "mine.csv", plan=p)])
    assert r.upload_id is None and r.counts == {"new": 0, "revised": 0, "unchanged": 1}
    assert [v for _, v in _observations(cfg)] == [63]


def test_the_second_file_of_one_commit_is_planned_after_the_first(wolves_config):
    cfg = wolves_config
    _commit(cfg, [_upload([JAN], b"jan", "jan.csv")])
    # both checked on the same file: each plans February as new
    pa = _planned(cfg, [FEB], b"a")
    pb = _planned(cfg, [FEB, MAR], b"b")
    assert pa.counts["new"] == 1 and pb.counts["new"] == 2
    ra, rb = _commit(cfg, [_upload([FEB], b"a", "a.csv", plan=pa),
                           _upload([FEB, MAR], b"b", "b.csv", plan=pb)])
    assert ra.counts == {"new": 1, "revised": 0, "unchanged": 0}
    assert rb.counts == {"new": 1, "revised": 0, "unchanged": 1}
    assert [v for _, v in _observations(cfg)] == [61, 64, 65]  # February once


def _as_written_before_sources(cfg):
    """The file as an earlier version wrote it: no `source` or `twin` columns (a council
    upgrading lacdash opens its existing warehouse)."""
    con = duckdb.connect(str(cfg.warehouse_path))
    try:
        con.execute("DROP VIEW IF EXISTS indicator_values")
        for table, cols in (("observations", ("source", "twin")), ("revisions", ("source",))):
            for col in cols:
                con.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def test_a_file_written_before_figures_had_a_source_is_checked_then_migrated(wolves_config):
    cfg = wolves_config
    _commit(cfg, [_upload([JAN], b"jan", "jan.csv")])
    _as_written_before_sources(cfg)
    p = _planned(cfg, [JAN_REVISED, FEB], b"feb")  # the check (read-only) must not fail
    assert p.counts == {"new": 1, "revised": 1, "unchanged": 0}
    [r] = _commit(cfg, [_upload([JAN_REVISED, FEB], b"feb", "feb.csv", plan=p)])
    assert r.counts == {"new": 1, "revised": 1, "unchanged": 0}
    assert [v for _, v in _observations(cfg)] == [63, 64]
    con = duckdb.connect(str(cfg.warehouse_path), read_only=True)
    try:  # migrated by the commit: every figure has its source
        assert con.execute("SELECT DISTINCT source FROM observations").fetchall() == [("local",)]
    finally:
        con.close()
