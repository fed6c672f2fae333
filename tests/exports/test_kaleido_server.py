"""The kaleido server that keeps its page loaded between images (exports.kaleido_server)
draws exactly what kaleido's own server draws, however many images come before."""
from __future__ import annotations

import kaleido
import plotly.graph_objects as go
import pytest

from exports import images
from exports.kaleido_server import KaleidoServer

pytestmark = pytest.mark.skipif(images.find_chromium() is None, reason="needs Chromium")

OPTS = {"format": "png", "width": 500, "height": 300, "scale": 1.5}


def _figures():
    a = go.Figure(go.Scatter(x=list(range(24)), y=[(i * 7) % 11 for i in range(24)],
                             mode="lines+markers", name="rate"))
    a.update_layout(title="A line", yaxis_range=[0, 12])
    b = go.Figure(go.Bar(x=["North", "South", "East"], y=[3, 9, 4], text=[3, 9, 4]))
    b.update_layout(title="Bars with labels", annotations=[dict(text="a note", x=1, y=9)])
    c = go.Figure(go.Scatter(x=[1, 2, 3], y=[91, 86, 88], fill="tozeroy"))
    c.add_hline(y=89, line_dash="dash", annotation_text="target")
    return [a, b, c]


def test_images_are_byte_for_byte_kaleidos_and_the_page_keeps_nothing_between_them():
    figs = _figures()
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    try:
        stock = [kaleido.calc_fig_sync(f, opts=OPTS) for f in figs]
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    server = KaleidoServer(mathjax=False)
    try:
        # in reverse, then again: each image follows others on the same page load
        ours = {i: server.render(figs[i], OPTS) for i in (2, 1, 0)}
        again = [server.render(f, OPTS) for f in figs]
        with pytest.raises(Exception):
            server.render({"data": "not a figure"}, OPTS)
        after_error = server.render(figs[0], OPTS)
    finally:
        server.close()
    assert [ours[i] for i in range(3)] == stock
    assert again == stock
    assert after_error == stock[0]
    assert images.png_size(stock[0]) == (750, 450)
