"""What goes into an export, gathered once from the Warehouse with suppression applied.

Every format (Word, PowerPoint, Excel, single charts and data) is drawn from these objects,
so public mode removes small figures in one place and the paper shows what the board saw:
the figures are built by the same component builders the dashboard uses.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from exports.suppression import (PUBLIC, SUPPRESSED, check_mode, suppress_breakdowns,
                                 suppress_frame, suppress_summary, suppress_text)

KEY_POINTS = "key-points"
COMPARATOR_NAMES = {"west_midlands": "West Midlands",
                    "statistical_neighbours": "Statistical neighbours", "england": "England"}
SUPPRESSED_FOOTNOTE = "Figures of fewer than 5 children are not shown, to protect privacy."


class ExportInputError(ValueError):
    """A request the user can correct (unknown code, no figures for the month)."""


@dataclass
class Item:
    """One indicator as at a month, after suppression."""
    indicator: Any
    summary: dict
    series: pd.DataFrame
    comparators: pd.DataFrame
    breakdowns: pd.DataFrame | None
    headline: str
    text: str
    commentary: str | None = None
    figures: list[tuple[str, go.Figure, str]] = field(default_factory=list)  # (kind, fig, alt)

    @property
    def any_suppressed(self) -> bool:
        frames = [self.series, self.comparators] + ([self.breakdowns]
                                                     if self.breakdowns is not None else [])
        return bool(self.summary.get("suppressed")) or any(
            "suppressed" in f.columns and f["suppressed"].any() for f in frames if len(f))


@dataclass
class SectionPart:
    id: str
    slug: str
    title: str
    summary: str
    commentary: str | None
    items: list[Item]


@dataclass
class Pack:
    authority: str
    as_at: date
    mode: str
    is_sample: bool
    key_points: str | None
    sections: list[SectionPart]

    @property
    def month(self) -> str:
        return f"{pd.Timestamp(self.as_at):%B %Y}"

    @property
    def title(self) -> str:
        return f"Performance report as at {self.month}"

    @property
    def mode_label(self) -> str:
        return "Public" if self.mode == PUBLIC else "CONFIDENTIAL"

    @property
    def items(self) -> list[Item]:
        return [i for s in self.sections for i in s.items]

    def header_lines(self, what: str) -> list[str]:
        return header_lines(what, self.authority, self.as_at, self.mode, self.is_sample)


def header_lines(what: str, authority: str, as_at: date, mode: str, is_sample: bool) -> list[str]:
    lines = [what, f"{authority}: figures as at {pd.Timestamp(as_at):%B %Y}"]
    if mode == PUBLIC:
        lines.append(f"Public. {SUPPRESSED_FOOTNOTE[:-1]} (shown as \"{SUPPRESSED}\").")
    else:
        lines.append("CONFIDENTIAL: includes small numbers. Not for publication.")
    if is_sample:
        lines.append("Sample data: a synthetic authority, not real children.")
    lines.append(f"Exported {date.today():%d %B %Y}")
    return lines


# ---------------------------------------------------------------- text and numbers

def value_text(ind, value, suppressed: bool = False, reason: str | None = None) -> str:
    if suppressed or reason == SUPPRESSED:
        return SUPPRESSED
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "no figure" + (f" ({reason})" if reason else "")
    return ind.format_value(value)


def count_text(num, den) -> str:
    """'12 of 15', 'fewer than 5 of 23', or '' when there is nothing to say."""
    def one(v):
        return None if v is None or pd.isna(v) else f"{float(v):,.0f}"
    n, d = one(num), one(den)
    if n and d:
        return f"{n} of {d}"
    if d:
        return f"{SUPPRESSED} of {d}"
    return ""


def _headline(ind, s: dict) -> str:
    if s.get("suppressed"):
        return f"{ind.title}: {SUPPRESSED} in {s.get('period') or ''}".strip()
    from components.summary_text import headline
    return headline(ind, s)


def _sentence(ind, s: dict, authority: str) -> str:
    from components.summary_text import chart_summary
    text = chart_summary(ind, s, authority)
    # the components say "no figure (fewer than 5)"; a board paper says "fewer than 5"
    return text.replace(f"no figure ({SUPPRESSED})", SUPPRESSED)


def comparison_rows(item: Item, authority: str) -> list[list[str]]:
    """The comparator table: [what, period, figure, children]."""
    ind, s = item.indicator, item.summary
    rows = [[f"{authority} (latest)", s.get("period") or "",
             value_text(ind, s.get("value"), s.get("suppressed"), s.get("missing_reason")),
             count_text(s.get("numerator"), s.get("denominator"))]]
    prev = s.get("previous")
    if prev:
        rows.append([f"{authority} (previous)", prev.get("period") or "",
                     value_text(ind, prev.get("value"), prev.get("suppressed")), ""])
    ot = s.get("outturn")
    if ot:
        rows.append([f"{authority} out-turn", ot.get("year") or "",
                     value_text(ind, ot.get("value"), ot.get("suppressed")), ""])
    if s.get("target") is not None:
        rows.append(["Target", "", ind.format_value(s["target"]), ""])
    for key, name in COMPARATOR_NAMES.items():
        c = (s.get("comparators") or {}).get(key)
        if c:
            text = value_text(ind, c.get("value"), c.get("suppressed"), c.get("missing_reason"))
            if key == "statistical_neighbours" and c.get("n_neighbours") and c.get("value") is not None:
                text += f" (average of {int(c['n_neighbours'])})"
            rows.append([name, c.get("year") or "", text, ""])
    return rows


COMPARISON_HEADER = ["Figure", "Period", "Value", "Children"]


# ---------------------------------------------------------------- gathering

def resolve_as_at(wh, as_at) -> date:
    """The month an export is as at; a plain ExportInputError when it cannot be."""
    try:
        d = wh.resolve_as_at(as_at)
    except ValueError as exc:
        raise ExportInputError(str(exc)) from None
    if d is None:
        raise ExportInputError("The warehouse has no monthly figures yet: load some first.")
    return d


def _commentary(wh, as_at: date, key: str, mode: str) -> str | None:
    c = wh.commentary(as_at, key)
    text = (c or {}).get("text")
    return suppress_text(text, mode) if text and str(text).strip() else None


def _figures(item: Item, authority: str, as_at: date, mode: str) -> list:
    from components.trend_chart import trend_figure
    ind = item.indicator
    notes = [SUPPRESSED_FOOTNOTE] if item.any_suppressed else []
    trend = trend_figure(ind, item.series, item.comparators, authority_name=authority,
                         as_at=as_at, target=item.summary.get("target"), footnotes=notes,
                         for_export=True)
    figs = [("trend", trend, item.text)]
    bd = item.breakdowns
    if bd is not None and len(bd) and "suppressed" in bd.columns and _counts_like(ind, bd):
        from dataclasses import replace
        from components.bar_chart import breakdown_figure
        # the categories are numbers of children even when the headline is a percentage
        as_counts = ind if ind.unit == "count" else replace(ind, unit="count", decimals=0)
        fig = breakdown_figure(as_counts, bd, authority_name=authority, as_at=as_at,
                               title=f"{ind.title}: by {bd['dimension'].iloc[0].replace('_', ' ')}",
                               footnotes=notes, for_export=True)
        figs.append(("breakdown", fig, breakdown_alt(ind, bd, authority, as_at)))
    return figs


def _counts_like(ind, bd: pd.DataFrame) -> bool:
    """Breakdowns drawn as stacked bars: numbers of children in each category."""
    return ind.unit == "count" or ("numerator" in bd.columns and bd["numerator"].isna().all()
                                   and bd["dimension"].nunique() == 1)


def breakdown_alt(ind, bd: pd.DataFrame, authority: str, as_at: date) -> str:
    last = bd[pd.to_datetime(bd["period_end"]) == pd.to_datetime(bd["period_end"]).max()]
    parts = []
    for r in last.itertuples():
        v = SUPPRESSED if getattr(r, "suppressed", False) else (
            "no figure" if pd.isna(r.value) else f"{float(r.value):,.0f}")
        parts.append(f"{str(r.category).replace('_', ' ')} {v}")
    when = pd.Timestamp(last["period_end"].iloc[0]).strftime("%B %Y") if len(last) else ""
    return (f"Stacked bar chart of {ind.title.lower()} for {authority} by month up to "
            f"{pd.Timestamp(as_at):%B %Y}. In {when}: " + ", ".join(parts) + ".")


def build_item(wh, code: str, as_at: date, mode: str = PUBLIC, *, figures: bool = True,
               on_figure=None) -> Item:
    """One indicator's figures, words and charts, suppressed for public mode."""
    mode = check_mode(mode)
    cat = wh.catalogue
    if code not in cat:
        hint = cat.suggest(code)
        raise ExportInputError(f"Unknown indicator code '{code}'" +
                               (f": did you mean {', '.join(hint)}?" if hint else "."))
    ind = cat.get(code)
    series = suppress_frame(wh.series(code, as_at), ind, mode)
    comps = suppress_frame(wh.comparators(code, as_at), ind, mode)
    bd = None
    if ind.breakdowns:
        raw = wh.breakdown_series(code, as_at)
        bd = suppress_breakdowns(raw, ind, mode, totals=series) if len(raw) else None
    summary = suppress_summary(wh.summary(code, as_at), ind, mode, series, comps)
    authority = wh.config.name
    item = Item(ind, summary, series, comps, bd, _headline(ind, summary),
                _sentence(ind, summary, authority), _commentary(wh, as_at, code, mode))
    if figures:
        item.figures = _figures(item, authority, as_at, mode)
        if on_figure is not None:
            for _, fig, _ in item.figures:
                on_figure(fig)
    return item


