"""Issue 15: a chart's table alternative is sent when its reader opens "Show the figures as a
table", not with the page (the tables were 94% of a section page's components). Each chart
still has one; opened, it holds the same figures the page used to send, suppressed for those
who may not see small numbers."""
from __future__ import annotations

import json

import dash
import pytest
from dash import html

from app import create_app
from components.formatting import format_value_or_reason
from components.layout import FIGURES_TABLE, FIGURES_TABLE_BODY
from webapp import context, views
from webapp.audience import FULL, PUBLIC


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, (list, tuple)):
        for c in children:
            if c is not None:
                yield from _walk(c)
    elif isinstance(children, str):
        yield children
    elif children is not None and not isinstance(children, (int, float)):
        yield from _walk(children)


def _text(node) -> str:
    return " ".join(n for n in _walk(node) if isinstance(n, str))


def _rows(table: html.Table) -> list[list[str]]:
    body = next(n for n in _walk(table) if isinstance(n, html.Tbody))
    return [[_text(c) for c in tr.children] for tr in body.children]


@pytest.fixture(scope="module")
def app(sample_config):
    return create_app(sample_config)


def _layout(path, **kwargs):
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    return page["layout"](**kwargs)


def test_section_page_sends_one_closed_table_per_chart_and_no_table_rows(app):
    with app.server.test_request_context("/"):
        page = _layout("/placements", as_at="2026-05")
    nodes = list(_walk(page))
    charts = [n for n in nodes if isinstance(n, html.Section) and "chart-block" in
              (n.className or "") and str(getattr(n, "id", "")).startswith(("trend-", "breakdown-"))]
    lazy = [n for n in nodes if isinstance(n, html.Details)
            and isinstance(n.id, dict) and n.id["type"] == FIGURES_TABLE]
    assert len(charts) >= 7 and len(lazy) == len(charts)  # every chart keeps its table
    assert all(n.children[0].children == "Show the figures as a table" for n in lazy)
    assert not any(isinstance(n, (html.Tr, html.Td)) for c in charts for n in _walk(c))
    assert sum(1 for _ in nodes) < 600  # about 3,200 when every table was sent


def test_opened_trend_table_has_every_month_and_the_warehouse_figure(app, sample_config):
    with app.server.test_request_context("/"):
        ctx = context.current()
        with ctx.warehouse.building_for(FULL):
            table = views.figures_table("REVIEWS_ON_TIME_PCT|trend|2026-05", ctx.warehouse,
                                        ctx.catalogue)
            s = ctx.warehouse.summary("REVIEWS_ON_TIME_PCT", "2026-05")
            series = ctx.warehouse.series("REVIEWS_ON_TIME_PCT", "2026-05")
    rows = _rows(table)
    local = series[series["comparator"] == "local"] if "comparator" in series else series
    assert {r[0] for r in rows} >= set(local["period_label"].astype(str))
    assert rows[0][0] == "May 2026"  # newest first, as at May
    ind = app.server.config[context._KEY].catalogue.get("REVIEWS_ON_TIME_PCT")
    assert rows[0][1] == format_value_or_reason(ind, s["value"], s["missing_reason"])


def test_opened_breakdown_table_names_its_categories(app):
    with app.server.test_request_context("/"):
        ctx = context.current()
        table = views.figures_table("PLACEMENT_TYPE|placement_type|2026-05", ctx.warehouse,
                                    ctx.catalogue)
    assert isinstance(table, html.Table) and table.id == "table-PLACEMENT_TYPE-placement_type"
    head = _text(next(n for n in _walk(table) if isinstance(n, html.Thead)))
    assert head.startswith("Month") and "foster" in head.lower()
    assert _rows(table)[0][0] == "May 2026"


def test_anonymous_readers_get_small_numbers_suppressed_in_the_opened_table(app):
    with app.server.test_request_context("/"):
        ctx = context.current()
        with ctx.warehouse.building_for(PUBLIC):
            public = _rows(views.figures_table("ADOPTIONS_NUMBER|trend|2026-05", ctx.warehouse,
                                               ctx.catalogue))
        with ctx.warehouse.building_for(FULL):
            full = _rows(views.figures_table("ADOPTIONS_NUMBER|trend|2026-05", ctx.warehouse,
                                             ctx.catalogue))
    assert [p[0] for p in public] == [f[0] for f in full]
    hidden = [(p, f) for p, f in zip(public, full) if "fewer than 5" in p[1]]
    assert hidden, "the sample has adoption counts of 1 to 4 (or months giving them away)"
    assert all(f[1].isdigit() for _, f in hidden)  # the signed-in see the number



def test_a_made_up_key_says_why_there_is_no_table(app):
    with app.server.test_request_context("/"):
        ctx = context.current()
        for key, words in [("NOPE|trend|2026-05", "no indicator"),
                           ("PLACEMENT_TYPE|colour|2026-05", "no chart by"),
                           ("PLACEMENT_TYPE|trend|2099-01", "no figures as at"),
                           ("PLACEMENT_TYPE", "No month")]:
            out = views.figures_table(key, ctx.warehouse, ctx.catalogue)
            assert isinstance(out, html.P) and words in out.children, key


def test_opening_asks_the_server_for_that_table_once(app):
    """The callback as the browser calls it: the details' first click (or Enter on its
    summary) fills the body and switches click counting off."""
    key = "REVIEWS_ON_TIME_PCT|trend|2026-05"
    body = {"output": "..{\"key\":[\"MATCH\"],\"type\":\"figures-table-body\"}.children..."
                      "{\"key\":[\"MATCH\"],\"type\":\"figures-table\"}.disable_n_clicks..",
            "outputs": [{"id": {"type": FIGURES_TABLE_BODY, "key": key}, "property": "children"},
                        {"id": {"type": FIGURES_TABLE, "key": key},
                         "property": "disable_n_clicks"}],
            "inputs": [{"id": {"type": FIGURES_TABLE, "key": key}, "property": "n_clicks",
                        "value": 1}],
            "changedPropIds": [json.dumps({"key": key, "type": FIGURES_TABLE},
                                          separators=(",", ":")) + ".n_clicks"],
            "state": []}
    r = app.server.test_client().post("/_dash-update-component", json=body)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    answer = r.get_json()["response"]
    table = answer[json.dumps({"key": key, "type": FIGURES_TABLE_BODY}, separators=(",", ":"))]
    assert table["children"]["type"] == "Table"
    assert "May 2026" in json.dumps(table)
    assert answer[json.dumps({"key": key, "type": FIGURES_TABLE}, separators=(",", ":"))] \
        == {"disable_n_clicks": True}
