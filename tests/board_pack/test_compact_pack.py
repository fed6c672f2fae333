"""The board pack a director would send (issue 17), checked as a reader would: the PDF's page
count, its contents page (titles with the page each section really starts on), no "Update
Field" text, a bookmark per section, two pages drawn to PNG and not mostly blank; the Word
file's contents field, sections in the chosen order, the council's logo and heading colour;
the director's choice remembered for next month; chart text no smaller than 8 pt."""
from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from exports import images
from exports.board_pack import build_board_pack_bytes, export_board_pack
from exports.content import build_item
from exports.docx_pack import chart_print_width_cm
from exports.print_style import PT_PER_CM, PrintStyle, smallest_font
from pipelines.core.catalogue import load_catalogue
from pipelines.store.queries import Warehouse
from present.pack import PackDefinition, load_definition, summary_header

CHOSEN = ["health", "population"]  # the director's order, not the catalogue's


def outline(reader: PdfReader) -> dict[str, int]:
    return {str(e.title): reader.get_destination_page_number(e) + 1
            for e in reader.outline if not isinstance(e, list)}


def ink(png: bytes) -> float:
    """Share of a rendered page's pixels that are not (nearly) white."""
    im = Image.open(io.BytesIO(png)).convert("L")
    hist = im.histogram()
    return 1 - sum(hist[245:]) / sum(hist)


@pytest.fixture(scope="module")
def pdf_pack(sample_config, tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (scripts/test.sh installs it)")
    out = tmp_path_factory.mktemp("pdf") / "pack.pdf"
    assert export_board_pack(sample_config, None, "pdf", None, out,
                             choice={"sections": CHOSEN, "definitions": False}) == 0
    return out, PdfReader(out)


def test_pdf_contents_give_the_page_each_section_starts_on(sample_config, pdf_pack):
    _, reader = pdf_pack
    first = reader.pages[0].extract_text()
    assert "Contents" in first
    marks = outline(reader)
    sections = {s.slug: s.title for s in load_catalogue().sections}
    titles = ["Summary of the indicators", "Key points"] + [sections[s] for s in CHOSEN]
    for title in titles:
        assert title in marks, f"no bookmark for {title}"
        line = next(ln for ln in first.splitlines() if ln.startswith(title))
        assert line.rstrip().endswith(str(marks[title])), line  # the real page number
        assert title in reader.pages[marks[title] - 1].extract_text()
    # the sections come in the chosen order, and nothing else is in the pack
    order = [t for t in marks if t in sections.values()]
    assert order == [sections[s] for s in CHOSEN]
    assert "Definitions" not in marks


def test_pdf_has_no_field_placeholder_and_is_compact(pdf_pack):
    _, reader = pdf_pack
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Update Field" not in text and "Right-click" not in text
    # health (3 indicators, 6 charts) and population (8 indicators) with the summary,
    # exceptions and the action plan: the old pack gave these sections a page per chart
    assert len(reader.pages) <= 22, len(reader.pages)


def test_two_rendered_pages_are_not_mostly_blank(pdf_pack, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed (scripts/test.sh installs it)")
    path, reader = pdf_pack
    marks = outline(reader)
    summary, health = marks["Summary of the indicators"], marks["Health"]
    for page in (summary, health + 1 if health + 1 <= len(reader.pages) else health):
        root = tmp_path / f"page{page}"
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(page), "-l", str(page),
                        "-singlefile", str(path), str(root)], capture_output=True, check=True)
        png = root.with_suffix(".png").read_bytes()
        assert ink(png) > 0.04, f"page {page} is mostly blank ({ink(png):.1%} ink)"


def _catalogue(config):
    return load_catalogue()


@pytest.fixture(scope="module")
def styled_doc(sample_config, tmp_path_factory):
    """A Word pack with the council's logo and colour, landscape, its own order."""
    d = tmp_path_factory.mktemp("look")
    logo = d / "logo.png"
    Image.new("RGB", (120, 60), (0x8B, 0, 0)).save(logo)
    config = dataclasses.replace(sample_config, pack={"logo": str(logo),
                                                      "heading_colour": "#8B0000"})
    definition = load_definition(config, _catalogue(config), {
        "sections": ["care-leavers", "health"], "leave_out": ["IMMUNISATIONS_PCT"],
        "orientation": "landscape", "definitions": False})
    data = build_board_pack_bytes(config, None, "docx", "public", definition=definition)
    return Document(io.BytesIO(data))


