"""Chart legends and axis titles at the pack's print size (issue 17 follow-up): every chart
kind in the pack (trend, breakdown bars, SPC, adoption) keeps its legend below the plot with
each entry's name whole (measured in the font Chromium draws with, against the entry width
plotly gives it), no axis title longer than the plot beside it, and '(axis starts at ...)'
said under the picture instead of clipped up the side."""
from __future__ import annotations

import html
import re

import pytest

from exports import images
from exports.content import build_item
from exports.docx_pack import chart_print_width_cm, shared_notes
from exports.exceptions_export import build_exceptions
from exports.print_style import LEGEND_TEXT_GAP, PLOT_MIN_PX, PrintStyle, text_px
from pipelines.store.queries import Warehouse

CODES = ["HEALTH_CHECKS_PCT", "PLACEMENT_TYPE", "KS2_RWM_PCT", "A1_DAYS_3YR", "CLA_RATE",
         "A1_WITHIN_PCT"]


@pytest.fixture(scope="module", params=["portrait", "landscape"])
def styled(sample_config, request):
    wh = Warehouse(sample_config)
    style = PrintStyle(chart_print_width_cm(request.param))
    figs = []
    for code in CODES:
        item = build_item(wh, code, wh.latest_month(), "public")
        figs += [(f"{code} {kind}", fig) for kind, fig, _ in item.figures]
    build_exceptions(wh, wh.latest_month(), "public",
                     on_figure=lambda fig: figs.append(("SPC", fig)))
    for _, fig in figs:
        style(fig)
    yield style, figs
    images.stop()


def test_every_chart_kind_is_checked(styled):
    _, figs = styled
    kinds = {name.split()[-1] for name, _ in figs}
    assert {"trend", "breakdown", "SPC", "dots", "waiting"} <= kinds, kinds


def _num(pattern: str, text: str) -> list[tuple[float, ...]]:
    return [tuple(float(g) for g in m) if isinstance(m, tuple) else (float(m),)
            for m in re.findall(pattern, text)]


def drawn(fig) -> dict:
    """Where Chromium drew the legend entries, the month labels and the value axis's title:
    read from the chart's SVG (what the PNG in the pack is drawn from)."""
    svg = images.figure_bytes(fig, "svg").decode()
    width, height = _num(r'<svg[^>]*width="([\d.]+)" height="([\d.]+)"', svg)[0]
    out = {"width": width, "height": height, "entries": [], "ticks": [], "ytitle": None}
    legend = re.search(r'<clipPath id="legend[^"]*"><rect width="([\d.]+)" height="([\d.]+)"',
                       svg)
    if legend:
        out["legend_box"] = tuple(float(g) for g in legend.groups())
        out["legend_at"] = _num(r'<g class="legend"[^>]*translate\(([\d.]+),([\d.]+)\)',
                                svg)[0]
        for x, y, tx, size, name in re.findall(
                r'<g class="traces" transform="translate\(([\d.]+),([\d.]+)\)"[^>]*>'
                r'<text class="legendtext"[^>]*x="([\d.]+)"[^>]*font-size: ([\d.]+)px[^>]*>'
                r'([^<]*)</text>', svg):
            out["entries"].append((float(x) + float(tx), float(y), float(size),
                                   html.unescape(name)))
    for y, x, size, label in re.findall(
            r'<g class="xtick"><text[^>]*y="([\d.]+)" transform="translate\(([\d.]+),0\)"'
            r'[^>]*font-size: ([\d.]+)px[^>]*>([^<]*)<', svg):
        out["ticks"].append((float(x), float(y), float(size), html.unescape(label)))
    title = re.search(r'<text class="ytitle"[^>]*y="([\d.]+)"[^>]*font-size: ([\d.]+)px'
                      r'[^>]*>([^<]*)<', svg)
    if title:
        out["ytitle"] = (float(title.group(1)), float(title.group(2)),
                         html.unescape(title.group(3)))
    return out


