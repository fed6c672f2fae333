"""The board pack as a Word document (python-docx) laid out as the real report (issue 17):
title page with the council's logo and a contents (a linked line per Heading 1 in a Word
TOC field, page numbers from a first PDF when one is made); every indicator in one summary
table; the exceptions and key points; then each section (Heading 1) with its charts two
across on A4 portrait or three on landscape (`Page`), each with its heading, picture (alt
text), the notes taken out of the picture, its one-sentence summary and a small comparator
table in the row below; then the action plan and (optionally) the definitions.

Real Word heading styles (navigation pane, contents, PDF bookmarks), header rows that repeat
across pages, alt text on every picture (python-docx does not set it), page numbers, the
month and the mode (Public / CONFIDENTIAL) in the header of every page.
"""
from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Callable

import markdown
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from exports.action_plan_export import add_to_docx as add_plan_to_docx
from exports.content import COMPARISON_HEADER, Item, Pack, comparison_rows
from exports.docx_table import add_table, mark_header_row
from exports.print_style import OWN_LINES
from exports.suppression import NOTE, PRIVATE, SUPPRESSED
from present.pack import summary_cells, summary_header

TEXT_WIDTH = Cm(16)  # A4 (21 cm) less 2.5 cm margins
CONFIDENTIAL_RED = RGBColor(0xD4, 0x35, 0x1C)


# ---------------------------------------------------------------- low-level helpers

def set_alt_text(inline_shape, text: str, title: str | None = None) -> None:
    """Word's alt text lives on wp:docPr (descr); python-docx leaves it empty."""
    doc_pr = inline_shape._inline.docPr
    doc_pr.set("descr", text)
    if title:
        doc_pr.set("title", title)


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


