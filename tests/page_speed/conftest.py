"""A sample warehouse of the folder's own (keep_warm writes to it)."""
from __future__ import annotations

import pytest

from tests.fixtures import build_sample_config


@pytest.fixture(scope="session")
def sample_config(tmp_path_factory):
    return build_sample_config(tmp_path_factory)
