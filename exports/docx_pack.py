"""The board pack as a Word document (python-docx), A4 portrait, in the report's structure:
title page, key points, each section (Heading 1) with each indicator (Heading 2: what the
chart shows), its chart with alt text, a comparator table and commentary, then definitions.
The Adoption section opens with the scorecard table when adoption records are loaded.

Real Word heading styles (navigation pane, table of contents), header rows that repeat across
pages, alt text on every picture (python-docx does not set it), page numbers, the month and
the mode (Public / CONFIDENTIAL) in the header of every page.
"""
from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Callable

import markdown
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from exports.action_plan_export import add_to_docx as add_plan_to_docx
from exports.content import COMPARISON_HEADER, Pack, comparison_rows
from exports.suppression import NOTE, PRIVATE

TEXT_WIDTH = Cm(16)  # A4 (21 cm) less 2.5 cm margins
CONFIDENTIAL_RED = RGBColor(0xD4, 0x35, 0x1C)


# ---------------------------------------------------------------- low-level helpers

def set_alt_text(inline_shape, text: str, title: str | None = None) -> None:
    """Word's alt text lives on wp:docPr (descr); python-docx leaves it empty."""
    doc_pr = inline_shape._inline.docPr
    doc_pr.set("descr", text)
    if title:
        doc_pr.set("title", title)


