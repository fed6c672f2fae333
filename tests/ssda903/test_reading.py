"""Reading SSDA903 tables: recognition by columns, encodings and date styles, structural
errors all at once, pseudonymisation, collection years from dates, stitching repairs."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pipelines.sources import ssda903
from pipelines.sources.readers import read_table
from tests.ssda903.helpers import (KEY, csv, episode, episodes_file, extract, header_file, pid,
                                   raws)


def test_tables_are_recognised_by_columns_not_names():
    assert ssda903.detect_table(["child", "decom", "rne", "ls", "cin", "place", "dec"]) == \
        "episodes"
    assert ssda903.detect_table(["CHILD", "SEX", "DOB", "DUC"]) == "uasc"
    assert ssda903.detect_table(["CHILD", "SEX", "DOB", "ETHNIC", "UPN"]) == "header"
    assert ssda903.detect_table(["indicator_code", "period", "value"]) is None
    ex = extract({"whatever.csv": episodes_file([episode(1, "01/05/2019", "S", "C1", "U4")]),
                  "notes.csv": header_file([(1, 2, "17/06/2012", "WBRI")])})
    assert len(ex.episodes) == 1 and len(ex.header) == 1


def test_windows_1252_iso_dates_and_xlsx_read_alike():
    rows = [episode(1, "2019-05-01", "S", "C1", "U4"), episode(2, "2019-06-03", "S", "C1", "U4")]
    text = episodes_file(rows).decode().replace("AB1 2CD", "Caf\u00e9 St")
    ex = extract({"e.csv": text.encode("cp1252")})
    assert sorted(ex.episodes["DECOM"].dt.strftime("%Y-%m-%d")) == ["2019-05-01", "2019-06-03"]
    import io
    buf = io.BytesIO()
    pd.read_csv(io.BytesIO(episodes_file(rows)), dtype=str).to_excel(buf, index=False)
    ex2 = extract({"e.xlsx": buf.getvalue()})
    assert ex2.episodes["DECOM"].tolist() == ex.episodes["DECOM"].tolist()


def test_structural_problems_are_all_listed_with_file_row_column():
    bad = episodes_file([
        episode(1, "31/02/2019", "S", "C1", "U4"),        # no 31 February
        episode(2, "01/05/2019", "S", "ZZ", "U4"),        # unknown legal status
        episode(3, "01/05/2019", "S", "C1", "Q9"),        # unknown placement
    ])
    no_rec = csv(["CHILD", "DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "DEC"],
                 [[4, "01/05/2019", "S", "C1", "U4", "PR1", ""]])
    ex, problems = ssda903.read_files(raws({"e.csv": bad, "e2.csv": no_rec}), KEY)
    assert ex is None
    found = {(p.file, p.row, p.column) for p in problems if p.severity == "error"}
    assert ("e.csv", 2, "DECOM") in found
    assert ("e.csv", 3, "LS") in found
    assert ("e.csv", 4, "PLACE") in found
    assert ("e2.csv", None, "REC") in found
    msg = next(p.message for p in problems if p.column == "LS")
    assert "e.csv" in msg and "row 3" in msg and "ZZ" in msg


def test_children_are_pseudonymised_dob_kept_to_the_month_postcodes_dropped():
    ex = extract({"e.csv": episodes_file([episode(123456, "01/05/2019", "S", "C1", "U4")]),
                  "h.csv": header_file([(123456, 2, "17/06/2012", "WBRI")])})
    everything = pd.concat([ex.episodes.astype(str), ex.header.astype(str)], axis=1)
    assert not everything.apply(lambda c: c.str.contains("123456")).any().any()
    assert ex.episodes["CHILD"].iloc[0] == ex.header["CHILD"].iloc[0] == pid(123456)
    assert ex.header["DOB"].iloc[0] == pd.Timestamp("2012-06-01")
    for col in ("HOME_POST", "PL_POST", "UPN"):
        assert col not in ex.episodes.columns and col not in ex.header.columns
    # Another key gives other pseudonyms: the key, not the data, makes them.
    other, _ = ssda903.read_files(raws({"e.csv": episodes_file([
        episode(123456, "01/05/2019", "S", "C1", "U4")])}), b"another key")
    assert other.episodes["CHILD"].iloc[0] != pid(123456)


def test_key_comes_from_env_or_config_never_defaulted(tmp_path, monkeypatch):
    monkeypatch.delenv("LACDASH_PSEUDONYM_KEY", raising=False)
    cfg = tmp_path / "c.toml"
    cfg.write_text("[authority]\n")

    class C:
        config_path = cfg
    with pytest.raises(ssda903.KeyError903):
        ssda903.pseudonym_key(C())
    (tmp_path / "k").write_text("from-file\n")
    cfg.write_text('[ssda903]\nkey_file = "k"\n')
    assert ssda903.pseudonym_key(C()) == b"from-file"
    monkeypatch.setenv("LACDASH_PSEUDONYM_KEY", "from-env")
    assert ssda903.pseudonym_key(C()) == b"from-env"


@pytest.mark.parametrize("name", ["2019-episodes.csv", "2020-episodes.csv", "eps.csv"])
def test_the_dates_decide_the_collection_year_not_the_name(name):
    ex = extract({name: episodes_file([episode(1, "01/05/2019", "S", "C1", "U4"),
                                       episode(2, "01/02/2020", "S", "C1", "U4")])})
    assert ex.years == [date(2020, 3, 31)]


def _two_years(later_rows):
    earlier = episodes_file([
        episode(1, "01/05/2018", "S", "C1", "U4"),                 # open at 31 Mar 2019
        episode(2, "01/06/2018", "S", "C1", "U4"),                 # open, then missing
    ])
    return extract({"2018-episodes.csv": earlier, "2019-episodes.csv": episodes_file(later_rows)})


def test_same_episode_in_two_years_is_one_and_the_later_file_wins():
    ex = _two_years([episode(1, "01/05/2018", "S", "C1", "U4", "01/09/2019", "E4A"),
                     episode(3, "01/06/2019", "S", "C1", "U4")])
    one = ex.episodes[ex.episodes["CHILD"] == pid(1)]
    assert len(one) == 1
    assert one["DEC"].iloc[0] == pd.Timestamp("2019-09-01") and one["REC"].iloc[0] == "E4A"


def test_child_open_at_year_end_but_absent_next_year_is_listed_not_hidden():
    ex = _two_years([episode(1, "01/05/2018", "S", "C1", "U4"),
                     episode(3, "01/06/2019", "S", "C1", "U4")])
    gaps = [q for q in ex.quality if q["kind"] == "gap"]
    assert [(q["child"], q["file"], q["rows"]) for q in gaps] == \
        [(pid(2), "2018-episodes.csv", "3")]
    two = ex.episodes[ex.episodes["CHILD"] == pid(2)].iloc[0]
    assert two["DEC"] == pd.Timestamp("2019-04-01") and two["REC"] == "E99"


def test_open_episode_is_closed_by_the_next_and_overlaps_give_way_to_the_later_start():
    ex = extract({"e.csv": episodes_file([
        episode(1, "01/05/2019", "S", "C1", "U4"),                        # open ...
        episode(1, "01/07/2019", "P", "C1", "U5"),                        # ... then a move
        episode(2, "01/05/2019", "S", "C1", "U4", "01/09/2019", "E4A"),   # overlaps ...
        episode(2, "01/08/2019", "S", "C1", "U4"),                        # ... a new start
    ])})
    e = ex.episodes.set_index(["CHILD", "DECOM"])
    first = e.loc[(pid(1), pd.Timestamp("2019-05-01"))]
    assert (first["DEC"], first["REC"]) == (pd.Timestamp("2019-07-01"), "X1")
    second = e.loc[(pid(2), pd.Timestamp("2019-05-01"))]
    assert (second["DEC"], second["REC"]) == (pd.Timestamp("2019-07-31"), "E99")
    repairs = [q for q in ex.quality if q["rule"] == "overlap: later start wins"]
    assert {q["child"] for q in repairs} == {pid(1), pid(2)}
    assert all(q["rows"].startswith(("2;", "4;")) for q in repairs)


def test_the_shared_files_load_with_every_year_recognised(shared_extract):
    ex = shared_extract
    assert ex.years == [date(y, 3, 31) for y in range(2018, 2023)]
    years = {q["file"]: q["message"] for q in ex.quality if q["kind"] == "year"}
    assert "2019-20" in years["2019-oc2.csv"] and "2017-18" in years["2017-reviews.csv"]
    # README: children in care on 31 March 2020 in the 2020- files absent from the 2019-
    # ones are reported, not hidden.
    gaps = [q for q in ex.quality if q["rule"].startswith("in care before the year")
            and q["file"] == "2020-episodes.csv"]
    assert len({q["child"] for q in gaps}) >= 40


def test_fast_csv_reader_gives_what_the_general_reader_gives():
    from tests.ssda903.conftest import shared_files
    files = shared_files()
    for name in ("2019-episodes.csv", "2019-reviews.csv", "2017-oc3.csv"):
        fast = ssda903.read_raw(files[name], name)
        slow = read_table(files[name], name)
        pd.testing.assert_frame_equal(fast.astype(object).where(fast.notna(), None),
                                      slow.astype(object).where(slow.notna(), None),
                                      check_dtype=False)
    # UTF-16 with a byte-order mark and a blank spreadsheet row keep Excel's row numbers.
    text = "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC\n1,01/05/2019,S,C1,U4,PR1,,\n,,,,,,,\n" \
           "2,01/06/2019,S,C1,U4,PR1,,\n"
    raw = ssda903.read_raw(text.encode("utf-16"), "e.csv")
    assert raw[raw["CHILD"].notna()]["__row__"].tolist() == [2, 4]