def build_pack(wh, as_at=None, mode: str = PUBLIC, *, figures: bool = True,
               codes: list[str] | None = None, on_figure=None) -> Pack:
    """The board pack's content as at a month (default the latest). `on_figure(fig)` is
    called as each chart is made (to start drawing it while the rest are built)."""
    mode = check_mode(mode)
    d = resolve_as_at(wh, as_at)
    sections = []
    for sec in wh.catalogue.sections:
        items = [build_item(wh, i.code, d, mode, figures=figures, on_figure=on_figure)
                 for i in sec.indicators
                 if codes is None or i.code in codes]
        if not items:
            continue
        sections.append(SectionPart(sec.id, sec.slug, sec.title, sec.summary,
                                    _commentary(wh, d, sec.slug, mode), items))
    return Pack(wh.config.name, d, mode, wh.is_sample(), _commentary(wh, d, KEY_POINTS, mode),
                sections)


def chart_data(item: Item, authority: str) -> pd.DataFrame:
    """The data behind an indicator's charts in one long table."""
    ind = item.indicator
    rows = []
    for r in item.series.itertuples():
        rows.append({"Series": authority, "Period": r.period_label,
                     "Period start": r.period_start, "Period end": r.period_end,
                     "Value": r.value, "Numerator": r.numerator, "Denominator": r.denominator,
                     "Status": r.status, "Note": r.missing_reason})
    for r in item.comparators.itertuples():
        if r.comparator == "local":
            name = f"{authority} (published annual)"
        else:
            name = COMPARATOR_NAMES.get(r.comparator, r.comparator)
        note = r.missing_reason
        if r.comparator == "statistical_neighbours" and not pd.isna(r.n_neighbours):
            note = f"average of {int(r.n_neighbours)} neighbours" + (f"; {note}" if isinstance(note, str) else "")
        rows.append({"Series": name, "Period": r.period_label, "Period start": r.period_start,
                     "Period end": r.period_end, "Value": r.value, "Numerator": None,
                     "Denominator": None, "Status": None, "Note": note})
    if item.breakdowns is not None:
        for r in item.breakdowns.itertuples():
            rows.append({"Series": f"{authority}: {r.category.replace('_', ' ')}",
                         "Period": r.period_label, "Period start": r.period_start,
                         "Period end": r.period_end, "Value": r.value,
                         "Numerator": r.numerator, "Denominator": r.denominator,
                         "Status": r.status, "Note": r.missing_reason})
    cols = ["Series", "Period", "Period start", "Period end", "Value", "Numerator",
            "Denominator", "Status", "Note"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.rename(columns={"Value": f"Value ({ind.unit})"})
    return out


def summary_row(item: Item) -> dict:
    """One row of the board pack's spreadsheet: the figures `lacdash show` prints."""
    ind, s = item.indicator, item.summary
    comps = s.get("comparators") or {}
    row = {"Code": ind.code, "Indicator": ind.title, "Unit": ind.unit, "Period": s.get("period"),
           "Value": s.get("value"), "Numerator": s.get("numerator"),
           "Denominator": s.get("denominator"),
           "Previous period": (s.get("previous") or {}).get("period"),
           "Previous value": (s.get("previous") or {}).get("value"),
           "Out-turn year": (s.get("outturn") or {}).get("year"),
           "Out-turn": (s.get("outturn") or {}).get("value"),
           "Target": s.get("target"), "RAG": s.get("rag")}
    for key, name in COMPARATOR_NAMES.items():
        c = comps.get(key) or {}
        row[f"{name} year"] = c.get("year")
        row[name] = c.get("value")
    notes = []
    if s.get("suppressed"):
        notes.append(f"latest figure {SUPPRESSED}")
    elif s.get("missing_reason"):
        notes.append(str(s["missing_reason"]))
    if (s.get("previous") or {}).get("suppressed"):
        notes.append(f"previous {SUPPRESSED}")
    if (s.get("outturn") or {}).get("suppressed"):
        notes.append(f"out-turn {SUPPRESSED}")
    row["Note"] = "; ".join(notes) or None
    return row
