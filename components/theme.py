"""The one Plotly template ("lacdash") and the fixed look of every series.

The same comparator has the same colour, marker and dash on every chart, on screen and in
exports, so a board member learns it once. Nothing relies on colour alone: each series also
has its own marker symbol and line dash.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from components.names import SERIES_NAMES, comparator_name

# UK Government Analysis Function categorical palette.
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]

TEXT_COLOUR = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"
GRID_COLOUR = "#e5e5e5"
AXIS_COLOUR = "#b1b4b6"
FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'

SERIES_KEYS = ("local", "west_midlands", "statistical_neighbours", "england", "target")

SERIES_COLOURS = {
    "local": "#12436D",
    "west_midlands": "#28A197",
    "statistical_neighbours": "#801650",
    "england": "#F46A25",
    "target": "#3D3D3D",
}

# Text drawn in a series colour must reach 4.5:1 on white; two palette colours only reach
# 3:1 (enough for lines and markers, not for words), so their labels use a darker shade.
SERIES_TEXT_COLOURS = {
    "local": "#12436D",
    "west_midlands": "#176b63",
    "statistical_neighbours": "#801650",
    "england": "#a8431a",
    "target": "#3D3D3D",
}

SERIES_SYMBOLS = {
    "local": "circle",
    "west_midlands": "square",
    "statistical_neighbours": "diamond",
    "england": "triangle-up",
    "target": "line-ew",
}

SERIES_DASHES = {
    "local": "solid",
    "west_midlands": "dot",
    "statistical_neighbours": "dashdot",
    "england": "longdash",
    "target": "dash",
}

# Breakdown categories (placement types, Ofsted ratings) get a fixed colour and a fill pattern
# so stacked bars read in greyscale print too. Unknown categories take the next free slot.
CATEGORY_COLOURS = [
    "#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1", "#2073BC", "#6BACE6",
]
CATEGORY_PATTERNS = ["", "/", "\\", "x", ".", "-", "|", "+"]
KNOWN_CATEGORIES = [
    # placement types, in the order the report lists them
    "in_house_foster", "agency_foster", "friends_and_family", "residential",
    "placed_for_adoption", "placed_with_parents", "independent", "other",
    # Ofsted ratings
    "outstanding", "good", "requires_improvement", "inadequate", "not_yet_inspected",
]

EXPORT_WIDTH = 1000
EXPORT_HEIGHT = 560


def series_names(authority_name: str, region_name: str | None = None) -> dict[str, str]:
    """SERIES_NAMES with the local authority's own name and its region's (Config.region_name)."""
    return {**SERIES_NAMES, "local": authority_name,
            "west_midlands": comparator_name("west_midlands", region_name=region_name)}


def category_style(category: str, order: list[str] | None = None) -> tuple[str, str]:
    """(colour, pattern shape) for a breakdown category, stable across charts."""
    key = category.strip().lower()
    known = [c for c in KNOWN_CATEGORIES if c in key]
    if known:
        i = KNOWN_CATEGORIES.index(known[0])
        i = i if i < 8 else i - 8  # ratings restart the palette
    elif order and category in order:
        i = order.index(category)
    else:
        i = sum(map(ord, key))  # deterministic, never random
    return CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)], CATEGORY_PATTERNS[i % len(CATEGORY_PATTERNS)]


def _template() -> go.layout.Template:
    axis = dict(
        showgrid=True, gridcolor=GRID_COLOUR, gridwidth=1, zeroline=False,
        showline=True, linecolor=AXIS_COLOUR, ticks="outside", tickcolor=AXIS_COLOUR,
        title=dict(font=dict(size=13, color=SECONDARY_TEXT)), automargin=True,
        fixedrange=True,  # no accidental zoom on a tablet
    )
    return go.layout.Template(
        layout=go.Layout(
            font=dict(family=FONT_STACK, size=14, color=TEXT_COLOUR),
            colorway=PALETTE,
            paper_bgcolor="#ffffff",
            plot_bgcolor="#ffffff",
            xaxis={**axis, "showgrid": False},
            yaxis=axis,
            showlegend=False,  # direct labels instead
            legend=dict(orientation="h", yanchor="top", y=-0.15, x=0, font=dict(size=13)),
            hoverlabel=dict(bgcolor="#ffffff", bordercolor=TEXT_COLOUR, font=dict(family=FONT_STACK, size=14, color=TEXT_COLOUR)),
            hovermode="closest",
            margin=dict(l=56, r=24, t=24, b=48),
            bargap=0.25,
            title=dict(font=dict(size=19, color=TEXT_COLOUR), x=0, xanchor="left"),
        ),
        data=dict(
            scatter=[go.Scatter(line=dict(width=2.5), marker=dict(size=7))],
            bar=[go.Bar(marker=dict(line=dict(width=0)))],
        ),
    )


TEMPLATE_NAME = "lacdash"
pio.templates[TEMPLATE_NAME] = _template()

GRAPH_CONFIG = {
    "displaylogo": False,
    "displayModeBar": False,
    "scrollZoom": False,
    "doubleClick": False,
    "showTips": False,
    "responsive": True,
}


def add_export_text(fig: go.Figure, *, title: str, subtitle: str | None = None,
                    lines: list[str] = ()) -> go.Figure:
    """Draw the title, subtitle, and source/footnote lines inside the figure for print and
    export (on screen these are HTML around the chart). Annotations are named "title",
    "subtitle", "source" (a line starting "Source:") and "footnote"."""
    lines = list(lines)
    margin = fig.layout.margin
    left = max(margin.l or 0, 72)
    fig.update_layout(
        margin=dict(t=110, b=70 + 20 * len(lines), l=left),
        width=EXPORT_WIDTH,
        height=EXPORT_HEIGHT + 20 * len(lines),
    )
    common = dict(xref="paper", yref="paper", x=0, xanchor="left", xshift=-(left - 8), showarrow=False, align="left")
    fig.add_annotation(**common, y=1, yanchor="bottom", yshift=52, text=f"<b>{title}</b>", name="title",
                       font=dict(size=20, color=TEXT_COLOUR))
    if subtitle:
        fig.add_annotation(**common, y=1, yanchor="bottom", yshift=28, text=subtitle, name="subtitle",
                           font=dict(size=14, color=SECONDARY_TEXT))
    for i, line in enumerate(lines):
        fig.add_annotation(**common, y=0, yanchor="top", yshift=-48 - 20 * i, text=line,
                           name="source" if line.startswith("Source:") else "footnote",
                           font=dict(size=12, color=SECONDARY_TEXT))
    return fig
