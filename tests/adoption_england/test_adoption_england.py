"""Issue 12 item 5: England's published adoption averages load and show beside ours.

DfE's national file writes averages as "yy:mm" (years:months). Its stage 4 is England's A1
for one year; its stage 2 starts at the council's decision, not the court's authority, so
it is not A2, and nothing in it is A10: those are "not loaded", never filled in."""
from __future__ import annotations

import math
from pathlib import Path

import dash
import pytest
from dash import html

from app import create_app
from cli import main
from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import load_config
from pipelines.sources.adoption_published import years_months_as_days
from pipelines.sources.ingest import parse_file
from pipelines.store.queries import Warehouse
from pipelines.uploads import check_files, commit_checked
from tests.adoption.test_adoption_pipeline import CONFIG, ROWS, csv_bytes
from tests.components.conftest import walk
from tests.ingest.conftest import FakeConfig
from webapp.views import england_table_block

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "published"
FILE = SHARED / "national_cla_adopted_average_time_between_adoption_process_stages.csv"
CAT = load_catalogue()
needs_file = pytest.mark.skipif(not FILE.exists(), reason="../shared/published not beside the repo")


def text_of(node) -> str:
    return " ".join(n for n in walk(node) if isinstance(n, str))


def test_years_and_months_read_as_days():
    assert years_months_as_days("01:07") == (578.0, None)  # 19 months x 30.4375 = 578.3
    assert years_months_as_days("00:10") == (304.0, None)
    assert years_months_as_days("02:03") == (822.0, None)
    v, reason = years_months_as_days("c")
    assert math.isnan(v) and reason.startswith("c")  # a DfE symbol: missing with its reason
    for text in ("578", "01:13", "1 year 7 months"):
        v, reason = years_months_as_days(text)
        assert math.isnan(v) and "years:months" in reason, text


@needs_file
def test_the_national_file_gives_england_s_a1_for_each_year():
    pf = parse_file(FILE.read_bytes(), FILE.name, catalogue=CAT, config=FakeConfig())
    assert not pf.errors and pf.kind == "published"
    got = {(r.indicator_code, r.area_code, r.period_label): r.value for r in pf.frame.itertuples()}
    # checked by hand against the file's "4. Total average time between entry into care and
    # date placed for adoption", age "Total": 2025 01:07, 2024 01:07, 2023 01:07, 2022 01:06,
    # 2021 01:04 (years ending 31 March)
    assert got == {("A1_DAYS_1YR", "E92000001", "2024-25"): 578.0,
                   ("A1_DAYS_1YR", "E92000001", "2023-24"): 578.0,
                   ("A1_DAYS_1YR", "E92000001", "2022-23"): 578.0,
                   ("A1_DAYS_1YR", "E92000001", "2021-22"): 548.0,
                   ("A1_DAYS_1YR", "E92000001", "2020-21"): 487.0}


@needs_file
def test_a_cell_that_is_not_years_months_is_refused_with_its_row():
    text = FILE.read_text(encoding="utf-8-sig").splitlines()
    i = next(n for n, line in enumerate(text) if line.startswith("2024,") and
             "4. Total average time between entry into care and date placed" in line
             and line.endswith(",Total,01:07"))
    text[i] = text[i][: -len("01:07")] + "578"
    pf = parse_file("\n".join(text).encode(), FILE.name, catalogue=CAT, config=FakeConfig())
    assert [(p.row, p.column) for p in pf.errors] == [(i + 1, "number")]
    assert "years:months" in pf.errors[0].message


@needs_file
def test_the_adoption_page_shows_england_beside_our_figures(wolves_config, tmp_path):
    local = tmp_path / "adoption_figures.csv"
    local.write_text("Indicator Code,Month,Value\nA1_DAYS_1YR,Jan-25,601\nA2_DAYS_1YR,Jan-25,230\n")
    assert main(["ingest", str(FILE), str(local), "--config", str(wolves_config.config_path)]) == 0
    wh = Warehouse(wolves_config)
    s = wh.summary("A1_DAYS_1YR", "2025-01")
    assert s["comparators"]["england"] == {"year": "2023-24", "value": 578}
    block = england_table_block(CAT.section("adoption").indicators, wh,
                                wh.resolve_as_at("2025-01"), "Adoption beside England")
    text = text_of(block)
    assert "601 days (Jan 2025)" in text and "578 days (2023-24)" in text
    # no England A2 or A10 in the file: said, never filled in from stage 2
    rows = {r[0]: r for r in _rows(block)}
    assert rows[CAT.get("A2_DAYS_1YR").title][2] == "not loaded"
    assert rows[CAT.get("A10_DAYS_1YR").title][2] == "not loaded"
    assert "good to about 15 days" in text


def _rows(block):
    out = []
    for node in walk(block):
        if isinstance(node, html.Tr):
            out.append([c.children for c in node.children])
    return out


def test_the_adoption_page_itself_has_the_england_table(tmp_path):
    # The page as drawn (records loaded, England hand-keyed from the scorecard): the table
    # that used to never render (adoption codes are monthly) now shows England's figures.
    cfg = load_config(CONFIG).with_warehouse(tmp_path / "w.duckdb")
    eng = b"indicator,year,area,value\nA1_DAYS_3YR,2016-17,England,520\nA2_DAYS_3YR,2016-17,England,220\n"
    checked = check_files([("adoption_records.csv", csv_bytes(ROWS)), ("england.csv", eng)],
                          config=cfg)
    assert all(c.errors == [] for c in checked)
    commit_checked(checked, config=cfg)
    app = create_app(cfg)
    with app.server.app_context():
        layout = dash.page_registry["pages.adoption"]["layout"](as_at="2018-01")
    text = text_of(layout)
    assert "Adoption: our latest figures beside England" in text
    assert "520 days (2016-17)" in text and "220 days (2016-17)" in text
    assert "560 days" in text  # our own A1 (worked out by hand in test_adoption_pipeline)
