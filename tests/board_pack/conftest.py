"""One sample warehouse for the compact board pack tests (building it takes about 15 s)."""
from __future__ import annotations

import pytest

from tests.fixtures import build_sample_config


@pytest.fixture(scope="package")
def sample_config(tmp_path_factory):
    return build_sample_config(tmp_path_factory)
