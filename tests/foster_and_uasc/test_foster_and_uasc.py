"""Issue 12 items 6 and 7: the two different "in-house foster" figures are two indicators,
each saying its denominator; unaccompanied asylum-seeking children are counted on their own."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from cli import main
from pipelines.core.catalogue import load_catalogue
from tools.sample.build import SAMPLE_DIR

CAT = load_catalogue()


def test_each_in_house_figure_names_its_denominator():
    all_cla, fostered = CAT.get("PLACED_INHOUSE_FOSTER_PCT"), CAT.get("FOSTERED_INHOUSE_PCT")
    assert "Denominator: all looked-after children" in all_cla.definition
    assert "Denominator: looked-after children in foster placements" in fostered.definition
    assert fostered.unit == all_cla.unit == "percent" and fostered.section == "placements"


def test_uasc_is_a_count_of_its_own():
    uasc = CAT.get("UASC_NUMBER")
    assert uasc.unit == "count" and uasc.polarity == "none" and uasc.frequency == "M"
    assert "unaccompanied" in uasc.definition.lower()
    assert CAT.resolve("Unaccompanied asylum seekers") is uasc


def test_the_report_s_figures_load_under_their_own_codes(wolves_config, capsys, tmp_path):
    # 31% of all looked-after children with in-house carers (key points, January 2018); 45% of
    # fostered children with the council's own carers (Ofsted section, 3.15); 11 unaccompanied
    # asylum seekers at the end of November 2017 (minutes).
    f = tmp_path / "extract.csv"
    f.write_text("Indicator Code,Month,Value\nPLACED_INHOUSE_FOSTER_PCT,Jan-18,31%\n"
                 "FOSTERED_INHOUSE_PCT,Jan-18,45%\nUASC_NUMBER,Nov-17,11\n"
                 "ASYLUM_PCT,Jan-18,1.7%\n")
    assert main(["ingest", str(f), "--config", str(wolves_config.config_path)]) == 0
    got = {}
    for code in ("PLACED_INHOUSE_FOSTER_PCT", "FOSTERED_INHOUSE_PCT", "UASC_NUMBER", "ASYLUM_PCT"):
        capsys.readouterr()
        assert main(["show", code, "--as-at", "2018-01", "--json", "--config",
                     str(wolves_config.config_path)]) == 0
        s = json.loads(capsys.readouterr().out)
        got[code] = (s["value"], s["period"], s["unit"])
    assert got == {"PLACED_INHOUSE_FOSTER_PCT": (31, "Jan 2018", "percent"),
                   "FOSTERED_INHOUSE_PCT": (45, "Jan 2018", "percent"),
                   "UASC_NUMBER": (11, "Nov 2017", "count"),
                   "ASYLUM_PCT": (1.7, "Jan 2018", "percent")}


def test_the_sample_s_figures_agree_with_its_placements_and_asylum_seekers():
    long = pd.read_csv(SAMPLE_DIR / "local_monthly_long.csv", dtype=str, keep_default_na=False)
    tot = long[long.placement_type == ""].set_index(["indicator_code", "period"])
    types = long[long.indicator_code == "PLACEMENT_TYPE"].set_index(["placement_type", "period"])
    months = sorted(set(long.period))
    assert len(months) == 79
    for m in months:
        inhouse = int(types.loc[("in_house_foster", m), "value"])
        agency = int(types.loc[("agency_foster", m), "value"])
        f = tot.loc[("FOSTERED_INHOUSE_PCT", m)]
        assert (int(f.numerator), int(f.denominator)) == (inhouse, inhouse + agency), m
        all_cla = tot.loc[("PLACED_INHOUSE_FOSTER_PCT", m)]
        assert int(all_cla.numerator) == inhouse and int(all_cla.denominator) > inhouse + agency
        uasc = int(tot.loc[("UASC_NUMBER", m), "value"])
        assert 0 <= uasc <= int(tot.loc[("ASYLUM_PCT", m), "numerator"]), m
