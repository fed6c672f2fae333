"""What goes into an export, gathered once from the Warehouse with suppression applied.

Every format (Word, PowerPoint, Excel, single charts and data) is drawn from these objects,
so public mode removes small figures in one place and the paper shows what the board saw:
the figures are built by the same component builders the dashboard uses.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from components.adoption_charts import NO_FIGURE, SMALL_NUMBERS, SMALL_NUMBERS_TEXT
from components.bar_chart import breakdown_figure
from components.formatting import suppressed_of
from components.summary_text import rag_label, target_text
from components.names import COMPARATORS, comparator_name, comparator_names
from components.trend_chart import trend_figure
from exports.adoption_export import CHARTS, adoption_chart, export_figure
from exports.print_style import WIDE
from exports.base import SUPPRESSED_FOOTNOTE, ExportInputError, header_lines, resolve_as_at
from exports.suppression import (PUBLIC, SUPPRESSED, check_mode, is_small, suppress_breakdowns,
                                 suppress_frame, suppress_summary, suppress_text)
from pipelines.measures import adoption
from present.adoption import adoption_days, thresholds
from present.blocks import TrendBlock, trend_block
from present.summary import IndicatorSummary

KEY_POINTS = "key-points"


@dataclass
class Item(TrendBlock):
    """One indicator as at a month, after suppression: the screen's trend block
    (present.blocks) with the commentary and the drawn figures."""
    commentary: str | None = None
    figures: list[tuple[str, go.Figure, str]] = field(default_factory=list)  # (kind, fig, alt)
    titles: dict[str, str] = field(default_factory=dict)  # kind -> title, where not the headline

    @property
    def any_suppressed(self) -> bool:
        frames = [self.series, self.comparators] + ([self.breakdowns]
                                                     if self.breakdowns is not None else [])
        return self.summary.suppressed or any(
            "suppressed" in f.columns and f["suppressed"].any() for f in frames if len(f))


@dataclass
class Scorecard:
    """The adoption scorecard as the report lays it out, as table rows after suppression
    (`COMPARISON_HEADER` columns: what, period, figure, children)."""
    caption: str
    text: str
    rows: list[list[str]]


@dataclass
class SectionPart:
    id: str
    slug: str
    title: str
    summary: str
    commentary: str | None
    items: list[Item]
    scorecard: Scorecard | None = None


@dataclass
class Pack:
    authority: str
    as_at: date
    mode: str
    is_sample: bool
    key_points: str | None
    sections: list[SectionPart]
    exceptions: Any = None   # exports.exceptions_export.ExceptionsPart: set for the whole pack
    definition: Any = None   # present.pack.PackDefinition: orientation, look, appendix
    captions: dict = field(default_factory=dict)  # id(fig) -> lines under a compact chart
    region_name: str | None = None  # the region comparator's label (Config.region_name)

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


# ---------------------------------------------------------------- text and numbers

def value_text(ind, value, suppressed: bool = False, reason: str | None = None) -> str:
    if suppressed or reason == SUPPRESSED:
        return SUPPRESSED
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "no figure" + (f" ({reason})" if reason else "")
    return ind.format_value(value)


def count_text(num, den) -> str:
    """'12 of 15', 'fewer than 5 of 23 children', or '' when there is nothing to say."""
    def one(v):
        return None if v is None or pd.isna(v) else f"{float(v):,.0f}"
    n, d = one(num), one(den)
    if n and d:
        return f"{n} of {d}"
    if d:
        return suppressed_of(den)
    return ""


def comparison_rows(item: Item, authority: str) -> list[list[str]]:
    """The comparator table: [what, period, figure, children]."""
    ind, s = item.indicator, item.summary
    rows = [[f"{authority} (latest)", s.period or "",
             value_text(ind, s.value, s.suppressed, s.missing_reason),
             count_text(s.numerator, s.denominator)]]
    if s.previous:
        rows.append([f"{authority} (previous)", s.previous.label or "",
                     value_text(ind, s.previous.value, s.previous.suppressed), ""])
    if s.outturn:
        rows.append([f"{authority} out-turn", s.outturn.label or "",
                     value_text(ind, s.outturn.value, s.outturn.suppressed), ""])
    if s.target is not None or s.rag_basis == "england":
        rows.append(["Target", "", target_text(ind, s), ""])
    if s.rag_basis:
        rows.append(["Status", "", rag_label(s.rag, s.rag_basis), ""])
    ac = s.all_children  # the same measure for all children in the area, when loaded
    if ac:
        rows.append(["All children in the area", ac.get("year") or "",
                     ind.format_value(ac["value"]), ""])
    for key in COMPARATORS:
        c = s.comparator(key)
        if c:
            text = value_text(ind, c.value, c.suppressed, c.missing_reason)
            if key == "statistical_neighbours" and c.n_neighbours and c.value is not None:
                text += f" (average of {int(c.n_neighbours)})"
            rows.append([c.name, c.year or "", text, ""])
    return rows


COMPARISON_HEADER = ["Figure", "Period", "Value", "Children"]


# ---------------------------------------------------------------- gathering

def _commentary(wh, as_at: date, key: str, mode: str) -> str | None:
    c = wh.commentary(as_at, key)
    text = (c or {}).get("text")
    return suppress_text(text, mode) if text and str(text).strip() else None


def _figures(item: Item, authority: str, as_at: date, mode: str) -> list:
    ind = item.indicator
    notes = [SUPPRESSED_FOOTNOTE] if item.any_suppressed else []
    trend = trend_figure(ind, item.series, item.comparators, authority_name=authority,
                         region_name=item.summary.region_name, as_at=as_at, target=item.summary.target, footnotes=notes,
                         for_export=True)
    figs = [("trend", trend, item.text)]
    for chart in item.charts:  # the screen's breakdown charts (present.breakdowns)
        fig = breakdown_figure(chart.shown_as, chart.frame, authority_name=authority,
                               as_at=as_at, barmode=chart.barmode, months=chart.months,
                               category_order=chart.categories,
                               title=f"{ind.title}: by {chart.label}", footnotes=notes,
                               for_export=True)
        figs.append((chart.kind, fig, breakdown_alt(chart, authority, as_at)))
        item.titles[chart.kind] = chart.heading
    return figs


def breakdown_alt(chart, authority: str, as_at: date) -> str:
    """Alt text of a breakdown chart: what it shows and each category's latest figure."""
    ind, bd = chart.indicator, chart.frame
    last = bd[pd.to_datetime(bd["period_end"]) == pd.to_datetime(bd["period_end"]).max()]
    parts = []
    for r in last.itertuples():
        v = SUPPRESSED if getattr(r, "suppressed", False) else (
            "no figure" if pd.isna(r.value) else chart.shown_as.format_value(r.value))
        parts.append(f"{str(r.category).replace('_', ' ')} {v}")
    when = pd.Timestamp(last["period_end"].iloc[0]).strftime("%B %Y") if len(last) else ""
    what = "Stacked bar chart" if chart.counts else "Bar chart, categories side by side,"
    return (f"{what} of {ind.title[:1].lower() + ind.title[1:]} by {chart.label} for "
            f"{authority} by month up to {pd.Timestamp(as_at):%B %Y}. In {when}: "
            + ", ".join(parts) + ".")


