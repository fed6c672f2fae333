"""Bar charts and the attainment table's rows:

- `breakdown_figure`: a breakdown over time (placement types, Ofsted ratings), stacked or
  grouped, each category with a fixed colour and fill pattern (readable in greyscale);
- `comparator_bar_figure`: the authority beside its region, statistical neighbours and
  England for one published year;
- `attainment_rows`: the KS2/KS4 table's rows (looked-after children beside all local
  children and the three comparators), drawn by `components.tables.attainment_table`.

No Dash here: the exports draw these figures too.

Missing stays missing: no bar is drawn and the hover/table says "no figure (reason)".
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from components import theme
from components.formatting import (
    format_count,
    format_missing,
    format_value,
    format_value_or_reason,
    is_missing,
    month_label,
    to_date,
)
from components.timeline import frame_or_empty, month_end

COMPARATOR_KEYS = ("local", "west_midlands", "statistical_neighbours", "england")
COMPARATOR_PATTERNS = {"local": "", "west_midlands": "/", "statistical_neighbours": "x", "england": "."}


def category_label(category: str) -> str:
    """'agency_foster' -> 'Agency foster'."""
    text = str(category).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _empty_note(fig: go.Figure, text: str) -> None:
    fig.add_annotation(xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, text=text, name="empty",
                       font=dict(size=16, color=theme.SECONDARY_TEXT))


def breakdown_figure(
    indicator,
    breakdown_df: pd.DataFrame,
    *,
    authority_name: str,
    as_at=None,
    barmode: str = "stack",
    months: int | None = 13,
    labels: Mapping[str, str] | None = None,
    category_order: Sequence[str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    footnotes: Iterable[str] = (),
    for_export: bool = False,
) -> go.Figure:
    """Bars per period, one trace per category (`Warehouse.breakdown_series` frame), for the
    last `months` periods up to `as_at` (None: all). `barmode` 'stack' or 'group'."""
    df = frame_or_empty(breakdown_df)
    fig = go.Figure(layout=dict(template=theme.TEMPLATE_NAME))
    if df.empty:
        _empty_note(fig, "No figures for this breakdown yet")
        return fig
    df = df.assign(_x=pd.to_datetime(df["period_end"]).map(month_end))
    if "category" not in df.columns:
        df = df.assign(category=df["breakdown"].astype(str).str.split("=", n=1).str[-1])
    as_at_date = to_date(as_at)
    if as_at_date is not None:
        df = df[df["_x"] <= pd.Timestamp(as_at_date)]
    monthly = "period_type" not in df.columns or (df["period_type"] == "month").any()
    periods = sorted(df["_x"].unique())
    if monthly and periods:
        # every month in the window gets a slot, so an absent month is visibly empty
        periods = list(pd.date_range(periods[0], periods[-1], freq="ME"))
    if months:
        periods = periods[-months:]
    df = df[df["_x"].isin(periods)]
    if monthly:
        x_labels = [month_label(p) for p in periods]
    else:
        year_labels = df.drop_duplicates("_x").set_index("_x")["period_label"].astype(str)
        x_labels = [year_labels.get(p, month_label(p)) for p in periods]

    seen = list(dict.fromkeys(df["category"].astype(str)))
    order = list(category_order) if category_order else seen
    order = [c for c in order if c in seen] + [c for c in seen if c not in order]
    labels = dict(labels or {})
    for cat in order:
        colour, pattern = theme.category_style(cat, order)
        rows = df[df["category"] == cat].set_index("_x")
        ys, custom = [], []
        for p in periods:
            if p in rows.index:
                r = rows.loc[p]
                r = r.iloc[-1] if isinstance(r, pd.DataFrame) else r
                ys.append(None if is_missing(r["value"]) else float(r["value"]))
                frac = "" if is_missing(r.get("numerator")) or is_missing(r.get("denominator")) else \
                    f"{format_count(r['numerator'])} of {format_count(r['denominator'])}"
                custom.append([format_value_or_reason(indicator, r["value"], r.get("missing_reason")), frac])
            else:
                ys.append(None)
                custom.append([format_missing("not received"), ""])
        name = labels.get(cat, category_label(cat))
        fig.add_trace(go.Bar(
            x=x_labels, y=ys, name=name, meta={"category": cat},
            marker=dict(color=colour, pattern=dict(shape=pattern, fgcolor="#ffffff", fgopacity=0.7,
                                                   size=7, solidity=0.3, fillmode="overlay")),
            customdata=custom,
            hovertemplate=f"<b>%{{x}}</b><br>{name}: %{{customdata[0]}}<br>%{{customdata[1]}}<extra></extra>",
        ))
    unit = getattr(indicator, "unit", "")
    fig.update_layout(
        barmode="relative" if barmode == "stack" else "group",
        showlegend=True,  # too many categories for direct labels
        legend=dict(orientation="h", yanchor="top", y=-0.18, x=0, traceorder="normal"),
        xaxis=dict(type="category", tickangle=0),
        yaxis=dict(rangemode="tozero", ticksuffix="%" if unit == "percent" else ""),
        margin=dict(l=64, r=24, t=24, b=110),
        height=460,
    )
    if for_export:
        lines = ([f"Source: {source or getattr(indicator, 'source', '')}"] if (source or getattr(indicator, "source", None)) else [])
        lines += list(footnotes)
        theme.add_export_text(
            fig, title=title or getattr(indicator, "title", ""),
            subtitle=subtitle if subtitle is not None else f"{authority_name}, as at {month_label(as_at_date, long=True)}"
            if as_at_date else authority_name,
            lines=lines)
        fig.update_layout(legend=dict(y=-0.12), margin=dict(b=150 + 20 * len(lines)))
    return fig


def _pick_year(df: pd.DataFrame, year: str | None) -> str | None:
    if year is not None:
        return str(year)
    known = df[df["value"].notna()]
    if known.empty:
        return None
    with_local = known[known["comparator"] == "local"]
    pool = with_local if not with_local.empty else known
    return str(pool.sort_values("period_end").iloc[-1]["period_label"])


def comparator_bar_figure(
    indicator,
    comparators_df: pd.DataFrame,
    *,
    authority_name: str,
    region_name: str | None = None,
    year: str | None = None,
    target: float | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    footnotes: Iterable[str] = (),
    for_export: bool = False,
) -> go.Figure:
    """Horizontal bars for one published year (`period_label`, default the latest year with a
    local figure): the authority, its region (`region_name`), statistical neighbours, England."""
    names = theme.series_names(authority_name, region_name)
    df = frame_or_empty(comparators_df)
    fig = go.Figure(layout=dict(template=theme.TEMPLATE_NAME))
    year = _pick_year(df, year) if not df.empty else None
    if year is None:
        _empty_note(fig, "No published figures yet")
        return fig
    rows = df[df["period_label"].astype(str) == year]
    ys, xs, colours, patterns, texts = [], [], [], [], []
    for key in COMPARATOR_KEYS:
        match = rows[rows["comparator"] == key]
        if match.empty:
            continue
        r = match.iloc[0]
        ys.append(names[key])
        missing = is_missing(r["value"])
        xs.append(None if missing else float(r["value"]))
        texts.append(format_missing(r.get("missing_reason")) if missing else format_value(indicator, r["value"]))
        colours.append(theme.SERIES_COLOURS[key])
        patterns.append(COMPARATOR_PATTERNS[key])
    fig.add_trace(go.Bar(
        x=xs, y=ys, orientation="h", name=year,
        marker=dict(color=colours, pattern=dict(shape=patterns, fgcolor="#ffffff", fgopacity=0.7, size=7,
                                                solidity=0.3, fillmode="overlay")),
        text=texts, textposition="outside", cliponaxis=False,
        textfont=dict(color=theme.TEXT_COLOUR, size=14),
        hovertemplate="%{y} " + year + ": %{text}<extra></extra>",
    ))
    # a missing figure has no bar; say so where the bar would be
    for y, x, t in zip(ys, xs, texts):
        if x is None:
            fig.add_annotation(x=0, y=y, xref="x", yref="y", xanchor="left", showarrow=False, text=t,
                               font=dict(size=13, color=theme.SECONDARY_TEXT), name="missing")
    target = getattr(indicator, "target", None) if target is None else target
    shapes = []
    if not is_missing(target):
        shapes.append(dict(type="line", xref="x", yref="paper", x0=float(target), x1=float(target), y0=0, y1=1,
                           line=dict(color=theme.SERIES_COLOURS["target"], dash="dash", width=2)))
        fig.add_annotation(x=float(target), y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                           text=f"Target {format_value(indicator, target)}", name="label-target",
                           font=dict(size=12, color=theme.SERIES_TEXT_COLOURS["target"]))
    unit = getattr(indicator, "unit", "")
    known = [x for x in xs if x is not None] + ([float(target)] if not is_missing(target) else [])
    lo = min([0.0] + known)
    hi = max(known or [1.0])
    fig.update_layout(
        yaxis=dict(autorange="reversed", type="category", showgrid=False, ticks=""),
        xaxis=dict(range=[lo * 1.15, hi * 1.2 if hi > 0 else 1], ticksuffix="%" if unit == "percent" else "",
                   showgrid=True),
        shapes=shapes, height=80 + 56 * len(ys), margin=dict(l=24, r=40, t=36, b=40), bargap=0.35,
        meta={"year": year},
    )
    if for_export:
        src = source if source is not None else getattr(indicator, "source", None)
        theme.add_export_text(fig, title=title or getattr(indicator, "title", ""),
                              subtitle=subtitle if subtitle is not None else f"{year}: {authority_name} and comparators",
                              lines=([f"Source: {src}"] if src else []) + list(footnotes))
        fig.update_layout(height=260 + 56 * len(ys))
    return fig


# --- attainment table -----------------------------------------------------------------------

ATTAINMENT_COLUMNS = ("looked_after", "all_children", "west_midlands", "statistical_neighbours", "england")


def attainment_rows(indicators: Sequence[Any], comparator_frames: Mapping[str, pd.DataFrame], *,
                    all_children: Mapping[str, Any] | None = None, year: str | None = None) -> list[dict]:
    """One row per indicator for one year: `looked_after` (the authority's published figure),
    `all_children` (all local children, supplied by the caller as code -> value), and the
    three comparators; each cell a (value, missing_reason) pair. `year` defaults to each
    indicator's latest year with a local figure. Rows keep `year` so the table can say it."""
    rows = []
    for ind in indicators:
        df = frame_or_empty(comparator_frames.get(ind.code))
        y = _pick_year(df, year) if not df.empty else year
        row: dict[str, Any] = {"indicator": ind, "year": y}
        picked = df[df["period_label"].astype(str) == str(y)] if not df.empty and y else df.iloc[0:0]
        for key, col in (("local", "looked_after"), ("west_midlands", "west_midlands"),
                         ("statistical_neighbours", "statistical_neighbours"), ("england", "england")):
            m = picked[picked["comparator"] == key] if not picked.empty else picked
            row[col] = (None, "not published") if m.empty else (m.iloc[0]["value"], m.iloc[0].get("missing_reason"))
        ac = (all_children or {}).get(ind.code)
        row["all_children"] = (ac, None) if not isinstance(ac, tuple) else ac
        rows.append(row)
    return rows
