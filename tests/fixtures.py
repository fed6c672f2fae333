"""What several suites build the same way, in one place: the sample configuration text, a
small warehouse built once and copied per test, the whole sample built through the real
pipeline, and, for the suites that call pages' callbacks on a server (upload, action plan,
SSDA903, security), a Dash app holding only some pages, a Flask server with a config's
context and sign-in, and a signed-in role to act as. Each suite's conftest.py wraps these in
its own fixtures."""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import shutil
import textwrap
from pathlib import Path

import dash
import flask
from dash import _callback as dash_callback

from pipelines.core.config import PROJECT_ROOT, Config, load_config
from pipelines.uploads import check_files, commit_checked
from tools.sample.build import build_sample
from webapp.auth import init_auth, start_session
from webapp.context import set_context

SAMPLE = PROJECT_ROOT / "data" / "sample"
BUILD_FILES = ("comparators_ees.csv", "local_monthly_long.csv")


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


def build_small(folder: Path, files=BUILD_FILES) -> Config:
    """The sample's monthly extract and EES comparators loaded through the upload checks into
    a warehouse in `folder` (with a demo-mode sample config beside it)."""
    (folder / "config.toml").write_text(config_text())
    config = load_config(folder / "config.toml")
    for name in files:
        checked = check_files([(name, (SAMPLE / name).read_bytes())], config=config)
        assert not checked[0].errors, checked[0].errors[:3]
        commit_checked(checked, config=config, user="builder")
    return config


def copy_built(built_dir: Path, dest: Path, **cfg) -> Config:
    """A private copy of a built warehouse (and its archive), with a config of its own."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(built_dir / "warehouse.duckdb", dest / "warehouse.duckdb")
    shutil.copytree(built_dir / "archive", dest / "archive")
    (dest / "config.toml").write_text(config_text(**cfg))
    return load_config(dest / "config.toml")


def build_sample_config(tmp_path_factory) -> Config:
    """The whole sample (`lacdash sample`) built through the real ingestion pipeline."""
    d = tmp_path_factory.mktemp("sample")
    shutil.copy(PROJECT_ROOT / "data" / "config.toml", d / "config.toml")
    config = load_config(d / "config.toml").with_warehouse(d / "w.duckdb")
    build_sample(config)
    return config


def warehouse_bytes(config) -> str:
    return hashlib.sha256(config.warehouse_path.read_bytes()).hexdigest()


def app_with_pages(*modules: str) -> dash.Dash:
    """A Dash app holding only these page modules (a page module can be imported only once an
    app exists). Importing them adds their callbacks to Dash's process-wide list: they are
    taken out again, so an app built later by app.create_app does not get them twice."""
    app = dash.Dash(__name__, use_pages=True, pages_folder="",
                    suppress_callback_exceptions=True)
    n, keys = len(dash_callback.GLOBAL_CALLBACK_LIST), set(dash_callback.GLOBAL_CALLBACK_MAP)
    for name in modules:
        importlib.import_module(name)
    del dash_callback.GLOBAL_CALLBACK_LIST[n:]
    for k in set(dash_callback.GLOBAL_CALLBACK_MAP) - keys:
        del dash_callback.GLOBAL_CALLBACK_MAP[k]
    return app


def server_for_config(config) -> flask.Flask:
    """A plain Flask server with the context and sign-in of `config` (the Dash app above only
    lets the page modules be imported)."""
    server = flask.Flask(__name__)
    set_context(server, config)
    init_auth(server, config)
    return server


@contextlib.contextmanager
def as_role(server, role):
    """A request on `server`, signed in (demo mode) as `role`; anonymous when role is None."""
    with server.test_request_context():
        if role:
            start_session(flask.current_app.config["LACDASH_CONFIG"], f"demo-{role}", role)
        yield
