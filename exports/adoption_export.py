"""The adoption page's charts as PNG/SVG and the data behind them as XLSX/CSV, public (default)
or private, built from the warehouse with the same builders the page uses.

Charts: `rolling` (A1 and A10 3-year averages by month against the threshold), `dots` (one dot
per child adopted in a window) and `waiting` (children waiting by time in care and stage).

Public mode: an average worked out from 1 to 4 children and a count of 1 to 4 are shown as
"fewer than 5"; where one cell of a waiting band is hidden the next smallest is hidden too so
the band's total cannot give it back; and no child's own wait is published when fewer than 5
children were adopted in the window.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from components import adoption_charts as ac
from components import theme
from components.formatting import FEWER_THAN, SUPPRESSED_SECONDARY, month_label
from exports import images
from exports.base import ExportInputError, header_lines, resolve_as_at
from exports.suppression import NOTE, PRIVATE, PUBLIC, SUPPRESSED, check_mode, is_small, \
    suppress_frame
from exports.tables_export import to_csv_bytes, to_xlsx_bytes
from pipelines.measures import adoption
from present.adoption import adoption_days, thresholds

CHARTS = ("rolling", "dots", "waiting")
DATA_FORMATS = ("xlsx", "csv")
MIN_CHILDREN = 5  # public papers never show one child's wait in a group smaller than this
CONFIDENTIAL = "CONFIDENTIAL: includes small numbers. Not for publication."
NO_RECORDS = ("No adoption records are loaded, so there is no {what} to export. Load the "
              "adoption records file (columns " + ", ".join(adoption.ADOPTION_COLUMNS) +
              ") with `lacdash ingest adoption.csv` or on the upload page.")
HIDDEN_NAME = f"Stages of {FEWER_THAN} children, together"
# A figure hidden only so that a band's total cannot give back a hidden one.
NOT_SHOWN = SUPPRESSED_SECONDARY
WRAP = 135  # characters of a 12 px source line across the export width


@dataclass
class AdoptionChart:
    """One adoption chart as at a month, after suppression: what the image and file hold."""
    chart: str
    title: str
    subtitle: str
    as_at: date
    mode: str
    figure: go.Figure
    data: pd.DataFrame
    source: str
    notes: list[str] = field(default_factory=list)


def _check(value: str, allowed, what: str) -> str:
    v = (value or "").lower().lstrip(".")
    if v not in allowed:
        raise ExportInputError(f"Unknown adoption {what} '{value}': use {', '.join(allowed)}")
    return v


def _children(wh, what: str) -> pd.DataFrame:
    days = adoption_days(wh)
    if days is None:
        raise ExportInputError(NO_RECORDS.format(what=what))
    return days


def _thresholds(wh):
    return thresholds(wh.catalogue)


def _long(d) -> str:
    return pd.Timestamp(d).strftime("%-d %B %Y")


def _records_source(wh) -> str:
    return f"{wh.config.name} adoption team's child-level records (pseudonymous)"


# ---------------------------------------------------------------- rolling 3-year A1 and A10

def _series(wh, code: str, d: date, mode: str) -> pd.DataFrame:
    frame = wh.series(code, d)
    if code in wh.catalogue:
        return suppress_frame(frame, wh.catalogue.get(code), mode)
    frame = frame.copy()
    frame["suppressed"] = False
    return frame


def _flags(frame: pd.DataFrame) -> dict:
    if frame.empty:
        return {}
    return dict(zip(pd.to_datetime(frame["period_end"]).astype("datetime64[us]"),
                    frame["suppressed"].astype(bool)))


def rolling_chart(wh, d: date, mode: str) -> AdoptionChart:
    a1 = _series(wh, "A1_DAYS_3YR", d, mode)
    a10 = _series(wh, "A10_DAYS_3YR", d, mode)
    thresholds = _thresholds(wh)
    frame = ac.rolling_frame(a1, a10, lambda m: adoption.thresholds_for(thresholds, m)["A1"])
    gone1, gone10 = _flags(a1), _flags(a10)
    hid1 = [bool(gone1.get(p, False)) for p in frame["period_end"]]
    hid10 = [bool(gone10.get(p, False)) for p in frame["period_end"]]

    def cell(v, hidden):
        return SUPPRESSED if hidden else (None if pd.isna(v) else round(float(v)))
    data = pd.DataFrame({
        "Month": frame["period_label"].astype("str"),
        "A1 3-year average (days)": [cell(v, h) for v, h in zip(frame["a1"], hid1)],
        "A10 3-year average (days)": [cell(v, h) for v, h in zip(frame["a10"], hid10)],
        "Threshold (days)": [None if pd.isna(v) else int(v) for v in frame["threshold"]],
        "Children adopted in the 3 years": [
            SUPPRESSED if (h and (pd.isna(n) or is_small(n))) else (None if pd.isna(n) else int(n))
            for n, h in zip(frame["children"], hid1)],
    })
    fig = ac.rolling_figure(frame)
    notes = []
    if any(hid1) or any(hid10):
        notes.append("Months whose average is worked out from fewer than 5 children are not "
                     "shown (gaps), so that no child can be identified.")
    if any(pd.isna(v) and not h for v, h in zip(frame["a1"], hid1)):
        notes.append("Gaps in the lines are months with no figure.")
    src = wh.catalogue.get("A1_DAYS_3YR").source if "A1_DAYS_3YR" in wh.catalogue else \
        _records_source(wh)
    return AdoptionChart(
        "rolling", "A1 and A10 3-year averages against the threshold",
        f"{wh.config.name}, as at {month_label(d, long=True)}: days from entering care to "
        "adoptive family, 3-year averages by month",
        d, mode, fig, data, src, notes)


# ---------------------------------------------------------------- one dot per child

def dots_chart(wh, d: date, mode: str, window: str = "three_year") -> AdoptionChart:
    window = _check(window, tuple(ac.WINDOWS), "window")
    days = _children(wh, "child-by-child chart")
    card = adoption.scorecard(days, d, _thresholds(wh))
    w, t = card["A1"][window], card["A1"]["threshold"]
    dots = ac.child_dots(days, w["start"], w["end"], t)
    label = w["label"] if w["end"] != d else f"{w['label']} (to {_long(d)})"
    title = "How long each adopted child waited (A1)"
    subtitle = (f"{wh.config.name}: children adopted in {label}; days from entering care to "
                "adoptive family")
    n = len(dots)
    if mode == PUBLIC and 0 < n < MIN_CHILDREN:
        message = (f"Fewer than {MIN_CHILDREN} children were adopted in {label}: their "
                   "individual waits are not published, so that no child can be identified.")
        fig = ac.child_dots_figure(dots.iloc[0:0], t)
        fig.layout.annotations = [a for a in fig.layout.annotations
                                  if a.text != "No children adopted in these years"]
        fig.add_annotation(xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                           text=message.replace(": ", ":<br>", 1), font=dict(size=16))
        fig.layout.shapes = []
        fig.update_xaxes(showticklabels=False, showgrid=False, ticks="")
        fig.update_yaxes(showticklabels=False, showgrid=False, ticks="")
        fig.update_layout(showlegend=False)
        data = pd.DataFrame({"Note": [message]})
        return AdoptionChart("dots", title, subtitle, d, mode, fig, data, _records_source(wh),
                             [f"Children adopted: {FEWER_THAN}, so not shown one by one."])
    data = pd.DataFrame({
        "Child (numbered in this file only)": dots["child"].astype("int64"),
        "Adopted (month of adoption order)": [month_label(m) for m in dots["adopted_month"]],
        "Age entering care": dots["age_band"].astype("str"),
        "A1 days": dots["a1_days"],
        f"Within {t} days": ["Yes" if x else "No, over" for x in dots["within"]],
        "Adopted by foster carers": ["Yes" if x else "No" for x in dots["foster_carers"]],
        "A10 days": dots["a10_days"],
        "A2 days": dots["a2_days"],
    })
    notes = [f"Threshold {t} days. Open shapes are children adopted by their foster carers "
             "(their A10 wait stops when they moved in with them).",
             "No child is identified: children are numbered by length of wait, ages are banded."]
    return AdoptionChart("dots", title, subtitle, d, mode, ac.child_dots_figure(dots, t), data,
                         _records_source(wh), notes)


# ---------------------------------------------------------------- children waiting

def suppress_counts(counts: pd.DataFrame, mode: str = PUBLIC) -> pd.DataFrame:
    """`waiting_counts` as object cells: counts of 1 to 4 become "fewer than 5" (public), and
    where a band has exactly one hidden stage the next smallest non-zero one becomes "not
    shown", so the band's total cannot give the hidden one back. Private mode returns plain counts."""
    out = counts.astype(object)
    if check_mode(mode) == PRIVATE:
        return out
    cols = list(ac.STAGES) + ["total"]
    for band, row in counts.iterrows():
        hide = {c for c in cols if is_small(row[c])}
        stages_hidden = hide & set(ac.STAGES)
        if len(stages_hidden) == 1 and "total" not in hide:
            rest = [(row[s], s) for s in ac.STAGES if s not in hide and row[s] > 0]
            if rest:
                hide.add(min(rest)[1])
        for c in hide:
            out.at[band, c] = SUPPRESSED if is_small(row[c]) else NOT_SHOWN
    return out


