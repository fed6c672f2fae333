"""The board pack's action plan and schedule of outstanding matters, opened as a reader
would: the paper's columns, states and overdue flags in words and symbols, officers' names
in both modes, private notes only in the private pack."""
from __future__ import annotations

import io

import openpyxl
import pytest
from docx import Document
from pptx import Presentation

from exports.action_plan_export import (ACTION_HEADER, MATTER_HEADER, add_to_docx, add_to_pptx,
                                        plan_for_pack, xlsx_sheets)
from exports.tables_export import to_xlsx_bytes
from pipelines.store.queries import Warehouse

NOTE = "Sample private note"


def _docx(view) -> Document:
    doc = Document()
    add_to_docx(doc, view)
    buf = io.BytesIO()
    doc.save(buf)
    return Document(io.BytesIO(buf.getvalue()))


def _text(doc) -> str:
    return "\n".join([p.text for p in doc.paragraphs] +
                     [c.text for t in doc.tables for r in t.rows for c in r.cells])


@pytest.fixture
def wh(config):
    return Warehouse(config)


@pytest.mark.parametrize("mode", ["public", "private"])
def test_word_chapters_as_the_papers_lay_them_out(wh, mode):
    doc = _docx(plan_for_pack(wh, wh.latest_month(), mode))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Corporate Parenting action plan", "Action plan 2013-14",
                            "A Corporate Strategic Commitment"]
    assert "Schedule of outstanding matters" in headings
    # four outcomes' action tables, then the schedule and the requests
    assert len(doc.tables) == 6
    first = doc.tables[0]
    header = [c.text for c in first.rows[0].cells]
    assert header[:6] == ACTION_HEADER
    assert [c.text for c in first.rows[1].cells][3:5] == [
        "August 2013", "▶ Progressing in timescale; ⚠ Overdue"]
    schedule = doc.tables[4]
    assert [c.text for c in schedule.rows[0].cells][:5] == MATTER_HEADER
    assert [c.text for c in schedule.rows[2].cells][:3] == [
        "18 January 2018", "Councillor visits to establishments", "Emma Bennett"]
    text = _text(doc)
    assert "Lorna Tull" in text  # officers' names are not secret
    assert (NOTE in text) is (mode == "private")
    assert ("Private note" in header) is (mode == "private")


def test_a_past_month_shows_the_plan_then(wh, config):
    """A pack as at a month before the latest shows the plan at that month's end (here the
    figures' first month, when 13 of the 14 actions were long overdue); the latest month
    shows today's plan."""
    first = wh.months()[0]
    view = plan_for_pack(wh, first, "public")
    assert view.as_at == first and view.counts["overdue"] == 13


def test_excel_and_powerpoint(wh):
    for mode in ("public", "private"):
        view = plan_for_pack(wh, wh.latest_month(), mode)
        data = to_xlsx_bytes(xlsx_sheets(view, lambda what: [what]))
        wb = openpyxl.load_workbook(io.BytesIO(data))
        assert wb.sheetnames == ["Action plan", "Outstanding matters"]
        cells = [str(c.value) for row in wb["Action plan"].iter_rows() for c in row]
        assert (NOTE in " ".join(cells)) is (mode == "private")
        assert "⚠ Overdue" not in cells and "Overdue" in cells
        prs = Presentation()
        add_to_pptx(prs, view)
        slide_text = " ".join(sh.text_frame.text if sh.has_text_frame else
                              " ".join(c.text for r in sh.table.rows for c in r.cells)
                              for s in prs.slides for sh in s.shapes
                              if sh.has_text_frame or sh.has_table)
        assert "Performance Monitoring report" in slide_text
        assert "Leisure Pass for LAC and CL" in slide_text and NOTE not in slide_text


def test_the_board_pack_carries_the_plan(config):
    """The whole pack as the key-points page and `lacdash export` make it: Word (charts
    drawn) and Excel, public and private."""
    from exports.board_pack import build_board_pack_bytes
    public = Document(io.BytesIO(build_board_pack_bytes(config, None, "docx", "public")))
    headings = [p.text for p in public.paragraphs if p.style.name == "Heading 1"]
    assert headings.index("Corporate Parenting action plan") < headings.index(
        "Schedule of outstanding matters") < headings.index("Definitions")
    text = _text(public)
    assert "Implement Council Policy to offer extended paid and unpaid leave" in text
    assert "Councillor visits to establishments" in text and NOTE not in text
    private = build_board_pack_bytes(config, None, "xlsx", "private")
    wb = openpyxl.load_workbook(io.BytesIO(private))
    assert wb.sheetnames[-2:] == ["Action plan", "Outstanding matters"]
    cells = " ".join(str(c.value) for row in wb["Action plan"].iter_rows() for c in row)
    assert NOTE in cells
    public_xlsx = openpyxl.load_workbook(io.BytesIO(
        build_board_pack_bytes(config, None, "xlsx", "public")))
    cells = " ".join(str(c.value) for row in public_xlsx["Action plan"].iter_rows() for c in row)
    assert NOTE not in cells and "Lorna Tull" in cells
