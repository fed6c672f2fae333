"""The director clicks the board pack link on the key-points page and receives a Word file
that opens and has the report's sections."""
from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from docx import Document

pytestmark = pytest.mark.browser


def test_board_pack_button_downloads_a_valid_word_file(dash_duo, sample_config):
    from app import create_app
    dash_duo.start_server(create_app(sample_config))
    dash_duo.wait_for_element("#page-title", timeout=20)
    link = dash_duo.wait_for_element("#board-pack-public-docx", timeout=20)
    # The page says which mode the export uses before anyone clicks.
    panel = dash_duo.find_element(".board-pack").text
    assert "Public" in panel and "fewer than 5" in panel
    link.click()
    target = Path(dash_duo.download_path)
    deadline = time.time() + 150
    files = []
    while time.time() < deadline:
        files = [p for p in target.glob("*.docx")]
        if files and not list(target.glob("*.crdownload")):
            break
        time.sleep(0.5)
    assert files, f"no .docx downloaded into {target}: {list(target.iterdir())}"
    doc = Document(io.BytesIO(files[0].read_bytes()))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    for section in ("Population", "Placements", "Health", "Adoption", "Care leavers"):
        assert any(section.lower() in h.lower() for h in headings), headings
