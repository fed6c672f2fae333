"""A problem found in an input file: which file, row (as Excel numbers it), column and value,
what was expected, and one plain-English sentence saying all of that.

In core because every reader and measure reports with it (sources, measures, uploads).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    value: object
    expected: str
    severity: str  # "error" or "warning"
    message: str

    @classmethod
    def make(cls, file, row, column, value, expected, what, severity="error", hint="") -> "Problem":
        """Build a Problem whose message names the file, row, column, value and expectation."""
        where = file
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column '{column}'"
        details = []
        if value is not None and value != "":
            details.append(f"found '{value}'")
        if expected:
            details.append(f"expected {expected}")
        tail = f" ({'; '.join(details)})" if details else ""
        hint = f" {hint}" if hint else ""
        return cls(file, row, column, value, expected, severity, f"{where}: {what}{tail}.{hint}")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """File-level problems (no row) first, then by row, errors before warnings."""
    return sorted(
        problems,
        key=lambda p: (p.row is not None, p.row or 0, p.severity != "error", p.column or ""),
    )
