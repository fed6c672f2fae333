"""The PowerPoint pack compact as the Word one (issue 17): the summary first, then a slide per
section (more when it has more than six charts) with its charts three across, the director's
choice of sections and order applied; and charts drawn once (the chart-image cache)."""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.util import Emu

from exports import images
from exports.board_pack import build_board_pack_bytes
from exports.pptx_deck import CHART_WIDTH_CM, COLUMNS, ROWS
from pipelines.core.catalogue import load_catalogue
from present.pack import load_definition

CHOSEN = ["health", "population"]


def _titles(prs) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]


def test_deck_has_the_summary_first_then_a_slide_per_chosen_section(sample_config):
    cat = load_catalogue()
    definition = load_definition(sample_config, cat, {"sections": CHOSEN,
                                                      "leave_out": ["IMMUNISATIONS_PCT"]})
    prs = Presentation(io.BytesIO(build_board_pack_bytes(
        sample_config, None, "pptx", "public", definition=definition)))
    titles = _titles(prs)
    assert titles[1].startswith("Summary of the indicators")
    summary = [s for s in prs.slides if s.shapes.title is not None
               and s.shapes.title.text.startswith("Summary of the indicators")]
    rows = [c.text for s in summary for sh in s.shapes if sh.has_table
            for r in sh.table.rows for c in list(r.cells)[:1]]
    assert "Health assessments up to date" in " ".join(rows)
    assert not any(r.startswith("Immunisations") for r in rows)  # left out
    names = {s.slug: s.title for s in cat.sections}
    section_slides = [t for t in titles if any(t.split(" (")[0] == names[x] for x in names)]
    order = list(dict.fromkeys(t.split(" (")[0] for t in section_slides))
    assert order == [names[s] for s in CHOSEN]  # the chosen sections, in the chosen order
    for slide in prs.slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        if title.split(" (")[0] not in (names[s] for s in CHOSEN):
            continue
        pics = [sh for sh in slide.shapes if sh.shape_type == 13]
        assert 1 <= len(pics) <= COLUMNS * ROWS
        for pic in pics:  # alt text, and as wide as print_style sized its 8 pt text for
            assert pic._element.nvPicPr.cNvPr.get("descr", "").strip()
            assert Emu(pic.width).cm >= CHART_WIDTH_CM - 0.01
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                    if sh.has_text_frame)
    assert "Children living in the area" in text  # a population chart's heading
    assert not [t for t in titles if t.startswith(("Education", "Placements", "Definitions"))]


def test_an_unchanged_chart_is_drawn_once(tmp_path):
    images.clear_cache()
    images.use_cache_dir(tmp_path / "charts")
    fig = images.go.Figure(images.go.Scatter(x=[1, 2, 3], y=[3, 1, 2]))
    before = dict(images.stats)
    first = images.figure_bytes(fig)
    second = images.figure_bytes(images.go.Figure(fig))  # the same chart, a new object
    assert first == second
    assert images.stats["drawn"] - before["drawn"] == 1
    assert images.stats["hits"] - before["hits"] == 1
    images.clear_cache()  # a new process: the image is read from the folder, not drawn
    assert images.figure_bytes(images.go.Figure(fig)) == first
    assert images.stats["drawn"] - before["drawn"] == 1
    changed = images.go.Figure(images.go.Scatter(x=[1, 2, 3], y=[3, 1, 5]))  # new data
    assert images.figure_bytes(changed) != first
    assert images.stats["drawn"] - before["drawn"] == 2
    images.use_cache_dir(None)
    images.clear_cache()
