"""Views the pages are made of, driven by the catalogue: an indicator's trend block, its
breakdown blocks (any indicator with `breakdowns:` gets them), the annual-results table and
the "beside all children" table of a section. Each chart comes with a heading that says what
it shows, a one-sentence summary and a table alternative (components.layout.chart_block).

The pure helpers at the top (`all_children_text`, `breakdown_summary`, `breakdown_rows`)
are unit-tested; the view functions only fetch and wire. All-children figures come from the
warehouse (`IndicatorSummary.all_children`, the catalogue's `context` indicator), with their year
and source, and are absent when not loaded.
"""
from __future__ import annotations

import pandas as pd
from dash import MATCH, Input, Output, dcc, html, no_update
from dash import ctx as dash_ctx

from components.downloads import chart_downloads
from components.bar_chart import attainment_rows, breakdown_figure, category_label
from components.formatting import format_count, format_value_or_reason, is_missing, month_label
from components.layout import (FIGURES_TABLE, FIGURES_TABLE_BODY, chart_block,
                               small_cohort_warning)
from components.scorecard import indicator_href
from components.tables import attainment_table, data_table
from components.trend_chart import trend_figure
from present.benchmark import cohort_notes, rank_sentence, sn_average_sentence
from present.blocks import trend_block
from present.breakdowns import BREAKDOWN_MONTHS, breakdown_charts
from present.summary import IndicatorSummary
from webapp import context
from webapp.urls import check_as_at



# ------------------------------------------------------------------ pure helpers
def _month_text(as_at) -> str | None:
    return as_at.strftime("%Y-%m") if hasattr(as_at, "strftime") else as_at


def all_children_text(ind, all_children: dict | None) -> str | None:
    """'48.8% (2016; ONS mid-year population estimates)': the loaded all-children figure
    with its year and source; None when none is loaded."""
    if not all_children:
        return None
    return (f"{ind.format_value(all_children['value'])} ({all_children['year']}; "
            f"{all_children['source']})")


def _window(frame: pd.DataFrame, months: int) -> pd.DataFrame:
    ends = sorted(pd.to_datetime(frame["period_end"]).unique())[-months:]
    return frame[pd.to_datetime(frame["period_end"]).isin(ends)]


def breakdown_rows(indicator, frame: pd.DataFrame, categories: list[str],
                   months: int = BREAKDOWN_MONTHS) -> list[list[str]]:
    """Table rows, newest first: period, then each category's value (with 'n of d' when
    known); a category with no row that month reads 'no figure'."""
    if frame.empty:
        return []
    frame = _window(frame, months)
    rows = []
    for end, grp in sorted(frame.groupby(pd.to_datetime(frame["period_end"])), key=lambda g: g[0],
                           reverse=True):
        cells = [str(grp["period_label"].iloc[0])]
        for cat in categories:
            m = grp[grp["category"] == cat]
            if m.empty:
                cells.append("no figure")
                continue
            r = m.iloc[-1]
            text = format_value_or_reason(indicator, r["value"], r["missing_reason"])
            if not is_missing(r["value"]) and not is_missing(r["numerator"]) and not is_missing(r["denominator"]):
                text += f" ({format_count(r['numerator'])} of {format_count(r['denominator'])})"
            cells.append(text)
        rows.append(cells)
    return rows


def breakdown_summary(indicator, frame: pd.DataFrame, dimension_label: str) -> str:
    """One sentence on the latest month of a breakdown, e.g. 'In October 2026, by check
    type: initial 94% (29 of 31) and review 90% (360 of 400).'"""
    if frame.empty:
        return f"There are no figures by {dimension_label} yet."
    last_end = pd.to_datetime(frame["period_end"]).max()
    latest = frame[pd.to_datetime(frame["period_end"]) == last_end]
    parts = []
    for r in latest.itertuples():
        text = f"{category_label(r.category).lower()} {format_value_or_reason(indicator, r.value, r.missing_reason)}"
        if not is_missing(r.value) and not is_missing(r.numerator) and not is_missing(r.denominator):
            text += f" ({format_count(r.numerator)} of {format_count(r.denominator)})"
        parts.append(text)
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    when = month_label(latest["period_label"].iloc[0], long=True)
    sentence = f"In {when}, by {dimension_label}: {listed}."
    if indicator.unit == "count":
        known = latest[latest["value"].notna()]
        if len(known):
            top = known.sort_values("value", ascending=False).iloc[0]
            sentence += f" The largest group is {category_label(top['category']).lower()}."
    return sentence


