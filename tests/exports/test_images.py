"""Single charts as images (a few only: each one costs Chromium time)."""
import pytest

from exports import images
from exports.board_pack import chart_bytes
from exports.images import ExportError, png_size


def test_png_is_print_width_with_its_title_inside(wh):
    data = chart_bytes(wh, "CLA_NUMBER", "png", "2026-05")
    width, height = png_size(data)
    assert width == round(images.EXPORT_WIDTH * images.SCALE) >= 2000
    assert height > 1000


def test_svg_has_title_subtitle_and_source_inside(wh):
    svg = chart_bytes(wh, "CLA_NUMBER", "svg", "2026-05").decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert "Looked-after children" in svg and "May 2026" in svg and "Source:" in svg


def test_no_chromium_is_a_clear_message(monkeypatch):
    monkeypatch.setattr(images, "_started", False)
    monkeypatch.setattr(images, "find_chromium", lambda: None)
    monkeypatch.setattr(images, "_cached", lambda key, fmt: None)  # not an image drawn before
    with pytest.raises(ExportError, match="no Chromium found: install Debian's chromium"):
        images.figure_bytes(images.go.Figure(), "png")
