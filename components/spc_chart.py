"""The SPC (Making Data Count) chart of one monthly indicator, for the page and the board pack.

Input is the plain dict `present.spc.spc_view` gives (`points`, `limits` per point with
`mean/upper/lower/group/type/label`, `step_changes`, `variation`, `assurance`, `target`,
`baseline`, `notes`, `chart`). Special-cause points have their own marker shape and a word
in the legend and hover (never colour alone); the variation and assurance icons (Making
Data Count's, from NHSRplotthedots) sit above the plot with their words beside them. The
value axis is not forced to zero: a narrow range of percentages gets a narrow axis and the
axis title says where it starts.
"""
from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from components import theme
from components.axis import axis_title as axis_title_for
from components.axis import value_range
from components.formatting import format_value, month_label
from pipelines.core import periods

ICON_DIR = Path(__file__).resolve().parents[1] / "assets" / "spc_icons"

# Making Data Count colours, each with its own marker shape and words.
POINT_STYLES = {
    "common_cause": {"colour": "#7B7D7D", "symbol": "circle", "words": "Common cause"},
    "special_cause_improvement": {"colour": "#2B74B6", "symbol": "diamond",
                                  "words": "Special cause: improving"},
    "special_cause_concern": {"colour": "#C45A05", "symbol": "square",
                              "words": "Special cause: concerning"},
    "special_cause_neutral_high": {"colour": "#6A2C91", "symbol": "triangle-up",
                                   "words": "Special cause: higher (no better or worse)"},
    "special_cause_neutral_low": {"colour": "#6A2C91", "symbol": "triangle-down",
                                  "words": "Special cause: lower (no better or worse)"},
}
VARIATION_WORDS = {
    "common_cause": "Common cause variation",
    "special_cause_improving": "Special cause variation: improving",
    "special_cause_concerning": "Special cause variation: concerning",
    "special_cause_neither": "Special cause variation: neither improving nor concerning",
}
ASSURANCE_WORDS = {
    "pass": "Target consistently passed",
    "fail": "Target consistently failed",
    "hit_and_miss": "Target hit and miss",
}
RULE_WORDS = {
    "outside_limits": "outside a process limit",
    "shift": "run of 7 on one side of the average",
    "trend": "7 rising or falling in a row",
    "two_of_three": "2 of 3 close to a limit",
}
CHART_NAMES = {"xmr": "XmR chart", "pprime": "Laney p' chart"}


def _high_or_low(view: dict) -> str:
    last = (view.get("limits") or [{}])[-1]
    return "low" if str(last.get("kind", "")).endswith(("below", "_down", "below_limit")) else "high"


def variation_icon(view: dict) -> str | None:
    """File name (in assets/spc_icons) of the latest month's variation icon, or None."""
    v = view.get("variation")
    if v is None:
        return None
    if v == "common_cause":
        return "variation_common_cause.svg"
    kind = {"special_cause_improving": "improvement", "special_cause_concerning": "concern",
            "special_cause_neither": "neutral"}[v]
    return f"variation_{kind}_{_high_or_low(view)}.svg"


def assurance_icon(view: dict) -> str | None:
    a = view.get("assurance")
    return None if a is None else {"pass": "assurance_pass.svg", "fail": "assurance_fail.svg",
                                   "hit_and_miss": "assurance_inconsistent.svg"}[a]


@lru_cache(maxsize=16)
def icon_data_uri(name: str) -> str:
    data = (ICON_DIR / name).read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def status_words(view: dict) -> list[str]:
    """The icons' words, in the order the icons are drawn (what a screen reader reads)."""
    out = []
    if view.get("variation"):
        out.append(VARIATION_WORDS[view["variation"]])
    if view.get("assurance"):
        out.append(ASSURANCE_WORDS[view["assurance"]])
    return out


def axis_range(indicator, values: list[float]) -> tuple[float, float]:
    """Padded range of everything drawn, not forced to zero (components.axis)."""
    return value_range(values, unit=getattr(indicator, "unit", ""))


