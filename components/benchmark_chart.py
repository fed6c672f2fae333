"""The benchmarking chart of one indicator (pure: no Dash): every authority of the region and
every statistical neighbour by name, the authority highlighted (colour, pattern and a marker in
its label, never colour alone), the region, neighbours' average and England as labelled lines;
and the same figures as table records (text for reading, numbers for sorting and download)."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from components import theme
from components.formatting import format_missing, format_value, is_missing

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