def mark_header_row(row) -> None:
    """Repeat this row at the top of each page and tell screen readers it is a header."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _field(paragraph, instr: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) as begin/instr/separate/result/end runs."""
    def fld(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el
    r = paragraph.add_run()
    r._r.append(fld("begin"))
    r = paragraph.add_run()
    t = OxmlElement("w:instrText")
    t.set(qn("xml:space"), "preserve")
    t.text = f" {instr} "
    r._r.append(t)
    r = paragraph.add_run()
    r._r.append(fld("separate"))
    paragraph.add_run(placeholder)
    r = paragraph.add_run()
    r._r.append(fld("end"))


def _table(doc, header: list[str], rows: list[list[str]], caption: str, widths=None):
    if caption:
        p = doc.add_paragraph(caption, style="Caption")
        p.paragraph_format.keep_with_next = True
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(t.rows[0].cells, header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    mark_header_row(t.rows[0])
    for row in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = str(text)
    if widths:
        for row in t.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = w
    return t


class _DocxWriter(HTMLParser):
    """Writes the HTML that `markdown` makes of key points and commentary into Word: headings
    (`###` -> Heading 3), paragraphs, bullet and numbered lists, bold and italic runs."""
    HEADINGS = {f"h{n}": n for n in range(1, 7)}

    def __init__(self, doc):
        super().__init__(convert_charrefs=True)
        self.doc, self.para, self.lists, self.bold, self.italic = doc, None, [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HEADINGS:
            self.para = self.doc.add_heading("", level=self.HEADINGS[tag])
        elif tag == "p" and not self.lists:
            self.para = self.doc.add_paragraph()
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            self.para = self.doc.add_paragraph(
                style="List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet")
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "br" and self.para is not None:
            self.para.add_run().add_break()

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("strong", "b"):
            self.bold -= 1
        elif tag in ("em", "i"):
            self.italic -= 1
        elif tag in self.HEADINGS or tag in ("p", "li"):
            if self.para is not None and self.para.runs:
                self.para.runs[-1].text = self.para.runs[-1].text.rstrip()
            self.para = None

    def handle_data(self, data):
        if not data.strip() and (self.para is None or not self.para.runs):
            return
        if self.para is None:
            self.para = self.doc.add_paragraph()  # text outside any block
        text = " ".join(data.split("\n"))
        if not self.para.runs:
            text = text.lstrip()
        run = self.para.add_run(text)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None


def _paragraphs(doc, text: str | None, empty: str | None = None) -> None:
    """Key points and commentary, written in Markdown (`###` headings, `-` bullets, `1.`
    numbered lists, paragraphs split by blank lines, **bold**, *italic*), as Word styles."""
    if not text or not text.strip():
        if empty:
            p = doc.add_paragraph(empty)
            p.runs[0].italic = True
        return
    writer = _DocxWriter(doc)
    writer.feed(markdown.markdown(text.strip()))
    writer.close()


def _setup(doc, pack: Pack) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Cm(2.5)
    sec.top_margin = sec.bottom_margin = Cm(2.2)
    styles = doc.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(11)
    for name, size in (("Title", 26), ("Heading 1", 18), ("Heading 2", 13)):
        styles[name].font.name = "Arial"
        styles[name].font.size = Pt(size)
    doc.core_properties.title = f"{pack.authority}: {pack.title}"
    doc.core_properties.subject = "Corporate Parenting Board performance report"
    doc.core_properties.keywords = pack.mode_label

    # Header on every page: authority, month, mode. Footer: page X of Y.
    head = sec.header.paragraphs[0]
    head.text = f"{pack.authority} · {pack.title}"
    run = head.add_run(f"   {pack.mode_label}")
    run.bold = True
    if pack.mode == PRIVATE:
        run.font.color.rgb = CONFIDENTIAL_RED
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("Page ")
    _field(foot, "PAGE")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES")


def _title_page(doc, pack: Pack) -> None:
    doc.add_paragraph(pack.authority, style="Title")
    doc.add_paragraph(pack.title, style="Subtitle")
    doc.add_paragraph("Corporate Parenting Board: looked-after children and care leavers")
    p = doc.add_paragraph()
    run = p.add_run("CONFIDENTIAL: includes small numbers. Not for publication."
                    if pack.mode == PRIVATE else "Public")
    run.bold = True
    run.font.size = Pt(14)
    if pack.mode == PRIVATE:
        run.font.color.rgb = CONFIDENTIAL_RED
    else:
        doc.add_paragraph(NOTE)
    if pack.is_sample:
        doc.add_paragraph("Sample data: a synthetic authority, not real children.").runs[0].bold = True
    doc.add_paragraph().add_run("Contents").bold = True
    toc = doc.add_paragraph()
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u',
           "Right-click here and choose Update Field to show the contents.")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _exceptions(doc, part, render_png: Callable) -> None:
    """Needs attention, then improved for real (exports.exceptions_export), at the front."""
    doc.add_heading("What needs attention this month", level=1)
    doc.add_paragraph(part.intro)
    for heading, entries, none in (
            (None, part.attention, "Nothing needs the board's attention this month."),
            ("Improved for real", part.improved, "No figure is showing a real improvement "
                                                 "this month.")):
        if heading:
            doc.add_heading(heading, level=1)
        if not entries:
            doc.add_paragraph(none)
        for e in entries:
            doc.add_heading(f"{e.title}: {e.value_text}" + (f" in {e.period}" if e.period else ""),
                            level=2).paragraph_format.keep_with_next = True
            for reason in e.reasons:
                doc.add_paragraph(reason, style="List Bullet")
            if e.figure is not None:
                p = doc.add_paragraph()
                shape = p.add_run().add_picture(io.BytesIO(render_png(e.figure)), width=TEXT_WIDTH)
                set_alt_text(shape, e.alt, title=f"{e.title}: SPC chart")
                doc.add_paragraph(e.alt)
            elif e.note:
                doc.add_paragraph(e.note)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def build_docx(pack: Pack, render_png: Callable) -> bytes:
    """The Word file. `render_png(fig) -> bytes` draws each chart (kaleido in production)."""
    doc = Document()
    _setup(doc, pack)
    _title_page(doc, pack)

    if pack.exceptions is not None:
        _exceptions(doc, pack.exceptions, render_png)
    doc.add_heading("Key points", level=1)
    _paragraphs(doc, pack.key_points, empty=f"No key points were written for {pack.month}.")
    for part in pack.sections:
        if part.commentary:
            doc.add_heading(part.title, level=3)
            _paragraphs(doc, part.commentary)

    for part in pack.sections:
        h = doc.add_heading(part.title, level=1)
        h.paragraph_format.page_break_before = True
        doc.add_paragraph(part.summary)
        if part.scorecard is not None:
            card = part.scorecard
            doc.add_heading("Adoption scorecard", level=2).paragraph_format.keep_with_next = True
            doc.add_paragraph(card.text)
            _table(doc, COMPARISON_HEADER, card.rows, card.caption,
                   widths=[Cm(3.6), Cm(3.6), Cm(6.2), Cm(2.6)])
        for item in part.items:
            ind = item.indicator
            doc.add_heading(item.headline, level=2).paragraph_format.keep_with_next = True
            for kind, fig, alt in item.figures:
                p = doc.add_paragraph()
                p.paragraph_format.keep_with_next = True
                shape = p.add_run().add_picture(io.BytesIO(render_png(fig)), width=TEXT_WIDTH)
                set_alt_text(shape, alt, title=item.titles.get(kind, f"{ind.title} ({kind} chart)"))
            doc.add_paragraph(item.text)
            _table(doc, COMPARISON_HEADER, comparison_rows(item, pack.authority),
                   f"{ind.title}: {pack.authority} and comparators",
                   widths=[Cm(6), Cm(2.6), Cm(4.4), Cm(3)])
            if item.commentary:
                _paragraphs(doc, item.commentary)

    if getattr(pack, "action_plan", None) is not None:  # the board's own business
        add_plan_to_docx(doc, pack.action_plan)

    doc.add_heading("Definitions", level=1).paragraph_format.page_break_before = True
    for part in pack.sections:
        doc.add_heading(part.title, level=2)
        for item in part.items:
            ind = item.indicator
            p = doc.add_paragraph()
            p.add_run(f"{ind.title} ({ind.code}). ").bold = True
            p.add_run(ind.definition)
            extra = " ".join(x for x in (ind.good, f"Source: {ind.source}.") if x)
            p.add_run(" " + extra)
    if pack.mode != PRIVATE:
        doc.add_heading("Small numbers", level=2)
        doc.add_paragraph(NOTE)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
