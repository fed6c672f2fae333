"""axe-core on the insight team's pages (sign-in, upload, key points editor, admin), signed in
with the sample's demo sign-in: WCAG 2.2 AA applies to staff pages too."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.upload.test_upload_browser import app_for, go, sign_in  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def violations(driver) -> list[str]:
    driver.execute_script(AXE)
    driver.set_script_timeout(60)
    res = json.loads(driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
        ".catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));"))
    return [f"{v['id']}: {v['help']} -> {[n.get('target') for n in v['nodes'][:3]]}" for v in res]


def test_team_pages_pass_axe(dash_duo, app_for):  # noqa: F811
    dash_duo.start_server(app_for)
    go(dash_duo, "/login")
    dash_duo.wait_for_element("#demo-admin", timeout=15)
    problems = {"/login": violations(dash_duo.driver)}
    sign_in(dash_duo, "admin")
    for path, ready in (("/upload", "#upl-files"), ("/key-points/edit", "textarea"),
                        ("/admin", "h1")):
        go(dash_duo, path)
        dash_duo.wait_for_element(ready, timeout=20)
        dash_duo.wait_for_element("#as-at", timeout=20)
        problems[path] = violations(dash_duo.driver)
    bad = {k: v for k, v in problems.items() if v}
    assert not bad, "\n".join(f"{k}: {x}" for k, v in bad.items() for x in v)
