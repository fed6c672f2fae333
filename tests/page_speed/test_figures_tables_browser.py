"""Issue 15 in Chromium: a section page arrives without its figures tables; opening "Show the
figures as a table" with the mouse or the keyboard draws that chart's table (caption, column
and row headers), and axe-core finds nothing wrong with it open."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from app import create_app
from tests.dashboard.test_browser import axe_violations, errors

pytestmark = pytest.mark.browser


def _settled(dash_duo, timeout=60):
    dash_duo.wait_for_element("#page-title", timeout=timeout)
    WebDriverWait(dash_duo.driver, timeout).until(lambda d: d.execute_script(
        "return document.querySelectorAll('[data-dash-is-loading=true]').length === 0"
        " && !!document.querySelector('#as-at')"))


def _rows(driver, table_id):
    return driver.execute_script(
        "var t = document.getElementById(arguments[0]);"
        "return t ? t.querySelectorAll('tbody tr').length : 0;", table_id)


def test_tables_are_drawn_when_opened_by_mouse_or_keyboard(dash_duo, sample_config):
    dash_duo.start_server(create_app(sample_config))
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/placements?as_at=2026-05")
    _settled(dash_duo)
    details = driver.find_elements(By.CSS_SELECTOR, "#trend-PLACEMENT_TYPE details.chart-table")
    assert len(details) == 1
    assert driver.execute_script("return document.querySelectorAll('main table tr').length") \
        < 100  # the figures tables are not sent with the page
    # the mouse: click the summary
    details[0].find_element(By.TAG_NAME, "summary").click()
    WebDriverWait(driver, 30).until(lambda d: _rows(d, "table-PLACEMENT_TYPE") > 50)
    table = driver.find_element(By.ID, "table-PLACEMENT_TYPE")
    assert table.find_element(By.TAG_NAME, "caption").text.startswith("Looked-after children")
    assert table.find_elements(By.CSS_SELECTOR, "thead th[scope=col]")
    first = table.find_element(By.CSS_SELECTOR, "tbody tr th[scope=row]")
    assert first.text == "May 2026"
    # the keyboard: Tab to a breakdown's summary and press Enter
    summary = driver.find_element(
        By.CSS_SELECTOR, "#breakdown-PLACEMENT-TYPE-placement-type details.chart-table summary")
    driver.execute_script("arguments[0].scrollIntoView(); arguments[0].focus();", summary)
    summary.send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(
        lambda d: _rows(d, "table-PLACEMENT_TYPE-placement_type") > 0)
    assert driver.execute_script(
        "return document.querySelector('#breakdown-PLACEMENT-TYPE-placement-type "
        "details.chart-table').open")
    # closing and opening again keeps the table (asked for once)
    summary.send_keys(Keys.ENTER)
    summary.send_keys(Keys.ENTER)
    assert _rows(driver, "table-PLACEMENT_TYPE-placement_type") > 0
    assert not errors(dash_duo)
    assert not axe_violations(dash_duo)
