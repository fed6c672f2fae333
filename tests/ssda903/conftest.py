from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.sources import ssda903
from tests.ssda903.helpers import KEY

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "ssda903"


def shared_files() -> dict[str, bytes]:
    if not SHARED.is_dir():
        pytest.skip("../shared/ssda903 (the synthetic SSDA903 files) not found")
    return {p.name: p.read_bytes() for p in sorted(SHARED.glob("*.csv"))}


@pytest.fixture(scope="session")
def shared_extract():
    from tests.ssda903.helpers import raws
    ex, problems = ssda903.read_files(raws(shared_files()), KEY)
    assert ex is not None, [p.message for p in problems if p.severity == "error"]
    return ex
