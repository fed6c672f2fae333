"""The director chooses the pack on the key points page (issue 17): a section taken out in
the panel is not in the Word pack the page then downloads; a viewer cannot save the choice
(only editors), and the saved choice is what the panel and the download start from."""
from __future__ import annotations

import io
import time
from urllib.request import urlopen

import pytest
from docx import Document
from selenium.webdriver.common.by import By

from present.pack import load_definition, save_definition
from pipelines.core.catalogue import load_catalogue
from webapp import pack_choice

pytestmark = pytest.mark.browser


def _word_link(dash_duo, must_have: str) -> str:
    deadline = time.time() + 30
    while time.time() < deadline:
        href = dash_duo.find_element("#board-pack-public-docx").get_attribute("href")
        if must_have in href:
            return href
        time.sleep(0.3)
    raise AssertionError(f"the Word link never carried {must_have}: {href}")


def test_a_section_taken_out_is_not_in_the_downloaded_word_pack(dash_duo, sample_config):
    from app import create_app
    cat = load_catalogue()
    # start from a saved pack of three sections (a short pack to build)
    saved = load_definition(sample_config, cat, {"sections": ["population", "health",
                                                             "care-leavers"]})
    path = save_definition(sample_config, saved)
    try:
        dash_duo.start_server(create_app(sample_config))
        dash_duo.wait_for_element("#page-title", timeout=30)
        dash_duo.find_element(".pack-choice summary").click()
        boxes = dash_duo.driver.find_elements(By.CSS_SELECTOR, "#pack-sections input")
        ticked = [b.get_attribute("value") for b in boxes if b.is_selected()]
        assert ticked == ["population", "health", "care-leavers"]  # remembered
        assert not dash_duo.driver.find_elements(By.ID, "pack-save")  # a viewer: no saving
        health = next(b for b in boxes if b.get_attribute("value") == "health")
        health.click()
        href = _word_link(dash_duo, "sections=population%2Ccare-leavers")
        with urlopen(href, timeout=300) as r:  # what the browser downloads from the link
            doc = Document(io.BytesIO(r.read()))
        h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        titles = {s.slug: s.title for s in cat.sections}
        assert titles["population"] in h1 and titles["care-leavers"] in h1
        assert titles["health"] not in h1
        assert titles["placements"] not in h1  # not in the saved pack either
    finally:
        path.unlink(missing_ok=True)


def test_only_editors_may_save(sample_config, tmp_path):
    cat = load_catalogue()
    with pytest.raises(PermissionError):
        pack_choice.save(sample_config, cat, "viewer", ["health"], [], "portrait", [])
    path = pack_choice.save(sample_config, cat, "editor", ["health", "population"],
                            ["IMMUNISATIONS_PCT"], "landscape", ["action_plan"])
    try:
        d = load_definition(sample_config, cat)
        assert (d.sections, d.leave_out, d.orientation, d.definitions, d.action_plan) == (
            ["health", "population"], ["IMMUNISATIONS_PCT"], "landscape", False, True)
    finally:
        path.unlink()
