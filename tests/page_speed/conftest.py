"""A sample warehouse of the folder's own (keep_warm writes to it)."""
from __future__ import annotations

import shutil

import pytest

from pipelines.core.config import PROJECT_ROOT, load_config


@pytest.fixture(scope="session")
def sample_config(tmp_path_factory):
    from tools.sample.build import build_sample
    d = tmp_path_factory.mktemp("sample")
    shutil.copy(PROJECT_ROOT / "data" / "config.toml", d / "config.toml")
    config = load_config(d / "config.toml").with_warehouse(d / "w.duckdb")
    build_sample(config)
    return config
