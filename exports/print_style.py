"""Charts sized for the compact board pack: two charts across an A4 portrait page (three
across landscape), every piece of chart text at least 8 pt when printed at 100%.

A chart drawn `width` pixels wide and placed `print_width_cm` wide prints a `px` font at
px * print_width_cm / width (in cm), so the smallest font is raised to what makes 8 pt. The
title, subtitle, source and footnote lines drawn inside an export image
(`components.theme.add_export_text`) come out of the picture and go under it as real text
(the cell heading says the title), so they neither shrink nor get cut off.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
from PIL import ImageFont

MIN_PT = 8.0
PT_PER_CM = 72 / 2.54
WIDTH_PX = 520
HEIGHT_PX = 215  # 8.4 cm by 3.5 cm printed: three rows of charts and tables a page
LEGEND_ROW_PX = 22
WIDE = "print-wide"  # layout.meta of a chart that takes the page's whole width
EXPORT_TEXT = ("title", "subtitle", "source", "footnote")
# Legend names shortened in print (the full meaning goes once under the charts, in the
# "Reading the charts" notes, as these lines are common to many charts)
PRINT_NAMES = {
    "Statistical neighbours": "Stat. neighbours",
    "Special cause: improving": "Improving",
    "Special cause: concerning": "Concerning",
    "Special cause: higher (no better or worse)": "Higher (neutral)",
    "Special cause: lower (no better or worse)": "Lower (neutral)",
}
NAME_NOTES = {
    "Stat. neighbours": "Stat. neighbours: the average of the statistical neighbours.",
    "Improving": "SPC charts: Improving, Concerning, Higher and Lower (neutral) mark special "
                 "cause variation; Common cause is the usual month-to-month variation.",
}
for _short in ("Concerning", "Higher (neutral)", "Lower (neutral)"):
    NAME_NOTES[_short] = NAME_NOTES["Improving"]
# caption lines that belong to their own chart: never lifted into the pack's shared notes
OWN_LINES = ("Source:", "Vertical axis", "Horizontal axis", "Step change")
PERIOD = re.compile(r"^([A-Z][a-z]{2} )?\d{4}(-\d{2})?$")  # Oct 2025, 2025, 2024-25
LEGEND_TEXT_GAP = 40  # plotly: itemwidth 30 + 2 x itemGap 5 before an entry's text
LINE = 1.35          # a line of text is about 1.35 font sizes tall
LEGEND_LINE = 1.3    # a legend row is 1.3 font sizes + 3 px (plotly's legend)
PLOT_MIN_PX = 100    # the plot itself keeps at least this height
# Chromium draws the charts in the system sans-serif (DejaVu Sans on Debian): text is
# measured with it to know what fits
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/dejavu/DejaVuSans.ttf")
_FONT_KEYS = ("font", "textfont", "tickfont", "insidetextfont", "outsidetextfont")


def min_font_px(print_width_cm: float, width_px: int = WIDTH_PX) -> float:
    return MIN_PT * width_px / (print_width_cm * PT_PER_CM)


@lru_cache(maxsize=32)
def _font(size: float):
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size=max(1, round(size)))
    return None


def text_px(text: str, size: float) -> float:
    """How wide `text` is drawn at font size `size` px (measured with DejaVu Sans; without
    it a generous 0.62 em a character)."""
    font = _font(size)
    if font is None:
        return 0.62 * size * len(text)
    return float(font.getlength(text)) * size / max(1, round(size))


def _raise_fonts(obj, minimum: float) -> None:
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in _FONT_KEYS and isinstance(value, dict):
                size = value.get("size")
                if not isinstance(size, (list, tuple)):
                    value["size"] = max(float(size or 0), minimum)
            _raise_fonts(value, minimum)
    elif isinstance(obj, list):
        for value in obj:
            _raise_fonts(value, minimum)


def smallest_font(fig: go.Figure) -> float:
    """The smallest font size (px) set anywhere in the figure (its layout, template and
    traces); the layout font is the default for everything else."""
    sizes = []

    def walk(obj):
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key in _FONT_KEYS and isinstance(value, dict):
                    size = value.get("size")
                    if isinstance(size, (int, float)):
                        sizes.append(float(size))
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)
    walk(fig.to_dict())
    return min(sizes) if sizes else 12.0


class PrintStyle:
    """Restyles figures in place as they are made (pass `style` as `on_figure` before the
    renderer sees them); `captions[id(fig)]` keeps the text lines taken out of each picture."""

    def __init__(self, print_width_cm: float):
        self.print_width_cm = print_width_cm  # a column; a WIDE chart is twice as wide
        self.min_px = min_font_px(print_width_cm)
        self.captions: dict[int, list[str]] = {}

    def __call__(self, fig: go.Figure) -> go.Figure:
        if id(fig) in self.captions:
            return fig
        layout = fig.layout.to_plotly_json()
        keep, lines = [], []
        for ann in layout.get("annotations") or []:
            if ann.get("name") == "spc-status":
                # an SPC chart's status words beside its icons do not fit at print size: the
                # sentence under the chart says them (its alt text), the icons go too
                continue
            if ann.get("name") == "step-change":  # its reason goes under the picture
                lines.append(_plain(ann.get("text") or ""))
            elif ann.get("name") in EXPORT_TEXT:
                # the cell heading says the title and the page header the authority and month
                if ann.get("name") not in ("title", "subtitle"):
                    lines.append(_plain(ann.get("text") or ""))
            else:
                keep.append(ann)
        # a line's name and latest figure written at its right-hand end needs a margin the
        # size of the chart at print size: the legend says the names (the table the figures)
        labelled = [a for a in keep if str(a.get("name") or "").startswith("label-")]
        keep = [a for a in keep if a not in labelled]
        # labels along the top (financial years) collide at print size: keep at most four
        top = [a for a in keep if a.get("yref") == "paper" and (a.get("y") or 0) >= 1]
        step = -(-len(top) // 4) if top else 1
        drop = {id(a) for n, a in enumerate(top) if step > 1 and n % step}
        layout["annotations"] = [a for a in keep if id(a) not in drop]
        wide = layout.get("meta") == WIDE
        width = WIDTH_PX * (2 if wide else 1)
        layout["width"] = width
        layout.setdefault("font", {})
        _raise_fonts(layout, self.min_px)
        px = layout["font"]["size"] = max(float(layout["font"].get("size") or 0), self.min_px)
        row = px * LINE
        layout["images"] = [im for im in layout.get("images") or [] if (im.get("x") or 0) < 1]
        top = any(a.get("yref") == "paper" and (a.get("y") or 0) >= 1
                  for a in layout["annotations"])
        # the plot's width: the chart's less its margins and the value axis's labels (and
        # title); plotly wraps a legend at this width too
        plot_w = width - 32 - _value_labels_px(fig, layout, px) - 12
        x_title = False
        right = 24
        layout.setdefault("xaxis", {})
        for axis in sorted((k for k in layout if k.startswith(("xaxis", "yaxis"))),
                           key=lambda k: (k.startswith("xaxis"), k)):  # value axes first
            ax = layout[axis] = {**layout[axis], "automargin": True}
            across = axis.startswith("xaxis")
            kept = self._axis_title(ax, across, px, plot_w, lines)
            x_title |= across and kept
            plot_w -= row if kept and not across else 0
            if across:  # month names stay level: fewer of them rather than turned
                ax["tickangle"] = 0
                inside = _thin_ticks(ax, fig, axis, px, plot_w)
                if ax.get("ticktext"):  # half the last label may pass the plot's end
                    last = str(ax["ticktext"][-1]).split("<br>")
                    half = max(text_px(t, px) for t in last) / 2 + 2 - inside
                    plot_w -= max(0, half - right)
                    right = max(right, round(half))
            elif not ax.get("dtick") and not ax.get("tickvals"):
                ax["nticks"] = 4
        if labelled:
            layout["showlegend"] = True
        seen = set()
        for trace in fig.data if labelled else ():
            name = trace.name or ""
            trace.showlegend = bool(name) and name not in seen
            trace.legendgroup = None  # grouped entries would each take a row of their own
            seen.add(name)
        names = []
        for trace in fig.data:
            if trace.name in PRINT_NAMES:
                trace.name = PRINT_NAMES[trace.name]
            if trace.name and trace.showlegend is not False and trace.name not in names:
                names.append(trace.name)
        shown = bool(names) and layout.get("showlegend", True) is not False
        lines += list(dict.fromkeys(NAME_NOTES[n] for n in names if shown and n in NAME_NOTES))
        legend_font = {**((layout.get("legend") or {}).get("font") or {})}
        lf = legend_font["size"] = max(float(legend_font.get("size") or 0), px)
        cols, entry = legend_columns(names, lf, plot_w)
        rows = -(-len(names) // cols) if shown else 0
        # the legend below everything (under the axis labels), its entries as wide as the
        # longest name measured, as many a row as fit
        layout["legend"] = {**(layout.get("legend") or {}), "orientation": "h",
                            "xref": "paper", "x": 0, "xanchor": "left",
                            "yref": "container", "y": 0, "yanchor": "bottom", "title": None,
                            "font": legend_font, "entrywidth": entry,
                            # (plotly clips a legend across the bottom to half the chart)
                            "maxheight": 2000,
                            "entrywidthmode": "pixels", "tracegroupgap": 0}
        # the chart grows so the plot keeps its height whatever the legend and labels take
        t = round(row + 6) if top else 10
        need = (t + PLOT_MIN_PX + row + 8 + (row if x_title else 0)
                + rows * (LEGEND_LINE * lf + 3) + (6 if rows else 0) + 4)
        layout["height"] = max(HEIGHT_PX + (60 if wide else 0), round(need))
        layout["margin"] = {"t": t, "b": 4, "l": 8, "r": right, "pad": 2}
        fig.layout = go.Layout(layout)
        for trace in fig.data:
            data = trace.to_plotly_json()
            before = repr(data)
            _raise_fonts(data, self.min_px)
            mode = data.get("mode") or ""
            labels = [x for x in (data.get("text") or []) if x] if "text" in mode else []
            if labels and data.get("type") == "scatter":
                # out-turn labels along a line collide with the points and run off the
                # chart's edge at print size (even two: '2025-26: 30%'): the table has them
                data["mode"] = "+".join(m for m in mode.split("+") if m != "text") or "markers"
            if repr(data) != before:
                trace.update(data)
        self.captions[id(fig)] = [line for line in lines if line]
        return fig


    @staticmethod
    def _axis_title(ax: dict, across: bool, px: float, plot_w: float, lines: list) -> bool:
        """Keep an axis title in the picture only if it fits beside the plot; '(axis starts
        at 80%)' and a title too long go under the picture. True if a title is kept."""
        title = ax.get("title")
        title = dict(title) if isinstance(title, dict) else {"text": title}
        text = _plain(title.get("text") or "")
        base, _, start = text.partition(" (axis starts at ")
        if start:
            lines.append(f"{'Horizontal' if across else 'Vertical'} axis starts at "
                         f"{start.rstrip(')')}.")
        keep = bool(base) and text_px(base, px) <= (plot_w if across else PLOT_MIN_PX)
        if base and not keep:
            lines.append(f"{'Horizontal' if across else 'Vertical'} axis: {base}.")
        title["text"] = base if keep else None
        ax["title"] = title
        return keep


