"""The done-when scenario in headless Chromium: a config naming only Wolverhampton, every
published file loaded; key points show its 2024-25 figures and rank, the benchmark page draws
its table (sortable) with no console errors and no axe violations."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.dashboard.test_browser import axe_violations, errors, settled
from tests.published.conftest import write_config

pytestmark = pytest.mark.browser


@pytest.fixture
def wolves_app(loaded):
    from app import create_app
    folder = loaded.config_path.parent
    cfg = write_config(folder / "browser", '[authority]\ncode = "E08000031"\n\n[warehouse]\n'
                       f'path = "{loaded.warehouse_path}"\n\n[auth]\nsecret_key = "{"cd" * 32}"\n')
    return create_app(cfg)


def test_published_figures_rank_and_benchmark_in_the_browser(dash_duo, wolves_app):
    dash_duo.start_server(wolves_app)
    dash_duo.driver.get(dash_duo.server_url + "/")
    settled(dash_duo, timeout=60)
    assert dash_duo.find_element("#row-CL_EET_PCT .sc-value").text == "57%"
    assert "rank" in dash_duo.find_element("#row-CL_EET_PCT").text
    assert not errors(dash_duo)

    dash_duo.driver.get(dash_duo.server_url + "/indicator/CL_EET_PCT/benchmark")
    settled(dash_duo, timeout=60)
    table = dash_duo.find_element("#benchmark-table-CL_EET_PCT")
    assert "Stoke-on-Trent" in table.text and "Very close" in table.text
    assert not errors(dash_duo)
    # sort by the figure: the first row is then the lowest figure shown
    dash_duo.driver.find_elements(By.CSS_SELECTOR, "#benchmark-table-CL_EET_PCT .column-header--sort")[4].click()
    def shown(driver):
        cells = driver.find_elements(By.CSS_SELECTOR,
                                     "#benchmark-table-CL_EET_PCT td[data-dash-column='value']")
        return [float(c.text) for c in cells if c.text.strip()]

    WebDriverWait(dash_duo.driver, 30).until(lambda d: len(shown(d)) > 10 and shown(d) == sorted(shown(d)))
    values = shown(dash_duo.driver)
    assert values == sorted(values) and values != sorted(values, reverse=True)
    assert not axe_violations(dash_duo)