def test_word_pack_has_the_councils_look_and_the_chosen_sections(sample_config, styled_doc):
    doc = styled_doc
    sec = doc.sections[0]
    assert sec.page_width > sec.page_height  # landscape
    assert str(doc.styles["Heading 1"].font.color.rgb) == "8B0000"
    pics = doc.element.body.findall(".//" + qn("wp:docPr"))
    assert pics[0].get("descr") == "Sample Borough logo"
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    titles = {s.slug: s.title for s in _catalogue(sample_config).sections}
    assert [t for t in h1 if t in titles.values()] == [titles["care-leavers"], titles["health"]]
    assert "Definitions" not in h1 and h1[0] == "Summary of the indicators"
    summary = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == summary_header("West Midlands"))
    names = [r.cells[0].text for r in summary.rows[1:]]
    assert "Health assessments up to date" in " ".join(names)
    assert not any(n.startswith("Immunisations") for n in names)  # left out


def test_word_contents_is_a_field_word_refreshes_with_every_section(styled_doc):
    doc = styled_doc
    xml = doc.element.body.xml
    assert 'TOC \\o "1-1"' in xml
    assert doc.settings.element.find(qn("w:updateFields")) is not None
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    links = doc.element.body.findall(".//" + qn("w:hyperlink"))
    entries = ["".join(t.text or "" for t in link.iter(qn("w:t"))) for link in links]
    assert entries == h1  # one linked line per Heading 1, in order
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Update Field" not in text


def test_the_choice_is_remembered_for_next_month(sample_config, tmp_path, capsys):
    import openpyxl
    out = tmp_path / "a.xlsx"
    assert export_board_pack(sample_config, None, "xlsx", None, out, save=True,
                             choice={"sections": ["education", "placements"],
                                     "indicators": ["KS2_RWM_PCT", "PEP_Y1_11_PCT",
                                                    "CLA_NUMBER", "PLACED_20_MILES_PCT"]}) == 0
    assert "Saved this pack's choices" in capsys.readouterr().out
    saved = load_definition(sample_config, _catalogue(sample_config))
    assert saved.sections == ["education", "placements"]
    # next month: no options, the same pack
    again = tmp_path / "b.xlsx"
    assert export_board_pack(sample_config, None, "xlsx", None, again) == 0
    wb = openpyxl.load_workbook(again)
    assert wb.sheetnames[1:3] == ["Education", "Placements"]
    rows = list(wb["Education"].iter_rows(values_only=True))
    codes = [r[0] for r in rows if r and r[0] in ("KS2_RWM_PCT", "PEP_Y1_11_PCT")]
    assert codes == ["KS2_RWM_PCT", "PEP_Y1_11_PCT"]  # the chosen order
    assert not [r for r in rows if r and r[0] == "KS4_ATTAINMENT8"]
    (sample_config.warehouse_path.parent / "board-pack.toml").unlink()


def test_a_bad_choice_names_every_problem_and_writes_nothing(sample_config, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert export_board_pack(sample_config, None, "pdf", None, out,
                             choice={"sections": ["helth"], "leave_out": ["NOPE_PCT"]}) == 2
    err = capsys.readouterr().err
    assert "helth" in err and "NOPE_PCT" in err and "health" in err  # the known sections
    assert not out.exists()
    pale = dataclasses.replace(sample_config, pack={"heading_colour": "#FFFF00"})
    with pytest.raises(ValueError, match="too pale"):
        load_definition(pale, _catalogue(pale))


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_chart_text_prints_at_8_pt_or_more(sample_config, orientation):
    wh = Warehouse(sample_config)
    style = PrintStyle(chart_print_width_cm(orientation))
    item = build_item(wh, "HEALTH_CHECKS_PCT", wh.latest_month(), "public")
    for _, fig, _ in item.figures:
        style(fig)
        pt = smallest_font(fig) * style.print_width_cm * PT_PER_CM / fig.layout.width
        assert pt >= 8 - 1e-9, (orientation, pt)
        assert not [a for a in fig.layout.annotations if a.name == "title"]
        assert any(line.startswith("Source:") for line in style.captions[id(fig)])
    assert PackDefinition().orientation == "portrait"
    images.stop()


def test_the_default_pack_of_the_sample_is_at_most_20_pages(sample_config, tmp_path):
    """Issue 17's goal, as the director runs it: `lacdash export --as-at 2026-10 --format pdf
    --no-adoption-charts` on the sample (every section, the definitions appendix, public)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (scripts/test.sh installs it)")
    out = tmp_path / "pack.pdf"
    assert export_board_pack(sample_config, "2026-10", "pdf", None, out,
                             adoption_charts=False) == 0
    reader = PdfReader(out)
    marks = outline(reader)
    for title in [s.title for s in load_catalogue().sections] + ["Definitions"]:
        assert title in marks, f"the default pack has no {title}"
    assert len(reader.pages) <= 20, len(reader.pages)
