"""A PowerPoint deck (python-pptx): 16:9, a title slide, then one chart a slide with its
headline as the slide title and alt text on the picture."""
from __future__ import annotations

import io
from typing import Callable

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from exports.action_plan_export import add_to_pptx as add_plan_to_pptx
from exports.content import Pack
from exports.suppression import NOTE, PRIVATE, SUPPRESSED
from present.pack import summary_cells, summary_header

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)


def set_alt_text(picture, text: str, title: str | None = None) -> None:
    c_nv_pr = picture._element.nvPicPr.cNvPr
    c_nv_pr.set("descr", text)
    if title:
        c_nv_pr.set("title", title)


def _mode_mark(slide, pack: Pack) -> None:
    box = slide.shapes.add_textbox(Inches(0.4), SLIDE_H - Inches(0.5), Inches(12.5), Inches(0.4))
    p = box.text_frame.paragraphs[0]
    run = p.add_run()
    run.text = f"{pack.authority} · {pack.title} · {pack.mode_label}"
    run.font.size = Pt(11)
    if pack.mode == PRIVATE:
        run.font.bold = True
        run.font.color.rgb = RGBColor(0xD4, 0x35, 0x1C)


def _picture(slide, fig, png: bytes, alt: str, title: str, summary: str | None = None) -> None:
    """The chart in the space under the slide title, keeping its shape; `summary` (the
    chart's text alternative) written under it for everyone, not only screen readers."""
    w_px, h_px = fig.layout.width or 1000, fig.layout.height or 560
    reserve = Inches(0.75) if summary else 0
    box_w, box_h = SLIDE_W - Inches(0.8), SLIDE_H - Inches(1.7) - reserve
    scale = min(box_w / w_px, box_h / h_px)
    w, h = Emu(int(w_px * scale)), Emu(int(h_px * scale))
    pic = slide.shapes.add_picture(io.BytesIO(png), int((SLIDE_W - w) / 2), Inches(1.15), w, h)
    set_alt_text(pic, alt, title=title)
    if summary:
        box = slide.shapes.add_textbox(Inches(0.4), Inches(1.2) + h, SLIDE_W - Inches(0.8),
                                       reserve)
        box.text_frame.word_wrap = True
        p = box.text_frame.paragraphs[0]
        p.text = summary
        p.font.size = Pt(14)


def _exceptions(prs, pack: Pack, render_png: Callable) -> None:
    """One slide listing what needs attention and what improved (with reasons), then each
    item's SPC chart (exports.exceptions_export)."""
    part = pack.exceptions
    layout = prs.slide_layouts[1]
    def reason(e):  # the first reason; a chart left out of a public paper says so
        return " ".join(x for x in (e.reasons[0], e.note) if x)
    lines = [("Needs attention", f"{e.title}: {e.value_text}", reason(e))
             for e in part.attention] or [
        ("Needs attention", "Nothing needs the board's attention this month.", None)]
    lines += [("Improved for real", f"{e.title}: {e.value_text}", reason(e))
              for e in part.improved]
    per_slide = 5  # an item and its first reason each: five fit a slide at a readable size
    pages = [lines[i:i + per_slide] for i in range(0, len(lines), per_slide)]
    for n, chunk in enumerate(pages):
        s = prs.slides.add_slide(layout)
        s.shapes.title.text = ("What needs attention this month" if n == 0 else
                               f"What needs attention this month ({n + 1} of {len(pages)})")
        body = s.placeholders[1].text_frame
        body.clear()
        for i, (group, head, reason) in enumerate(chunk):
            p = body.paragraphs[0] if i == 0 else body.add_paragraph()
            p.text = head if group == "Needs attention" else f"{group}: {head}"
            p.font.size = Pt(18)
            if reason:
                q = body.add_paragraph()
                q.text, q.level = reason, 1
                q.font.size = Pt(14)
        _mode_mark(s, pack)
    title_only = prs.slide_layouts[5]
    done = set()
    for e in part.attention + part.improved:
        if e.figure is None or e.code in done:
            continue
        done.add(e.code)
        s = prs.slides.add_slide(title_only)
        s.shapes.title.text = f"{e.title}: is it changing?"
        _picture(s, e.figure, render_png(e.figure), e.alt, f"{e.title}: SPC chart",
                 summary=e.alt)
        _mode_mark(s, pack)


# ---------------------------------------------------------------- the compact deck (issue 17)
# The summary first (every indicator as the key points page shows it), then a slide per
# section with its charts three across and two down (more slides when a section has more),
# each with its heading, its summary sentence and the notes taken out of the picture.
COLUMNS, ROWS = 3, 2
MARGIN, GAP = Inches(0.4), Inches(0.2)
TOP = Inches(1.05)
CELL_W = int((SLIDE_W - 2 * MARGIN - (COLUMNS - 1) * GAP) / COLUMNS)
CELL_H = int((SLIDE_H - TOP - Inches(0.55) - (ROWS - 1) * GAP) / ROWS)
CHART_WIDTH_CM = CELL_W / 360000  # exports.print_style sizes chart text by this (>= 8 pt)
SUMMARY_ROWS = 11  # rows of the summary table a slide, at 10 pt


