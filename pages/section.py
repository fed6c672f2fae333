"""One page per section of the board's report, driven by the catalogue: every indicator of
the section gets its trend block, every breakdown the catalogue lists gets a chart, and the
section's annual results and all-children comparisons get a table. A section added to
data/indicators.yaml gets a page here with no code.

The adoption section has its own page (pages/adoption.py), so it is skipped here.
"""
from __future__ import annotations

from functools import partial

import dash
from dash import html

from pipelines.core.catalogue import load_catalogue
from present.summary import read_summaries
from webapp import context, shell, views
from webapp.urls import check_as_at

OWN_PAGES = {"adoption"}  # sections whose page is written by hand elsewhere


def layout(slug: str, /, as_at=None, **_):
    ctx = context.current()
    asked = check_as_at(as_at, ctx.warehouse.months())
    if asked.error:
        return shell.as_at_problem(asked.error, f"/{slug}")
    return ctx.cached(("section", slug, asked.month), lambda: _build(ctx, slug, asked.month))


def _build(ctx, slug, month):
    wh, cat, config = ctx.warehouse, ctx.catalogue, ctx.config
    section = cat.section(slug)
    summaries = read_summaries(wh, section.indicators, month)
    blocks = []
    for ind in section.indicators:
        blocks.append(views.indicator_trend_block(ind, summaries[ind.code], wh, config, month))
        blocks.extend(views.breakdown_blocks(ind, wh, config, month))
    return html.Div([
        html.H1(f"{section.title} as at {month:%B %Y}", id="page-title"),
        html.P(section.summary, className="lead"),
        shell.commentary(wh.commentary(month, section.slug), "Commentary", id="section-commentary"),
        views.context_table_block(section.indicators, summaries, config),
        views.annual_table_block(section.indicators, wh, config, month,
                                 f"{section.title}: latest published results beside comparators"),
        *blocks,
    ], className="section-page")


for _order, _section in enumerate(load_catalogue().sections, start=1):
    if _section.slug in OWN_PAGES:
        continue
    dash.register_page(f"pages.section.{_section.slug}", path=f"/{_section.slug}",
                       name=_section.title, order=_order,
                       title=f"{_section.title}: looked-after children's performance",
                       layout=partial(layout, _section.slug))