def _waiting_figure(shown: pd.DataFrame, counts: pd.DataFrame) -> go.Figure:
    """The page's stacked bars with hidden stages drawn as one grey block per band (their sum
    is what the band's total less its shown stages gives anyway); bands of fewer than 5 are
    labelled, not drawn."""
    visible = counts.copy()
    hidden_sum = []
    for band in counts.index:
        hid = [s for s in ac.STAGES if shown.at[band, s] in (SUPPRESSED, NOT_SHOWN)]
        for s in hid:
            visible.at[band, s] = 0
        total_hidden = shown.at[band, "total"] == SUPPRESSED
        hidden_sum.append(0 if total_hidden else int(sum(counts.at[band, s] for s in hid)))
    fig = ac.waiting_figure(visible)
    if any(hidden_sum):
        fig.add_trace(go.Bar(x=list(counts.index), y=hidden_sum, name=HIDDEN_NAME,
                             marker=dict(color="#b1b4b6", pattern=dict(shape="x", fgcolor="#505a5f",
                                                                       size=7, solidity=0.3))))
    for band in counts.index:
        if shown.at[band, "total"] == SUPPRESSED:
            fig.add_annotation(x=band, y=0, yanchor="bottom", showarrow=False,
                               text=SUPPRESSED.replace(" (", "<br>(", 1), font=dict(size=13))
    fig.update_yaxes(dtick=None)
    return fig


