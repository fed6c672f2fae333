"""A section added to data/indicators.yaml gets its page and its link in the navigation, with
no code change (issue 9: the catalogue is the one list of sections).

Pages register at import, so the app is built in a fresh process reading an edited copy of
the catalogue (the sample warehouse is shared with the other dashboard tests).
"""
from __future__ import annotations

import json
import subprocess
import sys

import yaml

from pipelines.core.config import PROJECT_ROOT

NEW_SECTION = """  - id: kinship-care
    slug: kinship-care
    title: "Kinship care"
    summary: "Children looked after by relatives and friends."
"""
NEW_INDICATOR = """
  - code: KINSHIP_CARERS_NUMBER
    title: "Approved kinship carers"
    definition: "The number of approved kinship (family and friends) foster carers at month end."
    section: kinship-care
    unit: count
    polarity: none
    frequency: M
    source: "Fostering service records"
"""

SCRIPT = r"""
import json, sys
from pathlib import Path
import pipelines.core.catalogue as catalogue
catalogue.DEFAULT_PATH = Path(sys.argv[1])          # the edited copy, before anything loads it
from pipelines.core.config import load_config
config = load_config(sys.argv[2]).with_warehouse(sys.argv[3])
import dash
from app import create_app
from webapp import shell
app = create_app(config)

def text(c):
    return json.dumps(c.to_plotly_json(), default=lambda o: o.to_plotly_json()
                      if hasattr(o, "to_plotly_json") else str(o))

with app.server.test_request_context("/kinship-care"):
    pages = {p["path"]: p for p in dash.page_registry.values()}
    page = pages.get("/kinship-care")
    print(json.dumps({"page": text(page["layout"]()) if page else None,
                      "header": text(shell.header("/kinship-care", ""))}))
"""


def _edited_catalogue(tmp_path):
    data = yaml.safe_load((PROJECT_ROOT / "data" / "indicators.yaml").read_text(encoding="utf-8"))
    data["sections"] += yaml.safe_load(NEW_SECTION)
    data["indicators"] += yaml.safe_load(NEW_INDICATOR)
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_a_new_section_in_the_catalogue_gets_a_page_and_a_nav_link(tmp_path, sample_config):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(_edited_catalogue(tmp_path)),
         str(sample_config.config_path), str(sample_config.warehouse_path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["page"] is not None, "no page at /kinship-care"
    assert "Kinship care as at" in out["page"]          # the section's own heading
    assert "trend-KINSHIP_CARERS_NUMBER" in out["page"]  # and its indicator's block
    header = out["header"]
    assert '"href": "/kinship-care' in header and '"children": "Kinship care"' in header
    assert '"aria-current": "page"' in header
    # the new link sits in the catalogue's order, after the last existing section
    assert header.index('"href": "/care-leavers') < header.index('"href": "/kinship-care')