class _DocxWriter(HTMLParser):
    """Writes the HTML that `markdown` makes of key points and commentary into Word: headings
    (`###` -> Heading 3), paragraphs, bullet and numbered lists, bold and italic runs."""
    HEADINGS = {f"h{n}": n for n in range(1, 7)}

    def __init__(self, doc):
        super().__init__(convert_charrefs=True)
        self.doc, self.para, self.lists, self.bold, self.italic = doc, None, [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HEADINGS:  # (a table cell has no add_heading: the style does it)
            self.para = self.doc.add_paragraph(style=f"Heading {self.HEADINGS[tag]}")
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


# ---------------------------------------------------------------- page and look

AF_DARK_BLUE = "12436D"  # Analysis Function palette: headings unless the council sets a colour
GAP = Cm(0.5)  # more than the cell margins (2 x 0.19 cm), so a picture fits its cell


@dataclass
class Page:
    """A4 portrait (two charts across) or landscape (three across)."""
    landscape: bool

    @property
    def size(self):
        return (Mm(297), Mm(210)) if self.landscape else (Mm(210), Mm(297))

    @property
    def margin(self):
        return Cm(1.6)

    @property
    def text_width(self):
        return self.size[0] - 2 * self.margin

    @property
    def columns(self) -> int:
        return 3 if self.landscape else 2

    @property
    def column_width(self):
        return int(self.text_width / self.columns)

    @property
    def picture_width(self):
        return self.column_width - GAP


def page_of(pack: Pack) -> Page:
    d = pack.definition
    return Page(landscape=bool(d and d.orientation == "landscape"))


def chart_print_width_cm(orientation: str = "portrait") -> float:
    """How wide a chart prints in the pack (cm): exports.print_style sizes its text by this."""
    return Page(orientation == "landscape").picture_width / 360000


def _heading_rgb(pack: Pack) -> RGBColor:
    d = pack.definition
    colour = (d.heading_colour if d and d.heading_colour else "#" + AF_DARK_BLUE)[1:]
    return RGBColor.from_string(colour.upper())


def _setup(doc, pack: Pack) -> None:
    page = page_of(pack)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE if page.landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = page.size
    sec.left_margin = sec.right_margin = page.margin
    sec.top_margin = sec.bottom_margin = Cm(1.1)
    sec.header_distance = sec.footer_distance = Cm(0.5)
    styles = doc.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(10)
    styles["Normal"].paragraph_format.space_after = Pt(3)
    # single line spacing (the template's default is 1.15): a row of charts a page more
    styles["Normal"].paragraph_format.line_spacing = 1.0
    colour = _heading_rgb(pack)
    for name, size in (("Title", 24), ("Heading 1", 15), ("Heading 2", 11), ("Heading 3", 10)):
        st = styles[name]
        st.font.name = "Arial"
        st.font.size = Pt(size)
        if name != "Title":
            st.font.color.rgb = colour
            st.paragraph_format.space_before = Pt(8 if name == "Heading 1" else 4)
            st.paragraph_format.space_after = Pt(3)
    for name in ("Caption", "List Bullet"):
        styles[name].font.size = Pt(9)
        styles[name].paragraph_format.line_spacing = 1.0
    doc.core_properties.title = f"{pack.authority}: {pack.title}"
    doc.core_properties.subject = "Corporate Parenting Board performance report"
    doc.core_properties.keywords = pack.mode_label
    # Word fills in the contents (page numbers) when the file is opened
    upd = OxmlElement("w:updateFields")
    upd.set(qn("w:val"), "true")
    doc.settings.element.append(upd)

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


def _title_page(doc, pack: Pack):
    """Title, mode and the contents; returns the paragraph the contents go before."""
    d = pack.definition
    if d is not None and d.logo is not None:
        p = doc.add_paragraph()
        shape = p.add_run().add_picture(str(d.logo), height=Cm(2.2))
        set_alt_text(shape, f"{pack.authority} logo")
    doc.add_paragraph(pack.authority, style="Title")
    doc.add_paragraph(pack.title, style="Subtitle")
    doc.add_paragraph("Corporate Parenting Board: looked-after children and care leavers")
    p = doc.add_paragraph()
    run = p.add_run("CONFIDENTIAL: includes small numbers. Not for publication."
                    if pack.mode == PRIVATE else "Public")
    run.bold = True
    run.font.size = Pt(13)
    if pack.mode == PRIVATE:
        run.font.color.rgb = CONFIDENTIAL_RED
    else:
        doc.add_paragraph(NOTE)
    if pack.is_sample:
        doc.add_paragraph("Sample data: a synthetic authority, not real children.").runs[0].bold = True
    p = doc.add_paragraph()
    r = p.add_run("Contents")
    r.bold = True
    r.font.size = Pt(13)
    r.font.color.rgb = _heading_rgb(pack)
    marker = doc.add_paragraph()  # the summary follows the contents on the first page
    marker.paragraph_format.space_after = Pt(6)
    return marker


# ---------------------------------------------------------------- contents

TOC_INSTR = 'TOC \\o "1-1" \\h \\z \\u'


def _bookmark(paragraph, name: str, bid: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bid))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bid))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _fld_run(kind: str, instr: str | None = None):
    r = OxmlElement("w:r")
    if instr is None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
    else:
        el = OxmlElement("w:instrText")
        el.set(qn("xml:space"), "preserve")
        el.text = f" {instr} "
    r.append(el)
    return r


def heading_titles(doc) -> list:
    return [p for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]


