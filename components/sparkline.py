"""Sparklines of the last 13 months (the `sparkline` list of a summary: {period, value}).

The scorecard uses `sparkline_image`: a static SVG built here in Python and served inline
as an <img> with alt text, far lighter than a Plotly graph per row. `sparkline_figure` is
the Plotly version for places that want one. Missing months are gaps, never zero.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Any, Sequence

import plotly.graph_objects as go
from dash import html

from components import theme
from components.formatting import SUPPRESSED, format_value, is_missing, month_label

SPARKLINE_CONFIG = {"staticPlot": True, "displayModeBar": False, "displaylogo": False, "responsive": False}


def _values(points: Sequence[dict]) -> list[float | None]:
    return [None if is_missing(p.get("value")) else float(p["value"]) for p in points]


def sparkline_figure(points: Sequence[dict], *, width: int = 140, height: int = 40) -> go.Figure:
    """A tiny static line (use with `dcc.Graph(config=SPARKLINE_CONFIG)`)."""
    ys = _values(points)
    xs = [month_label(p.get("period")) for p in points]
    known = [(x, y) for x, y in zip(xs, ys) if y is not None]
    fig = go.Figure(layout=dict(template=theme.TEMPLATE_NAME))
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", connectgaps=False, hoverinfo="skip",
                             line=dict(color=theme.SERIES_COLOURS["local"], width=2)))
    if known:
        fig.add_trace(go.Scatter(x=[known[-1][0]], y=[known[-1][1]], mode="markers", hoverinfo="skip",
                                 marker=dict(color=theme.SERIES_COLOURS["local"], size=6)))
    fig.update_layout(width=width, height=height, margin=dict(l=2, r=4, t=4, b=4), showlegend=False,
                      xaxis=dict(visible=False, type="category"), yaxis=dict(visible=False))
    return fig


def sparkline_text(points: Sequence[dict], indicator=None) -> str:
    """The text alternative, e.g. 'Last 13 months: from 90% in Jan 2017 to 88% in Jan 2018
    (lowest 86%, highest 91%; 1 month with no figure).' A point marked `suppressed` (a small
    number hidden from this reader) is said to be SUPPRESSED, not just missing."""
    pairs = [(p.get("period"), v) for p, v in zip(points, _values(points))]
    known = [(p, v) for p, v in pairs if v is not None]
    n = len(points)
    hidden = sum(1 for p, v in zip(points, _values(points)) if v is None and p.get("suppressed"))
    months = lambda k: f"{k} month{'s' if k != 1 else ''}"  # noqa: E731
    if not known:
        return f"Last {n} months: no figures" + (f" ({months(hidden)} {SUPPRESSED})."
                                                 if hidden else ".")
    fmt = (lambda v: format_value(indicator, v)) if indicator is not None else (lambda v: f"{v:g}")
    (p0, v0), (p1, v1) = known[0], known[-1]
    values = [v for _, v in known]
    text = (f"Last {n} months: from {fmt(v0)} in {month_label(p0)} to {fmt(v1)} in {month_label(p1)} "
            f"(lowest {fmt(min(values))}, highest {fmt(max(values))}")
    if hidden:
        text += f"; {months(hidden)} {SUPPRESSED}"
    gaps = n - len(known) - hidden
    if gaps:
        text += f"; {months(gaps)} with no figure"
    return text + ")."


def sparkline_svg(points: Sequence[dict], *, width: int = 120, height: int = 32, label: str = "") -> str:
    """Standalone SVG markup: a polyline per run of known values (a gap breaks the line),
    the latest point dotted."""
    ys = _values(points)
    known = [y for y in ys if y is not None]
    pad = 3
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">',
             f"<title>{escape(label)}</title>"]
    if known:
        lo, hi = min(known), max(known)
        span = (hi - lo) or 1.0
        step = (width - 2 * pad) / max(len(ys) - 1, 1)

        def xy(i: int, y: float) -> tuple[float, float]:
            # a flat series sits in the middle rather than on an edge
            yy = height / 2 if hi == lo else height - pad - (y - lo) / span * (height - 2 * pad)
            return round(pad + i * step, 1), round(yy, 1)

        runs, run = [], []
        for i, y in enumerate(ys):
            if y is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(xy(i, y))
        if run:
            runs.append(run)
        colour = theme.SERIES_COLOURS["local"]
        for r in runs:
            if len(r) == 1:
                parts.append(f'<circle cx="{r[0][0]}" cy="{r[0][1]}" r="1.5" fill="{colour}"/>')
            else:
                pts = " ".join(f"{x},{y}" for x, y in r)
                parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2" '
                             f'stroke-linejoin="round" stroke-linecap="round"/>')
        last = max(i for i, y in enumerate(ys) if y is not None)
        cx, cy = xy(last, ys[last])
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline_image(points: Sequence[dict], indicator=None, *, width: int = 120, height: int = 32,
                    alt: str | None = None, **img_props: Any) -> html.Img:
    """The SVG as an <img> (data URI) whose alt text is `sparkline_text`."""
    alt = alt if alt is not None else sparkline_text(points, indicator)
    svg = sparkline_svg(points, width=width, height=height, label=alt)
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return html.Img(src=src, alt=alt, width=width, height=height, className="sparkline", **img_props)
