"""One sample warehouse for the compact board pack tests (building it takes about 15 s)."""
from __future__ import annotations

import pytest

from pipelines.core.config import PROJECT_ROOT, load_config


@pytest.fixture(scope="package")
def sample_config(tmp_path_factory):
    from tools.sample.build import build_sample  # lazy: only when the fixture is used
    config = load_config(PROJECT_ROOT / "data" / "config.toml").with_warehouse(
        tmp_path_factory.mktemp("board_pack") / "w.duckdb")
    build_sample(config)
    return config
