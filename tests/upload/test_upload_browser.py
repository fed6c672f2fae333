"""What an editor and a viewer do in the browser (demo sign-in on the sample)."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.upload.conftest import warehouse_bytes

pytestmark = pytest.mark.browser

NOVEMBER = ("indicator_code,period,value,numerator,denominator\n"
            "HEALTH_CHECKS_PCT,2026-11,84.2,363,431\nCLA_NUMBER,2026-11,580,,\n")
BROKEN = "indicator_code,period,value\nHEALTH_CHECKS_PCT,2026-11,120\n"


@pytest.fixture
def app_for(config):
    import app as app_module
    from webapp.auth import init_auth
    dash_app = app_module.create_app(config)
    init_auth(dash_app.server, config)  # what app.create_app is asked to call
    return dash_app


def wait_until(check, timeout=10):
    import time
    end = time.time() + timeout
    while time.time() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {check}")


def sign_in(dash_duo, role):
    """Press the demo button (retrying while Dash redraws the page) until it lands."""
    from selenium.common.exceptions import StaleElementReferenceException

    def press():
        try:
            dash_duo.find_element(f"#demo-{role}").click()
            return True
        except (StaleElementReferenceException, Exception):
            return False
    dash_duo.wait_for_element(f"#demo-{role}", timeout=10)
    wait_until(press, timeout=10)
    wait_until(lambda: "/login" not in dash_duo.driver.current_url, timeout=10)


def go(dash_duo, path):
    dash_duo.driver.get(dash_duo.server_url + path)


def drop(dash_duo, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    field = dash_duo.wait_for_element("#upl-files input[type=file]", timeout=10)
    field.send_keys(str(path))


def test_editor_uploads_a_month_and_sees_it_on_the_dashboard(dash_duo, app_for, config,
                                                              tmp_path):
    dash_duo.start_server(app_for)
    go(dash_duo, "/login?next=/upload")
    sign_in(dash_duo, "editor")
    dash_duo.wait_for_element("#upl-files", timeout=10)
    # a broken file first: errors listed, nothing changes
    before = warehouse_bytes(config)
    drop(dash_duo, tmp_path, "november.csv", BROKEN)
    dash_duo.wait_for_contains_text("#upl-status", "1 error(s) in november.csv", timeout=20)
    dash_duo.wait_for_contains_text("#upl-report", "percentage outside 0 to 100", timeout=10)
    assert dash_duo.find_element("#upl-commit").get_attribute("disabled") is not None
    assert warehouse_bytes(config) == before
    # the fixed file, same name: Upload fires again because its contents were cleared
    drop(dash_duo, tmp_path, "november.csv", NOVEMBER)
    dash_duo.wait_for_contains_text("#upl-status", "2 new", timeout=20)
    dash_duo.wait_for_contains_text("#upl-summary", "HEALTH_CHECKS_PCT", timeout=10)
    assert warehouse_bytes(config) == before  # the preview wrote nothing
    dash_duo.find_element("#upl-commit").click()
    dash_duo.wait_for_contains_text("#upl-committed", "loaded as upload 3", timeout=20)
    dash_duo.wait_for_contains_text("#upl-history", "november.csv", timeout=10)
    assert dash_duo.find_element("#upl-result a[href='/indicator/HEALTH_CHECKS_PCT']")
    # the same file again changes nothing and says so
    drop(dash_duo, tmp_path, "november.csv", NOVEMBER)
    dash_duo.wait_for_contains_text("#upl-status", "already loaded as upload 3", timeout=20)
    # the dashboard shows the new month
    go(dash_duo, "/indicator/HEALTH_CHECKS_PCT")
    dash_duo.wait_for_text_to_equal("#latest-value", "84%", timeout=15)


def test_editor_reverts_an_upload(dash_duo, app_for, config, tmp_path):
    from pipelines.uploads import check_files, commit_checked
    from pipelines.store.queries import Warehouse
    revised = b"indicator_code,period,value\nCLA_NUMBER,2026-10,599\n"
    commit_checked(check_files([("oct.csv", revised)], config=config), config=config, user="x")
    assert Warehouse(config).summary("CLA_NUMBER")["value"] == 599
    dash_duo.start_server(app_for)
    go(dash_duo, "/login?next=/upload")
    sign_in(dash_duo, "editor")
    dash_duo.wait_for_contains_text("#upl-history", "oct.csv", timeout=10)
    dash_duo.wait_for_element("#upl-revert-btn").click()
    wait_until(lambda: _alert_text(dash_duo), timeout=10)
    assert "1 value(s) it revised will go back" in _alert_text(dash_duo)
    dash_duo.driver.switch_to.alert.accept()
    dash_duo.wait_for_contains_text("#upl-reverted", "Upload 3 (oct.csv) reverted", timeout=20)
    assert Warehouse(config).summary("CLA_NUMBER")["value"] == 573


def _alert_text(dash_duo):
    try:
        return dash_duo.driver.switch_to.alert.text
    except Exception:
        return ""


def test_editor_writes_key_points_and_the_board_sees_them(dash_duo, app_for):
    dash_duo.start_server(app_for)
    go(dash_duo, "/login?next=/key-points/edit?as_at=2026-10%26section=key-points")
    sign_in(dash_duo, "editor")
    go(dash_duo, "/key-points/edit?as_at=2026-10&section=key-points")
    dash_duo.wait_for_element("#kp-draft", timeout=10).click()
    dash_duo.wait_for_contains_text("#kp-preview", "Health assessments up to date", timeout=20)
    box = dash_duo.find_element("#kp-text")
    box.clear()
    box.send_keys("- Placement stability is **improving**.\n- <script>alert(1)</script>")
    dash_duo.find_element("#kp-save").click()
    dash_duo.wait_for_text_to_equal("#kp-status", "Saved version 1 by demo-editor.", timeout=20)
    go(dash_duo, "/?as_at=2026-10")
    dash_duo.wait_for_contains_text("#key-points", "Placement stability is improving",
                                    timeout=15)
    assert dash_duo.find_element("#key-points strong").text == "improving"
    assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, "#key-points script")


def test_a_viewer_cannot_reach_upload_key_points_or_admin(dash_duo, app_for):
    dash_duo.start_server(app_for)
    go(dash_duo, "/login")
    sign_in(dash_duo, "viewer")
    for path, need in (("/upload", "editor"), ("/key-points/edit", "editor"),
                       ("/admin", "admin")):
        go(dash_duo, path)
        dash_duo.wait_for_text_to_equal("h1", f"You need {need} access", timeout=10)
        for control in ("#upl-files", "#upl-commit", "#kp-save", "#adm-save"):
            assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, control)
    go(dash_duo, "/uploads/1/file")
    assert "Forbidden" in dash_duo.driver.page_source
