"""Check an action-plan or outstanding-matters file and import it: every problem at once,
nothing written when there is any error, duplicates asked about (see
`pipelines.store.plan.import_items`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.sources.action_plan import ParsedPlan, parse_plan_file
from pipelines.store.plan import (ImportResult, PlanError, duplicate_items, existing_keys,
                                  import_items)
from pipelines.store.warehouse import ReadConnection


@dataclass
class PlanImport:
    parsed: ParsedPlan
    duplicates: int = 0            # items already on the plan (the user is asked)
    result: ImportResult | None = None

    @property
    def message(self) -> str:
        p = self.parsed
        if p.errors:
            return (f"{p.file}: {len(p.errors)} problems to fix; nothing was imported.")
        if self.result is not None:
            return f"{p.file}: {self.result.message}"
        if self.duplicates:
            return (f"{p.file}: {self.duplicates} of its items are already on the plan. "
                    "Skip them, or add them again?")
        return f"{p.file}: ready to import."


def check_plan_file(db: Path, data: bytes, file_name: str, catalogue, *,
                    recorded_at: date | None = None) -> PlanImport:
    """Parse and check a file and count the items already on the plan; writes nothing."""
    parsed = parse_plan_file(data, file_name, catalogue, recorded_at=recorded_at)
    out = PlanImport(parsed)
    if not parsed.errors and Path(db).exists():
        keys = existing_keys(ReadConnection(Path(db)))
        out.duplicates = len(duplicate_items(keys, parsed.outcomes, parsed.actions,
                                             parsed.matters))
    return out


def import_plan_file(db: Path, data: bytes, file_name: str, catalogue, user: str, *,
                     duplicates: str = "ask", recorded_at: date | None = None) -> PlanImport:
    """Check and, when the file has no errors (and duplicates are settled), import it.
    With duplicates="ask" and some found, nothing is written and `duplicates` says how many."""
    checked = check_plan_file(db, data, file_name, catalogue, recorded_at=recorded_at)
    p = checked.parsed
    if p.errors or (checked.duplicates and duplicates == "ask"):
        return checked
    try:
        checked.result = import_items(db, p.outcomes, p.actions, p.matters, user,
                                      duplicates=duplicates, recorded_at=recorded_at,
                                      source=file_name)
    except PlanError:
        # someone added the same items between the check and the import: ask again
        checked.duplicates = checked.duplicates or 1
    return checked
