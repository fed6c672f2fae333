"""An adoption records file from upload to the warehouse, with the figures worked by hand.

The file (header = Excel row 1):

  row child  entered     placement   matched     placed      FC  moved in    adoption    A1   A2  A10
                         order                                   with FCs    order
  2   C1     2013-06-01  2014-09-01  2015-10-01  2015-11-18  N               2016-02-10  900  395  900   2015-16
  3   C2     2015-03-02  2015-06-01  2015-09-09  2015-12-27  N               2016-06-15  300  100  300   2016-17
  4   C3     2015-05-04  2016-04-20  2016-03-21  2016-06-07  N               2016-10-03  400    0  400   2016-17 (matched 30 days before the order: 0)
  5   C4     2014-11-10  2015-08-03  2016-02-19  2016-03-24  N               2017-01-16  500  200  500   2016-17
  6   C5     2015-01-12  2016-02-01  2016-05-31  2016-12-12  Y   2015-07-31  2017-09-25  700  120  200   2017-18 (foster carers: A10 stops at 2015-07-31)
  7   C6     2017-03-01  2017-10-01                                                                  still waiting: not counted
  8   C7     2016-12-05  2017-06-05  2017-08-04  2017-11-10  N               2018-02-20  340   60  340   2017-18, after January

As at January 2018 the 3-year window is 1 Apr 2015 to 31 Jan 2018 (2015-16, 2016-17, 2017-18 to
date): C1..C5.
  A1  = (900 + 300 + 400 + 500 + 700) / 5 = 2800 / 5 = 560 days
        (the average of yearly averages would be (900 + 400 + 700) / 3 = 666.7: not what we want)
  A10 = (900 + 300 + 400 + 500 + 200) / 5 = 2300 / 5 = 460 days
  A2  = (395 + 100 + 0 + 200 + 120) / 5 = 815 / 5 = 163 days
  single year (2017-18 to date): C5 only: A1 700 days, 0 of 1 within 426 days = 0%
As at February 2018 C7 joins:
  A1  = (2800 + 340) / 6 = 523.3 -> 523 days; single year (700 + 340) / 2 = 520, 1 of 2 within = 50%
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

import cli
from pipelines.core.config import load_config
from pipelines.uploads import check_files, commit_checked
from pipelines.store.queries import Warehouse

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "data" / "config.toml"

HEADER = ("child_id,date_of_birth,date_entered_care,date_placement_order,date_matched,"
          "date_placed_for_adoption,adopted_by_foster_carers,date_moved_in_with_foster_carers,"
          "date_adoption_order")
ROWS = [
    "C1,2012-01-01,2013-06-01,2014-09-01,2015-10-01,2015-11-18,N,,2016-02-10",
    "C2,2014-05-05,2015-03-02,2015-06-01,2015-09-09,2015-12-27,N,,2016-06-15",
    "C3,2015-04-01,2015-05-04,2016-04-20,2016-03-21,2016-06-07,N,,2016-10-03",
    "C4,2010-02-02,2014-11-10,2015-08-03,2016-02-19,2016-03-24,N,,2017-01-16",
    "C5,2014-12-01,2015-01-12,2016-02-01,2016-05-31,2016-12-12,Y,2015-07-31,2017-09-25",
    "C6,2016-08-08,2017-03-01,2017-10-01,,,N,,",
    "C7,2016-11-20,2016-12-05,2017-06-05,2017-08-04,2017-11-10,N,,2018-02-20",
]


def csv_bytes(rows=ROWS, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.fixture
def config(tmp_path):
    return load_config(CONFIG).with_warehouse(tmp_path / "w.duckdb")


def load(config, data: bytes, name="adoption_records.csv"):
    checked = check_files([(name, data)], config=config)
    assert checked[0].kind == "adoption"
    assert checked[0].errors == []
    commit_checked(checked, config=config)
    return Warehouse(config)


def test_a_hand_worked_file_gives_the_3_year_averages_in_the_warehouse(config):
    wh = load(config, csv_bytes())
    a1 = wh.summary("A1_DAYS_3YR", "2018-01")
    assert (a1["value"], a1["numerator"], a1["denominator"]) == (560, 2800, 5)
    assert a1["target"] == 426
    assert wh.summary("A10_DAYS_3YR", "2018-01")["value"] == 460
    assert wh.summary("A2_DAYS_3YR", "2018-01")["value"] == 163
    assert wh.summary("A1_DAYS_1YR", "2018-01")["value"] == 700
    assert wh.summary("A1_WITHIN_PCT", "2018-01")["value"] == 0

    assert wh.summary("A1_DAYS_3YR", "2018-02")["value"] == 523
    assert wh.summary("A1_DAYS_1YR", "2018-02")["value"] == 520
    assert wh.summary("A1_WITHIN_PCT", "2018-02")["value"] == 50


def test_the_child_rows_are_kept_including_the_child_still_waiting(config):
    wh = load(config, csv_bytes())
    kids = wh.adoption_children()
    assert sorted(kids.child_id) == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    waiting = kids[kids.child_id == "C6"].iloc[0]
    assert pd.isna(waiting.date_adoption_order)


def _replace(row: int, column: str, value: str) -> list[str]:
    """ROWS with one cell changed; `row` as Excel numbers it (first child = row 2)."""
    cols = HEADER.split(",")
    rows = [r.split(",") for r in ROWS]
    rows[row - 2][cols.index(column)] = value
    return [",".join(r) for r in rows]


REFUSALS = [
    # matched before entering care (C2 entered 2015-03-02)
    ("matched before care", _replace(3, "date_matched", "2015-01-01"), 3, "date_matched"),
    # placed before entering care
    ("placed before care", _replace(3, "date_placed_for_adoption", "2015-02-01"), 3,
     "date_placed_for_adoption"),
    # adoption order before the placement (C2 placed 2015-12-27)
    ("order before placement", _replace(3, "date_adoption_order", "2015-12-01"), 3,
     "date_adoption_order"),
    ("future date", _replace(8, "date_adoption_order", "2099-01-01"), 8, "date_adoption_order"),
    # C5 adopted by foster carers, the date they moved in left blank
    ("foster carers without moved-in date", _replace(6, "date_moved_in_with_foster_carers", ""),
     6, "date_moved_in_with_foster_carers"),
    # C2 again (row 9) with another adoption order date
    ("same child twice", ROWS + ["C2,2014-05-05,2015-03-02,2015-06-01,2015-09-09,2015-12-27,N,,"
                                "2016-07-15"], 9, "date_adoption_order"),
]


@pytest.mark.parametrize("case,rows,row,column", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_file_names_row_and_column_and_writes_nothing(config, case, rows, row, column):
    wh = load(config, csv_bytes())  # a good upload first: it must stay exactly as it is
    checked = check_files([("adoption_fixed.csv", csv_bytes(rows))], config=config)
    errors = checked[0].errors
    assert errors, case
    assert (row, column) in [(e.row, e.column) for e in errors]
    assert any(f"row {row}" in e.message and column in e.message for e in errors)
    with pytest.raises(ValueError):
        commit_checked(checked, config=config)
    con = duckdb.connect(str(config.warehouse_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM uploads").fetchone()[0] == 1
    finally:
        con.close()
    assert wh.summary("A1_DAYS_3YR", "2018-01")["value"] == 560


def test_lacdash_ingest_recognises_the_file_by_its_columns(tmp_path, capsys):
    # Other spellings of the template's columns, no --kind given.
    header = ("Child ID,DOB,LAC start date,Placement order granted,Date matched,Date placed,"
              "Adopted by foster carer,Date moved in with foster carer(s),Adoption order date")
    path = tmp_path / "tracker.csv"
    path.write_bytes(csv_bytes(header=header))
    db = tmp_path / "cli.duckdb"
    code = cli.main(["ingest", str(path), "--config", str(CONFIG), "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "tracker.csv (adoption" in out
    wh = Warehouse(load_config(CONFIG, db=db))
    assert wh.summary("A1_DAYS_3YR", "2018-01")["value"] == 560


def test_lacdash_ingest_refuses_a_bad_file_with_row_and_column(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(_replace(3, "date_matched", "2015-01-01")))
    db = tmp_path / "cli.duckdb"
    code = cli.main(["ingest", str(path), "--config", str(CONFIG), "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 1
    assert "row 3" in out and "date_matched" in out and "nothing was written" in out