def _table(caption: str, headers: list[str], rows: list[list[str]], id: str | None = None) -> html.Table:
    return html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(h, scope="col", className="num" if i else None)
                            for i, h in enumerate(headers)])),
        html.Tbody([html.Tr([html.Th(r[0], scope="row")] + [html.Td(c, className="num") for c in r[1:]])
                    for r in rows]),
    ], className="data-table", **({"id": id} if id else {}))


# ------------------------------------------------------------------ figures tables
# Every chart's table alternative is sent when its reader opens "Show the figures as a
# table" (components.layout.figures_table_details), not with the page (issue 15).
TREND = "trend"


def table_key(code: str, chart: str, as_at) -> str:
    """'HEALTH_CHECKS_PCT|trend|2026-05', or the breakdown dimension instead of 'trend'."""
    return f"{code}|{chart}|{_month_text(as_at)}"


def trend_table(ind, wh, as_at) -> html.Table:
    """A trend chart's figures: every month of the local series (components.tables)."""
    return data_table(ind, wh.series(ind.code, as_at), id=f"table-{ind.code}")


def breakdown_table(ind, chart) -> html.Table:
    """A breakdown chart's figures (present.breakdowns.BreakdownChart), newest first."""
    cats = chart.categories
    return _table(f"{ind.title} by {chart.label}, newest first",
                  ["Month"] + [category_label(c) for c in cats],
                  breakdown_rows(chart.shown_as, chart.frame, cats, chart.months),
                  id=f"table-{ind.code}-{chart.dimension}")


def figures_table(key: str, wh, catalogue):
    """The table for `table_key(...)`, read through `wh` (the audience's figures), or a
    sentence saying why there is none (the key comes from the browser)."""
    code, _, rest = str(key).partition("|")
    chart, _, month = rest.partition("|")
    try:
        ind = catalogue.get(code)
    except LookupError:
        return html.P(f"There is no indicator {code!r}.", className="message")
    asked = check_as_at(month, wh.months())
    if asked.error or not month:
        return html.P(asked.error or "No month given.", className="message")
    if chart == TREND:
        return trend_table(ind, wh, asked.month)
    if chart in (ind.breakdowns or ()):
        for bd in breakdown_charts(ind, wh.breakdown_series(ind.code, asked.month)):
            if bd.dimension == chart:
                return breakdown_table(ind, bd)
    return html.P(f"{ind.title} has no chart by {chart!r} as at {asked.param}.",
                  className="message")


def register_callbacks(app) -> None:
    """Fill a figures table when its <details> is first opened, then stop counting clicks
    (a click inside the open table must not send it again). Not kept: the figures they
    read are kept per warehouse version already, and a table takes milliseconds."""
    @app.callback(Output({"type": FIGURES_TABLE_BODY, "key": MATCH}, "children"),
                  Output({"type": FIGURES_TABLE, "key": MATCH}, "disable_n_clicks"),
                  Input({"type": FIGURES_TABLE, "key": MATCH}, "n_clicks"),
                  prevent_initial_call=True)
    def _open_figures_table(n_clicks):
        if not n_clicks:
            return no_update, no_update
        key = str(dash_ctx.triggered_id["key"])
        ctx = context.current()
        return figures_table(key, ctx.warehouse, ctx.catalogue), True


