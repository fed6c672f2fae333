"""File bytes -> ParsedFile: read -> detect the layout -> normalise -> validate.

Never raises for bad input: an unreadable file becomes one error Problem (row None).
Child-level adoption files are detected here but parsed by ``pipelines.measures.adoption``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipelines.sources import published
from pipelines.sources.normalise import KINDS, detect_kind, empty_frame, normalise
from pipelines.sources.readers import ReadError, read_table
from pipelines.sources.validate import Problem, sort_problems, validate


@dataclass
class ParsedFile:
    file_name: str
    kind: str | None
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_file(data: bytes, file_name: str, *, catalogue, config, kind: str | None = None,
               sheet: str | None = None, today: date | None = None,
               previous: pd.DataFrame | None = None) -> ParsedFile:
    """Read, normalise and validate one file; every problem is in ``.problems``."""
    try:
        raw = read_table(data, file_name, sheet=sheet)
    except ReadError as exc:
        return unreadable(file_name, kind, exc)
    return parse_table(raw, file_name, catalogue=catalogue, config=config, kind=kind,
                       today=today, previous=previous)


def unreadable(file_name: str, kind: str | None, exc: ReadError) -> ParsedFile:
    p = Problem(file_name, None, None, None, "a CSV or XLSX table", "error", str(exc))
    return ParsedFile(file_name, kind, empty_frame(), [p])


def parse_table(raw: pd.DataFrame, file_name: str, *, catalogue, config,
                kind: str | None = None, today: date | None = None,
                previous: pd.DataFrame | None = None) -> ParsedFile:
    """Normalise and validate a table already read by ``readers.read_table``."""
    if kind is not None and kind not in KINDS + published.KINDS:
        p = Problem.make(file_name, None, None, kind, "one of " + ", ".join(KINDS + published.KINDS),
                         "unknown file kind")
        return ParsedFile(file_name, kind, empty_frame(), [p])
    rows_read = len(raw)
    # DfE's published files as downloaded (and reference files) are told by their columns.
    found = published.recognise(raw, catalogue, file_name) if kind in (None, *published.KINDS) else None
    if found is not None:
        frame, problems = published.normalise(raw, found, file_name=file_name, catalogue=catalogue,
                                              config=config)
        if not frame.empty:
            problems = list(problems) + validate(frame, file_name=file_name, catalogue=catalogue,
                                                 today=today, previous=previous)
        return ParsedFile(file_name, found.kind, frame, sort_problems(problems), rows_read)
    kind = kind or detect_kind(raw)
    if kind == "adoption":
        p = Problem.make(file_name, None, None, None, "", "child-level adoption records are loaded by the "
                         "adoption pipeline, not as indicator figures")
        return ParsedFile(file_name, kind, empty_frame(), [p], rows_read)
    frame, problems = normalise(raw, kind, file_name=file_name, catalogue=catalogue, config=config)
    problems = list(problems) + validate(frame, file_name=file_name, catalogue=catalogue, today=today,
                                         previous=previous)
    return ParsedFile(file_name, kind, frame, sort_problems(problems), rows_read)
