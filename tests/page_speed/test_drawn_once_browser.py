"""Issue 15 in Chromium: each view of a page asks the page router once (the page was drawn
twice when opened without ?as_at=), and the as-at control still moves the address."""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from app import create_app

pytestmark = pytest.mark.browser

# installed before the page's scripts: counts the requests answered by Dash's page router
COUNT_ROUTES = """
window.__routes = 0;
(function () {
  var f = window.fetch;
  window.fetch = function (url, opts) {
    if (opts && typeof opts.body === 'string' && opts.body.indexOf('_pages_content') >= 0) {
      window.__routes++;
    }
    return f.apply(this, arguments);
  };
})();
"""


def _settled(dash_duo, timeout=60):
    dash_duo.wait_for_element("#page-title", timeout=timeout)
    WebDriverWait(dash_duo.driver, timeout).until(lambda d: d.execute_script(
        "return document.querySelectorAll('[data-dash-is-loading=true]').length === 0"
        " && !!document.querySelector('#as-at')"))


def test_each_page_asks_the_router_once(dash_duo, sample_config):
    dash_duo.start_server(create_app(sample_config))
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_ROUTES})
    for path in ("/", "/placements", "/indicator/REVIEWS_ON_TIME_PCT",
                 "/?as_at=2026-05", "/placements?as_at=2026-05"):
        driver.get(dash_duo.server_url + path)
        _settled(dash_duo)
        time.sleep(1.5)  # a second request would follow the first at once
        assert driver.execute_script("return window.__routes") == 1, path
        assert driver.current_url == dash_duo.server_url + path  # the address is left alone
    # choosing another month still writes it in the address (and routes once more)
    dash_duo.select_dcc_dropdown("#as-at", index=3)
    WebDriverWait(driver, 30).until(lambda d: "as_at=" in d.current_url
                                    and "2026-05" not in d.current_url)
    _settled(dash_duo)
    assert driver.execute_script("return window.__routes") == 2
