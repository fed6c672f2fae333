"""Word tables as the board pack draws them (the pack's comparison tables and the action
plan's): a caption kept with its table, a bold header row repeated on each page and marked as
a header for screen readers, cells as plain text."""
from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def mark_header_row(row) -> None:
    """Repeat this row at the top of each page and tell screen readers it is a header."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def add_table(doc, header: list[str], rows: list[list[str]], caption: str, widths=None):
    """A "Table Grid" table after its caption (none when empty); `widths`, one a column."""
    if caption:
        p = doc.add_paragraph(caption, style="Caption")
        p.paragraph_format.keep_with_next = True
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(t.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    mark_header_row(t.rows[0])
    for row in rows:
        for cell, text in zip(t.add_row().cells, row):
            cell.text = str(text)  # plain text: nothing in a table cell is markup
    if widths:
        for row in t.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = w
    return t
