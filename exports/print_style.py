"""Charts sized for the compact board pack: two charts across an A4 portrait page (three
across landscape), every piece of chart text at least 8 pt when printed at 100%.

A chart drawn `width` pixels wide and placed `print_width_cm` wide prints a `px` font at
px * print_width_cm / width (in cm), so the smallest font is raised to what makes 8 pt. The
title, subtitle, source and footnote lines drawn inside an export image
(`components.theme.add_export_text`) come out of the picture and go under it as real text
(the cell heading says the title), so they neither shrink nor get cut off.
"""
from __future__ import annotations

import plotly.graph_objects as go

MIN_PT = 8.0
PT_PER_CM = 72 / 2.54
WIDTH_PX = 520
HEIGHT_PX = 215  # 8.4 cm by 3.5 cm printed: three rows of charts and tables a page
LEGEND_ROW_PX = 22
WIDE = "print-wide"  # layout.meta of a chart that takes the page's whole width
EXPORT_TEXT = ("title", "subtitle", "source", "footnote")
_FONT_KEYS = ("font", "textfont", "tickfont", "insidetextfont", "outsidetextfont")


def min_font_px(print_width_cm: float, width_px: int = WIDTH_PX) -> float:
    return MIN_PT * width_px / (print_width_cm * PT_PER_CM)


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
            if ann.get("name") in EXPORT_TEXT:
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
        scale = 2 if wide else 1
        # a legend two entries a row: more than two rows take room from the plot, so the
        # chart grows by a row's height for each (a stacked bar's eight series: +2 rows)
        names = {t.name for t in fig.data if t.name and t.showlegend is not False}
        rows = -(-len(names) // (2 * scale)) if layout.get("showlegend", True) else 0
        extra = max(0, rows - 2) * LEGEND_ROW_PX
        layout["width"], layout["height"] = WIDTH_PX * scale, HEIGHT_PX + extra + (
            60 if wide else 0)
        layout["margin"] = {"t": 34, "b": 4, "l": 8, "r": 24, "pad": 2}
        layout.setdefault("font", {})
        # the legend below everything (under the axis labels, however tall they are)
        layout["legend"] = {**(layout.get("legend") or {}), "orientation": "h", "y": 0,
                            "yref": "container", "yanchor": "bottom", "x": 0,
                            "xanchor": "left", "title": None, "entrywidth": 0.5,
                            "entrywidthmode": "fraction"}
        for axis in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
            layout[axis] = {**layout[axis], "automargin": True}
            if axis.startswith("xaxis"):  # month names turn rather than overlap
                layout[axis].pop("tickangle", None)
        _raise_fonts(layout, self.min_px)
        layout["font"]["size"] = max(float(layout["font"].get("size") or 0), self.min_px)
        if labelled:
            layout["showlegend"] = True
        fig.layout = go.Layout(layout)
        seen = set()
        for trace in fig.data if labelled else ():
            name = trace.name or ""
            trace.showlegend = bool(name) and name not in seen
            trace.legendgroup = None  # grouped entries would each take a row of their own
            seen.add(name)
        for trace in fig.data:
            data = trace.to_plotly_json()
            before = repr(data)
            _raise_fonts(data, self.min_px)
            mode = data.get("mode") or ""
            labels = [x for x in (data.get("text") or []) if x] if "text" in mode else []
            if len(labels) > 2 and data.get("type") == "scatter":
                # out-turn labels along a line collide at print size: the table has them
                data["mode"] = "+".join(m for m in mode.split("+") if m != "text") or "markers"
            if repr(data) != before:
                trace.update(data)
        self.captions[id(fig)] = [line for line in lines if line]
        return fig


def _plain(text: str) -> str:
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        text = text.replace(tag, "")
    return text.replace("<br>", " ").strip()
