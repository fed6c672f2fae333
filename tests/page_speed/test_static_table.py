"""Issue 15: the figures tables under each chart are sent as one component of escaped HTML
with the same markup (caption, scoped headers, ids, classes) as the component tree."""
from __future__ import annotations

import html as std_html
import re

import pytest
from dash import dcc, html

from components.tables import _table, static_table, table_html


def test_same_markup_as_the_component_table():
    table = _table("Placed <far> & away", ["Period", "Value"], [["May 2026", "13%"], ["Apr 2026", None]],
                   id="table-X")
    text = table_html(table)
    assert text == ('<table id="table-X" class="data-table"><caption>Placed &lt;far&gt; &amp; away'
                    '</caption><thead><tr><th scope="col">Period</th><th class="num" scope="col">'
                    'Value</th></tr></thead><tbody><tr><th scope="row">May 2026</th><td class="num">'
                    '13%</td></tr><tr><th scope="row">Apr 2026</th><td class="num"></td></tr>'
                    '</tbody></table>')


def test_cell_text_cannot_inject_markup():
    evil = '<img src=x onerror="alert(1)">'
    text = table_html(_table(evil, ["A", "B"], [[evil, evil]], id='"><script>'))
    assert "<img" not in text and "<script>" not in text
    assert std_html.unescape(re.sub(r"<[^>]+>", "", text)).count(evil) == 3


def test_unknown_attribute_refused_not_dropped():
    with pytest.raises(ValueError, match="style"):
        table_html(html.Table([html.Caption("x")], style={"color": "red"}))


def test_static_table_is_one_component():
    md = static_table(_table("c", ["A", "B"], [["Jan", "1"]] * 60))
    assert isinstance(md, dcc.Markdown) and md.dangerously_allow_html is True
    assert md.children.count("<tr>") == 61 and "\n\n" not in md.children  # one HTML block
