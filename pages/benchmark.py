"""/indicator/<CODE>/benchmark: the region's authorities and the statistical neighbours by name,
the authority highlighted, as a chart and a sortable, downloadable table, for any loaded year."""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import dcc, html

from components.benchmark import benchmark_section
from present.benchmark import benchmark_view, rank_sentence
from webapp import context, shell
from webapp.urls import check_as_at, href


def _title(code=None, **_):
    return f"{code}: how we compare" if code else "How we compare"


# order below the indicator page's, so /indicator/X/benchmark is matched here first
dash.register_page(__name__, path_template="/indicator/<code>/benchmark", name="Benchmark",
                   title=_title, order=19)


def layout(code=None, as_at=None, year=None, **_):
    ctx = context.current()
    wh, cat = ctx.warehouse, ctx.catalogue
    if code not in cat:
        return shell.message("Indicator not found", f"There is no indicator with the code '{code}'.",
                             [("Key points: every indicator", "/")])
    ind = cat.get(code)
    asked = check_as_at(as_at, wh.months())
    if asked.error:
        return shell.as_at_problem(asked.error, f"/indicator/{code}/benchmark")
    return ctx.cached(("benchmark", code, asked.month, year),
                      lambda: _build(ctx, ind, asked, year))


def _href(code, as_at_param, year):
    q = {k: v for k, v in (("as_at", as_at_param), ("year", year)) if v}
    return f"/indicator/{code}/benchmark" + ("?" + urlencode(q) if q else "")


def _build(ctx, ind, asked, year):
    wh = ctx.warehouse
    view = benchmark_view(wh, ind, asked.month, year)
    s = wh.summary(ind.code, asked.month)
    rank = rank_sentence(s.get("rank"))
    return html.Div([
        html.P(dcc.Link(ind.title, href=href(f"/indicator/{ind.code}", asked.param)),
               className="breadcrumb"),
        html.H1(f"How {ctx.config.name} compares: {ind.title}", id="page-title"),
        html.P(f"Published figures as at {asked.month:%B %Y}: every authority in the "
               f"{view.region_name} and every statistical neighbour.", className="lead"),
        html.P([html.Strong("Rank: "), rank], id="benchmark-rank") if rank else None,
        benchmark_section(ind, view, href_for=lambda y: _href(ind.code, asked.param, y)),
        html.P(dcc.Link("Back to the indicator", href=href(f"/indicator/{ind.code}", asked.param))),
    ], className="benchmark-page")
