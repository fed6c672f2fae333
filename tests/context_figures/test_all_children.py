"""Issue 12 item 3: all-children context figures are data, loaded like any figure (their own
indicators, with area, year and source), shown beside the looked-after children's figure,
and absent when not loaded: never prose in the catalogue (which carried Wolverhampton's 2016
figures beside every authority's figures of every year)."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cli import main
from exports.content import build_item, comparison_rows
from pipelines.core.catalogue import CatalogueError, load_catalogue
from pipelines.store.queries import Warehouse
from tests.components.conftest import walk
from tools.sample.build import SAMPLE_DIR
from webapp.views import annual_table_block, context_table_block, indicator_trend_block
from present.summary import IndicatorSummary, read_summaries


def typed(s: dict) -> IndicatorSummary:
    return IndicatorSummary.from_store(CAT.get(s["code"]), s)

HERE = Path(__file__).parent / "files"
REPORT = Path(__file__).resolve().parents[1] / "reference_report" / "files"
CAT = load_catalogue()


def text_of(node) -> str:
    return " ".join(n for n in walk(node) if isinstance(n, str))


def _ingest(cfg, *files):
    assert main(["ingest", *map(str, files), "--config", str(cfg.config_path)]) == 0


def test_the_catalogue_holds_codes_not_figures():
    for ind in CAT:
        if ind.context:
            assert ind.context in CAT, ind.code
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*", ind.context), ind.code
            other = CAT.get(ind.context)
            assert other.unit == ind.unit and other.polarity == "none"
    assert CAT.get("KS2_RWM_PCT").context == "ALL_PUPILS_KS2_RWM_PCT"
    assert CAT.get("DENTAL_CHECKS_PCT").context == "ALL_CHILDREN_DENTIST_PCT"
    # shown beside their looked-after figure, not as tiles of their own
    assert "ALL_PUPILS_KS2_RWM_PCT" not in [i.code for i in CAT.section("education").indicators]


def test_a_sentence_with_a_figure_is_refused(tmp_path):
    src = Path(CAT.path).read_text(encoding="utf-8")
    bad = src.replace("context: ALL_CHILDREN_FEMALE_PCT",
                      'context: "48.8% of all children in the area are female (ONS 2016)."', 1)
    assert bad != src
    (tmp_path / "i.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(CatalogueError) as e:
        load_catalogue(tmp_path / "i.yaml")
    msg = str(e.value)  # names the indicator, the field and the prose it refused
    assert "CLA_FEMALE_PCT" in msg and "context" in msg and "48.8% of all children" in msg


@pytest.fixture
def report_only(wolves_config):
    """The report's looked-after figures, without any all-children figures."""
    _ingest(wolves_config, REPORT / "wolverhampton_comparators.csv",
            REPORT / "wolverhampton_local_extract.csv")
    return wolves_config


def test_not_loaded_means_not_shown(report_only):
    wh = Warehouse(report_only)
    s = wh.summary("KS2_RWM_PCT", "2018-01")
    assert s["value"] == 37 and s["all_children"] is None
    block = annual_table_block(CAT.section("education").indicators, wh, report_only,
                               wh.resolve_as_at("2018-01"), "Results")
    text = text_of(block)
    assert "53%" not in text and "2016: 53" not in text  # no catalogue figure slips in
    assert "Where the all-children figures come from" not in text
    trend = text_of(indicator_trend_block(CAT.get("KS2_RWM_PCT"), typed(s), wh, report_only,
                                          wh.resolve_as_at("2018-01")))
    assert "All children" not in trend


def test_loaded_figures_show_with_their_year_and_source(report_only):
    _ingest(report_only, HERE / "wolverhampton_all_children.csv")
    wh = Warehouse(report_only)
    s = wh.summary("KS2_RWM_PCT", "2018-01")
    assert s["all_children"] == {
        "code": "ALL_PUPILS_KS2_RWM_PCT", "title": CAT.get("ALL_PUPILS_KS2_RWM_PCT").title,
        "year": "2016", "value": 53, "source": CAT.get("ALL_PUPILS_KS2_RWM_PCT").source}
    as_at = wh.resolve_as_at("2018-01")
    table = annual_table_block(CAT.section("education").indicators, wh, report_only, as_at,
                               "Results")
    text = text_of(table)
    assert "53%" in text and "-0.13" in text
    assert "47.7" not in text  # no looked-after Attainment 8 figure loaded: no row to pair it with
    assert "All pupils in the area: Key Stage 2 reading, writing and maths: 2016" in text
    note = text_of(indicator_trend_block(CAT.get("KS2_RWM_PCT"), typed(s), wh, report_only, as_at))
    assert "53% (2016; DfE Key Stage 2" in note
    # the board pack says the same
    item = build_item(wh, "KS2_RWM_PCT", as_at, figures=False)
    assert ["All children in the area", "2016", "53%", ""] in comparison_rows(item, "Wolverhampton")
    # the report gives no year for the 60% who saw a dentist, so none is loaded or shown
    assert wh.summary("DENTAL_CHECKS_PCT", "2018-01")["all_children"] is None


def test_an_all_children_figure_is_only_set_beside_the_same_year(report_only, tmp_path):
    later = tmp_path / "later.csv"
    later.write_text("indicator,year,area,value\nALL_PUPILS_KS2_RWM_PCT,2017,Wolverhampton,61\n")
    _ingest(report_only, later)
    wh = Warehouse(report_only)
    as_at = wh.resolve_as_at("2018-01")
    rows = text_of(annual_table_block(CAT.section("education").indicators, wh, report_only,
                                      as_at, "Results"))
    assert "61%" not in rows  # the looked-after figure is for 2016; 2017's is not its pair


def test_monthly_measures_beside_all_children(report_only, tmp_path):
    extract = tmp_path / "female.csv"
    extract.write_text("Indicator Code,Month,Value\nCLA_FEMALE_PCT,Jan-18,43.1%\n")
    _ingest(report_only, extract, HERE / "wolverhampton_all_children.csv")
    wh = Warehouse(report_only)
    inds = CAT.section("population").indicators
    summaries = read_summaries(wh, inds, "2018-01")
    text = text_of(context_table_block(inds, summaries, report_only))
    assert "43.1%" in text and "48.8% (2016)" in text and "ONS mid-year" in text
    # looked-after BME not loaded: the row says so beside the all-children figure
    assert "no figure" in text and "41.6% (2016)" in text


def test_the_sample_carries_synthetic_all_children_figures_marked_as_such():
    f = pd.read_csv(SAMPLE_DIR / "all_children_synthetic.csv", dtype=str)
    assert f.iloc[-1, 0].startswith("Synthetic: made-up figures")
    codes = set(f["indicator"].iloc[:-1])
    assert {i.context for i in CAT if i.context} <= codes
    assert set(f["area"].iloc[:-1]) == {"Sample Borough"}
    # nothing of Wolverhampton's: the report's 2016 figures are not the sample's
    wolves = pd.read_csv(HERE / "wolverhampton_all_children.csv", dtype=str).iloc[:-1]
    pairs = set(zip(wolves.indicator, wolves.year, wolves.value))
    assert not pairs & set(zip(f.indicator, f.year, f.value))