def _titled(prs, text: str):
    s = prs.slides.add_slide(prs.slide_layouts[5])
    title = s.shapes.title
    title.left, title.top = MARGIN, Inches(0.15)
    title.width, title.height = SLIDE_W - 2 * MARGIN, Inches(0.8)
    title.text = text
    for p in title.text_frame.paragraphs:
        for r in p.runs:
            r.font.size = Pt(26)
    return s


def _text(slide, left, top, width, height, text: str, size: float, bold: bool = False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    run = frame.paragraphs[0].add_run()
    run.text, run.font.size, run.font.bold = text, Pt(size), bold or None
    return box


def _summary(prs, pack: Pack) -> None:
    """Every indicator in a table, section by section, as the key points page shows it."""
    header = summary_header(pack.region_name)
    rows = []
    for part in pack.sections:
        rows.append([part.title] + [""] * (len(header) - 1))
        rows += [summary_cells(i.indicator, i.summary, hidden=SUPPRESSED) for i in part.items]
    chunks = [rows[i:i + SUMMARY_ROWS] for i in range(0, len(rows), SUMMARY_ROWS)] or [[]]
    share = [3.4, 1.7, 2.6, 2.4, 1.4, 1.4, 1.4, 1.0]
    width = SLIDE_W - 2 * MARGIN
    for n, chunk in enumerate(chunks, start=1):
        s = _titled(prs, "Summary of the indicators" + (
            f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""))
        shape = s.shapes.add_table(len(chunk) + 1, len(header), MARGIN, TOP, width,
                                   Inches(0.3) * (len(chunk) + 1))
        t = shape.table
        for j, w in enumerate(share[:len(header)]):
            t.columns[j].width = int(width * w / sum(share))
        for j, text in enumerate(header):
            t.cell(0, j).text = text
        for i, row in enumerate(chunk, start=1):
            for j, text in enumerate(row):
                t.cell(i, j).text = str(text)
            if not any(row[1:]):  # a section's name across the row
                t.cell(i, 0).merge(t.cell(i, len(header) - 1))
        for r in t.rows:
            for c in r.cells:
                for p in c.text_frame.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(10)
        _mode_mark(s, pack)


def _section(prs, pack: Pack, part, render_png: Callable) -> None:
    cells = []  # (heading, figure or None, alt, text under it, wide)
    for item in part.items:
        if not item.figures:
            cells.append((item.headline, None, "", item.text or "", False))
        for n, (kind, fig, alt) in enumerate(item.figures):
            heading = item.headline if n == 0 else item.titles.get(kind, item.indicator.title)
            notes = " ".join(pack.captions.get(id(fig), []))
            text = " ".join(x for x in ((item.text if n == 0 else alt), notes) if x)
            cells.append((heading, fig, alt, text, kind in WIDE_KINDS))
    slides, used = [], COLUMNS * ROWS
    for cell in cells:
        span = 2 if cell[4] else 1
        col = used % COLUMNS
        if col + span > COLUMNS:
            used += COLUMNS - col
        if used + span > COLUMNS * ROWS:
            slides.append([])
            used = 0
        slides[-1].append((used, cell))
        used += span
    for n, chunk in enumerate(slides, start=1):
        s = _titled(prs, part.title + (f" ({n} of {len(slides)})" if len(slides) > 1 else ""))
        for at, (heading, fig, alt, text, wide) in chunk:
            left = MARGIN + (at % COLUMNS) * (CELL_W + GAP)
            top = TOP + (at // COLUMNS) * (CELL_H + GAP)
            width = CELL_W * (2 if wide else 1) + (GAP if wide else 0)
            _text(s, left, top, width, Inches(0.42), heading, 11, bold=True)
            y = top + Inches(0.45)
            if fig is not None:
                w_px, h_px = fig.layout.width or 1000, fig.layout.height or 560
                # the full cell width: print_style sized its text (>= 8 pt) for this width
                h = int(width * h_px / w_px)
                pic = s.shapes.add_picture(io.BytesIO(render_png(fig)), left, y, width, h)
                set_alt_text(pic, alt, title=heading)
                y += h + Inches(0.03)
            _text(s, left, y, width, max(top + CELL_H - y, Inches(0.3)), text, 9)
        _mode_mark(s, pack)


WIDE_KINDS = ("rolling", "dots", "waiting")  # the adoption page's charts take two columns


def build_pptx(pack: Pack, render_png: Callable) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    title_layout, title_only = prs.slide_layouts[0], prs.slide_layouts[5]

    s = prs.slides.add_slide(title_layout)
    s.shapes.title.text = pack.authority
    sub = s.placeholders[1]
    sub.text = f"{pack.title}\n" + ("CONFIDENTIAL: includes small numbers" if pack.mode == PRIVATE
                                    else "Public. " + NOTE)
    _mode_mark(s, pack)

    _summary(prs, pack)
    if pack.exceptions is not None:
        _exceptions(prs, pack, render_png)
    for part in pack.sections:
        _section(prs, pack, part, render_png)
    if getattr(pack, "action_plan", None) is not None:  # the board's own business
        add_plan_to_pptx(prs, pack.action_plan, mark=lambda slide: _mode_mark(slide, pack))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