def waiting_chart(wh, d: date, mode: str) -> AdoptionChart:
    days = _children(wh, "children-waiting chart")
    t = adoption.thresholds_for(_thresholds(wh), d)["A1"]
    counts = ac.waiting_counts(adoption.children_waiting(days, d), t)
    shown = suppress_counts(counts, mode)
    data = pd.DataFrame({"Time since entering care": list(counts.index),
                         **{ac.STAGE_LABELS[s]: list(shown[s]) for s in ac.STAGES},
                         "All": list(shown["total"])})
    notes = [f"Children in care with adoption planned but not yet adopted on {_long(d)}, by the "
             "stage reached."]
    if mode == PUBLIC and (shown == SUPPRESSED).any().any():
        notes.append(f"Stages of {FEWER_THAN} children (and, where a total would give one "
                     f"back, the next smallest) are drawn together in grey; bands of {FEWER_THAN} "
                     "children are not drawn; so no child can be identified.")
    fig = _waiting_figure(shown, counts) if mode == PUBLIC else ac.waiting_figure(counts)
    return AdoptionChart(
        "waiting", "Children waiting to be adopted, and for how long",
        f"{wh.config.name}, as at {_long(d)}: children by time since entering care and stage",
        d, mode, fig, data, _records_source(wh), notes)


