"""A built sample warehouse (monthly extract, EES comparators, the 2013-14 action plan and
the March 2018 schedule of outstanding matters), copied fresh for each test."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import load_config
from pipelines.plan_uploads import import_plan_file
from tests.fixtures import (  # noqa: F401 - SAMPLE, warehouse_bytes: imported from here
    SAMPLE, app_with_pages, build_small, config_text, copy_built, server_for_config,
    warehouse_bytes,
)

PLAN = "action_plan_2013_14.csv"
SCHEDULE = "outstanding_matters_2018_03.csv"
AGREED = date(2013, 6, 26)       # the board meeting that approved the 2013-14 plan
RAISED = date(2018, 1, 18)       # the meeting that raised the March 2018 schedule's items
# The real papers, beside the repository.
REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference"


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("plan-built")
    config = build_small(d)
    for name, when in ((PLAN, AGREED), (SCHEDULE, RAISED)):
        done = import_plan_file(config.warehouse_path, (SAMPLE / name).read_bytes(), name,
                                load_catalogue(), "builder", recorded_at=when)
        assert done.result is not None, done.message
    return d


@pytest.fixture
def config(built_dir, tmp_path):
    return copy_built(built_dir, tmp_path / "wh")


@pytest.fixture
def empty_config(tmp_path):
    """A sample config with no warehouse file yet."""
    dest = tmp_path / "empty"
    dest.mkdir()
    (dest / "config.toml").write_text(config_text())
    return load_config(dest / "config.toml")


@pytest.fixture
def catalogue():
    return load_catalogue()


@pytest.fixture
def dash_app():
    """A Dash app holding only the action-plan pages (callbacks registered once)."""
    return app_with_pages("pages.action_plan", "pages.action_plan_edit")


@pytest.fixture
def server_for(dash_app):
    return server_for_config
