"""The report's January 2018 figures for Wolverhampton, loaded as an insight team would,
give back what the board paper printed (docs/reference/board_report_2018-03.txt)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cli import main
from pipelines.store.queries import Warehouse

FILES = Path(__file__).parent / "files"


@pytest.fixture
def loaded(wolves_config, capsys):
    cfg = wolves_config
    rc = main(["ingest", str(FILES / "wolverhampton_comparators.csv"),
               str(FILES / "wolverhampton_local_extract.csv"),
               "--config", str(cfg.config_path), "--user", "insight"])
    out = capsys.readouterr().out
    assert rc == 0, out
    return cfg


def show(cfg, code, capsys, as_at="2018-01"):
    capsys.readouterr()
    assert main(["show", code, "--as-at", as_at, "--json", "--config", str(cfg.config_path)]) == 0
    return json.loads(capsys.readouterr().out)


def test_care_leavers_eet_matches_the_report(loaded, capsys):
    s = show(loaded, "CL_EET_PCT", capsys)
    assert s["value"] == 61 and s["period"] == "Jan 2018" and s["as_at"] == "2018-01"
    assert s["outturn"] == {"year": "2016-17", "value": 56}
    assert s["comparators"] == {
        "west_midlands": {"year": "2016-17", "value": 46},
        "statistical_neighbours": {"year": "2016-17", "value": 47},
        "england": {"year": "2016-17", "value": 50},
        # issue 10: the configured region by name, the same figure as west_midlands
        "region": {"year": "2016-17", "value": 46, "name": "West Midlands"}}
    assert s["rag"] == "green"           # 61% against England's 50%, higher is better
    assert s["polarity"] == "up" and s["unit"] == "percent"


def test_health_checks_against_out_turn(loaded, capsys):
    s = show(loaded, "HEALTH_CHECKS_PCT", capsys)
    # "The percentage of health checks that are up to date has remained at 88% compared to
    # 91% at year out-turn 2016/17." The report prints no December figure, so none is loaded.
    assert s["value"] == 88 and s["period"] == "Jan 2018"
    assert s["outturn"] == {"year": "2016-17", "value": 91}
    assert s["previous"] is None


@pytest.mark.parametrize("code, value, outturn", [
    ("DENTAL_CHECKS_PCT", 85, 81), ("PLACED_20_MILES_PCT", 15, 14),
    ("ASSESSMENTS_UP_TO_DATE_PCT", 71, 98), ("REVIEWS_ON_TIME_PCT", 94, 82),
    ("PEP_Y1_11_PCT", 77, 95)])
def test_out_turns_printed_beside_the_month(loaded, capsys, code, value, outturn):
    s = show(loaded, code, capsys)
    assert s["value"] == value and s["period"] == "Jan 2018"
    assert s["outturn"] == {"year": "2016-17", "value": outturn}


@pytest.mark.parametrize("code, year, value", [
    ("HEALTH_CHECKS_PCT", "2015-16", 88), ("DENTAL_CHECKS_PCT", "2015-16", 89),
    ("PLACED_20_MILES_PCT", "2014-15", 16), ("PLACED_20_MILES_PCT", "2015-16", 16),
    ("ASSESSMENTS_UP_TO_DATE_PCT", "2015-16", 97), ("REVIEWS_ON_TIME_PCT", "2015-16", 90),
    ("PEP_Y1_11_PCT", "2015-16", 90)])
def test_earlier_out_turns_are_their_years(loaded, capsys, code, year, value):
    # "2015-16 Out-turn = 89%": a year's figure, labelled with its year, not a month.
    s = show(loaded, code, capsys, as_at="2016-04" if year == "2015-16" else "2015-04")
    assert s["outturn"] == {"year": year, "value": value}


@pytest.mark.parametrize("code, provisional, own_2015_16, wm, sn, eng", [
    ("STABILITY_FEWER_3_PCT", 86, 87, 90, 90, 90),
    ("STABILITY_LONG_TERM_PCT", 67, 68, 69, 69, 68)])
def test_stability_is_the_2016_17_provisional_out_turn(loaded, capsys, code, provisional,
                                                       own_2015_16, wm, sn, eng):
    # The report: "Wolves 16-17 (Provis) = 86%", "Wolverhampton 15-16 = 87%",
    # "West Midlands 15-16 = 90%" ... : 86 and 67 are 2016-17 provisional out-turns, not
    # January 2018 figures.
    s = show(loaded, code, capsys)
    assert s["value"] == provisional and s["period"] == "2016-17"
    assert s["outturn"] == {"year": "2016-17", "value": provisional}
    assert {k: v["value"] for k, v in s["comparators"].items()} == {
        "west_midlands": wm, "statistical_neighbours": sn, "england": eng, "region": wm}
    assert s["comparators"]["england"]["year"] == "2015-16"
    capsys.readouterr()
    assert main(["show", code, "--as-at", "2017-03", "--json", "--config",
                 str(loaded.config_path)]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == provisional
    local = Warehouse(loaded).df(
        "SELECT period_label, value, status FROM indicator_values WHERE indicator_code = ? "
        "AND area_code = ? ORDER BY period_end", [code, loaded.code])
    assert [(r.period_label, r.value, r.status) for r in local.itertuples()] == [
        ("2015-16", own_2015_16, "final"), ("2016-17", provisional, "provisional")]


def test_no_fixture_figure_is_dated_january_2018_unless_the_report_says_so():
    # Every Jan-18 row in the extract is one the report prints as current (January 2018);
    # figures labelled with a year (out-turns, "16-17 (Provis)") carry that year.
    extract = pd.read_csv(FILES / "wolverhampton_local_extract.csv", dtype=str).dropna(
        subset=["Value"])
    jan = set(extract.loc[extract["Month"] == "Jan-18", "Indicator Code"])
    assert not jan & {"STABILITY_FEWER_3_PCT", "STABILITY_LONG_TERM_PCT"}
    assert set(extract["Month"]) <= {"Jan-18", "2014/15 out-turn", "2015/16 out-turn",
                                     "2016/17 out-turn"}


def test_annual_education_figures(loaded, capsys):
    s = show(loaded, "KS2_RWM_PCT", capsys)
    assert s["value"] == 37 and s["period"] == "2016"
    assert [s["comparators"][k]["value"] for k in ("west_midlands", "statistical_neighbours",
                                                   "england")] == [23, 25, 25]
    a = show(loaded, "ABSENCE_UNAUTHORISED_PCT", capsys)
    assert a["value"] == 0.6 and a["comparators"]["england"]["value"] == 1.0
    p8 = show(loaded, "KS4_PROGRESS8", capsys)
    assert p8["value"] == -1.16 and p8["comparators"]["statistical_neighbours"]["value"] == -1.17


def test_loading_the_same_files_again_changes_nothing(loaded, capsys):
    capsys.readouterr()
    rc = main(["ingest", str(FILES / "wolverhampton_local_extract.csv"),
               "--config", str(loaded.config_path)])
    out = capsys.readouterr().out
    assert rc == 0 and "already loaded" in out
    capsys.readouterr()
    main(["history", "--json", "--config", str(loaded.config_path)])
    assert len(json.loads(capsys.readouterr().out)) == 2