def legend_columns(names: list[str], size: float, width: float) -> tuple[int, float]:
    """(entries a row, each entry's text width in px) for a legend under a plot `width` px
    wide: as many a row as fit with the longest name whole (at least one)."""
    longest = max((text_px(n, size) for n in names), default=0.0) + 1
    avail = width - 2
    cols = max([c for c in (4, 3, 2) if c * (LEGEND_TEXT_GAP + longest) <= avail] or [1])
    return cols, max(longest, avail / cols - LEGEND_TEXT_GAP)


def _thin_ticks(ax: dict, fig: go.Figure, axis: str, px: float, plot_w: float) -> float:
    """Labels along the bottom level and far enough apart not to overlap: dates one line
    (years over a long span), categories and labelled ticks every n-th, keeping the last.
    Returns how far inside the plot's right-hand end the last label's centre is (px)."""
    ref = "x" + axis[5:]
    xs = [x for t in fig.data if (getattr(t, "xaxis", None) or "x") == ref
          and getattr(t, "orientation", None) != "h"
          for x in (t.x if t.x is not None else ())]
    if ax.get("tickvals") is not None and ax.get("ticktext") is not None:
        vals, text = list(ax["tickvals"]), [str(x) for x in ax["ticktext"]]
    elif ax.get("type") == "category" or (xs and isinstance(xs[0], str)
                                            and ax.get("type") != "date"):
        vals = list(dict.fromkeys(xs))
        text = [str(v) for v in vals]
    elif ax.get("type") == "date" and "<br>" in str(ax.get("tickformat") or "") and any(
            str(x)[:4].isdigit() for x in xs):
        dates = sorted(str(x)[:10] for x in xs if str(x)[:4].isdigit())
        years = int(dates[-1][:4]) - int(dates[0][:4])
        ax["tickformat"] = "%Y" if years >= 3 else "%b %Y"
        sample = "2026" if years >= 3 else "Sep 2026"
        ax["nticks"] = max(2, int(plot_w // (text_px(sample, px) + 1.5 * px)))
        return 0.0
    else:
        return 0.0
    if not vals:
        return 0.0
    category = ax.get("tickvals") is None
    inside = plot_w / len(vals) / 2 if category else 0.0  # a category's centre
    if not all(PERIOD.match(t) for t in text):  # categories: every one named, wrapped
        slot = plot_w / len(vals)
        ax.update(tickmode="array", tickvals=vals, ticktext=[_wrap(t, px, slot) for t in text])
        return inside
    widest = max(text_px(t, px) for t in text) + 0.6 * px
    fit = max(1, int(plot_w // widest))
    step = -(-len(vals) // fit)
    keep = list(range(len(vals) - 1, -1, -step))[::-1]
    ax.update(tickmode="array", tickvals=[vals[i] for i in keep],
              ticktext=[text[i] for i in keep])
    return inside


def _value_labels_px(fig: go.Figure, layout: dict, px: float) -> float:
    """About how wide the value axis's labels are drawn: its highest figure (a stack's
    total) with the axis's suffix, as plotly writes it."""
    yaxis = layout.get("yaxis") or {}
    tops = [abs(float(v)) for v in (yaxis.get("range") or []) if isinstance(v, (int, float))]
    if not tops:
        totals: dict = {}
        stack = layout.get("barmode") in ("stack", "relative")
        for t in fig.data:
            if getattr(t, "orientation", None) == "h" or t.y is None:
                continue
            for x, y in zip(t.x if t.x is not None else range(len(t.y)), t.y):
                if isinstance(y, (int, float)) and y == y:
                    key = str(x) if stack else len(totals)
                    totals[key] = totals.get(key, 0.0) + abs(float(y))
        tops = list(totals.values())
    top = max(tops, default=100.0)
    label = f"{top / 1000:.0f}k" if top >= 10000 else f"{top:,.0f}"  # plotly's 100k
    return text_px(label + (yaxis.get("ticksuffix") or ""), px) + 8


def _wrap(text: str, px: float, width: float) -> str:
    """`text` in lines (<br>) no wider than `width` px where the words allow."""
    out = []
    for word in text.split():
        if out and text_px(out[-1] + " " + word, px) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    return "<br>".join(out)


def _plain(text: str) -> str:
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        text = text.replace(tag, "")
    return text.replace("<br>", " ").strip()
