"""The PowerPoint pack's exceptions section (issue 16): what needs attention and what
improved, then each SPC chart on a slide of its own with alt text on the picture and the
same summary written under it; public mode hides small figures and their charts."""
from __future__ import annotations

import io
import re

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from exports.exceptions_export import CHART_HIDDEN
from exports.pptx_deck import build_pptx
from tests.spc.test_exceptions import _months, _warehouse
from tests.spc.test_exceptions_export import PNG, _pack

CHART_ALT = ("XmR chart of", "Laney p' chart of")


def _deck(w, mode):
    pack = _pack(w, mode)
    return pack, Presentation(io.BytesIO(build_pptx(pack, lambda fig: PNG)))


def _text(slide) -> str:
    return " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def _exception_slides(prs, part):
    """The slides from the attention list to the last SPC chart of the section."""
    titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]
    charts = {f"{e.title}: is it changing?" for e in part.attention + part.improved
              if e.figure is not None}
    last = max(i for i, t in enumerate(titles) if t in charts)
    return list(prs.slides)[1:last + 1]


def test_every_exceptions_chart_has_alt_text_and_its_summary_on_the_slide(wolves_config):
    pack, prs = _deck(_warehouse(wolves_config), "private")
    part = pack.exceptions
    drawn = {e.code: e for e in part.attention + part.improved if e.figure is not None}
    assert len(drawn) >= 2
    for e in drawn.values():
        slide = next(s for s in prs.slides if s.shapes.title is not None
                     and s.shapes.title.text == f"{e.title}: is it changing?")
        pictures = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        alt = pictures[0]._element.nvPicPr.cNvPr.get("descr")
        assert alt == e.alt and alt.startswith(CHART_ALT)
        # the summary is on the slide for everyone, under the picture
        box = next(sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text == alt)
        assert box.top >= pictures[0].top + pictures[0].height
        assert box.top + box.height <= prs.slide_height
    # each item with its first reason is on the attention slides
    listing = " ".join(_text(s) for s in _exception_slides(prs, part))
    for e in part.attention + part.improved:
        assert f"{e.title}: {e.value_text}" in listing and e.reasons[0] in listing


def test_public_deck_hides_small_figures_and_their_charts(wolves_config):
    w = _warehouse(wolves_config, _months("CL_SUITABLE_ACCOM_PCT", [75, 50] + [50] * 11, 4))
    pack, prs = _deck(w, "public")
    part = pack.exceptions
    hidden = next(e for e in part.attention if e.code == "CL_SUITABLE_ACCOM_PCT")
    slides = _exception_slides(prs, part)
    text = " ".join(_text(s) for s in slides)
    assert f"{hidden.title}: not shown (fewer than 5 children)" in text
    assert CHART_HIDDEN in text
    assert not any(s.shapes.title is not None
                   and s.shapes.title.text == f"{hidden.title}: is it changing?" for s in prs.slides)
    # no count of 1 to 4 children, and not the hidden 50% (2 of 4 children), anywhere in it
    assert not re.search(r"\b[1-4] (child|children|young people)\b", text)
    assert "50%" not in text
    private = _deck(w, "private")[1]
    assert any(s.shapes.title is not None and s.shapes.title.text == f"{hidden.title}: is it changing?"
               for s in private.slides)
