"""The board pack as a user checks it: open it in python-docx, look at headings, pictures,
tables and headers, compare numbers with `lacdash show` (Warehouse.summary), and look for
small numbers in public mode. One public pack (all charts) and one small private pack."""
from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from exports import images
from exports.board_pack import build_board_pack_bytes, export_board_pack, render_pack
from exports.content import COMPARISON_HEADER, build_item, build_pack
from exports.suppression import SUPPRESSED
from present.pack import summary_header
from tests.exports.conftest import SMALL_MONTH

SMALL = {"1", "2", "3", "4"}
_N_OF_M = re.compile(r"(?<![\d,.])(\d[\d,]*) of (\d[\d,]*)(?![\d,.])")


class SMALL_OF:  # "3 of 40" or "3 of 4": a numerator or denominator of 1-4
    @staticmethod
    def search(text: str) -> bool:
        return any({a, b} & SMALL for a, b in _N_OF_M.findall(text))


@pytest.fixture(scope="module")
def public_pack(wh):
    """The whole pack as at a month with small numbers, drawn once (charts included)."""
    with images.BackgroundRenderer() as render:
        pack = build_pack(wh, SMALL_MONTH, "public", on_figure=render.submit)
        data = render_pack(pack, "docx", render)
    return pack, Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def private_doc(sample_config):
    data = build_board_pack_bytes(sample_config, SMALL_MONTH, "docx", "private",
                                  codes=["ADOPTIONS_NUMBER", "CLA_NUMBER", "HEALTH_CHECKS_PCT"])
    return Document(io.BytesIO(data))


def every_table(container):
    """Tables at any depth (the pack's charts sit in a grid; their tables inside its cells)."""
    for t in container.tables:
        yield t
        for row in t.rows:
            for cell in row.cells:
                yield from every_table(cell)


def all_text(doc) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in every_table(doc) for row in t.rows for c in row.cells]
    for s in doc.sections:  # (the footer is "Page n of m")
        texts += [p.text for p in s.header.paragraphs]
    return texts


def tables_by_title(doc, authority: str = "Sample Borough") -> dict[str, dict[str, str]]:
    """Each indicator's small comparator table (two figure-value pairs a row) keyed by the
    indicator title in the caption above it: {title: {figure: value}}."""
    out = {}
    grids = [t for t in every_table(doc) if len(t.columns) in (2, 3)]
    for grid in grids:
        for row in grid.rows:
            for cell in row.cells:
                captions = [p.text for p in cell.paragraphs
                            if p.text.endswith(f": {authority} and comparators")]
                if not captions or not cell.tables:
                    continue
                (caption,), (small,) = captions, cell.tables
                pairs = {}
                for r in small.rows[1:]:
                    texts = [c.text for c in r.cells]
                    for what, value in (texts[0:2], texts[2:4]):
                        if what:
                            pairs[what] = value
                out[caption.rsplit(": ", 1)[0]] = pairs
    return out


def split_value(text: str) -> tuple[str, str]:
    """'61% (May 2026; 12 of 15)' -> ('61%', 'May 2026; 12 of 15')."""
    value, _, rest = text.rpartition(" (")
    return value, rest.rstrip(")")


def test_every_section_is_a_word_heading_1(wh, public_pack):
    pack, doc = public_pack
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1[:2] == ["Summary of the indicators", "Key points"] and h1[-1] == "Definitions"
    assert h1[2:-1] == [s.title for s in wh.catalogue.sections]
    # every indicator's chart has its heading (bold, above it in its cell)
    headings = {c.paragraphs[0].text for t in every_table(doc) for r in t.rows for c in r.cells
                if c.paragraphs and c.paragraphs[0].runs and c.paragraphs[0].runs[0].bold}
    assert {i.headline for i in pack.items} <= headings


def _in_sections(wh):
    """The indicators the pack gives a heading, chart and table: every one but the
    all-children figures shown beside another (a catalogue `context`)."""
    return [i for s in wh.catalogue.sections for i in s.indicators]