# ------------------------------------------------------------------ views
def indicator_trend_block(ind, summary: IndicatorSummary, wh, config, as_at, *, link: bool = True,
                          heading_level: int = 2) -> html.Section:
    """Trend chart (out-turns, comparators, target), summary sentence and figures table."""
    series = wh.series(ind.code, as_at)
    comps = wh.comparators(ind.code, as_at) if ind.comparators else None
    block = trend_block(ind, summary, series, comps, None, config.name)  # what the pack prints
    fig = trend_figure(ind, series, comps, authority_name=config.name, as_at=as_at,
                       region_name=config.region_name, target=summary.target)
    notes = []
    beside = all_children_text(ind, summary.all_children)
    if beside:
        notes.append(html.P([html.Strong("All children in the area: "), beside],
                            className="context-note"))
    if summary.small_cohort:
        notes.append(small_cohort_warning(summary.denominator, ind.small_cohort or 20))
    notes += comparison_notes(ind, summary, config, as_at)
    if link:
        notes.append(html.P(dcc.Link(f"More about {ind.title[:1].lower() + ind.title[1:]}",
                                     href=indicator_href(ind.code, as_at), className="more-link")))
    notes.append(chart_downloads(ind.code, _month_text(as_at), label=f"the {ind.title} chart"))
    return chart_block(fig, block.text, None, table_key=table_key(ind.code, TREND, as_at),
                       id=f"trend-{ind.code}", heading=block.headline,
                       heading_level=heading_level, notes=notes)


def comparison_notes(ind, summary: IndicatorSummary, config, as_at) -> list:
    """Rank and quartile, what the neighbours' average rests on, like-for-like notes and the
    link to the benchmarking view (issue 10), for an indicator with published comparators."""
    if not ind.comparators:
        return []
    notes = []
    rank = rank_sentence(summary.rank)
    if rank:
        notes.append(html.P([html.Strong("Rank: "), rank], className="context-note rank-note"))
    sn = summary.comparator("statistical_neighbours")
    text = sn_average_sentence(sn.store if sn else None, len(config.statistical_neighbours))
    if text:
        notes.append(html.P(text, className="context-note"))
    for note in cohort_notes(ind):
        notes.append(html.P([html.Strong("Like for like: "), note], className="context-note cohort-note"))
    if ind.published:
        notes.append(html.P(dcc.Link(
            "Compare with every authority in the region and each statistical neighbour",
            href=f"/indicator/{ind.code}/benchmark" + (f"?as_at={_month_text(as_at)}" if _month_text(as_at) else ""),
            className="more-link")))
    return notes


def breakdown_blocks(ind, wh, config, as_at, *, heading_level: int = 2) -> list[html.Section]:
    """One chart per breakdown dimension the catalogue lists and the warehouse holds, drawn as
    present.breakdowns decides (the board pack draws the same charts)."""
    if not ind.breakdowns:
        return []
    blocks = []
    for chart in breakdown_charts(ind, wh.breakdown_series(ind.code, as_at)):
        shown, part, cats = chart.shown_as, chart.frame, chart.categories
        fig = breakdown_figure(shown, part, authority_name=config.name, as_at=as_at,
                               barmode=chart.barmode, months=chart.months, category_order=cats)
        blocks.append(chart_block(fig, breakdown_summary(shown, part, chart.label), None,
                                  table_key=table_key(ind.code, chart.dimension, as_at),
                                  id=f"breakdown-{ind.code}-{chart.dimension}".replace("_", "-"),
                                  heading=chart.heading, heading_level=heading_level,
                                  notes=[chart_downloads(ind.code, _month_text(as_at),
                                                         chart=chart.kind,
                                                         label=f"the {chart.heading} chart")]))
    return blocks


