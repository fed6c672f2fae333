"""One sample warehouse for all export tests (building it takes about 10 s)."""
from __future__ import annotations

import pytest

from pipelines.core.config import PROJECT_ROOT, load_config
from pipelines.store.queries import Warehouse

# The sample's year-to-date adoptions are 3 in April 2026 and 4 in May 2026: small numbers.
SMALL_MONTH = "2026-05"


@pytest.fixture(scope="package")
def sample_config(tmp_path_factory):
    from tools.sample.build import build_sample
    config = load_config(PROJECT_ROOT / "data" / "config.toml").with_warehouse(
        tmp_path_factory.mktemp("exports") / "w.duckdb")
    build_sample(config)
    return config


@pytest.fixture(scope="package")
def wh(sample_config):
    return Warehouse(sample_config)
