"""The five synthetic years through the upload route: check, commit, revisions, refusals."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from pipelines.store import warehouse as wh
from pipelines.store.queries import Warehouse
from pipelines.uploads import check_files, commit_checked
from tests.conftest import month_row
from tests.ssda903.conftest import shared_files
from tests.ssda903.helpers import episode, episodes_file, header_file


@pytest.fixture(autouse=True)
def _key_and_no_dfe_rules(monkeypatch):
    monkeypatch.setenv("LACDASH_PSEUDONYM_KEY", "upload-tests")
    monkeypatch.setenv("LACDASH_903_RULES", "off")   # the DfE rules have their own test


def _rows(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _value(db, code, month, breakdown=""):
    r = _rows(db, "SELECT value, numerator, denominator, missing_reason FROM observations "
                  "WHERE indicator_code = ? AND period_label = ? AND breakdown = ?",
              [code, month, breakdown])
    return r[0] if r else None


def test_all_five_years_load_as_one_upload(wolves_config):
    files = shared_files()
    checked = check_files(list(files.items()), config=wolves_config)
    assert len(checked) == 1
    c = checked[0]
    assert c.kind == "ssda903" and not c.errors
    assert "40 files" in c.file_name and "2017-18 to 2021-22" in c.file_name
    assert not wolves_config.warehouse_path.exists()          # checking writes nothing
    commit_checked(checked, config=wolves_config, user="tester")
    db = wolves_config.warehouse_path
    # 286 children on 31 March 2019 (the 2018- and 2019- files stitched; see the report).
    assert _value(db, "CLA_NUMBER", "Mar 2019")[0] == 286
    months = _rows(db, "SELECT count(DISTINCT period_end) FROM observations "
                       "WHERE indicator_code = 'CLA_NUMBER'")[0][0]
    assert months == 60                                        # Apr 2017 to Mar 2022
    # Rolling measures only where the 12 months lie inside the data.
    first = _rows(db, "SELECT min(period_end) FROM observations "
                      "WHERE indicator_code = 'STABILITY_FEWER_3_PCT'")[0][0]
    assert first == date(2018, 3, 31)
    # The extract cannot give distance from home: missing with the reason, never 0.
    v = _value(db, "PLACED_20_MILES_PCT", "Mar 2020")
    assert v[0] is None and "postcode" in v[3]
    # No population loaded: the rate is missing with its reason.
    assert "POP_0_17" in _value(db, "CLA_RATE", "Mar 2020")[3]
    # Placement types add up to the number looked after, which is the total row.
    total = _rows(db, "SELECT sum(value) FROM observations WHERE indicator_code = "
                      "'PLACEMENT_TYPE' AND period_label = 'Mar 2020' AND breakdown <> ''")[0][0]
    assert total == _value(db, "CLA_NUMBER", "Mar 2020")[0]
    assert _value(db, "PLACEMENT_TYPE", "Mar 2020")[0] == total
    # OC2/OC3 are out-turns for the year they describe.
    years = _rows(db, "SELECT period_label FROM observations WHERE indicator_code = "
                      "'CL_EET_PCT' AND period_type = 'year' ORDER BY 1")
    assert [y[0] for y in years] == ["2017-18", "2018-19", "2019-20", "2020-21", "2021-22"]
    # The data-quality report and the 31 March figures are stored with the upload.
    kinds = dict(_rows(db, "SELECT kind, count(*) FROM ssda903_quality GROUP BY 1"))
    assert kinds["repair"] > 0 and kinds["gap"] > 0
    ye = dict(_rows(db, "SELECT \"year\", value FROM ssda903_year_end WHERE indicator_code = "
                        "'CLA_NUMBER'"))
    assert ye["2018-19"] == 286
    # DfE publishes the 3+ placements share: our year-end figure is its complement.
    both = dict(_rows(db, "SELECT indicator_code, value FROM ssda903_year_end WHERE \"year\" = "
                          "'2019-20' AND indicator_code LIKE 'STABILITY_%'"))
    assert both["STABILITY_3PLUS_PCT"] == pytest.approx(100 - both["STABILITY_FEWER_3_PCT"])
    # No child id from the files reaches the warehouse.
    raw_ids = set(pd.read_csv(pd.io.common.BytesIO(files["2019-episodes.csv"]), dtype=str).CHILD)
    stored = {r[0] for r in _rows(db, "SELECT child FROM ssda903_quality")}
    assert not raw_ids & stored


def test_a_later_extract_revises_history_and_first_reported_keeps_working(wolves_config):
    files = shared_files()
    early = {n: b for n, b in files.items() if not n.startswith("2021-")}
    commit_checked(check_files(list(early.items()), config=wolves_config),
                   config=wolves_config)
    checked = check_files(list(files.items()), config=wolves_config)
    assert checked[0].plan.counts["revised"] > 0 and checked[0].plan.counts["new"] > 0
    commit_checked(checked, config=wolves_config)
    revised = _rows(wolves_config.warehouse_path, "SELECT count(*) FROM revisions")[0][0]
    assert revised == checked[0].plan.counts["revised"]
    # "First reported as" on a revised month of a monthly total.
    r = checked[0].plan.revised
    r = r[(r["breakdown"] == "") & (r["period_type"] == "month") & r["old_value"].notna()
          & (r["indicator_code"] == "CLA_NUMBER")]
    assert len(r)   # the 2021-22 files change who was in care in earlier months
    row = r.iloc[0]
    s = Warehouse(wolves_config).summary("CLA_NUMBER", pd.Timestamp(row["period_end"]).date())
    assert s["value"] == row["value"]
    assert s["first_reported"]["value"] == row["old_value"]
    # The same extract again changes nothing.
    again = check_files(list(files.items()), config=wolves_config)
    assert again[0].plan.already_loaded is not None


def test_structural_error_refuses_the_whole_extract(wolves_config):
    bad = episodes_file([episode(1, "01/05/2019", "S", "C1", "U4"),
                         episode(2, "32/05/2019", "S", "C1", "XX")])
    header = header_file([(1, 1, "01/01/2010", "WBRI"), (2, 1, "01/01/2010", "WBRI")])
    checked = check_files([("eps.csv", bad), ("hdr.csv", header)], config=wolves_config)
    errors = checked[0].errors
    assert {(e.row, e.column) for e in errors} == {(3, "DECOM"), (3, "PLACE")}
    with pytest.raises(ValueError):
        commit_checked(checked, config=wolves_config)
    assert not wolves_config.warehouse_path.exists()


def test_missing_figures_never_replace_loaded_ones_and_population_gives_rates(wolves_config):
    db = wolves_config.warehouse_path
    loaded = pd.DataFrame([
        month_row("PLACED_20_MILES_PCT", 2020, 3, 12.0),
        {**month_row("POP_0_17", 2019, 1, 60000.0), "period_type": "year",
         "period_start": date(2019, 1, 1), "period_end": date(2019, 12, 31),
         "period_label": "2019"},
    ])
    wh.commit(db, loaded, data=b"typed", file_name="typed.csv", kind="long",
              config=wolves_config)
    files = {n: b for n, b in shared_files().items() if n.startswith("2019-")}
    commit_checked(check_files(list(files.items()), config=wolves_config),
                   config=wolves_config)
    assert _value(db, "PLACED_20_MILES_PCT", "Mar 2020")[0] == 12.0
    n = _value(db, "CLA_NUMBER", "Mar 2020")[0]
    rate = _value(db, "CLA_RATE", "Mar 2020")
    assert rate[0] == pytest.approx(n / 60000 * 10000)
    assert (rate[1], rate[2]) == (n, 60000)


def test_dfe_rules_run_in_their_own_environment(wolves_config, monkeypatch):
    from pipelines.sources import ssda903_rules
    if not ssda903_rules.validator_python().exists():
        pytest.skip("csc-validator-be-903 not installed (python -m "
                    "pipelines.sources.ssda903_rules --install)")
    monkeypatch.setenv("LACDASH_903_RULES", "on")
    files = {n: b for n, b in shared_files().items() if n.startswith("2021-")}
    checked = check_files(list(files.items()), config=wolves_config)
    q = checked[0].tables["ssda903_quality"]
    ran = q[(q["kind"] == "dfe rules") & (q["rule"] == "run")]
    assert len(ran) == 1 and "2021-22" in ran["message"].iloc[0]
    rules = q[q["kind"] == "dfe rule"]
    assert len(rules) > 0
    # Each names the rule, the child (pseudonymised), the file and Excel rows.
    r = rules.iloc[0]
    assert r["rule"] and r["file"].startswith("2021-") and r["rows"]
    raw_ids = set(pd.read_csv(pd.io.common.BytesIO(files["2021-episodes.csv"]), dtype=str).CHILD)
    assert not raw_ids & set(rules["child"])
