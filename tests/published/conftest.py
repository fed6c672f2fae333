"""DfE's published files exactly as downloaded (../shared/published/, beside the repo; CI has
it) and a warehouse holding all of them for a configuration that names only Wolverhampton."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipelines.core.config import load_config
from pipelines.uploads import check_files, commit_checked

PUBLISHED = Path(__file__).resolve().parents[2] / ".." / "shared" / "published"
WOLVES = "E08000031"
ONLY_THE_CODE = '[authority]\ncode = "E08000031"\n\n[warehouse]\npath = "warehouse.duckdb"\n'


def published_files() -> list[Path]:
    return sorted(PUBLISHED.glob("*.csv"))


def csv_rows(name: str) -> list[dict]:
    """A published file read with the csv module alone (independent of our readers)."""
    with open(PUBLISHED / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_config(folder: Path, text: str = ONLY_THE_CODE):
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "config.toml"
    p.write_text(text)
    return load_config(p)


@pytest.fixture
def wolves_only(tmp_path):
    return write_config(tmp_path)


@pytest.fixture(scope="session")
def loaded(tmp_path_factory):
    """Every file of ../shared/published/ loaded in one go through the upload checks."""
    config = write_config(tmp_path_factory.mktemp("published"))
    files = [(p.name, p.read_bytes()) for p in published_files()]
    checked = check_files(files, config=config)
    errors = [p.message for c in checked for p in c.errors]
    assert not errors, errors
    commit_checked(checked, config=config, user="test")
    return config