def test_every_picture_has_alt_text_and_two_fit_across_the_a4_text_width(wh, public_pack):
    pack, doc = public_pack
    drawn = doc.element.body.findall(".//" + qn("wp:docPr"))
    assert len(drawn) == sum(len(i.figures) for i in pack.items) >= len(_in_sections(wh))
    for pr in drawn:
        assert pr.get("descr", "").strip()
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)  # A4 portrait
    text_width = sec.page_width - sec.left_margin - sec.right_margin
    widths = [int(e.get("cx")) for e in doc.element.body.findall(".//" + qn("wp:extent"))]
    assert all(w <= text_width for w in widths)
    half = [w for w in widths if w < text_width / 2]
    assert len(half) >= len(_in_sections(wh)) and min(half) > text_width / 2 - Mm(10)


def test_header_says_month_and_public_and_footer_numbers_pages(public_pack):
    _, doc = public_pack
    header = doc.sections[0].header.paragraphs[0].text
    assert "May 2026" in header and "Public" in header and "CONFIDENTIAL" not in header
    footer_xml = doc.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml


def test_tables_have_repeating_header_rows(public_pack):
    _, doc = public_pack
    data_tables = [t for t in every_table(doc) if t.style is not None
                   and t.style.name == "Table Grid"]  # the grid of charts has no lines
    assert len(data_tables) > 40
    for t in data_tables:
        assert [c.text for c in t.rows[0].cells] in (
            COMPARISON_HEADER, ["Figure", "Value", "Figure", "Value"], summary_header("West Midlands"))
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_public_table_numbers_equal_lacdash_show_except_small_ones(wh, public_pack):
    _, doc = public_pack
    tables = tables_by_title(doc)
    checked = suppressed = 0
    for ind in _in_sections(wh):  # all-children figures sit in their indicator's table
        s = wh.summary(ind.code, SMALL_MONTH)  # what `lacdash show` prints
        cell = tables[ind.title]["Latest"]
        if s["value"] is None:  # e.g. a measure only an SSDA903 extract gives
            assert cell.startswith("no figure"), (ind.code, cell)
            continue
        value, rest = split_value(cell)
        assert rest.split(";")[0] == (s["period"] or "")
        if ind.unit == "count" and 1 <= s["value"] < 5 or any(
                v is not None and 1 <= v < 5 for v in (s["numerator"], s["denominator"])):
            assert value == SUPPRESSED
            suppressed += 1
        elif value == SUPPRESSED:
            # a year-to-date figure hidden so that the month's own few children cannot be
            # worked out by subtracting last month's published figure from it
            assert ind.measure == "year_to_date" and _grew_by_few(wh, ind, s), ind.code
            suppressed += 1
        else:
            assert value == ind.format_value(s["value"])
            checked += 1
    assert checked > 30 and suppressed >= 1  # ADOPTIONS_NUMBER is 4 in May 2026


def _grew_by_few(wh, ind, s) -> bool:
    """The shown month's count, numerator or denominator is 1 to 4 more than an earlier
    month's of the same year (so subtraction would give away fewer than 5 children)."""
    series = wh.series(ind.code, SMALL_MONTH)
    months = series[series["period_type"] == "month"].sort_values("period_end")
    if len(months) < 2:
        return False
    fy = lambda d: d.year - (d.month < 4)  # noqa: E731 - financial year of a month end
    last = months.iloc[-1]
    months = months[[fy(d) == fy(last["period_end"]) for d in months["period_end"]]]
    fields = ["numerator", "denominator"] + (["value"] if ind.unit == "count" else [])
    for _, earlier in months.iloc[:-1].iterrows():
        for f in fields:
            a, b = last[f], earlier[f]
            if a == a and b == b and 1 <= float(a) - float(b) < 5:
                return True
    return False


def test_public_pack_has_no_count_from_1_to_4_anywhere(wh, public_pack):
    pack, doc = public_pack
    texts = all_text(doc)
    assert not [t for t in texts if SMALL_OF.search(t)]
    counts = {i.title for i in wh.catalogue.indicators if i.unit == "count"}
    for title, pairs in tables_by_title(doc).items():
        if title in counts:
            assert not [v for v in pairs.values() if split_value(v)[0] in SMALL], title
    assert any(SUPPRESSED in t for t in texts)
    # chart data: no plotted count of 1-4 and no "3 of 40" in hover text
    for item in pack.items:
        stacked_counts = {c.kind for c in item.charts if c.counts}
        for kind, fig, alt in item.figures:
            assert not SMALL_OF.search(alt)
            is_count = item.indicator.unit == "count" or kind in stacked_counts
            for trace in fig.data:
                meta = trace.meta or {}
                if is_count and meta.get("series") not in ("target",):
                    ys = [y for y in (trace.y or ()) if y is not None]
                    assert not [y for y in ys if 1 <= y < 5], (item.indicator.code, trace.name)
                for row in trace.customdata if trace.customdata is not None else ():
                    assert not SMALL_OF.search(" ".join(map(str, row)))