def _contents(doc, marker, page_width, pages: dict[str, int] | None) -> None:
    """The contents before `marker`: one line per Heading 1, linked to it, with its page
    number when known (`pages`: title -> page, from a first PDF of the same document),
    inside a Word TOC field so Word can refresh it."""
    heads = heading_titles(doc)
    lines = []
    for n, h in enumerate(heads, start=1):
        name = f"_Toc_pack_{n:03d}"
        _bookmark(h, name, 9000 + n)
        p = marker.insert_paragraph_before()
        p.paragraph_format.tab_stops.add_tab_stop(page_width, WD_TAB_ALIGNMENT.RIGHT,
                                                  WD_TAB_LEADER.DOTS)
        p.paragraph_format.space_after = Pt(1)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        page = (pages or {}).get(h.text)
        for text in (h.text, "\t") + ((str(page),) if page else ()):
            r = OxmlElement("w:r")
            if text == "\t":
                r.append(OxmlElement("w:tab"))
            else:
                t = OxmlElement("w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = text
                r.append(t)
            link.append(r)
        p._p.append(link)
        lines.append(p)
    if lines:
        first, last = lines[0]._p, lines[-1]._p
        anchor = first.pPr if first.pPr is not None else None
        runs = [_fld_run("begin"), _fld_run("", TOC_INSTR), _fld_run("separate")]
        for i, r in enumerate(runs):
            if anchor is not None:
                anchor.addnext(r)
                anchor = r
            else:
                first.insert(i, r)
        last.append(_fld_run("end"))


# ---------------------------------------------------------------- grid of charts

@dataclass
class Cell:
    heading: str
    picture: bytes | None = None
    alt: str = ""
    title: str = ""
    caption: list[str] = field(default_factory=list)
    sentence: str | None = None
    bullets: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # the small table
    table_caption: str = ""
    commentary: str | None = None
    wide: bool = False


def _tight(table, cm: float = 0.08) -> None:
    """Narrow cell margins (left and right) for the small tables."""
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(cm * 567)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def _no_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _small(paragraph, size: float = 8.5) -> None:
    for r in paragraph.runs:
        r.font.size = Pt(size)


def _fill(cell_el, c: Cell, width, rgb) -> None:
    p = cell_el.paragraphs[0]
    r = p.add_run(c.heading)
    r.bold = True
    r.font.size = Pt(9.5)
    p.paragraph_format.space_after = Pt(1)
    r.font.color.rgb = rgb
    # (no keep-with-next inside a cell: LibreOffice then keeps the whole row off a page that
    # has room for it; the row itself never splits)
    for b in c.bullets:
        q = cell_el.add_paragraph(b, style="List Bullet")
        q.paragraph_format.space_after = Pt(0)
        _small(q, 8)
    if c.picture is not None:
        q = cell_el.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        shape = q.add_run().add_picture(io.BytesIO(c.picture), width=width)
        set_alt_text(shape, c.alt, title=c.title or c.heading)
    if c.caption or c.sentence:  # the notes taken out of the picture, then its summary
        q = cell_el.add_paragraph(" ".join(  # one sentence each
            line if line.endswith((".", ":", "?", "!")) else line + "." for line in c.caption))
        if c.sentence:
            q.add_run(("\n" if c.caption else "") + c.sentence)
        q.paragraph_format.space_after = Pt(1)
        _small(q, 8)
    if c.commentary:
        n = len(cell_el.paragraphs)
        _paragraphs(cell_el, c.commentary)
        for q in cell_el.paragraphs[n:]:
            _small(q, 9)


def _fill_table(cell_el, c: Cell, width) -> None:
    """The small table under a chart, in the grid row below the chart's (LibreOffice moves a
    row that may not split and holds a table to the next page whether or not it fits)."""
    if c.pairs:
        q = cell_el.paragraphs[0]
        q.add_run(c.table_caption)
        q.paragraph_format.space_after = Pt(0)
        _small(q, 8)
        rows = (len(c.pairs) + 1) // 2
        t = cell_el.add_table(rows=rows + 1, cols=4)
        t.style = "Table Grid"
        t.autofit = False
        _tight(t)
        widths = [int(width * f) for f in (0.22, 0.28, 0.22, 0.28)]
        for col, w in zip(t.columns, widths):
            col.width = w
        for row in t.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = w
        for cell, text in zip(t.rows[0].cells, ["Figure", "Value", "Figure", "Value"]):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        mark_header_row(t.rows[0])
        for i, (what, value) in enumerate(c.pairs):
            row = t.rows[1 + i % rows]
            row.cells[2 * (i // rows)].text = what
            row.cells[2 * (i // rows) + 1].text = value
        for row in t.rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    para.paragraph_format.space_after = Pt(0)
                    _small(para, 8)
        gap = cell_el.add_paragraph()  # (a cell ends with a paragraph): a thin gap
        gap.paragraph_format.space_after = Pt(0)
        gap.paragraph_format.line_spacing = Pt(4)


def _grid(doc, cells: list[Cell], page: Page, rgb) -> None:
    """Charts side by side, `page.columns` across (a wide cell takes two columns); a row
    never splits across pages."""
    if not cells:
        return
    cols = page.columns
    t = doc.add_table(rows=0, cols=cols)
    t.autofit = False
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    for col in t.columns:  # the grid's widths (LibreOffice reads these, Word the cells')
        col.width = page.column_width
    rows, used = [], cols
    for c in cells:
        span = 2 if c.wide else 1
        if used + span > cols:
            rows.append([])
            used = 0
        rows[-1].append((used, span, c))
        used += span
    for group in rows:
        charts = t.add_row()
        _no_split(charts)
        tables = t.add_row() if any(c.pairs for _, _, c in group) else None
        for row in (charts, tables):
            for cell in row.cells if row is not None else ():
                cell.width = page.column_width
        for at, span, c in group:
            width = page.picture_width * span + GAP * (span - 1)
            target = charts.cells[at]
            if span == 2:
                target = target.merge(charts.cells[at + 1])
            _fill(target, c, width, rgb)
            if tables is not None and c.pairs:
                below = tables.cells[at]
                if span == 2:
                    below = below.merge(tables.cells[at + 1])
                _fill_table(below, c, width)


def _pairs(item: Item, authority: str) -> list[tuple[str, str]]:
    out = []
    for what, period, value, children in comparison_rows(item, authority):
        if what.startswith(f"{authority} "):  # the table's caption names the authority
            what = what[len(authority) + 1:].strip("()").capitalize()
        extra = "; ".join(x for x in (period, children) if x)
        out.append((what, value + (f" ({extra})" if extra else "")))
    return out


def item_cells(item: Item, pack: Pack, render_png: Callable) -> list[Cell]:
    """An indicator: its trend (heading, chart, sentence, small table, commentary) then each
    further chart (breakdowns, SPC, adoption charts) with its own heading and summary."""
    ind = item.indicator
    cells = []
    for n, (kind, fig, alt) in enumerate(item.figures):
        title = item.titles.get(kind, f"{ind.title} ({kind} chart)")
        c = Cell(heading=item.headline if n == 0 else title, picture=render_png(fig), alt=alt,
                 title=title, caption=pack.captions.get(id(fig), []),
                 wide=kind in CHART_KINDS_WIDE)
        if n == 0:
            c.sentence = item.text
            c.pairs = _pairs(item, pack.authority)
            c.table_caption = f"{ind.title}: {pack.authority} and comparators"
            c.commentary = item.commentary
        else:
            c.sentence = alt
        cells.append(c)
    if not cells:
        cells.append(Cell(heading=item.headline, sentence=item.text,
                          pairs=_pairs(item, pack.authority),
                          table_caption=f"{ind.title}: {pack.authority} and comparators",
                          commentary=item.commentary))
    return cells


CHART_KINDS_WIDE = ("rolling", "dots", "waiting")  # the adoption page's charts


# ---------------------------------------------------------------- summary first

def _summary(doc, pack: Pack, page: Page) -> None:
    """Every indicator in one table, as the key points page shows it."""
    doc.add_heading("Summary of the indicators", level=1)
    doc.add_paragraph(f"Each indicator's latest figure as at {pack.month}, its change (better "
                      "or worse by what is good for the indicator), target and status, and the "
                      "published comparators; the sections below have the charts.")
    header = summary_header(pack.region_name)
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.autofit = False
    _tight(t)
    for cell, text in zip(t.rows[0].cells, header):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    mark_header_row(t.rows[0])
    for part in pack.sections:
        row = t.add_row()
        _no_split(row)
        merged = row.cells[0].merge(row.cells[-1])
        merged.text = part.title
        merged.paragraphs[0].runs[0].bold = True
        for item in part.items:
            row = t.add_row()
            _no_split(row)
            for cell, text in zip(row.cells, summary_cells(item.indicator, item.summary,
                                                           hidden=SUPPRESSED)):
                cell.text = text
    # (most rows in two lines; a comparator or rank heading's longest word, "neighbours"
    # or "(England)" in 8 pt bold, fits its column without breaking mid-word)
    share = [3.3, 2.0, 3.4, 2.6, 1.8, 1.8, 1.8, 1.5]
    scale = page.text_width / Cm(sum(share))
    for col, w in zip(t.columns, share):
        col.width = int(Cm(w) * scale)
    for row in t.rows:
        for cell, w in zip(row.cells, share):
            cell.width = int(Cm(w) * scale)
            for para in cell.paragraphs:
                para.paragraph_format.space_after = Pt(0)
                _small(para, 8)


def _exceptions(doc, part, pack: Pack, page: Page, render_png: Callable) -> None:
    """Needs attention, then improved for real (exports.exceptions_export), charts side by
    side."""
    rgb = _heading_rgb(pack)
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
        cells = []
        for e in entries:
            c = Cell(heading=f"{e.title}: {e.value_text}" + (f" in {e.period}" if e.period else ""),
                     bullets=list(e.reasons))
            if e.figure is not None:
                c.picture, c.alt, c.title = render_png(e.figure), e.alt, f"{e.title}: SPC chart"
                c.caption = pack.captions.get(id(e.figure), [])
                c.sentence = e.alt
            elif e.note:
                c.sentence = e.note
            cells.append(c)
        _grid(doc, cells, page, rgb)


def shared_notes(pack: Pack, at_least: int = 3) -> list[str]:
    """Notes under three or more charts (how to read them: out-turn rings, annual comparators)
    said once before the sections instead of under every chart."""
    counts: dict[str, int] = {}
    for lines in pack.captions.values():
        for line in set(lines):
            counts[line] = counts.get(line, 0) + 1
    return [line for line, n in counts.items()
            if n >= at_least and not line.startswith(OWN_LINES)]


def _columns(section, n: int, space_cm: float = 0.8) -> None:
    """Lay a Word section out in `n` newspaper columns."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:cols")):
        sect_pr.remove(old)
    cols = OxmlElement("w:cols")
    cols.set(qn("w:num"), str(n))
    cols.set(qn("w:space"), str(int(space_cm * 567)))
    sect_pr.append(cols)


def _definitions(doc, pack: Pack) -> None:
    """The appendix on a new page in two columns at 8 pt (the report's appendix is as
    compact): each indicator's title, code, definition, what is good, source."""
    h = doc.add_heading("Definitions", level=1)
    h.paragraph_format.page_break_before = True
    # the heading across the page, the entries in two columns below it (a continuous section)
    doc.add_section(WD_SECTION.CONTINUOUS)
    _columns(doc.sections[-1], 2)
    for part in pack.sections:
        sub = doc.add_heading(part.title, level=2)
        sub.paragraph_format.keep_with_next = True
        for item in part.items:
            ind = item.indicator
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(2)
            p.add_run(f"{ind.title} ({ind.code}). ").bold = True
            p.add_run(ind.definition)
            if ind.good:  # (the source is under the indicator's chart)
                p.add_run(" " + ind.good)
            _small(p, 8)
    if pack.mode != PRIVATE:
        doc.add_heading("Small numbers", level=2)
        _small(doc.add_paragraph(NOTE), 8)


def build_docx(pack: Pack, render_png: Callable, pages: dict[str, int] | None = None) -> bytes:
    """The Word file. `render_png(fig) -> bytes` draws each chart (kaleido in production);
    `pages` (Heading 1 text -> page) puts page numbers in the contents."""
    doc = Document()
    page = page_of(pack)
    rgb = _heading_rgb(pack)
    _setup(doc, pack)
    marker = _title_page(doc, pack)

    _summary(doc, pack, page)
    notes = shared_notes(pack)
    if notes:
        doc.add_heading("Reading the charts", level=2).paragraph_format.keep_with_next = True
        for line in notes:
            doc.add_paragraph(line, style="List Bullet")
        pack = copy.copy(pack)  # (keeps the action plan set on the pack)
        pack.captions = {k: [x for x in v if x not in notes] for k, v in pack.captions.items()}
    if pack.exceptions is not None:
        _exceptions(doc, pack.exceptions, pack, page, render_png)
    doc.add_heading("Key points", level=1)
    _paragraphs(doc, pack.key_points, empty=f"No key points were written for {pack.month}.")
    for part in pack.sections:
        if part.commentary:
            doc.add_heading(part.title, level=3)
            _paragraphs(doc, part.commentary)

    for part in pack.sections:
        h = doc.add_heading(part.title, level=1)
        h.paragraph_format.keep_with_next = True
        doc.add_paragraph(part.summary).paragraph_format.keep_with_next = True
        if part.scorecard is not None:
            card = part.scorecard
            doc.add_heading("Adoption scorecard", level=2).paragraph_format.keep_with_next = True
            doc.add_paragraph(card.text)
            w = page.text_width / Cm(16)
            t = add_table(doc, COMPARISON_HEADER, card.rows, card.caption,
                       widths=[int(Cm(x) * w) for x in (3.6, 3.6, 6.2, 2.6)])
            for row in t.rows:
                for cell in row.cells:
                    for para in cell.paragraphs:
                        para.paragraph_format.space_after = Pt(0)
                        _small(para, 8.5)
        cells = [c for item in part.items for c in item_cells(item, pack, render_png)]
        _grid(doc, cells, page, rgb)

    if getattr(pack, "action_plan", None) is not None:  # the board's own business
        add_plan_to_docx(doc, pack.action_plan)

    if pack.definition is None or pack.definition.definitions:
        _definitions(doc, pack)

    _contents(doc, marker, page.text_width, pages)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