def summary_sentence(indicator, view: dict, authority_name: str) -> str:
    """One plain-English sentence for the chart's text alternative."""
    pts = view.get("points") or []
    if not pts:
        return f"No monthly figures for {authority_name} to chart." + "".join(
            f" {n[0].upper()}{n[1:]}." for n in view.get("notes", []))
    last = pts[-1]
    first_label = month_label(pd.Timestamp(pts[0]["period"] + "-01"), long=True)
    last_label = month_label(pd.Timestamp(last["period"] + "-01"), long=True)
    text = (f"{CHART_NAMES[view['chart']]} of {len(pts)} months from {first_label} to "
            f"{last_label}; latest {format_value(indicator, last['value'])}.")
    if view.get("mean") is None:
        return text + " " + " ".join(f"{n[0].upper()}{n[1:]}." for n in view.get("notes", []))
    text += f" Average {format_value(indicator, view['mean'])}"
    if view["chart"] == "xmr":
        text += (f", process limits {format_value(indicator, view['lower'])} to "
                 f"{format_value(indicator, view['upper'])}")
    text += f" (from {view['baseline']['from']} to {view['baseline']['to']})."
    text += " " + ". ".join(status_words(view)) + "."
    n_special = sum(p["special_cause"] for p in pts)
    if n_special:
        text += f" {n_special} month{'s' if n_special != 1 else ''} marked as special cause."
    return text


def table_rows(indicator, view: dict) -> list[dict]:
    """The chart's figures as rows (the table alternative): month, value, average, limits,
    and what SPC says about the month in words."""
    rows = []
    for p, lim in zip(view.get("points") or [], view.get("limits") or []):
        rows.append({
            "Month": lim["label"], "Value": format_value(indicator, p["value"]),
            "Average": format_value(indicator, lim["mean"]) if lim["mean"] is not None else "",
            "Lower limit": format_value(indicator, lim["lower"]) if lim["lower"] is not None else "",
            "Upper limit": format_value(indicator, lim["upper"]) if lim["upper"] is not None else "",
            "SPC": (POINT_STYLES[lim["type"]]["words"] + ": " +
                    ", ".join(RULE_WORDS[r] for r in p["rules"])) if p["special_cause"]
            else ("Common cause" if lim["mean"] is not None else "No limits yet"),
        })
    return rows


def _x(period: str) -> pd.Timestamp:
    return pd.Timestamp(periods.month_end(period))


def _segments(xs, ys, groups):
    """x/y lists with a break (None) between rebase groups."""
    ox, oy = [], []
    for i, (x, y) in enumerate(zip(xs, ys)):
        if i and groups[i] != groups[i - 1]:
            ox.append(None)
            oy.append(None)
        ox.append(x)
        oy.append(y)
    return ox, oy


