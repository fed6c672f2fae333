"""The benchmark warehouse builder works at a small scale (no timing here)."""
from __future__ import annotations

from datetime import date

import pytest

from bench.national import AUTHORITY, build_national_warehouse
from pipelines.core.catalogue import load_catalogue
from pipelines.core.areas import ENGLAND
from pipelines.store.queries import Warehouse
from pipelines.store.warehouse import open_read_only

LAST = date(2026, 9, 30)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    db = tmp_path_factory.mktemp("national") / "small.duckdb"
    return build_national_warehouse(db, years=2, n_las=12, seed=3, last_month=LAST)


def _q(config, sql, params=None):
    con = open_read_only(config.warehouse_path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_every_monthly_indicator_has_every_month_for_every_authority(small):
    cat = load_catalogue()
    monthly = {i.code for i in cat.indicators if i.frequency == "M"}
    rows = _q(small, "SELECT indicator_code, count(DISTINCT area_code), count(DISTINCT period_end), "
                     "max(period_end) FROM observations WHERE period_type = 'month' "
                     "AND breakdown = '' GROUP BY 1")
    assert {r[0] for r in rows} == monthly
    assert all(r[1] == 12 and r[2] == 24 and r[3] == LAST for r in rows)


def test_annual_figures_for_authorities_regions_and_england(small):
    cat = load_catalogue()
    rows = _q(small, "SELECT indicator_code, count(DISTINCT period_label), "
                     "bool_or(area_code = ?), bool_or(area_code = 'E12000005') "
                     "FROM observations WHERE period_type = 'year' GROUP BY 1", [ENGLAND])
    assert {r[0] for r in rows} == set(cat.codes)
    assert all(r[1] == 2 and r[2] and r[3] for r in rows)


def test_missing_figures_stay_missing_with_a_reason(small):
    rows = _q(small, "SELECT count(*) FILTER (WHERE value IS NULL AND missing_reason IS NULL), "
                     "count(*) FILTER (WHERE value IS NULL) FROM observations")
    assert rows[0][0] == 0


def test_dashboard_queries_answer_on_the_built_warehouse(small):
    w = Warehouse(small)
    assert small.code == AUTHORITY
    assert w.latest_month() == LAST
    card = w.scorecard()
    assert len(card) == len(load_catalogue().indicators)
    eet = w.summary("CL_EET_PCT")
    assert eet["period"] == "Sep 2026" and eet["comparators"]["england"] is not None
    assert eet["comparators"]["statistical_neighbours"]["n_neighbours"] == 10
    cats = set(w.breakdown_series("PLACEMENT_TYPE").category)
    assert "agency_foster" in cats and len(cats) == 8
    assert len(w.revisions("CLA_NUMBER")) == 6


def test_a_second_build_with_the_same_parameters_reuses_the_file(small):
    before = small.warehouse_path.stat().st_mtime_ns
    again = build_national_warehouse(small.warehouse_path, years=2, n_las=12, seed=3,
                                     last_month=LAST)
    assert again.warehouse_path == small.warehouse_path
    assert small.warehouse_path.stat().st_mtime_ns == before
