"""The page pieces: the exceptions section reads top-down with reasons and links; the SPC
block has its icons' words, a summary and a table alternative."""
from __future__ import annotations

from dash import dcc, html

from present.exceptions import exceptions
from present.spc import spc_view
from tests.spc.test_exceptions import _warehouse
from webapp.spc_views import exceptions_block, spc_block


def _walk(node):
    yield node
    kids = getattr(node, "children", None)
    if kids is None:
        return
    for k in kids if isinstance(kids, (list, tuple)) else [kids]:
        yield from _walk(k)


def _text(node) -> str:
    return " ".join(n for n in _walk(node) if isinstance(n, str))


def test_exceptions_section_lists_attention_first_with_reasons_and_links(wolves_config):
    w = _warehouse(wolves_config)
    block = exceptions_block(exceptions(w, "2018-03"), "2018-03")
    text = _text(block)
    assert text.index("Needs attention this month") < text.index("Improved for real")
    assert "A real change for the worse" in text and "not a sign of a real change" in text
    links = [n.href for n in _walk(block) if isinstance(n, dcc.Link)]
    assert "/indicator/CL_EET_PCT?as_at=2018-03" in links
    items = [getattr(n, "id", None) for n in _walk(block) if isinstance(n, html.Li)]
    assert items.index("exception-CL_EET_PCT") < items.index("exception-PEP_Y12_13_PCT")


def test_spc_block_has_words_beside_icons_a_summary_and_a_table(wolves_config):
    w = _warehouse(wolves_config)
    ind = w.catalogue.get("CL_EET_PCT")
    block = spc_block(ind, spc_view(w, "CL_EET_PCT", "2018-03"), "Wolverhampton")
    text = _text(block)
    assert "Special cause variation: concerning" in text
    imgs = [n for n in _walk(block) if isinstance(n, html.Img)]
    assert imgs and all(i.alt == "" for i in imgs)      # decorative: the words say it
    assert "XmR chart of 15 months" in text
    tables = [n for n in _walk(block) if isinstance(n, html.Table)]
    assert tables and "Mar 2018" in _text(tables[0]) and "outside a process limit" in _text(tables[0])