def test_drawn_legends_labels_and_titles_are_whole(styled):
    """Each legend name ends before the next entry starts and inside the legend's box (which
    plotly clips to) and the chart; the legend sits below the month labels; month labels do
    not overlap; the value axis's title is not longer than the chart is tall."""
    _, figs = styled
    slack = 2  # px: DejaVu measured by Pillow against Chromium's drawing
    seen = set()
    for name, fig in figs:
        d = drawn(fig)
        if d["entries"]:
            seen.add(name.split()[-1])
            lx, ly = d["legend_at"]
            bw, bh = d["legend_box"]
            assert lx + bw <= d["width"] + slack and ly + bh <= d["height"] + slack, name
            rows: dict[float, list] = {}
            for x, y, size, label in d["entries"]:
                rows.setdefault(y, []).append((x, size, label))
                assert y + 0.4 * size <= bh + slack, (name, label, "below the legend box")
            for row in rows.values():
                row.sort()
                for (x, size, label), nxt in zip(row, row[1:] + [None]):
                    end = x + text_px(label, size)
                    assert end <= bw + slack, (name, label, "cut off at the right")
                    if nxt is not None:  # the next entry's symbol starts at its x - 40
                        assert end <= nxt[0] - LEGEND_TEXT_GAP + slack, (name, label, nxt[2])
            for _, y, size, _ in d["ticks"]:
                assert ly >= y - slack, (name, "legend over the month labels")
        ticks = sorted(d["ticks"])
        for (x, _, size, label), nxt in zip(ticks, ticks[1:]):
            half = text_px(label, size) / 2
            assert x - half >= -slack and x + half <= d["width"] + slack, (name, label)
            assert x + half <= nxt[0] - text_px(nxt[3], nxt[2]) / 2 + slack, (name, label)
        if d["ytitle"]:
            y, size, text = d["ytitle"]
            half = text_px(text, size) / 2
            assert y - half >= -slack, (name, text, "cut off at the top")
            if d["entries"]:
                assert y + half <= d["legend_at"][1] + slack, (name, text, "into the legend")
    assert {"trend", "breakdown", "SPC", "dots", "waiting"} <= seen, seen


def test_legend_names_fit_their_entries_below_the_plot(styled):
    _, figs = styled
    for name, fig in figs:
        legend = fig.layout.legend
        shown = list(dict.fromkeys(t.name for t in fig.data
                                   if t.name and t.showlegend is not False))
        if not shown or fig.layout.showlegend is False:
            continue
        assert legend.orientation == "h" and legend.yanchor == "bottom", name
        assert legend.yref == "container" and legend.y == 0, name  # under the axis labels
        assert legend.font.size >= fig.layout.font.size - 1e-9, name  # 8 pt or more
        for entry in shown:  # a set entry width (pixels) holds the name; unset: its own
            assert legend.entrywidth is None or (
                legend.entrywidthmode == "pixels"
                and text_px(entry, legend.font.size) <= legend.entrywidth), (name, entry)
            assert len(entry) <= 40 or fig.layout.width > 520, (name, entry)


def test_spc_legend_names_are_short_and_explained_once(styled):
    style, figs = styled
    spc = [fig for name, fig in figs if name == "SPC"]
    assert spc
    for fig in spc:
        names = {t.name for t in fig.data}
        assert not any(str(n).startswith("Special cause:") for n in names)
        assert any("special cause variation" in line for line in style.captions[id(fig)])
        # the status words beside the icons and the icons themselves are not drawn off the
        # chart's right-hand edge at print size
        assert not [a for a in fig.layout.annotations if a.name == "spc-status"]
        assert not [im for im in fig.layout.images if (im.x or 0) >= 1]


def test_axis_titles_fit_beside_the_plot_and_the_axis_start_goes_under(styled):
    style, figs = styled
    cut = 0
    for name, fig in figs:
        for axis in (fig.layout.yaxis, fig.layout.xaxis):
            text = axis.title.text or ""
            assert "axis starts at" not in text, name
            if axis is fig.layout.yaxis and text:
                assert text_px(text, fig.layout.font.size) <= PLOT_MIN_PX, (name, text)
        cut += any("axis starts at" in line for line in style.captions[id(fig)])
    assert cut  # the sample's trends do not all start at zero: the caption says where


def test_month_labels_are_level_and_do_not_overlap(styled):
    _, figs = styled
    for name, fig in figs:
        ax = fig.layout.xaxis
        assert ax.tickangle == 0, name
        if ax.ticktext:
            widest = max(text_px(line, fig.layout.font.size)
                         for t in ax.ticktext for line in t.split("<br>"))
            assert len(ax.ticktext) * widest <= fig.layout.width, name


def test_axis_lines_stay_under_their_own_chart():
    """'Vertical axis starts at 80%' under four charts means four different charts: it is
    not lifted into the 'Reading the charts' notes said once, as a note common to all is."""
    class Captions:
        captions = {n: ["Vertical axis starts at 80%.", "Vertical axis: Per 10,000 children.",
                        "Source: DfE.", "Ringed points are the out-turns."] for n in range(4)}
    assert shared_notes(Captions()) == ["Ringed points are the out-turns."]


def test_no_figures_written_along_a_line(styled):
    """Out-turn labels ('2025-26: 30%') written beside points ran off the chart's right-hand
    edge at print size; the small table under the chart gives them."""
    _, figs = styled
    for name, fig in figs:
        for t in fig.data:
            if t.type == "scatter" and t.mode and "text" in t.mode:
                assert not [x for x in (t.text or []) if x], (name, t.name)
