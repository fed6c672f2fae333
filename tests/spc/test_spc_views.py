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


def test_month_to_month_words_say_the_move_and_the_signal_never_common_cause_worsening(
        wolves_config):
    from components.scorecard import scorecard_section
    from present.summary import read_summaries
    from webapp.spc_views import monthly_changes

    # CL_EET_PCT falls to 40 in Mar 2018 (special cause); in Feb 2018 it moved down a
    # point within the usual variation
    w = _warehouse(wolves_config)
    cat = w.catalogue
    inds = [cat.get("CL_EET_PCT"), cat.get("HEALTH_CHECKS_PCT")]
    for month, code, expect_word, expect_css in (
            ("2018-03", "CL_EET_PCT", "a real change for the worse", "change-worsening"),
            ("2018-02", "CL_EET_PCT", "within the usual variation", "change-neutral")):
        ex = exceptions(w, month)
        sums = read_summaries(w, inds, w.resolve_as_at(month))
        changes = monthly_changes(inds, sums, ex.views)
        table = scorecard_section("care-leavers", [sums[code]], {i.code: i for i in inds},
                                  monthly_changes=changes)
        row = next(n for n in _walk(table) if getattr(n, "id", None) == f"row-{code}")
        cell = row.children[2]
        span = cell.children[0]
        assert expect_word in span.children and span.className == expect_css
        assert "worsening" not in span.children and "improving" not in span.children
