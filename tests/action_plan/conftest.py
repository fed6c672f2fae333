"""A built sample warehouse (monthly extract, EES comparators, the 2013-14 action plan and
the March 2018 schedule of outstanding matters), copied fresh for each test."""
from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import PROJECT_ROOT, load_config
from pipelines.plan_uploads import import_plan_file
from tests.upload.conftest import config_text

SAMPLE = PROJECT_ROOT / "data" / "sample"
PLAN = "action_plan_2013_14.csv"
SCHEDULE = "outstanding_matters_2018_03.csv"
AGREED = date(2013, 6, 26)       # the board meeting that approved the 2013-14 plan
RAISED = date(2018, 1, 18)       # the meeting that raised the March 2018 schedule's items
# The real papers, beside the repository.
REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference"


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory):
    from pipelines.uploads import check_files, commit_checked
    d = tmp_path_factory.mktemp("plan-built")
    (d / "config.toml").write_text(config_text())
    config = load_config(d / "config.toml")
    for name in ("comparators_ees.csv", "local_monthly_long.csv"):
        checked = check_files([(name, (SAMPLE / name).read_bytes())], config=config)
        assert not checked[0].errors, checked[0].errors[:3]
        commit_checked(checked, config=config, user="builder")
    for name, when in ((PLAN, AGREED), (SCHEDULE, RAISED)):
        done = import_plan_file(config.warehouse_path, (SAMPLE / name).read_bytes(), name,
                                load_catalogue(), "builder", recorded_at=when)
        assert done.result is not None, done.message
    return d


@pytest.fixture
def config(built_dir, tmp_path):
    dest = tmp_path / "wh"
    dest.mkdir()
    shutil.copy(built_dir / "warehouse.duckdb", dest / "warehouse.duckdb")
    (dest / "config.toml").write_text(config_text())
    return load_config(dest / "config.toml")


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


def warehouse_bytes(config) -> str:
    return hashlib.sha256(config.warehouse_path.read_bytes()).hexdigest()


@pytest.fixture
def dash_app():
    """A Dash app holding only the action-plan pages (callbacks registered once)."""
    import dash
    from dash import _callback as dash_callback
    app = dash.Dash(__name__, use_pages=True, pages_folder="",
                    suppress_callback_exceptions=True)
    n, keys = len(dash_callback.GLOBAL_CALLBACK_LIST), set(dash_callback.GLOBAL_CALLBACK_MAP)
    import pages.action_plan  # noqa: F401
    import pages.action_plan_edit  # noqa: F401
    del dash_callback.GLOBAL_CALLBACK_LIST[n:]
    for k in set(dash_callback.GLOBAL_CALLBACK_MAP) - keys:
        del dash_callback.GLOBAL_CALLBACK_MAP[k]
    return app


@pytest.fixture
def server_for(dash_app):
    from webapp.auth import init_auth
    from webapp.context import set_context

    import flask

    def make(config):
        server = flask.Flask(__name__)
        set_context(server, config)
        init_auth(server, config)
        return server
    return make