def annual_table_block(indicators, wh, config, as_at, title: str) -> html.Section | None:
    """Annual results (e.g. KS2/KS4, absence) beside all local children and the comparators."""
    annual = [i for i in indicators if i.frequency == "A" and i.comparators]
    if len(annual) < 2:
        return None
    frames = {i.code: wh.comparators(i.code, as_at) for i in annual}
    if all(f.empty for f in frames.values()):
        return None
    rows = attainment_rows(annual, frames)
    notes = []
    for row in rows:  # all children in the area, for the same year as the row (when loaded)
        ind = row["indicator"]
        if not ind.context:
            continue
        years = {str(r.period_label): (r.value, r.missing_reason)
                 for r in wh.series(ind.context, as_at).itertuples()}
        row["all_children"] = years.get(str(row["year"]), (None, "not loaded"))
        if str(row["year"]) in years:
            other = wh.catalogue.get(ind.context)
            notes.append(f"{other.title}: {row['year']}, {other.source}")
    return html.Section([
        html.H2(title, id="annual-table-heading"),
        html.P("Looked-after children's latest published results beside all children in the area "
               f"and looked-after children in {config.region_name}, similar areas and England.",
               className="chart-summary"),
        html.Div(attainment_table(rows, authority_name=config.name, region_name=config.region_name,
                                  id="annual-table"), className="table-wrap"),
        html.Details([html.Summary("Where the all-children figures come from"),
                      html.Ul([html.Li(n) for n in notes])], className="chart-table") if notes else None,
    ], className="chart-block", id="annual-table-block", **{"aria-labelledby": "annual-table-heading"})


def context_table_block(indicators, summaries: dict[str, IndicatorSummary], config) -> html.Section | None:
    """Monthly measures with an all-children figure (e.g. sex, ethnicity): looked-after
    children beside all children in the area."""
    rows = []
    for ind in indicators:
        a = summaries[ind.code].all_children if ind.frequency == "M" else None
        if not a:  # no all-children figure loaded: nothing to set beside it
            continue
        s = summaries[ind.code]
        value = format_value_or_reason(ind, s.value, s.missing_reason)
        when = month_label(s.period) if s.period else ""
        rows.append([ind.title, f"{value} ({when})" if when else value,
                     f"{ind.format_value(a['value'])} ({a['year']})", a["source"]])
    if not rows:
        return None
    return html.Section([
        html.H2("Looked-after children beside all children in the area", id="context-table-heading"),
        html.P("How the looked-after population compares with all children living in the area.",
               className="chart-summary"),
        html.Div(_table("Looked-after children beside all children in the area",
                        ["Measure", "Looked-after children", "All children", "Source of the all-children figure"],
                        rows, id="context-table"), className="table-wrap"),
    ], className="chart-block", id="context-table-block", **{"aria-labelledby": "context-table-heading"})


def england_table_block(indicators, wh, as_at, title: str) -> html.Section | None:
    """Measures published for England once a year beside our latest figure (the adoption
    scorecard: monthly here, annual for England), each labelled with its own period. Only
    indicators whose catalogue lists an England comparator; absent when nothing is loaded."""
    rows = []
    for ind in indicators:
        if "ENG" not in ind.comparators:
            continue
        s = wh.summary(ind.code, as_at)
        eng = (s.get("comparators") or {}).get("england")
        local = format_value_or_reason(ind, s.get("value"), s.get("missing_reason"))
        rows.append([ind.title,
                     f"{local} ({s['period']})" if s.get("period") else local,
                     (f"{format_value_or_reason(ind, eng['value'], eng.get('missing_reason'))} "
                      f"({eng['year']})") if eng else "not loaded"])
    if not rows or all(r[1].startswith("no figure") and r[2] == "not loaded" for r in rows):
        return None
    return html.Section([
        html.H2(title, id="england-table-heading"),
        html.P("Our latest figure beside England's latest published year, each with its period. "
               "England's single-year A1 from DfE's national adoption file is published in years "
               "and months, so in days it is good to about 15 days either way.",
               className="chart-summary"),
        html.Div(_table(title, ["Measure", "Latest figure here", "England"], rows,
                        id="england-table"), className="table-wrap"),
    ], className="chart-block", id="england-table-block",
        **{"aria-labelledby": "england-table-heading"})
