"""The /adoption page shows the figures the warehouse holds, and never a child's id.

The file is the hand-worked one of test_adoption_pipeline.py (arithmetic written out there),
with the child ids made distinctive so the test can look for them: as at January 2018,
A1 = 2800 / 5 = 560 days, A10 = 2300 / 5 = 460, A2 = 815 / 5 = 163, this year to date (C5
only) 700; as at February 2018 A1 = 3140 / 6 = 523.
"""
from __future__ import annotations

import json

import dash
import pytest

from pipelines.core.config import load_config
from pipelines.uploads import check_files, commit_checked
from pipelines.store.queries import Warehouse
from tests.adoption.test_adoption_pipeline import CONFIG, ROWS, csv_bytes

IDS = [f"ZQX-{i}" for i in range(1, len(ROWS) + 1)]
PSEUDONYMOUS = [IDS[i] + r[r.index(","):] for i, r in enumerate(ROWS)]


@pytest.fixture
def config(tmp_path):
    cfg = load_config(CONFIG).with_warehouse(tmp_path / "w.duckdb")
    checked = check_files([("adoption_records.csv", csv_bytes(PSEUDONYMOUS))], config=cfg)
    assert checked[0].errors == []
    commit_checked(checked, config=cfg)
    return cfg


@pytest.fixture
def app(config):
    from app import create_app
    return create_app(config)


def page_json(app, as_at):
    page = dash.page_registry["pages.adoption"]
    with app.server.app_context():
        return json.dumps(page["layout"](as_at=as_at).to_plotly_json(), default=str)


def test_the_page_never_shows_a_child_id_or_a_date_of_birth(app):
    text = page_json(app, "2018-01")
    assert "560 days" in text  # the page was drawn
    for child in IDS:
        assert child not in text
    assert "2012-01-01" not in text and "2014-05-05" not in text  # dates of birth of C1, C2


@pytest.mark.browser
def test_the_adoption_page_shows_the_warehouse_figures(dash_duo, app, config):
    wh = Warehouse(config)
    dash_duo.start_server(app)
    # child-level blocks are for signed-in users (issue 14: small numbers on open pages)
    from tests.dashboard.test_browser import SIGN_IN_AS_VIEWER
    dash_duo.driver.get(f"{dash_duo.server_url}/login")
    dash_duo.driver.set_script_timeout(60)
    assert dash_duo.driver.execute_async_script(SIGN_IN_AS_VIEWER) == 200
    dash_duo.wait_for_page(f"{dash_duo.server_url}/adoption?as_at=2018-01")
    dash_duo.wait_for_text_to_equal("#page-title", "Adoption as at January 2018")
    expected = {
        "#adoption-A1-three_year-days": wh.summary("A1_DAYS_3YR", "2018-01")["value"],
        "#adoption-A10-three_year-days": wh.summary("A10_DAYS_3YR", "2018-01")["value"],
        "#adoption-A2-three_year-days": wh.summary("A2_DAYS_3YR", "2018-01")["value"],
        "#adoption-A1-year_to_date-days": wh.summary("A1_DAYS_1YR", "2018-01")["value"],
    }
    assert list(expected.values()) == [560, 460, 163, 700]  # as worked by hand
    for selector, value in expected.items():
        dash_duo.wait_for_text_to_equal(selector, f"{value} days")
    # the number of children behind the 3-year figure, and % within for this year so far
    assert dash_duo.find_element("#adoption-A1-three_year-n").text == "5 children"
    assert dash_duo.find_element("#adoption-A1-year_to_date-pct").text == "0% within 426 days"
    assert dash_duo.find_element("#adoption-A1-threshold").text == "426 days"
    # five children: small numbers are flagged
    assert "small numbers: volatile" in dash_duo.find_element("#adoption-A1-three_year").text
    assert "Small numbers" in dash_duo.find_element(".warning-text").text

    # one dot per child: the 3-year window holds 5 children, 3 of them over 426 days (900, 500, 700)
    summary = dash_duo.find_element("#adoption-dots-summary").text
    assert summary.startswith("Of the 5 children adopted in 2015-16 to 2017-18")
    assert "3 waited longer than 426 days" in summary
    # choosing the last completed year (2016-17: C2, C3, C4) redraws it
    dash_duo.select_dcc_dropdown("#adoption-window", value="Last completed year (2016-17)")
    dash_duo.wait_for_contains_text("#adoption-dots-summary",
                                    "Of the 3 children adopted in 2016-17")

    # children waiting as at January 2018: C6 (in care since 2017-03-01, 336 days) and C7
    # (adopted in February, so still waiting in January)
    assert dash_duo.find_element("#adoption-waiting-summary").text.startswith(
        "On 31 January 2018, 2 children in these records were waiting")

    # ?as_at= moves the whole page: February 2018 adds C7
    dash_duo.wait_for_page(f"{dash_duo.server_url}/adoption?as_at=2018-02")
    value = wh.summary("A1_DAYS_3YR", "2018-02")["value"]
    assert value == 523
    dash_duo.wait_for_text_to_equal("#adoption-A1-three_year-days", f"{value} days")
    assert [e for e in dash_duo.get_logs() if e["level"] == "SEVERE"] == []