def spc_figure(indicator, view: dict, *, authority_name: str, for_export: bool = False,
               title: str | None = None, subtitle: str | None = None,
               source: str | None = None, footnotes=()) -> go.Figure:
    """The SPC chart (see module docstring)."""
    traces: list[dict] = []   # made into one Figure at the end: adding traces
    # one by one copies the figure's traces each time (a third of the build)
    pts, lims = view.get("points") or [], view.get("limits") or []
    xs = [_x(p["period"]) for p in pts]
    ys = [p["value"] for p in pts]
    groups = [lim["group"] for lim in lims]
    drawn: list[float] = list(ys)
    if pts:
        traces.append(dict(type="scatter", 
            x=xs, y=ys, mode="lines", name=authority_name, meta={"series": "local"},
            line=dict(color=POINT_STYLES["common_cause"]["colour"], width=2),
            hoverinfo="skip", showlegend=False))
        for kind, style in POINT_STYLES.items():
            idx = [i for i, lim in enumerate(lims) if lim["type"] == kind]
            if not idx:
                continue
            hover = [f"<b>{lims[i]['label']}</b><br>{format_value(indicator, ys[i])}<br>"
                     + (style["words"] + ": " + ", ".join(RULE_WORDS[r] for r in pts[i]["rules"])
                        if pts[i]["special_cause"] else "Common cause") for i in idx]
            traces.append(dict(type="scatter", 
                x=[xs[i] for i in idx], y=[ys[i] for i in idx], mode="markers",
                name=style["words"], meta={"series": kind},
                marker=dict(color=style["colour"], symbol=style["symbol"],
                            size=8 if kind == "common_cause" else 11,
                            line=dict(width=1, color="#ffffff")),
                text=hover, hovertemplate="%{text}<extra></extra>"))
    have_limits = any(lim["mean"] is not None for lim in lims)
    if have_limits:
        for key, name, dash, width in (("mean", "Average", "solid", 2),
                                       ("upper", "Process limits", "dash", 1.5),
                                       ("lower", "Process limits", "dash", 1.5)):
            vals = [lim[key] for lim in lims]
            sx, sy = _segments(xs, vals, groups)
            drawn += [v for v in vals if v is not None]
            traces.append(dict(type="scatter", 
                x=sx, y=sy, mode="lines", name=name, meta={"series": f"spc_{key}"},
                line=dict(color=theme.TEXT_COLOUR if key == "mean" else theme.SECONDARY_TEXT,
                          dash=dash, width=width, shape="hv" if view["chart"] == "pprime" else "linear"),
                showlegend=key != "lower", connectgaps=False,
                hovertemplate=f"{name}: %{{y:.{max(int(getattr(indicator, 'decimals', 0) or 0), 1)}f}}<extra></extra>"))
    target = view.get("target")
    if target is not None and pts:
        drawn.append(float(target))
        traces.append(dict(type="scatter", 
            x=[xs[0], xs[-1]], y=[target, target], mode="lines", name="Target",
            meta={"series": "target"},
            line=dict(color=theme.SERIES_COLOURS["target"], dash="dot", width=2),
            hovertemplate=f"Target: {format_value(indicator, target)}<extra></extra>"))
    lo, hi = axis_range(indicator, drawn)
    shapes, annotations = [], []
    for s in view.get("step_changes") or []:
        if 0 < s["index"] < len(xs):
            x = xs[s["index"]] - pd.Timedelta(days=15)
            shapes.append(dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                               line=dict(color=theme.TEXT_COLOUR, width=1.5, dash="longdash")))
            annotations.append(dict(xref="x", yref="paper", x=x, y=1, yanchor="bottom",
                                    xanchor="left", showarrow=False, name="step-change",
                                    text=f"Step change {month_label(pd.Timestamp(s['month'] + '-01'))}: "
                                         f"{s['reason']}",
                                    font=dict(size=11, color=theme.TEXT_COLOUR)))
    images = []
    words = status_words(view)
    icons = [i for i in (variation_icon(view), assurance_icon(view)) if i]
    for n, name in enumerate(icons):
        images.append(dict(source=icon_data_uri(name), xref="paper", yref="paper",
                           x=1.0 + 0.01, y=1.0 - 0.2 * n, sizex=0.09, sizey=0.18,
                           xanchor="left", yanchor="top", name=name))
        annotations.append(dict(xref="paper", yref="paper", x=1.11, y=1.0 - 0.2 * n - 0.07,
                                xanchor="left", yanchor="middle", showarrow=False,
                                text="<br>".join(_wrap(words[n], 18)), align="left",
                                name="spc-status", font=dict(size=11, color=theme.TEXT_COLOUR)))
    if not pts or view.get("mean") is None:
        # no limits at all: the reason in the middle; none since a step change: in a corner
        where = (dict(x=0.5, y=0.5) if not have_limits else
                 dict(x=0.99, y=0.02, xanchor="right", yanchor="bottom", align="right"))
        annotations.append(dict(xref="paper", yref="paper", showarrow=False, **where,
                                name="no-limits", bgcolor="#ffffff",
                                text="<br>".join(_wrap("; ".join(view.get("notes") or [])
                                                       or "No limits", 70)),
                                font=dict(size=13, color=theme.SECONDARY_TEXT)))
    unit = getattr(indicator, "unit", "")
    axis_title = {"percent": "Per cent", "rate": "Per 10,000 children", "days": "Days",
                  "count": "Number", "score": "Score"}.get(unit, "")
    axis_title = axis_title_for(axis_title, lo, indicator)
    layout = dict(
        xaxis=dict(type="date", tickformat="%b<br>%Y"),
        yaxis=dict(range=[lo, hi], title=dict(text=axis_title),
                   ticksuffix="%" if unit == "percent" else ""),
        shapes=shapes, images=images, height=400,
        showlegend=True,
        legend=dict(orientation="v", x=1.01, xanchor="left", y=0.55, yanchor="top",
                    font=dict(size=11)),
        margin=dict(l=72, r=170, t=40, b=80),
        meta={"indicator": getattr(indicator, "code", ""), "chart": view.get("chart"),
              "axis_starts_at": lo},
    )
    fig = go.Figure(data=traces, layout=dict(template=theme.TEMPLATE_NAME,
                                             annotations=annotations, **layout))
    if for_export:
        title = title or f"{getattr(indicator, 'title', '')}: is it changing?"
        if subtitle is None:
            subtitle = (f"{authority_name}, {CHART_NAMES[view.get('chart') or 'xmr']} as at "
                        f"{month_label(pd.Timestamp(view['as_at'] + '-01'), long=True)}"
                        if view.get("as_at") else authority_name)
        lines = ([f"Source: {source}"] if source else []) + list(footnotes)
        if have_limits:
            lines.append("Process limits: the range nearly every month falls within when only the usual "
                         "ups and downs are at work (Making Data Count).")
        fig = theme.add_export_text(fig, title=title, subtitle=subtitle, lines=lines)
    return fig


def _wrap(text: str, width: int) -> list[str]:
    out, line = [], ""
    for w in text.split():
        if line and len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return out + ([line] if line else [])
