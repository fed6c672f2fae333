"""What every export shares and the other export modules build on: the error a user can
correct, the month an export is as at, and the lines at the top of every file."""
from __future__ import annotations

from datetime import date

import pandas as pd

from exports.suppression import NOTE, PUBLIC

SUPPRESSED_FOOTNOTE = "Figures of fewer than 5 children are not shown, to protect privacy."


class ExportInputError(ValueError):
    """A request the user can correct (unknown code, no figures for the month)."""


def resolve_as_at(wh, as_at) -> date:
    """The month an export is as at; a plain ExportInputError when it cannot be."""
    try:
        d = wh.resolve_as_at(as_at)
    except ValueError as exc:
        raise ExportInputError(str(exc)) from None
    if d is None:
        raise ExportInputError("The warehouse has no monthly figures yet: load some first.")
    return d


def header_lines(what: str, authority: str, as_at: date, mode: str, is_sample: bool) -> list[str]:
    lines = [what, f"{authority}: figures as at {pd.Timestamp(as_at):%B %Y}"]
    if mode == PUBLIC:
        lines.append(f"Public. {NOTE}")
    else:
        lines.append("CONFIDENTIAL: includes small numbers. Not for publication.")
    if is_sample:
        lines.append("Sample data: a synthetic authority, not real children.")
    lines.append(f"Exported {date.today():%d %B %Y}")
    return lines