def test_waits_are_banded_with_the_threshold_as_an_edge_and_ages_are_banded():
    import pandas as pd

    from components.adoption_charts import age_band, waiting_counts

    waiting = pd.DataFrame({"days_waiting": [10.0, 182, 183, 426, 427, 730, 731],
                            "stage": ["in care", "in care", "placement order", "matched",
                                      "placed for adoption", "matched", "in care"]})
    counts = waiting_counts(waiting, 426)
    assert counts["total"].tolist() == [2, 2, 2, 1]   # <183 | 183-426 | 427-730 | 731+
    assert counts.loc["6 months to 426 days", "matched"] == 1
    assert age_band("2017-01-31", "2018-01-30") == "under 1"
    assert age_band("2017-01-31", "2018-01-31") == "1 to 4"
    assert age_band(None, "2018-01-31") == "not recorded"


# --- a warehouse of monthly extracts only -----------------------------------------------------

MONTHLY_ONLY = (b"indicator_code,period,value,numerator,denominator,status\n"
                b"CLA_NUMBER,2018-01,500,,,final\n"
                b"A1_DAYS_3YR,2018-01,480,,25,final\n"
                b"A10_DAYS_3YR,2018-01,430,,25,final\n")


@pytest.fixture
def monthly_only_app(tmp_path):
    """An app on a warehouse with a monthly extract (carrying A1/A10 directly) and no
    adoption records."""
    from app import create_app
    cfg = load_config(CONFIG).with_warehouse(tmp_path / "w.duckdb")
    checked = check_files([("monthly.csv", MONTHLY_ONLY)], config=cfg)
    assert checked[0].errors == []
    commit_checked(checked, config=cfg)
    assert len(Warehouse(cfg).adoption_children()) == 0
    return create_app(cfg)


def test_without_adoption_records_the_page_says_how_to_load_them(monthly_only_app):
    text = page_json(monthly_only_app, "2018-01")
    assert "No adoption records are loaded" in text
    for column in ("child_id", "date_entered_care", "date_adoption_order"):
        assert column in text  # the template's columns
    assert "lacdash ingest adoption.csv" in text and "/upload" in text
    # the figures loaded directly as indicators are still shown
    assert "Adoption figures loaded directly" in text
    assert "480 days" in text and "430 days" in text


def test_choosing_a_window_without_adoption_records_says_so_rather_than_failing(monthly_only_app):
    from pages.adoption import _choose_window
    with monthly_only_app.server.app_context():
        out = _choose_window("single_year", "2018-01-31")
    assert "No adoption records are loaded" in json.dumps(out.to_plotly_json(), default=str)


def test_each_adoption_chart_has_download_links(app):
    text = page_json(app, "2018-01")
    for chart in ("rolling", "dots", "waiting"):
        for ext in ("png", "svg", "xlsx", "csv"):
            assert f"/export/adoption/{chart}.{ext}?as_at=2018-01&mode=public" in text
    from pages.adoption import _choose_window
    with app.server.app_context():
        out = json.dumps(_choose_window("single_year", "2018-01-31").to_plotly_json(), default=str)
    assert "/export/adoption/dots.png?as_at=2018-01&mode=public&window=single_year" in out
