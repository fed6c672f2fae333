"""The benchmarking view of one indicator: every authority of the region and every statistical
neighbour by name, the authority highlighted (colour, pattern and a marker in its label, never
colour alone), the region, neighbours' average and England as labelled lines; the same figures
as a sortable, downloadable table; a one-sentence summary."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from dash import dash_table, dcc, html

from components import theme
from components.formatting import format_missing, format_value, is_missing
from components.layout import chart_block

AUTHORITY_MARK = "\u25c6 "  # a diamond before the authority's name: not told by colour alone
OTHER_COLOUR = "#b1b4b6"


def benchmark_figure(ind, rows: pd.DataFrame, *, year: str | None, region: tuple[str, float | None],
                     sn: float | None, england: float | None) -> go.Figure:
    """Horizontal bars, best first by polarity; reference lines for region, SN and England."""
    fig = go.Figure(layout=dict(template=theme.TEMPLATE_NAME))
    known = rows[rows.value.notna()] if len(rows) else rows
    if year is None or known.empty:
        fig.add_annotation(text="No published figures loaded", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
        return fig
    names = [(AUTHORITY_MARK + n) if a else (f"{n} (neighbour {int(r)})" if r == r and r is not None else n)
             for n, a, r in zip(known.name, known.is_authority, known.neighbour_rank)]
    colours = [theme.SERIES_COLOURS["local"] if a else OTHER_COLOUR for a in known.is_authority]
    patterns = ["/" if a else "" for a in known.is_authority]
    fig.add_trace(go.Bar(
        x=known.value.astype(float).tolist(), y=names, orientation="h", name=year,
        marker=dict(color=colours, pattern=dict(shape=patterns, fgcolor="#ffffff", size=7)),
        text=[format_value(ind, v) for v in known.value], textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>"))
    shapes, dashes = [], {"region": "dot", "statistical_neighbours": "dashdot", "england": "dash"}
    label_y = {"region": 1.0, "statistical_neighbours": 1.06, "england": 1.12}
    for key, label, v in (("region", region[0], region[1]),
                          ("statistical_neighbours", "Statistical neighbours' average", sn),
                          ("england", "England", england)):
        if v is None or is_missing(v):
            continue
        colour = theme.SERIES_COLOURS["west_midlands" if key == "region" else key]
        shapes.append(dict(type="line", xref="x", yref="paper", x0=v, x1=v, y0=0, y1=1,
                           line=dict(color=colour, dash=dashes[key], width=2)))
        fig.add_annotation(x=v, y=label_y[key], xref="x", yref="paper", yanchor="bottom",
                           showarrow=False, text=f"{label} {format_value(ind, v)}",
                           font=dict(size=12, color=theme.SERIES_TEXT_COLOURS[
                               "west_midlands" if key == "region" else key]))
    hi = max([float(x) for x in known.value] + [v for v in (region[1], sn, england)
                                                if v is not None and not is_missing(v)])
    fig.update_layout(
        yaxis=dict(autorange="reversed", type="category", showgrid=False, ticks=""),
        xaxis=dict(range=[0, hi * 1.2 if hi > 0 else 1],
                   ticksuffix="%" if ind.unit == "percent" else ""),
        shapes=shapes, height=140 + 28 * len(known), margin=dict(l=24, r=40, t=90, b=40),
        bargap=0.25, showlegend=False, meta={"year": year})
    return fig


def _rank_text(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(int(v))


def table_records(ind, rows: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Columns and records for the table: the figure as text (so a missing one reads 'no
    figure (c: suppressed ...)', never 0) and as a number (for sorting and download)."""
    cols = [{"name": "Area", "id": "area"}, {"name": "Group", "id": "group"},
            {"name": "Closeness (DfE)", "id": "closeness"},
            {"name": "Figure", "id": "figure"},
            {"name": "Value (number)", "id": "value", "type": "numeric"},
            {"name": "Rank in England", "id": "rank", "type": "numeric"},
            {"name": "ONS code", "id": "code"}]
    records = []
    for r in rows.itertuples():
        missing = r.value is None or is_missing(r.value)
        records.append({
            "area": (AUTHORITY_MARK + r.name) if r.is_authority else r.name,
            "group": r.group, "closeness": r.closeness or "",
            "figure": format_missing(r.missing_reason) if missing else format_value(ind, r.value),
            "value": None if missing else float(r.value),
            "rank": None if _rank_text(r.rank_england) == "" else int(r.rank_england),
            "code": r.area_code})
    return cols, records


def benchmark_table(ind, view, *, id: str) -> dash_table.DataTable:
    cols, records = table_records(ind, view.rows)
    return dash_table.DataTable(
        id=id, columns=cols, data=records, sort_action="native",
        export_format="csv", export_headers="display",
        style_data_conditional=[{"if": {"filter_query": f"{{code}} = '{c}'"}, "fontWeight": "bold"}
                                for c in view.rows.area_code[view.rows.is_authority]],
        style_cell={"textAlign": "left", "fontFamily": "inherit", "whiteSpace": "normal"},
        style_header={"fontWeight": "bold"},
        css=[{"selector": ".export", "rule": "margin: 0.5rem 0;"}],
        page_action="none")


def year_links(view, href_for) -> html.Nav | None:
    if len(view.years) < 2:
        return None
    items = []
    for y in view.years:
        items.append(html.Li(html.Strong(y, **{"aria-current": "true"}) if y == view.year
                             else dcc.Link(y, href=href_for(y))))
    return html.Nav([html.Span("Published year: "), html.Ul(items, className="inline-list")],
                    className="year-links", **{"aria-label": "Choose the published year"})


def benchmark_section(ind, view, *, href_for, heading_level: int = 2) -> html.Section:
    """Chart, summary, notes (cohort, neighbours, average) and the sortable, downloadable table."""
    fig = benchmark_figure(ind, view.rows, year=view.year,
                           region=(view.region_name, view.region_value),
                           sn=(view.sn or {}).get("value"), england=view.england_value)
    notes = [year_links(view, href_for)]
    notes += [html.P(n, className="context-note") for n in view.notes]
    table = html.Div([
        html.P("Sort by any column with the arrows in its heading; \"Export\" downloads the "
               "table as CSV. The authority is marked \u25c6 and in bold.", className="secondary"),
        benchmark_table(ind, view, id=f"benchmark-table-{ind.code}"),
    ])
    block = chart_block(fig, view.summary, table, id=f"benchmark-{ind.code}",
                        heading=f"{ind.title}: the region and statistical neighbours, {view.year or 'no year loaded'}",
                        heading_level=heading_level, notes=notes)
    # The table is the point of this view: keep it open, not folded away.
    details = block.children[-1]
    details.open = True
    return block
