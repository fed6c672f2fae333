"""The sample warehouse (built once per test session through the real ingestion pipeline)
and a dashboard app on it."""
from __future__ import annotations

import pytest

from tests.fixtures import build_sample_config


@pytest.fixture(scope="session")
def sample_config(tmp_path_factory):
    return build_sample_config(tmp_path_factory)


@pytest.fixture(scope="session")
def warehouse(sample_config):
    from pipelines.store.queries import Warehouse
    return Warehouse(sample_config)


@pytest.fixture(scope="session")
def dash_app(sample_config):
    from app import create_app
    return create_app(sample_config)
