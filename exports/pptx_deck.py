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
from exports.suppression import NOTE, PRIVATE

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

    if pack.exceptions is not None:
        _exceptions(prs, pack, render_png)
    for item in pack.items:
        for kind, fig, alt in item.figures:
            s = prs.slides.add_slide(title_only)
            title = s.shapes.title
            title.left, title.top = Inches(0.4), Inches(0.2)
            title.width, title.height = SLIDE_W - Inches(0.8), Inches(0.9)
            title.text = item.titles.get(kind, item.headline)
            for p in title.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(26)
            png = render_png(fig)
            # fit the picture in the space under the title, keeping its shape
            w_px = fig.layout.width or 1000
            h_px = fig.layout.height or 560
            box_w, box_h = SLIDE_W - Inches(0.8), SLIDE_H - Inches(1.7)
            scale = min(box_w / w_px, box_h / h_px)
            w, h = Emu(int(w_px * scale)), Emu(int(h_px * scale))
            pic = s.shapes.add_picture(io.BytesIO(png), int((SLIDE_W - w) / 2), Inches(1.15), w, h)
            set_alt_text(pic, alt, title=item.titles.get(kind, f"{item.indicator.title} ({kind} chart)"))
            _mode_mark(s, pack)
    if getattr(pack, "action_plan", None) is not None:  # the board's own business
        add_plan_to_pptx(prs, pack.action_plan, mark=lambda slide: _mode_mark(slide, pack))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
