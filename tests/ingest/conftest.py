from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from pipelines.core.catalogue import load_catalogue
from pipelines.sources.ingest import parse_file

FILES = Path(__file__).parent / "files"
TODAY = date(2018, 2, 15)  # the report is as at January 2018


@dataclass
class FakeConfig:
    code: str = "E08000031"
    name: str = "Wolverhampton"
    region: str = "E12000005"
    statistical_neighbours: list = field(default_factory=lambda: ["E08000028", "E06000021"])


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture
def config():
    return FakeConfig()


@pytest.fixture
def parse(catalogue, config):
    """parse(bytes_or_text, name) -> ParsedFile, as at Feb 2018."""
    def _parse(data, file_name="extract.csv", **kw):
        if isinstance(data, str):
            data = data.encode("utf-8")
        kw.setdefault("today", TODAY)
        return parse_file(data, file_name, catalogue=catalogue, config=config, **kw)
    return _parse


def errors_at(parsed, row):
    return [p for p in parsed.errors if p.row == row]
