"""Comparators as DfE does them, on the real files: the region, DfE's statistical neighbours
(model file, names, closeness, the average and how many it rests on), England, rank and
quartile with ties and the change from last year; the default as-at; revisions."""
from __future__ import annotations

import json
import math
import statistics
from datetime import date

import pytest

from cli import main
from pipelines.core.areas import all_las
from pipelines.core.neighbours import neighbours_of
from pipelines.store import benchmark as bm
from pipelines.store.queries import Warehouse
from pipelines.uploads import check_files, commit_checked, format_report
from present.benchmark import rank_sentence

from tests.published.conftest import PUBLISHED, WOLVES, csv_rows, write_config

# DfE's 2025 model, row 336 Wolverhampton (sn_model_2025_wide.csv): 333, 861, 335, 810, 354,
# 331, 371, 831, 806, 812, the first four "Very close", the rest "Close".
MODEL_2025 = ["E08000028", "E06000021", "E08000030", "E06000010", "E08000005",
              "E08000026", "E08000017", "E06000015", "E06000002", "E06000012"]


def test_config_needs_only_the_code(wolves_only):
    c = wolves_only
    assert (c.name, c.region, c.neighbour_model, c.neighbours_source) == (
        "Wolverhampton", "E12000005", 2025, "model")
    assert list(c.statistical_neighbours) == MODEL_2025
    nbs = bm.neighbour_list(c)
    assert [n.name for n in nbs[:3]] == ["Sandwell", "Stoke-on-Trent", "Walsall"]
    assert [n.closeness for n in nbs] == ["Very close"] * 4 + ["Close"] * 6


def test_model_year_is_a_config_choice_and_a_typed_list_overrides(tmp_path):
    c21 = write_config(tmp_path / "a", '[authority]\ncode = "E08000031"\nstatistical_neighbour_model = 2021\n')
    # 2021 groupings, row 336: 333 Very Close, 892 (Nottingham) Close, ...
    assert c21.statistical_neighbours[:2] == ("E08000028", "E06000018")
    assert [n.code for n in neighbours_of("E08000031", 2021)] == list(c21.statistical_neighbours)
    typed = write_config(tmp_path / "b", '[authority]\ncode = "E08000031"\n'
                         'statistical_neighbours = ["E08000025", "E08000027"]\n')
    assert typed.statistical_neighbours == ("E08000025", "E08000027")
    assert [n.closeness for n in bm.neighbour_list(typed)] == ["chosen in the configuration"] * 2


def _published(name, **filters):
    return [r for r in csv_rows(name) if all(r[k] == v for k, v in filters.items())]


def test_neighbour_average_is_the_mean_of_their_published_values(loaded):
    rows = _published("la_conviction_health_outcome_cla.csv", time_period="2025",
                      breakdown="Had their annual health assessment")
    vals = [float(r["children_percent"]) for r in rows if r["new_la_code"] in MODEL_2025]
    assert len(vals) == 10
    s = Warehouse(loaded).summary("HEALTH_CHECKS_PCT")
    sn = s["comparators"]["statistical_neighbours"]
    assert sn["value"] == pytest.approx(statistics.mean(vals))
    assert (sn["n_neighbours"], sn["n_without_figure"]) == (10, 0)
    wm = [r for r in rows if r["geographic_level"] == "Regional" and r["region_code"] == "E12000005"]
    eng = [r for r in rows if r["geographic_level"] == "National"]
    assert s["comparators"]["region"] == {"year": "2024-25", "value": float(wm[0]["children_percent"]),
                                          "name": "West Midlands"}
    assert s["comparators"]["west_midlands"]["value"] == s["comparators"]["region"]["value"]
    assert s["comparators"]["england"]["value"] == float(eng[0]["children_percent"])


