"""Issue 10's "done when": a config naming only Wolverhampton (E08000031), every published file
loaded, shows on /, the section pages and the indicator pages its published 2021-2025 figures
with West Midlands, DfE's statistical neighbours, England and its rank (pages built server-side
in the app, as a request would build them)."""
from __future__ import annotations

import json

import dash
import pytest

from tests.published.conftest import write_config


def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json()
                      if hasattr(o, "to_plotly_json") else str(o))


@pytest.fixture(scope="module")
def app(loaded):
    from app import create_app
    # the same warehouse, with a secret key for the server's sessions
    folder = loaded.config_path.parent
    cfg = write_config(folder / "app", '[authority]\ncode = "E08000031"\n\n[warehouse]\n'
                       f'path = "{loaded.warehouse_path}"\n\n[auth]\nsecret_key = "{"ab" * 32}"\n')
    return create_app(cfg)


@pytest.fixture
def pages(app):
    with app.server.test_request_context("/"):
        yield {p["path"]: p for p in dash.page_registry.values()}


def test_key_points_show_published_figures_comparators_and_rank(pages):
    text = _text(pages["/"]["layout"]())
    row = text[text.index('"row-HEALTH_CHECKS_PCT"') - 6000: text.index('"row-HEALTH_CHECKS_PCT"')]
    # 2024-25: Wolverhampton 79% (318 of 401), West Midlands 84%, neighbours 93% (92.7), England 90%
    for part in ('"79%"', "318 of 401", '"84%"', '"93%"', '"90%"', "rank 141 of 151", "2024-25"):
        assert part in row, part
    assert "No figures are loaded" not in text


def test_section_pages_show_rank_neighbours_and_like_for_like(pages):
    text = _text(pages["/care-leavers"]["layout"]())
    assert "trend-CL_EET_PCT" in text
    assert "English authorities" in text and "in the West Midlands" in text
    assert "simple average of 10 of 10 neighbours" in text
    assert "19 to 21" in text and "Like for like" in text
    assert "/indicator/CL_EET_PCT/benchmark" in text


def test_indicator_page_shows_2021_to_2025_with_every_comparator(pages):
    from pages.indicator import layout
    text = _text(layout(code="STABILITY_LONG_TERM_PCT"))
    assert '"76%"' in text and "139 of 183" in text  # 2024-25, checked by hand in the CSV
    for year in ("2020-21", "2021-22", "2022-23", "2023-24", "2024-25"):
        assert year in text, year
    assert "Statistical neighbours" in text and "West Midlands" in text and "England" in text
    assert "Rank: " in text and "English authorities" in text


def test_benchmark_page_names_the_region_and_the_neighbours(pages):
    from pages.benchmark import layout
    text = _text(layout(code="CL_EET_PCT"))
    for name in ("Sandwell", "Stoke-on-Trent", "Kingston upon Hull, City of", "North East Lincolnshire",
                 "Staffordshire", "Herefordshire, County of", "Very close", "DfE's statistical-neighbour model (2025)"):
        assert name in text, name
    assert "\\u25c6 Wolverhampton" in text  # (json-escaped) highlighted by a marker, not by colour alone
    assert '"sort_action": "native"' in text and '"export_format": "csv"' in text
    older = _text(layout(code="CL_EET_PCT", year="2021-22"))
    assert "the region and statistical neighbours, 2021-22" in older


def test_benchmark_address_is_its_own_page(app):
    from dash._pages import _path_to_page
    page, variables = _path_to_page("indicator/CL_EET_PCT/benchmark")
    assert page["module"] == "pages.benchmark" and variables == {"code": "CL_EET_PCT"}
    page, variables = _path_to_page("indicator/CL_EET_PCT")
    assert page["module"] == "pages.indicator" and variables == {"code": "CL_EET_PCT"}
    assert app.server.test_client().get("/indicator/CL_EET_PCT/benchmark").status_code == 200
