"""The indicator trend chart: the authority's monthly figures, each financial year's out-turn,
the published annual comparators for the years they describe, and the target.

One builder serves the page and the Word/PNG export (`for_export=True` draws the title,
subtitle, source and footnotes inside the figure), so the paper shows what the board saw.
Missing months stay gaps: the line is never joined across them and nothing is invented.
"""

from __future__ import annotations

from typing import Any, Iterable

import pandas as pd
import plotly.graph_objects as go

from components import theme
from components.axis import axis_title, value_range
from components.timeline import frame_or_empty, month_end, is_monthly, local_points
from components.formatting import (
    financial_year_label,
    format_count,
    format_missing,
    format_value,
    is_missing,
    month_label,
    to_date,
)
from pipelines.core import periods

COMPARATOR_KEYS = ("west_midlands", "statistical_neighbours", "england")
SMALL_COHORT = 20

UNIT_AXIS_TITLES = {
    "percent": "Per cent",
    "rate": "Per 10,000 children",
    "days": "Days",
    "count": "Number",
    "score": "Score",
}


# --- data preparation (pure) ------------------------------------------------------------------

def derive_outturns(series_df: pd.DataFrame, comparators_df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each financial year's out-turn: the March figure, or the year's published local figure
    where there is no March figure. Columns `x`, `year`, `value`."""
    pts = local_points(series_df)
    if pts.empty or not is_monthly(series_df):
        return pd.DataFrame(columns=["x", "year", "value"])
    march = pts[(pts["x"].dt.month == 3) & pts["value"].notna()]
    rows = [{"x": r.x, "year": financial_year_label(r.x), "value": float(r.value)} for r in march.itertuples()]
    comps = frame_or_empty(comparators_df)
    if not comps.empty and "comparator" in comps.columns:
        have = {r["year"] for r in rows}
        local = comps[(comps["comparator"] == "local") & comps["value"].notna()]
        for r in local.itertuples():
            end = month_end(r.period_end)
            if end.month == 3 and financial_year_label(end) not in have and pts["x"].min() <= end <= pts["x"].max():
                rows.append({"x": end, "year": financial_year_label(end), "value": float(r.value)})
    return pd.DataFrame(rows, columns=["x", "year", "value"]).sort_values("x").reset_index(drop=True)


def _normalise_outturns(outturns: Any) -> pd.DataFrame:
    """Accept a frame (period_end/x, period_label/year, value) or a list of dicts."""
    df = pd.DataFrame(outturns) if not isinstance(outturns, pd.DataFrame) else outturns
    if df.empty:
        return pd.DataFrame(columns=["x", "year", "value"])
    x = df["x"] if "x" in df.columns else df["period_end"]
    x = pd.to_datetime(x).map(month_end)
    year = df["year"] if "year" in df.columns else df.get("period_label", x.map(financial_year_label))
    out = pd.DataFrame({"x": x, "year": year.astype(str), "value": df["value"].astype(float)})
    return out[out["value"].notna()].sort_values("x").reset_index(drop=True)


def comparator_segments(comparators_df: pd.DataFrame | None, key: str, since=None) -> pd.DataFrame:
    """One comparator's annual figures as rows `start, end, label, value, missing_reason,
    n_neighbours`, for the years ending on or after `since` plus always the latest year."""
    df = frame_or_empty(comparators_df)
    if df.empty or "comparator" not in df.columns:
        return pd.DataFrame(columns=["start", "end", "label", "value", "missing_reason", "n_neighbours"])
    df = df[df["comparator"] == key].copy()
    df["start"] = pd.to_datetime(df["period_start"]).dt.normalize()
    df["end"] = pd.to_datetime(df["period_end"]).dt.normalize()
    df["label"] = df["period_label"].astype(str)
    for col in ("missing_reason", "n_neighbours"):
        if col not in df.columns:
            df[col] = pd.NA
    df = df.sort_values("end")
    if since is not None and not df.empty:
        latest = df[df["value"].notna()]["end"].max() if df["value"].notna().any() else df["end"].max()
        df = df[(df["end"] >= pd.Timestamp(since)) | (df["end"] == latest)]
    return df[["start", "end", "label", "value", "missing_reason", "n_neighbours"]].reset_index(drop=True)


# --- figure pieces ------------------------------------------------------------------------------

def _cohort_threshold(indicator) -> int | None:
    """The catalogue's `small_cohort` is the cohort size below which a figure is volatile
    (None: not a cohort measure); a bare True means the usual 20."""
    value = getattr(indicator, "small_cohort", None)
    if value is True:
        return SMALL_COHORT
    return int(value) if value and not is_missing(value) else None


def _none_if_missing(values: Iterable) -> list:
    return [None if is_missing(v) else float(v) for v in values]


def _hover_fraction(num, den) -> str:
    if is_missing(num) or is_missing(den):
        return ""
    return f"{format_count(num)} of {format_count(den)}"


def _local_trace(indicator, pts: pd.DataFrame, authority_name: str, monthly: bool) -> go.Scatter:
    custom = []
    for r in pts.itertuples():
        value_text = format_value(indicator, r.value) if not is_missing(r.value) else format_missing(r.missing_reason)
        status = "" if is_missing(r.status) or r.status == "final" else f" ({r.status})"
        custom.append([str(r.period_label), value_text + status, _hover_fraction(r.numerator, r.denominator)])
    provisional = ["circle-open" if (not is_missing(s) and s == "provisional") else theme.SERIES_SYMBOLS["local"]
                   for s in pts["status"]]
    return go.Scatter(
        x=list(pts["x"]),
        y=_none_if_missing(pts["value"]),
        name=authority_name,
        meta={"series": "local"},
        mode="lines+markers",
        connectgaps=False,  # a missing month is a gap, never a joined line
        line=dict(color=theme.SERIES_COLOURS["local"], dash=theme.SERIES_DASHES["local"], width=3),
        marker=dict(color=theme.SERIES_COLOURS["local"], symbol=provisional, size=7 if monthly else 10,
                    line=dict(width=2, color=theme.SERIES_COLOURS["local"])),
        customdata=custom,
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra>" + authority_name + "</extra>",
    )


def _outturn_trace(indicator, outturns: pd.DataFrame) -> go.Scatter:
    labels = [f"{r.year}: {format_value(indicator, r.value)}" for r in outturns.itertuples()]
    return go.Scatter(
        x=list(outturns["x"]),
        y=_none_if_missing(outturns["value"]),
        name="Out-turn",
        meta={"series": "outturn"},
        mode="markers+text",
        marker=dict(symbol="circle", size=14, color="#ffffff",
                    line=dict(width=3, color=theme.SERIES_COLOURS["local"])),
        text=labels,
        textposition="top center",
        textfont=dict(size=12, color=theme.SERIES_TEXT_COLOURS["local"]),
        hovertemplate="%{text} out-turn<extra></extra>",
    )


def _comparator_trace(indicator, key: str, seg: pd.DataFrame, name: str) -> go.Scatter:
    """Annual figures as short horizontal segments spanning their year, marker at the year
    end, each labelled with its year (e.g. 'England 2016-17: 50%')."""
    xs, ys, texts, sizes = [], [], [], []
    for r in seg[seg["value"].notna()].itertuples():
        label = f"{name} {r.label}: {format_value(indicator, r.value)}"
        if key == "statistical_neighbours" and not is_missing(r.n_neighbours):
            label += f" (average of {int(r.n_neighbours)})"
        xs += [r.start, r.end, None]
        ys += [float(r.value), float(r.value), None]
        texts += [label, label, ""]
        sizes += [0, 9, 0]
    return go.Scatter(
        x=xs, y=ys, name=name, meta={"series": key},
        mode="lines+markers",
        connectgaps=False,
        line=dict(color=theme.SERIES_COLOURS[key], dash=theme.SERIES_DASHES[key], width=2.5),
        marker=dict(color=theme.SERIES_COLOURS[key], symbol=theme.SERIES_SYMBOLS[key], size=sizes),
        text=texts,
        hovertemplate="%{text}<extra></extra>",
    )


def _target_trace(indicator, target: float, x0, x1) -> go.Scatter:
    label = f"Target: {format_value(indicator, target)}"
    return go.Scatter(
        x=[x0, x1], y=[float(target), float(target)], name="Target", meta={"series": "target"},
        mode="lines",
        line=dict(color=theme.SERIES_COLOURS["target"], dash=theme.SERIES_DASHES["target"], width=2),
        text=[label, label],
        hovertemplate="%{text}<extra></extra>",
    )


def _y_range(indicator, values: list[float]) -> tuple[float, float]:
    # not forced to zero for a narrow band of figures (components.axis); headroom for the
    # out-turn labels above the highest point
    floor, _ = value_range(values, unit=getattr(indicator, "unit", ""), headroom=0.15)
    vals = [v for v in values if v is not None]
    if not vals:
        return floor, _
    hi = max(vals)
    top = hi + 0.18 * ((hi - floor) or abs(hi) or 1)
    if getattr(indicator, "unit", "") == "percent" and hi <= 100:
        top = min(top, 112.0)
    return floor, top


def _spread(labels: list[dict], lo: float, hi: float, gap_fraction: float) -> list[dict]:
    """Move direct labels apart vertically so none overlap (keeps their order)."""
    if not labels:
        return labels
    gap = gap_fraction * (hi - lo)
    ordered = sorted(labels, key=lambda d: d["y"], reverse=True)
    ordered[0]["y_label"] = min(ordered[0]["y"], hi - gap / 2)
    for i in range(1, len(ordered)):
        ordered[i]["y_label"] = min(ordered[i]["y"], ordered[i - 1]["y_label"] - gap)
    shortfall = (lo + gap / 2) - ordered[-1]["y_label"]
    if shortfall > 0:
        for d in ordered:
            d["y_label"] += shortfall
    return ordered


def _year_bands(x0: pd.Timestamp, x1: pd.Timestamp) -> tuple[list[dict], list[dict]]:
    """Light dividers at each 1 April with the financial year named above the plot."""
    shapes, notes = [], []
    first = periods.financial_year_start(x0).year
    for year in range(first, x1.year + 1):
        start, end = pd.Timestamp(year, 4, 1), pd.Timestamp(year + 1, 3, 31)
        if end < x0 or start > x1:
            continue
        if start > x0:
            shapes.append(dict(type="line", xref="x", yref="paper", x0=start, x1=start, y0=0, y1=1,
                               line=dict(color=theme.GRID_COLOUR, width=1.5, dash="dot"), layer="below"))
        mid = max(start, x0) + (min(end, x1) - max(start, x0)) / 2
        notes.append(dict(xref="x", yref="paper", x=mid, y=1.0, yanchor="bottom", showarrow=False,
                          text=periods.year_label(year), font=dict(size=12, color=theme.SECONDARY_TEXT),
                          name="financial-year"))
    return shapes, notes


# --- the figure ---------------------------------------------------------------------------------

def trend_figure(
    indicator,
    series_df: pd.DataFrame,
    comparators_df: pd.DataFrame | None,
    *,
    authority_name: str,
    as_at,
    region_name: str | None = None,
    outturns: pd.DataFrame | list[dict] | None = None,
    target: float | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    footnotes: Iterable[str] = (),
    for_export: bool = False,
) -> go.Figure:
    """The trend chart for one indicator (see module docstring). `series_df` and
    `comparators_df` are the frames of `Warehouse.series` / `Warehouse.comparators`;
    `outturns` overrides the derived March out-turns; `target` overrides `indicator.target`;
    `region_name` names the region comparator (Config.region_name)."""
    names = theme.series_names(authority_name, region_name)
    pts = local_points(series_df)
    monthly = is_monthly(series_df)
    as_at_date = to_date(as_at)
    fig = go.Figure(layout=dict(template=theme.TEMPLATE_NAME))

    outs = derive_outturns(series_df, comparators_df) if outturns is None else _normalise_outturns(outturns)
    target = getattr(indicator, "target", None) if target is None else target

    since = pts["x"].min() if not pts.empty else None
    segments = {k: comparator_segments(comparators_df, k, since) for k in COMPARATOR_KEYS}
    segments = {k: s for k, s in segments.items() if s["value"].notna().any()}

    xs = list(pts["x"]) + [d for s in segments.values() for d in list(s["start"]) + list(s["end"])]
    if as_at_date is not None and monthly:
        xs.append(pd.Timestamp(as_at_date))
    x0, x1 = (min(xs), max(xs)) if xs else (None, None)

    labels: list[dict] = []
    if not pts.empty:
        fig.add_trace(_local_trace(indicator, pts, authority_name, monthly))
        known = pts[pts["value"].notna()]
        if not known.empty:
            last = known.iloc[-1]
            labels.append({"series": "local", "y": float(last["value"]),
                           "text": f"<b>{authority_name}</b><br>{last['period_label']}: {format_value(indicator, last['value'])}"})
    if not outs.empty:
        fig.add_trace(_outturn_trace(indicator, outs))
    for key, seg in segments.items():
        fig.add_trace(_comparator_trace(indicator, key, seg, names[key]))
        latest = seg[seg["value"].notna()].iloc[-1]
        labels.append({"series": key, "y": float(latest["value"]),
                       "text": f"{names[key]}<br>{latest['label']}: {format_value(indicator, latest['value'])}"})
    if not is_missing(target) and x0 is not None:
        fig.add_trace(_target_trace(indicator, target, x0, x1))
        labels.append({"series": "target", "y": float(target), "text": f"Target<br>{format_value(indicator, target)}"})

    all_y = [y for tr in fig.data for y in (tr.y or ()) if y is not None]
    lo, hi = _y_range(indicator, all_y)

    annotations = []
    for d in _spread(labels, lo, hi, gap_fraction=0.11):
        annotations.append(dict(
            xref="paper", x=1.0, xanchor="left", xshift=8, yref="y", y=d["y_label"], yanchor="middle",
            text=d["text"], showarrow=False, align="left", name=f"label-{d['series']}",
            font=dict(size=12, color=theme.SERIES_TEXT_COLOURS[d["series"]]),
        ))

    shapes = []
    if monthly and x0 is not None:
        shapes, year_notes = _year_bands(pd.Timestamp(x0), pd.Timestamp(x1))
        annotations += year_notes

    if pts.empty and not segments:
        annotations.append(dict(xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                                text="No figures for this indicator yet", name="empty",
                                font=dict(size=16, color=theme.SECONDARY_TEXT)))

    unit = getattr(indicator, "unit", "")
    margin = dict(l=64, r=175, t=36, b=48)
    layout = dict(
        xaxis=dict(type="date", tickformat="%b<br>%Y" if monthly else "%Y",
                   range=[pd.Timestamp(x0) - pd.Timedelta(days=15), pd.Timestamp(x1) + pd.Timedelta(days=15)] if x0 is not None else None),
        yaxis=dict(range=[lo, hi], title=dict(text=axis_title(UNIT_AXIS_TITLES.get(unit, ""), lo, indicator)),
                   ticksuffix="%" if unit == "percent" else ""),
        shapes=shapes,
        height=400,
        meta={"indicator": getattr(indicator, "code", ""), "as_at": str(as_at_date or "")},
    )

    if not monthly and not pts.empty:
        layout["xaxis"].update(tickmode="array", tickvals=list(pts["x"]),
                               ticktext=[str(v) for v in pts["period_label"]], tickformat=None)

    if for_export:
        title = title or getattr(indicator, "title", "")
        if subtitle is None:
            subtitle = f"{authority_name}, monthly figures as at {month_label(as_at_date, long=True)}" if monthly \
                else f"{authority_name}, annual figures"
        source = source if source is not None else getattr(indicator, "source", None)
        notes = list(footnotes)
        if segments:
            notes.append(f"{names['west_midlands']}, statistical neighbours and England are published annual figures, "
                         "drawn across the year they describe.")
        if not outs.empty:
            notes.append("Ringed points are the financial year's out-turn (March).")
        last_den = pts["denominator"].dropna()
        threshold = _cohort_threshold(indicator)
        if threshold and not last_den.empty and last_den.iloc[-1] < threshold:
            notes.append(f"Small numbers (fewer than {threshold} children): one child changes the percentage a lot.")
        if pts["value"].isna().any():
            notes.append(f"Gaps in the line are {'months' if monthly else 'years'} with no figure.")
        bottom_lines = ([f"Source: {source}"] if source else []) + notes
        fig.update_layout(margin=margin, annotations=annotations, **layout)
        return theme.add_export_text(fig, title=title, subtitle=subtitle, lines=bottom_lines)

    fig.update_layout(margin=margin, annotations=annotations, **layout)
    return fig
