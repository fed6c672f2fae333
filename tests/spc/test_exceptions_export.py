"""The board pack's exceptions section: at the front of the Word file and the deck, the
same items and reasons as `/`, SPC charts with alt text, small numbers kept out in public."""
from __future__ import annotations

import base64
import io

from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation

from exports.content import build_pack
from exports.docx_pack import build_docx
from exports.exceptions_export import CHART_HIDDEN, build_exceptions
from exports.pptx_deck import build_pptx
from tests.spc.test_exceptions import _months, _warehouse

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def _pack(w, mode):
    pack = build_pack(w, "2018-03", mode, figures=False)
    pack.exceptions = build_exceptions(w, pack.as_at, mode)
    return pack


def test_word_pack_opens_with_attention_then_improved_with_charts_and_alt_text(wolves_config):
    w = _warehouse(wolves_config)
    pack = _pack(w, "private")
    doc = Document(io.BytesIO(build_docx(pack, lambda fig: PNG)))
    # every paragraph in document order, those in the chart grid's cells included
    paras = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))]
    paras = [p for p in paras if p.strip()]
    def heading(text):  # the section itself, not its line in the contents
        return max(i for i, p in enumerate(paras) if p == text)
    start = heading("What needs attention this month")
    assert start < heading("Improved for real") < heading("Key points")
    eet = next(i for i, p in enumerate(paras) if i > start and p.endswith(": 40% in Mar 2018"))
    assert start < eet < heading("Improved for real")
    assert any("A real change for the worse" in p for p in paras[start:])
    shapes = doc.inline_shapes
    assert len(shapes) == len(pack.exceptions.figures) >= 2
    alts = [s._inline.docPr.get("descr", "") for s in shapes]
    assert all(a.startswith(("XmR chart of", "Laney p' chart of")) for a in alts), alts


def test_public_pack_hides_small_figures_and_their_charts(wolves_config):
    w = _warehouse(wolves_config, _months("CL_SUITABLE_ACCOM_PCT", [75, 50] + [50] * 11, 4))
    part = build_exceptions(w, build_pack(w, "2018-03", "public", figures=False).as_at, "public")
    entry = next(e for e in part.attention if e.code == "CL_SUITABLE_ACCOM_PCT")
    assert entry.value_text == "not shown (fewer than 5 children)"
    assert entry.figure is None and entry.note == CHART_HIDDEN
    private = build_exceptions(w, part.as_at, "private")
    assert next(e for e in private.attention if e.code == "CL_SUITABLE_ACCOM_PCT").value_text == "50%"


def test_deck_has_the_attention_slide_first(wolves_config):
    w = _warehouse(wolves_config)
    prs = Presentation(io.BytesIO(build_pptx(_pack(w, "private"), lambda fig: PNG)))
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
    # after the title slide and the summary table (issue 17: as the Word pack), before any
    # section's charts
    start = titles.index("What needs attention this month")
    assert all(t.startswith("Summary of the indicators") for t in titles[1:start])
    slide = next(s for s in prs.slides if s.shapes.title is not None
                 and s.shapes.title.text == "What needs attention this month")
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "A real change for the worse" in text
    assert any(t.endswith(": is it changing?") for t in titles)


def test_spc_charts_can_join_each_monthly_indicator_in_the_pack(wolves_config):
    from exports.exceptions_export import add_spc_charts
    w = _warehouse(wolves_config, _months("CL_SUITABLE_ACCOM_PCT", [75, 50] + [50] * 11, 4))
    pack = build_pack(w, "2018-03", "public", figures=False)
    add_spc_charts(pack, w, "public")
    kinds = {i.indicator.code: [k for k, _, _ in i.figures] for i in pack.items}
    assert kinds["CL_EET_PCT"] == ["spc"] and kinds["HEALTH_CHECKS_PCT"] == ["spc"]
    assert kinds["CL_SUITABLE_ACCOM_PCT"] == []          # months of fewer than 5 children
    assert kinds["POP_0_17"] == []                       # annual: no SPC chart
    eet = next(i for i in pack.items if i.indicator.code == "CL_EET_PCT")
    assert eet.figures[0][2].startswith("XmR chart of 15 months")