# ---------------------------------------------------------------- bytes

def adoption_chart(wh, chart: str, as_at=None, mode: str = PUBLIC, *,
                   window: str = "three_year") -> AdoptionChart:
    """The chart and its data as at a month ("YYYY-MM", a date or None for the latest)."""
    chart = _check(chart, CHARTS, "chart")
    mode = check_mode(mode)
    d = resolve_as_at(wh, as_at)
    if chart == "rolling":
        return rolling_chart(wh, d, mode)
    if chart == "dots":
        return dots_chart(wh, d, mode, window)
    return waiting_chart(wh, d, mode)


def _room_for_legend(fig: go.Figure) -> go.Figure:
    """Put the legend just under the x-axis title and the source lines under the legend (they
    are placed in pixels, the legend in fractions of the plot)."""
    if not fig.layout.showlegend:
        return fig
    names = [t.name or "" for t in fig.data if t.showlegend is not False]
    width = sum(len(n) * 7.5 + 45 for n in names)
    rows = max(1, -(-int(width) // (theme.EXPORT_WIDTH - 100)))
    extra = rows * 24 + 12
    m = fig.layout.margin
    plot_h = fig.layout.height - (m.t or 0) - (m.b or 0)
    for a in fig.layout.annotations:
        if a.name in ("source", "footnote"):
            a.yshift = (a.yshift or 0) - extra
    fig.update_layout(height=fig.layout.height + extra, margin=dict(b=(m.b or 0) + extra),
                      legend=dict(orientation="h", x=0, y=-62 / plot_h, yanchor="top"))
    return fig


def export_figure(c: AdoptionChart) -> go.Figure:
    """The chart with its title, subtitle, source and notes drawn inside (print style)."""
    fig = go.Figure(c.figure)
    lines = [f"Source: {c.source}", *c.notes]
    lines.append(CONFIDENTIAL if c.mode == PRIVATE else
                 f"Public version: {NOTE}")
    # one annotation a line: long notes are wrapped so nothing runs off the image
    wrapped = [part for line in lines for part in textwrap.wrap(line, WRAP)]
    theme.add_export_text(fig, title=c.title, subtitle=c.subtitle, lines=wrapped)
    return _room_for_legend(fig)


def adoption_chart_bytes(wh, chart: str, fmt: str = "png", as_at=None, mode: str = PUBLIC, *,
                         window: str = "three_year") -> bytes:
    """One adoption chart as PNG (print width) or SVG."""
    fmt = _check(fmt, images.FORMATS, "image format")
    c = adoption_chart(wh, chart, as_at, mode, window=window)
    return images.figure_bytes(export_figure(c), fmt)


def adoption_header_lines(wh, c: AdoptionChart) -> list[str]:
    lines = header_lines(f"{c.title}: {c.subtitle}", wh.config.name, c.as_at, c.mode,
                         wh.is_sample())
    lines.insert(2, f"Source: {c.source}")
    lines[3:3] = c.notes + ([NOTE] if c.mode == PUBLIC else [])
    return lines


def adoption_data_bytes(wh, chart: str, fmt: str = "xlsx", as_at=None, mode: str = PUBLIC, *,
                        window: str = "three_year") -> bytes:
    """The data behind an adoption chart as XLSX or CSV, header lines first."""
    fmt = _check(fmt, DATA_FORMATS, "data format")
    c = adoption_chart(wh, chart, as_at, mode, window=window)
    lines = adoption_header_lines(wh, c)
    if fmt == "csv":
        return to_csv_bytes(c.data, lines)
    return to_xlsx_bytes([(f"Adoption {c.chart}", lines, c.data)])


def adoption_filename(chart: str, as_at: date | None, ext: str, mode: str,
                      window: str = "three_year") -> str:
    part = f"-{window.replace('_', '-')}" if chart == "dots" and window != "three_year" else ""
    tag = "-CONFIDENTIAL" if mode == PRIVATE else ""
    when = f"-{as_at:%Y-%m}" if as_at else ""
    return f"adoption-{chart}{part}{when}{tag}.{ext}"
