"""The region comparator is named after the configured authority's region, as DfE names it, on
every page and in every pack; never "West Midlands" for a council elsewhere (issue 10). The
warehouse is the one of every published file (conftest.loaded): it holds every authority."""
from __future__ import annotations

import io
import json

import dash
import openpyxl
import pytest
from docx import Document

from exports.board_pack import build_board_pack_bytes, data_bytes
from pipelines.store.queries import Warehouse
from pipelines.core.catalogue import load_catalogue
from present.summary import read_summary
from tests.published.conftest import write_config

NEWCASTLE, CAMDEN = "E08000021", "E09000007"


def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json()
                      if hasattr(o, "to_plotly_json") else str(o))


def _config(loaded, folder, code, extra=""):
    return write_config(loaded.config_path.parent / folder,
                        f'[authority]\ncode = "{code}"\n{extra}\n[warehouse]\n'
                        f'path = "{loaded.warehouse_path}"\n\n[auth]\nsecret_key = "{"cd" * 32}"\n')


@pytest.fixture(scope="module")
def north_east(loaded):
    return _config(loaded, "newcastle", NEWCASTLE)


@pytest.fixture(scope="module")
def pages(north_east):
    from app import create_app
    app = create_app(north_east)
    with app.server.test_request_context("/"):
        yield {p["path"]: p for p in dash.page_registry.values()}


def test_config_names_the_region_as_dfe_does(loaded, north_east, tmp_path):
    assert north_east.region_name == "North East"
    assert loaded.region_name == "West Midlands"  # Wolverhampton: unchanged
    assert _config(loaded, "camden", CAMDEN).region_name == "London"
    inner = _config(loaded, "camden-inner", CAMDEN, 'region = "E13000001"\n')
    assert inner.region_name == "Inner London"


def test_key_points_page_names_the_north_east(pages):
    text = _text(pages["/"]["layout"]())
    assert "West Midlands" not in text
    assert "North East" in text  # the scorecard's column heading
    row = text[text.index('"row-HEALTH_CHECKS_PCT"'):][:6000]
    assert "North East" in row  # each comparator cell says what it is (data-label)


def test_section_page_names_the_north_east(pages):
    text = _text(pages["/care-leavers"]["layout"]())
    assert "trend-CL_EET_PCT" in text
    assert "West Midlands" not in text
    assert "in the North East" in text  # the rank sentence
    assert '"name": "North East"' in text  # the trend chart's legend


def test_indicator_page_names_the_north_east(pages):
    from pages.indicator import layout
    text = _text(layout(code="STABILITY_LONG_TERM_PCT"))
    assert "West Midlands" not in text
    assert '"name": "North East"' in text  # the chart
    assert '"North East"' in text  # the comparator table's column heading


def test_summary_sentences_name_the_region(north_east):
    wh = Warehouse(north_east, load_catalogue())
    s = read_summary(wh, "HEALTH_CHECKS_PCT")
    assert s.comparator("west_midlands").name == "North East"
    assert s.store["comparators"]["region"]["name"] == "North East"


def test_word_pack_and_downloads_name_the_north_east(north_east):
    doc = Document(io.BytesIO(build_board_pack_bytes(
        north_east, None, "docx", "public", codes=["CL_EET_PCT", "HEALTH_CHECKS_PCT"])))
    texts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows
                                                for c in r.cells]
    for t in doc.tables:  # tables in the chart grid's cells too
        texts += [c2.text for r in t.rows for c in r.cells for t2 in c.tables
                  for r2 in t2.rows for c2 in r2.cells]
    joined = "\n".join(texts)
    assert "West Midlands" not in joined
    assert "North East" in joined
    csv = data_bytes(north_east, "HEALTH_CHECKS_PCT", "csv").decode("utf-8-sig")
    assert "North East" in csv and "West Midlands" not in csv
    book = openpyxl.load_workbook(io.BytesIO(build_board_pack_bytes(
        north_east, None, "xlsx", "public", codes=["CL_EET_PCT", "HEALTH_CHECKS_PCT"])))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows()
                     for c in row if c.value is not None)
    assert "North East" in cells and "West Midlands" not in cells


def test_sample_region_stays_west_midlands(loaded):
    wh = Warehouse(loaded, load_catalogue())
    s = read_summary(wh, "HEALTH_CHECKS_PCT")
    assert s.comparator("west_midlands").name == "West Midlands"
    csv = data_bytes(loaded, "HEALTH_CHECKS_PCT", "csv").decode("utf-8-sig")
    assert "West Midlands" in csv