def test_private_pack_is_marked_confidential_and_shows_small_numbers(wh, private_doc):
    for s in private_doc.sections:
        assert "CONFIDENTIAL" in s.header.paragraphs[0].text
    tables = tables_by_title(private_doc)
    s = wh.summary("ADOPTIONS_NUMBER", SMALL_MONTH)
    assert s["value"] == 4
    assert split_value(tables["Children adopted this year"]["Latest"])[0] == "4"
    for code in ("CLA_NUMBER", "HEALTH_CHECKS_PCT"):
        ind = wh.catalogue.get(code)
        assert split_value(tables[ind.title]["Latest"])[0] == ind.format_value(
            wh.summary(code, SMALL_MONTH)["value"])


def test_xlsx_board_pack_from_the_command_line(sample_config, wh, tmp_path, capsys):
    import openpyxl
    out = tmp_path / "pack.xlsx"
    # the action plan is an appendix the director chooses in (issue 17: out by default)
    assert export_board_pack(sample_config, SMALL_MONTH, "xlsx", "public", out) == 0
    assert openpyxl.load_workbook(out).sheetnames[1:] == [
        s.title[:31] for s in wh.catalogue.sections]
    assert export_board_pack(sample_config, SMALL_MONTH, "xlsx", "public", out,
                             choice={"action_plan": True}) == 0
    assert str(out) in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[1:] == [s.title[:31] for s in wh.catalogue.sections] + [
        "Action plan", "Outstanding matters"]  # the board's own business ends the pack
    ws = wb["Population"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows.index(next(r for r in rows if r and r[0] == "Code"))
    by_code = {r[0]: dict(zip(rows[head], r)) for r in rows[head + 1:]}
    assert by_code["CLA_NUMBER"]["Value"] == wh.summary("CLA_NUMBER", SMALL_MONTH)["value"]
    adoption = {r[0]: r for r in wb["Adoption"].iter_rows(values_only=True)}
    assert adoption["ADOPTIONS_NUMBER"][4] is None  # 4 adoptions: suppressed


def test_pdf_without_libreoffice_says_which_package(sample_config, tmp_path, capsys, monkeypatch):
    import exports.pdf as pdf
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    assert export_board_pack(sample_config, None, "pdf", "public", tmp_path / "p.pdf") == 1
    assert "libreoffice-writer" in capsys.readouterr().err
    assert not (tmp_path / "p.pdf").exists()


def test_pdf_board_pack_keeps_headings_as_bookmarks(sample_config, tmp_path, capsys):
    """With LibreOffice installed (the test command installs it), the PDF pack is a real PDF
    whose outline (bookmarks) carries the Word headings."""
    import shutil
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (scripts/test.sh installs it)")
    from exports.board_pack import build_board_pack_bytes as build
    data = build(sample_config, SMALL_MONTH, "pdf", "public",
                 codes=["CLA_NUMBER", "HEALTH_CHECKS_PCT"])
    assert data.startswith(b"%PDF")
    assert b"/Outlines" in data


def test_the_pack_draws_the_screens_breakdown_charts(wh):
    """Health assessments by check type and by placement: two charts on screen, so two in the
    pack (the pack used to draw none for a percentage), each with its heading and alt text."""
    d = wh.latest_month()
    item = build_item(wh, "HEALTH_CHECKS_PCT", d, "private")
    kinds = [k for k, _, _ in item.figures]
    assert kinds == ["trend", "breakdown", "breakdown-placed"]
    alts = {k: a for k, _, a in item.figures}
    assert alts["breakdown"].startswith("Bar chart, categories side by side, of health")
    assert "by check type" in alts["breakdown"] and "%" in alts["breakdown"]
    assert item.titles["breakdown-placed"].endswith("by where the child is placed, last 13 months")
