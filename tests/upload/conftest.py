"""A small built warehouse (the sample's monthly extract and EES comparators), copied fresh
for each test, and a server for calling the pages' callbacks as a given user."""
from __future__ import annotations

import hashlib
import shutil
import textwrap
from pathlib import Path

import pytest

from pipelines.core.config import PROJECT_ROOT, load_config

SAMPLE = PROJECT_ROOT / "data" / "sample"
BUILD_FILES = ["comparators_ees.csv", "local_monthly_long.csv"]


def config_text(mode="demo", sample=True, users_file="users.toml"):
    return textwrap.dedent(f"""
        [authority]
        name = "Sample Borough"
        code = "E99999901"
        dfe_number = 999
        region = "E12000005"
        statistical_neighbours = ["E08000028", "E06000021", "E08000030", "E06000010",
            "E08000005", "E08000026", "E08000017", "E06000015", "E06000002", "E06000012"]
        sample = {"true" if sample else "false"}
        [warehouse]
        path = "warehouse.duckdb"
        [auth]
        mode = "{mode}"
        header = "X-Remote-User"
        users_file = "{users_file}"
        secret_key = "test-secret-key"
        """)


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory):
    from pipelines.uploads import check_files, commit_checked
    d = tmp_path_factory.mktemp("built")
    (d / "config.toml").write_text(config_text())
    config = load_config(d / "config.toml")
    for name in BUILD_FILES:
        checked = check_files([(name, (SAMPLE / name).read_bytes())], config=config)
        assert not checked[0].errors, checked[0].errors[:3]
        commit_checked(checked, config=config, user="builder")
    return d


def _copy(built_dir, dest: Path, **cfg):
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(built_dir / "warehouse.duckdb", dest / "warehouse.duckdb")
    shutil.copytree(built_dir / "archive", dest / "archive")
    (dest / "config.toml").write_text(config_text(**cfg))
    return load_config(dest / "config.toml")


@pytest.fixture
def config(built_dir, tmp_path):
    """Demo-mode sample config on a private copy of the built warehouse."""
    return _copy(built_dir, tmp_path / "wh")


@pytest.fixture
def make_config(built_dir, tmp_path):
    def make(**cfg):
        return _copy(built_dir, tmp_path / "wh", **cfg)
    return make


def warehouse_bytes(config) -> str:
    return hashlib.sha256(config.warehouse_path.read_bytes()).hexdigest()


@pytest.fixture
def dash_app():
    """A Dash app holding only this feature's pages (callbacks registered once)."""
    import dash
    from dash import _callback as dash_callback
    app = dash.Dash(__name__, use_pages=True, pages_folder="",
                    suppress_callback_exceptions=True)
    # Importing the pages adds their callbacks to Dash's process-wide list; take them out
    # again so an app built later by app.create_app does not get them twice.
    n, keys = len(dash_callback.GLOBAL_CALLBACK_LIST), set(dash_callback.GLOBAL_CALLBACK_MAP)
    import pages.admin  # noqa: F401
    import pages.keypoints_edit  # noqa: F401
    import pages.login  # noqa: F401
    import pages.upload  # noqa: F401
    del dash_callback.GLOBAL_CALLBACK_LIST[n:]
    for k in set(dash_callback.GLOBAL_CALLBACK_MAP) - keys:
        del dash_callback.GLOBAL_CALLBACK_MAP[k]
    return app


@pytest.fixture
def server_for(dash_app):
    """server_for(config) -> a Flask server with the context and auth of that config."""
    from webapp.auth import init_auth
    from webapp.context import set_context

    import flask

    def make(config):
        # A plain Flask server: the Dash app above only lets the page modules be imported.
        server = flask.Flask(__name__)
        set_context(server, config)
        init_auth(server, config)
        return server
    return make
