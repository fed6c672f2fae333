"""What an editor and a viewer do in the browser (demo sign-in on the sample): an editor adds
an action and closes it and the board sees it completed; text typed into the plan shows as
text; a viewer is refused the editor, and the server refuses a viewer's save sent straight
to Dash."""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By

from pipelines.store.plan import read_items
from pipelines.store.warehouse import ReadConnection
from tests.action_plan.conftest import warehouse_bytes
from tests.dashboard.test_browser import axe_violations, open_page
from tests.upload.test_upload_browser import go, sign_in, wait_until

pytestmark = pytest.mark.browser
ACTION = "Hold a review with carers <script>alert(1)</script> & <b>not bold</b>"


@pytest.fixture
def app_for(config):
    import app as app_module
    return app_module.create_app(config)


def _choose(dash_duo, selector, text):
    """Pick a dropdown option by typing part of its label (as a keyboard user would),
    again if the page's first callbacks were still filling the form."""
    def pick():
        box = dash_duo.wait_for_element(selector, timeout=10)
        if text in box.text:
            return True
        box.click()
        dash_duo.driver.switch_to.active_element.send_keys(text)
        time.sleep(0.3)
        for option in dash_duo.driver.find_elements(By.CSS_SELECTOR,
                                                     "[role=option].dash-dropdown-option"):
            if text in option.text:
                option.click()
                break
        time.sleep(0.5)
        return text in dash_duo.find_element(selector).text
    wait_until(pick, timeout=20)


def test_an_editor_adds_and_closes_an_action(dash_duo, app_for, config):
    dash_duo.start_server(app_for)
    go(dash_duo, "/login?next=/action-plan/edit")
    sign_in(dash_duo, "editor")
    go(dash_duo, "/action-plan/edit")
    dash_duo.wait_for_contains_text("#ape-plan", "14 actions under 4 outcomes", timeout=15)
    _choose(dash_duo, "#ape-outcome", "Corporate Strategic")
    dash_duo.find_element("#ape-text").send_keys(ACTION)
    dash_duo.find_element("#ape-owner").send_keys("Lorna Tull")
    dash_duo.find_element("#ape-due").send_keys("March 2030")
    dash_duo.find_element("#ape-save").click()
    dash_duo.wait_for_text_to_equal("#ape-msg", "Added action 15.", timeout=20)
    dash_duo.wait_for_contains_text("#ape-plan", "15 actions under 4 outcomes", timeout=15)
    dash_duo.find_element("#ape-close").click()
    dash_duo.wait_for_text_to_equal("#ape-msg", "Closed action 15: marked completed.",
                                    timeout=20)
    row = read_items(ReadConnection(config.warehouse_path), "action").set_index("action_id")
    assert (row.loc[15, "action"], row.loc[15, "status"], row.loc[15, "owner"],
            row.loc[15, "outcome_id"]) == (ACTION, "completed", "Lorna Tull", 1)
    # the board's page: the new action, completed, its text shown as typed
    go(dash_duo, "/action-plan")
    dash_duo.wait_for_contains_text("#actions-1", "Hold a review with carers", timeout=15)
    cells = [r.text for r in dash_duo.driver.find_elements(By.CSS_SELECTOR, "#actions-1 tr")]
    ours = [c for c in cells if "Hold a review" in c][0]
    assert "<script>alert(1)</script> & <b>not bold</b>" in ours
    assert "✓ Completed" in ours and "Overdue" not in ours
    assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, "#plan-body script, #plan-body b")


def _viewer_save_status(dash_duo) -> int:
    """Send the editor's save callback to Dash from the viewer's own signed-in page."""
    return dash_duo.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/_dash-dependencies').then(r => r.json()).then(deps => {
          const cb = deps.find(d => d.inputs.some(i => i.id === 'ape-save'));
          const outputs = cb.output.replace(/^\\.\\./, '').replace(/\\.\\.$/, '').split('...')
            .map(o => { const i = o.indexOf('.');
                        return {id: o.slice(0, i), property: o.slice(i + 1)}; });
          const vals = {'ape-action': 'new', 'ape-outcome': 1, 'ape-text': 'Hacked',
                        'ape-status': 'progressing'};
          const state = cb.state.map(s => ({id: s.id, property: s.property,
                                            value: vals[s.id] ?? null}));
          return fetch('/_dash-update-component', {method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({output: cb.output, outputs: outputs,
              inputs: [{id: 'ape-save', property: 'n_clicks', value: 1}], state: state,
              changedPropIds: ['ape-save.n_clicks']})});
        }).then(r => done(r.status)).catch(e => done(String(e)));
    """)


def test_a_viewer_is_refused_on_the_server(dash_duo, app_for, config):
    dash_duo.start_server(app_for)
    go(dash_duo, "/login?next=/action-plan/edit")
    sign_in(dash_duo, "viewer")
    go(dash_duo, "/action-plan/edit")
    dash_duo.wait_for_text_to_equal("h1", "You need editor access", timeout=10)
    assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, "#ape-save, #api-file")
    before = warehouse_bytes(config)
    assert _viewer_save_status(dash_duo) == 403
    assert warehouse_bytes(config) == before
    # the board's page reads fine for a viewer, with no private notes and no edit link
    go(dash_duo, "/action-plan")
    dash_duo.wait_for_contains_text("#plan-summary", "14 actions under 4 outcomes", timeout=15)
    page = dash_duo.find_element("#plan-body").text
    assert "Sample private note" not in page
    assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, "#plan-edit-link")


def test_the_plan_as_it_stood_on_a_day(dash_duo, app_for):
    dash_duo.start_server(app_for)
    go(dash_duo, "/action-plan?on=2014-01-31")
    dash_duo.wait_for_contains_text("#plan-summary", "As at 31 January 2014", timeout=15)
    assert "8 overdue" in dash_duo.find_element("#plan-summary").text
    go(dash_duo, "/indicator/CL_EET_PCT")
    dash_duo.wait_for_element("#linked-actions", timeout=15)
    assert "Promote and increase opportunities" in dash_duo.find_element("#linked-actions").text


def test_the_plan_pages_pass_axe(dash_duo, app_for):
    dash_duo.start_server(app_for)
    problems = {}
    for path in ("/action-plan", "/action-plan?on=2014-01-31", "/action-plan?on=soon"):
        open_page(dash_duo, path)
        problems.update({path: v for v in [axe_violations(dash_duo)] if v})
    go(dash_duo, "/login?next=/action-plan/edit")
    sign_in(dash_duo, "editor")
    go(dash_duo, "/action-plan/edit")
    dash_duo.wait_for_contains_text("#ape-plan", "14 actions", timeout=15)
    problems.update({"edit": v for v in [axe_violations(dash_duo)] if v})
    assert not problems, problems