# ---------------------------------------------------------------- adoption

ADOPTION_SECTION = "adoption"
# The adoption charts (exports.adoption_export) go with the A1 3-year figure they explain.
ADOPTION_CHART_HOME = "A1_DAYS_3YR"
SCORECARD_MEASURES = ("A1", "A2", "A10")
SCORECARD_WINDOWS = (("three_year", "3-year average"), ("single_year", "last completed year"),
                     ("year_to_date", "year to date"))


def _hidden(n, mode: str) -> bool:
    return mode == PUBLIC and is_small(n)


def _days_text(w: dict, mode: str) -> str:
    if not w["n"]:
        return "no figure"
    return SUPPRESSED if _hidden(w["n"], mode) else f"{int(w['days']):,} days"


def scorecard_rows(card: dict, mode: str = PUBLIC) -> list[list[str]]:
    """`pipelines.measures.adoption.scorecard` as rows in the report's order: each measure's 3-year
    average (previous 3 years in brackets) and threshold, then the last completed year, then
    the year to date; each with % within the threshold and the children behind it. Public
    mode: averages and percentages from 1 to 4 children (or 1 to 4 within) are "fewer than 5"."""
    mode = check_mode(mode)
    as_at = pd.Timestamp(card["as_at"]).strftime("%-d %B %Y")
    rows = []
    for name, what in SCORECARD_WINDOWS:
        for measure in SCORECARD_MEASURES:
            m, t = card[measure], card[measure]["threshold"]
            w = m[name]
            period = w["label"] + (f" (to {as_at})" if name != "single_year" else "")
            if not w["n"]:
                rows.append([f"{measure} {what}", period, NO_FIGURE, "0"])
            else:
                value = _days_text(w, mode)
                if name == "three_year":
                    prev = m["previous_three_year"]
                    value += f" ({_days_text(prev, mode)} {prev['label']})"
                if _hidden(w["n"], mode):
                    children = SUPPRESSED
                else:
                    pct = (SUPPRESSED if _hidden(w["n_within"], mode)
                           else f"{w['pct_within']:.0f}%")
                    value += f"; within {t} days: {pct}"
                    children = f"{w['n']:,}" + (f" ({SMALL_NUMBERS_TEXT})"
                                                if w["n"] < SMALL_NUMBERS else "")
                rows.append([f"{measure} {what}", period, value, children])
            if name == "three_year":
                # the threshold in force in as_at's financial year, as the report prints one
                rows.append([f"{measure} threshold", m["year_to_date"]["label"], f"{t} days", ""])
    return rows