def test_suppressed_neighbours_are_left_out_and_counted(loaded):
    """KS2 for children looked after is suppressed for small authorities: find a year where
    some of the neighbours are, from the file itself."""
    rows = _published("ks2_la.csv", social_care_group="CLA 12 months at 31 March")
    for tp in ("202425", "202324", "202223", "202122", "201819"):
        mine = {r["new_la_code"]: r["pt_rwm_met_expected_standard"] for r in rows
                if r["time_period"] == tp and r["new_la_code"] in MODEL_2025}
        numbers = [float(v) for v in mine.values() if v.replace(".", "").isdigit()]
        if 0 < len(numbers) < 10:
            break
    else:
        pytest.fail("no year with a suppressed neighbour")
    label = f"{tp[:4]}/{tp[4:]}"
    d = bm.benchmark(Warehouse(loaded), "KS2_RWM_PCT", as_at=date(2025, 8, 31), year=label)
    sn = d["statistical_neighbours"]
    assert sn["value"] == pytest.approx(statistics.mean(numbers))
    assert (sn["n_neighbours"], sn["n_without_figure"]) == (len(numbers), 10 - len(numbers))
    table = d["rows"].set_index("area_code")
    hidden = [c for c, v in mine.items() if not v.replace(".", "").isdigit()]
    assert all(math.isnan(table.loc[c, "value"]) if table.loc[c, "value"] is not None else True
               for c in hidden)
    assert all(str(table.loc[c, "missing_reason"])[:1] in "czxuk" for c in hidden)


def _rank_by_hand(name, tp, **filters):
    """1 + the number of English authorities with a strictly higher published percentage."""
    las = set(all_las(active_only=False))
    rows = _published(name, time_period=tp, geographic_level="Local authority", **filters)
    vals = {r["new_la_code"]: float(r["care_leaver_percent"]) for r in rows
            if r["new_la_code"] in las and r["care_leaver_percent"].isdigit()}
    return vals, 1 + sum(v > vals[WOLVES] for v in vals.values())


def test_rank_and_quartile_among_english_authorities_and_in_the_region(loaded):
    f = dict(care_leaver_age="19 to 21 years", breakdown="Total in education, employment or training")
    vals, rank = _rank_by_hand("la_care_leavers_activity.csv", "2025", **f)
    prev_vals, prev_rank = _rank_by_hand("la_care_leavers_activity.csv", "2024", **f)
    r = Warehouse(loaded).summary("CL_EET_PCT")["rank"]
    assert r["year"] == "2024-25"
    assert r["england"] == {"rank": rank, "of": len(vals), "quartile": math.ceil(4 * rank / len(vals))}
    assert r["previous"]["england"]["rank"] == prev_rank
    assert r["change_england"] == prev_rank - rank
    wm = [c for c in vals if c in {"E08000025", "E08000026", "E08000027", "E08000028", "E08000029",
                                   "E08000030", "E08000031", "E06000019", "E06000020", "E06000021",
                                   "E06000051", "E10000028", "E10000031", "E10000034"}]
    assert r["region"]["of"] == len(wm)
    assert r["region"]["rank"] == 1 + sum(vals[c] > vals[WOLVES] for c in wm)
    text = rank_sentence(r)
    assert text.startswith(f"2024-25: {rank}") and "English authorities" in text and "2023-24" in text


def test_ties_share_the_lowest_rank_as_dfe_ranks_them(loaded):
    d = bm.benchmark(Warehouse(loaded), "CL_EET_PCT", as_at=date(2025, 8, 31))
    t = d["rows"].dropna(subset=["value"])
    for value, group in t.groupby("value"):
        assert group.rank_england.nunique() == 1  # equal figures, equal rank
    tied = t[t.duplicated("value", keep=False)]
    assert len(tied)  # the real 2024-25 figures have ties among these authorities
    v = tied.value.iloc[0]
    vals, _ = _rank_by_hand("la_care_leavers_activity.csv", "2025", care_leaver_age="19 to 21 years",
                            breakdown="Total in education, employment or training")
    assert tied.rank_england.iloc[0] == 1 + sum(x > v for x in vals.values())


def test_lower_is_better_ranks_the_lowest_first(loaded):
    r = Warehouse(loaded).summary("STABILITY_3PLUS_PCT")["rank"]
    rows = _published("la_cla_placement_stability.csv", time_period="2025", cla_group="CLA on 31 March",
                      placement_stability="With 3 or more placements during the year",
                      geographic_level="Local authority")
    las = set(all_las(active_only=False))
    vals = [float(x["children_percent"]) for x in rows if x["new_la_code"] in las
            and x["children_percent"].isdigit()]
    mine = float(next(x for x in rows if x["new_la_code"] == WOLVES)["children_percent"])
    assert r["england"]["rank"] == 1 + sum(v < mine for v in vals)
    assert r["order"].startswith("1 = lowest")


