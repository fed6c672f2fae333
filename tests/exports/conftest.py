"""One sample warehouse for all export tests (building it takes about 10 s)."""
from __future__ import annotations

import pytest

from pipelines.store.queries import Warehouse
from tests.fixtures import build_sample_config

# The sample's year-to-date adoptions are 3 in April 2026 and 4 in May 2026: small numbers.
SMALL_MONTH = "2026-05"


@pytest.fixture(scope="package")
def sample_config(tmp_path_factory):
    return build_sample_config(tmp_path_factory)


@pytest.fixture(scope="package")
def wh(sample_config):
    return Warehouse(sample_config)