def adoption_scorecard(wh, as_at: date, mode: str = PUBLIC, days=None) -> Scorecard | None:
    """The scorecard as at a month from the child-level records (None when none are loaded)."""
    days = adoption_days(wh) if days is None else days
    if days is None:
        return None
    card = adoption.scorecard(days, as_at, thresholds(wh.catalogue))
    when = pd.Timestamp(card["as_at"]).strftime("%-d %B %Y")
    text = ("The adoption scorecard, computed from the adoption team's child-level records: "
            "each figure is the average over the children adopted in the years shown (whole "
            "days, by the financial year of the adoption order), against the threshold; "
            "the previous 3-year average is in brackets.")
    return Scorecard(f"Adoption scorecard as at {when}: {wh.config.name}", text,
                     scorecard_rows(card, mode))


def _cell(v, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "no figure"
    if isinstance(v, str):
        return v
    return f"{int(v):,}{unit}"


def _public_count(v, mode: str) -> str:
    return SUPPRESSED if _hidden(v, mode) and not isinstance(v, str) else _cell(v)


def adoption_alt(c) -> str:
    """Alt text for an adoption chart from the (already suppressed) data behind it."""
    data = c.data
    if c.chart == "rolling":
        known = data[data["A1 3-year average (days)"].notna()]
        text = (f"Line chart of the A1 and A10 3-year averages by month against the threshold: "
                f"{c.subtitle}.")
        if len(known):
            r = known.iloc[-1]
            text += (f" In {r['Month']}: A1 {_cell(r['A1 3-year average (days)'], ' days')}, "
                     f"A10 {_cell(r['A10 3-year average (days)'], ' days')}, threshold "
                     f"{_cell(r['Threshold (days)'], ' days')}; children adopted in the 3 years: "
                     f"{_public_count(r['Children adopted in the 3 years'], c.mode)}.")
        return text
    if c.chart == "dots":
        if "Note" in data.columns:
            return f"Dot chart: {c.subtitle}. {data['Note'].iloc[0]}"
        within = next(col for col in data.columns if col.startswith("Within "))
        over = int((data[within] != "Yes").sum())
        return (f"Dot chart, one dot for each child: {c.subtitle}. {len(data):,} children; "
                f"waited longer than the threshold ({within[7:]}): "
                f"{_public_count(over, c.mode)}.")
    bands = [f"{r.iloc[0]}: {_public_count(r['All'], c.mode)}" for _, r in data.iterrows()]
    return (f"Stacked bar chart of children waiting to be adopted by stage reached: "
            f"{c.subtitle}. Children in each band: " + "; ".join(bands) + ".")


def adoption_figures(wh, as_at: date, mode: str = PUBLIC) -> list[tuple[str, go.Figure, str, str]]:
    """The adoption page's three charts in print style: (kind, figure, alt text, title);
    none when no adoption records are loaded."""
    if adoption_days(wh) is None:
        return []
    out = []
    for kind in CHARTS:
        c = adoption_chart(wh, kind, as_at, mode)
        out.append((kind, export_figure(c), adoption_alt(c), c.title))
    return out


def build_item(wh, code: str, as_at: date, mode: str = PUBLIC, *, figures: bool = True,
               on_figure=None, adoption_charts: bool = True) -> Item:
    """One indicator's figures, words and charts, suppressed for public mode
    (`adoption_charts=False` leaves the adoption page's child-level charts out)."""
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
    summary = IndicatorSummary.from_store(
        ind, suppress_summary(wh.summary(code, as_at), ind, mode, series, comps),
        wh.config.region_name)
    authority = wh.config.name
    block = trend_block(ind, summary, series, comps, bd, authority, hidden=SUPPRESSED)
    item = Item(**{f.name: getattr(block, f.name) for f in fields(TrendBlock)},
                commentary=_commentary(wh, as_at, code, mode))
    if figures:
        item.figures = _figures(item, authority, as_at, mode)
        if code == ADOPTION_CHART_HOME and adoption_charts:
            for kind, fig, alt, title in adoption_figures(wh, as_at, mode):
                fig.layout.meta = WIDE  # the pack gives these the page's width
                item.figures.append((kind, fig, alt))
                item.titles[kind] = title
        if on_figure is not None:
            for _, fig, _ in item.figures:
                on_figure(fig)
    return item


def build_pack(wh, as_at=None, mode: str = PUBLIC, *, figures: bool = True,
               codes: list[str] | None = None, on_figure=None, layout=None,
               adoption_charts: bool = True) -> Pack:
    """The board pack's content as at a month (default the latest). `on_figure(fig)` is
    called as each chart is made (to start drawing it while the rest are built). `layout`:
    the director's choice, [(section, [codes in order])] (present.pack.layout); default every
    section and indicator in the catalogue's order (limited to `codes` when given)."""
    mode = check_mode(mode)
    d = resolve_as_at(wh, as_at)
    if layout is None:
        layout = [(sec, [i.code for i in sec.indicators if codes is None or i.code in codes])
                  for sec in wh.catalogue.sections]
    sections = []
    for sec, chosen in layout:
        items = [build_item(wh, code, d, mode, figures=figures, on_figure=on_figure,
                            adoption_charts=adoption_charts)
                 for code in chosen]
        if not items:
            continue
        card = adoption_scorecard(wh, d, mode) if sec.id == ADOPTION_SECTION else None
        sections.append(SectionPart(sec.id, sec.slug, sec.title, sec.summary,
                                    _commentary(wh, d, sec.slug, mode), items, card))
    return Pack(wh.config.name, d, mode, wh.is_sample(), _commentary(wh, d, KEY_POINTS, mode),
                sections, region_name=wh.config.region_name)


def chart_data(item: Item, authority: str) -> pd.DataFrame:
    """The data behind an indicator's charts in one long table."""
    ind = item.indicator
    names = comparator_names(item.summary.region_name)
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
            name = names.get(r.comparator, r.comparator)
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
    prev, ot = s.previous, s.outturn
    row = {"Code": ind.code, "Indicator": ind.title, "Unit": ind.unit, "Period": s.period,
           "Value": s.value, "Numerator": s.numerator, "Denominator": s.denominator,
           "Previous period": prev.label if prev else None,
           "Previous value": prev.value if prev else None,
           "Out-turn year": ot.label if ot else None,
           "Out-turn": ot.value if ot else None,
           "Target": s.target, "RAG": s.rag,
           "RAG compared with": {"target": "target", "england": "England"}.get(s.rag_basis)}
    for key in COMPARATORS:
        c = s.comparator(key)
        name = comparator_name(key, region_name=s.region_name)
        row[f"{name} year"] = c.year if c else None
        row[name] = c.value if c else None
    notes = []
    if s.suppressed:
        notes.append(f"latest figure {SUPPRESSED}")
    elif s.missing_reason:
        notes.append(str(s.missing_reason))
    if prev and prev.suppressed:
        notes.append(f"previous {SUPPRESSED}")
    if ot and ot.suppressed:
        notes.append(f"out-turn {SUPPRESSED}")
    row["Note"] = "; ".join(notes) or None
    return row