def test_default_as_at_is_the_latest_period_with_any_figure(loaded, capsys):
    """A council that loaded only published files sees them without --as-at."""
    assert main(["show", "HEALTH_CHECKS_PCT", "--json", "--config", str(loaded.config_path)]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["as_at"] == "2025-08"  # the academic year 2024/25 ends in August 2025
    assert (s["period"], s["value"], s["numerator"], s["denominator"]) == ("2024-25", 79, 318, 401)
    assert s["comparators"]["region"]["name"] == "West Midlands"
    assert s["comparators"]["west_midlands"] == {k: s["comparators"]["region"][k] for k in ("year", "value")}
    assert main(["show", "HEALTH_CHECKS_PCT", "--config", str(loaded.config_path)]) == 0
    out = capsys.readouterr().out
    assert "West Midlands 2024-25: 84%" in out and "average of 10 neighbours" in out
    assert "English authorities" in out


def test_a_figure_is_shown_as_at_a_month_once_its_year_has_ended(loaded):
    w = Warehouse(loaded)
    assert w.summary("HEALTH_CHECKS_PCT", "2025-02")["period"] == "2023-24"
    assert w.summary("HEALTH_CHECKS_PCT", "2025-03")["period"] == "2024-25"
    assert w.summary("KS2_RWM_PCT", "2025-07")["period"] == "2023/24"


def test_the_configured_region_whichever_it_is(tmp_path):
    """Camden's rows carry Inner London: configured so, the region comparator is Inner London."""
    config = write_config(tmp_path, '[authority]\ncode = "E09000007"\nregion = "E13000001"\n')
    name = "la_care_leavers_accommodation_suitability.csv"
    checked = check_files([(name, (PUBLISHED / name).read_bytes())], config=config)
    commit_checked(checked, config=config)
    s = Warehouse(config).summary("CL_SUITABLE_ACCOM_PCT")
    inner = _published(name, time_period="2025", geographic_level="Regional", region_code="E13000001",
                       care_leaver_age="19 to 21 years", breakdown="Accommodation considered suitable")
    assert s["comparators"]["region"] == {"year": "2024-25", "name": "Inner London",
                                          "value": float(inner[0]["care_leaver_percent"])}
    assert s["rank"]["region"]["of"] > 10  # ranked among London's boroughs


def test_revised_published_figures_are_kept_as_revisions(tmp_path):
    config = write_config(tmp_path)
    name = "la_cla_swcount.csv"
    original = (PUBLISHED / name).read_bytes()
    commit_checked(check_files([(name, original)], config=config), config=config)
    lines = original.decode("utf-8-sig").splitlines()
    i = next(n for n, ln in enumerate(lines)
             if "E08000031" in ln and "3 or more social workers" in ln)
    cells = lines[i].split(",")
    first = cells[-1]
    cells[-1] = str(int(first) + 3)
    lines[i] = ",".join(cells)
    revised = ("\ufeff" + "\n".join(lines) + "\n").encode()
    checked = check_files([("la_cla_swcount_revised.csv", revised)], config=config)
    assert not checked[0].errors and checked[0].plan.counts["revised"] == 1
    report = format_report(checked, [], dry_run=True)
    assert (f"revised SW_3PLUS_PCT Wolverhampton (E08000031) 2023-24, row {i + 1}, column "
            f"percentage: {first} -> {int(first) + 3}") in report
    commit_checked(checked, config=config)
    w = Warehouse(config)
    rev = w.revisions("SW_3PLUS_PCT", "2025-03")
    assert rev.first_value.tolist() == [float(first)]
    assert rev.current_value.tolist() == [float(first) + 3]


def test_with_only_published_files_the_trend_is_the_published_years(loaded):
    """A monthly indicator with no local months draws the authority's published years."""
    s = Warehouse(loaded).series("CL_EET_PCT")
    assert s.period_label.tolist() == ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
    assert s.value.iloc[-1] == 57


def test_one_command_is_one_upload_per_file(loaded):
    """All files land together (one transaction), each its own upload in the history."""
    from tests.published.conftest import published_files
    up = Warehouse(loaded).uploads()
    loaded_names = {p.name for p in published_files()} - {
        "sn_model_2025_wide.csv", "New_Statistical_Neighbour_Groupings_April_2021.csv"}
    assert set(up.file_name) == loaded_names and len(up) == len(loaded_names)
    assert sorted(up.upload_id) == list(range(1, len(loaded_names) + 1))
