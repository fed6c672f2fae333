"""A small built warehouse (the sample's monthly extract and EES comparators), copied fresh
for each test, and a server for calling the pages' callbacks as a given user (the helpers are
shared with other suites: tests/fixtures.py)."""
from __future__ import annotations

import pytest

from tests.fixtures import (  # noqa: F401 - SAMPLE, config_text, warehouse_bytes: imported from here
    SAMPLE, app_with_pages, build_small, config_text, copy_built, server_for_config,
    warehouse_bytes,
)


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("built")
    build_small(d)
    return d


@pytest.fixture
def config(built_dir, tmp_path):
    """Demo-mode sample config on a private copy of the built warehouse."""
    return copy_built(built_dir, tmp_path / "wh")


@pytest.fixture
def make_config(built_dir, tmp_path):
    def make(**cfg):
        return copy_built(built_dir, tmp_path / "wh", **cfg)
    return make


@pytest.fixture
def dash_app():
    """A Dash app holding only this feature's pages (callbacks registered once)."""
    return app_with_pages("pages.admin", "pages.keypoints_edit", "pages.login", "pages.upload")


@pytest.fixture
def server_for(dash_app):
    """server_for(config) -> a Flask server with the context and auth of that config."""
    return server_for_config
