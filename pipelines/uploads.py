"""Check files, preview what they would change, and commit them: shared by the command
line and the upload page, so both apply exactly the same rules."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

import pandas as pd

from pipelines.core.areas import area_name
from pipelines.core.catalogue import load_catalogue
from pipelines.sources.published import REFERENCE
from pipelines.core.periods import financial_year_start, month_end
from pipelines.core.problems import Problem, sort_problems
from pipelines.measures import adoption
from pipelines.sources.ingest import parse_table, unreadable
from pipelines.sources.readers import ReadError, read_table
from pipelines.sources.validate import _big_changes
from pipelines import ssda903_upload
from pipelines.store import warehouse as wh
from pipelines.store.queries import Warehouse


@dataclass
class CheckedFile:
    file_name: str
    data: bytes
    kind: str | None
    frame: pd.DataFrame
    problems: list
    rows_read: int = 0
    plan: wh.Plan | None = None
    children: pd.DataFrame | None = None
    sha256: str = ""
    tables: dict | None = None   # upload-owned side tables (an SSDA903 extract's report)

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self):
        return [p for p in self.problems if p.severity != "error"]


def _previous_values(stored: Warehouse | None, frame: pd.DataFrame) -> pd.DataFrame | None:
    """Current warehouse values for the indicators in a file (for 'change since last month')."""
    if stored is None or frame is None or frame.empty:
        return None
    # Only the file's indicators and areas, from the month before its first month: on a
    # national warehouse this is thousands of rows, not a million.
    months = frame[frame.period_type == "month"]
    if months.empty:
        return None
    since = (pd.Timestamp(months.period_start.min()) - pd.DateOffset(months=1)).date()
    until = pd.Timestamp(months.period_end.max()).date()
    return stored.monthly_values(months.indicator_code.unique(), months.area_code.unique(),
                                 since, until)


def _adoption_months(children: pd.DataFrame, stored: Warehouse | None) -> list[date]:
    """Every month end from the first adoption year to the latest month we report."""
    dates = pd.concat([pd.to_datetime(children[c], errors="coerce") for c in children.columns
                       if c.startswith("date_")]).dropna()
    if dates.empty:
        return []
    last = dates.max().date()
    latest = stored.latest_local_month() if stored is not None else None
    if latest is not None and latest > last:
        last = latest
    orders = pd.to_datetime(children["date_adoption_order"], errors="coerce").dropna()
    first = (orders.min() if len(orders) else dates.min()).date()
    return [month_end(d) for d in pd.date_range(financial_year_start(first), last, freq="MS").date]


@contextlib.contextmanager
def _stored(config, catalogue):
    """The warehouse as it is now (None before the first load), closed after the check."""
    if not config.warehouse_path.exists():
        yield None
        return
    stored = Warehouse(config, catalogue)
    try:
        yield stored
    finally:
        stored.close()


def check_file(file_name: str, data: bytes, *, config, kind=None, sheet=None,
               today=None, catalogue=None) -> CheckedFile:
    catalogue = catalogue or load_catalogue()
    with _stored(config, catalogue) as stored:
        return _check_file(file_name, data, config=config, kind=kind, sheet=sheet, today=today,
                           catalogue=catalogue, stored=stored)


def _check_file(file_name, data, *, config, kind, sheet, today, catalogue, stored) -> CheckedFile:
    sha = wh.sha256_of(data)
    try:  # read once: the columns tell adoption records from indicator figures
        raw, read_error = read_table(data, file_name, sheet=sheet), None
    except ReadError as exc:
        raw, read_error = None, exc
    is_adoption = raw is not None and (
        kind == "adoption" or (kind is None and adoption.is_adoption_table(raw.columns)))
    if is_adoption:
        children, problems = adoption.parse_children(raw, file_name=file_name, today=today)
        frame = pd.DataFrame()
        if not any(p.severity == "error" for p in problems):
            months = _adoption_months(children, stored)
            thresholds = adoption.catalogue_thresholds(catalogue)
            frame = adoption.monthly_indicators(children, config.code, months, thresholds,
                                               adoption.computed_codes(catalogue))
        cf = CheckedFile(file_name, data, "adoption", frame, list(problems),
                         rows_read=len(raw), children=children, sha256=sha)
    else:
        parsed = (unreadable(file_name, kind, read_error) if raw is None else
                  parse_table(raw, file_name, catalogue=catalogue, config=config, kind=kind,
                              today=today))
        problems = list(parsed.problems)
        if parsed.ok and parsed.frame is not None and not parsed.frame.empty:
            # "More than 10 points since last month" needs the warehouse: checked here on
            # the parsed frame rather than by reading the file a second time.
            previous = _previous_values(stored, parsed.frame)
            if previous is not None and len(previous):
                problems = sort_problems(problems + _big_changes(parsed.frame, previous,
                                                                 file_name, catalogue))
        cf = CheckedFile(file_name, data, parsed.kind, parsed.frame, problems,
                         rows_read=parsed.rows_read, sha256=sha)
        if not cf.errors and (cf.frame is None or cf.frame.empty) and cf.kind != REFERENCE:
            cf.problems.append(Problem(
                file=file_name, row=None, column=None, value=None,
                expected="at least one row with an indicator, a period and a figure",
                severity="error",
                message=f"{file_name}: no figures found (the file has headings but no rows "
                        "with a value, so there is nothing to load)."))
    if not cf.errors and cf.frame is not None and cf.kind != REFERENCE:
        cf.plan = wh.plan(config.warehouse_path, cf.frame, sha256=sha, kind=cf.kind)
    return cf


def check_files(files, *, config, kind=None, sheet=None, today=None, progress=None):
    """`files` is a list of (name, bytes). Every file is checked before anything is written."""
    out = []
    # SSDA903 tables (recognised by their columns) are one upload, however many files.
    files, tables = ssda903_upload.split_files(files, sheet=sheet, kind=kind)
    if tables:
        out.append(_check_ssda903(tables, config=config, today=today))
    for i, (name, data) in enumerate(files):
        out.append(check_file(name, data, config=config, kind=kind, sheet=sheet, today=today))
        if progress:
            progress(i + 1, len(files), f"checking {name}")
    return out


def commit_checked(checked, *, config, user=None, progress=None,
                   again: bool = False) -> list[wh.CommitResult]:
    """Commit files that passed their checks: each its own upload, all in one transaction
    and one swap of the warehouse file (all land or none do; loading DfE's dozen files does
    not copy the warehouse a dozen times)."""
    if any(c.errors for c in checked):
        raise ValueError("refusing to commit files with errors")
    catalogue = load_catalogue()
    # recognised reference data (a DfE model) has nothing to write
    loads = [c for c in checked if c.kind != REFERENCE]
    done = iter(wh.commit_many(config.warehouse_path, [
        dict(frame=c.frame, data=c.data, file_name=c.file_name, kind=c.kind, user=user,
             rows_read=c.rows_read, rows_rejected=0, children=c.children, tables=c.tables,
             again=again, plan=c.plan) for c in loads], catalogue=catalogue, config=config,
        progress=progress) if loads else [])
    return [next(done) if c.kind != REFERENCE else
            wh.CommitResult(None, message=f"{c.file_name}: reference data, nothing to write.")
            for c in checked]


def problems_frame(checked) -> pd.DataFrame:
    rows = []
    for c in checked:
        for p in c.problems:
            rows.append({"file": p.file, "row": p.row, "column": p.column, "value": p.value,
                         "expected": p.expected, "severity": p.severity, "message": p.message})
    return pd.DataFrame(rows, columns=["file", "row", "column", "value", "expected",
                                       "severity", "message"])


def format_report(checked, results, *, dry_run=False, as_json=False):
    files = []
    for i, c in enumerate(checked):
        res = results[i] if i < len(results) else None
        entry = {
            "file": c.file_name, "kind": c.kind, "rows_read": c.rows_read,
            "errors": [p.__dict__ for p in c.errors],
            "warnings": [p.__dict__ for p in c.warnings],
            "would_change": c.plan.counts if c.plan else None,
            "already_loaded": (c.plan.already_loaded if c.plan else None),
            "superseded_by": (c.plan.superseded_by if c.plan else []),
            "committed": bool(res and res.upload_id),
            "upload_id": res.upload_id if res else None,
            "message": res.message if res else None,
        }
        files.append(entry)
    if as_json:
        return {"dry_run": dry_run, "files": files,
                "ok": not any(f["errors"] for f in files)}
    lines = []
    any_errors = any(f["errors"] for f in files)
    for c, f in zip(checked, files):
        lines.append(f"== {f['file']} ({f['kind'] or 'unrecognised'}, {f['rows_read']} rows read)")
        for p in c.errors:
            lines.append(f"  ERROR   {p.message}")
        for p in c.warnings:
            lines.append(f"  warning {p.message}")
        if f["already_loaded"] and not f["committed"]:
            if not f["message"]:
                lines.append("  " + wh.already_loaded_message(c.file_name, c.plan))
        elif f["would_change"]:
            n = f["would_change"]
            verb = "would be" if (dry_run or any_errors or not f["committed"]) else "were"
            lines.append(f"  {n['new']} new, {n['revised']} revised, {n['unchanged']} unchanged "
                         f"values {verb} loaded.")
            if c.plan is not None and len(c.plan.revised):
                where = {(s.indicator_code, s.area_code, s.period_label, s.breakdown):
                         (s.source_row, s.source_column) for s in c.frame.itertuples()}
                for r in c.plan.revised.head(10).itertuples():
                    src = where.get((r.indicator_code, r.area_code, r.period_label, r.breakdown))
                    at = f", row {src[0]}, column {src[1]}" if src else ""
                    lines.append(f"    revised {r.indicator_code} {area_name(r.area_code)} ({r.area_code}) "
                                 f"{r.period_label}{' ' + r.breakdown if r.breakdown else ''}{at}: "
                                 f"{r.old_value:g} -> {r.value:g} (the earlier figure is kept as a revision)"
                                 if r.old_value == r.old_value and r.value == r.value else
                                 f"    revised {r.indicator_code} {r.area_code} {r.period_label}{at}: "
                                 f"{r.old_value} -> {r.value}")
                if len(c.plan.revised) > 10:
                    lines.append(f"    ... and {len(c.plan.revised) - 10} more revised values")
        if f["message"]:
            lines.append(f"  {f['message']}")
    if any_errors:
        n = sum(len(f["errors"]) for f in files)
        lines.append(f"{n} error(s): nothing was written. Fix the file(s) and load again.")
    elif dry_run:
        lines.append("Dry run: nothing was written.")
    return "\n".join(lines)


def _check_ssda903(tables, *, config, today=None) -> CheckedFile:
    x = ssda903_upload.check(tables, config=config, today=today)
    cf = CheckedFile(x.file_name, x.data, ssda903_upload.KIND, x.frame, x.problems,
                     rows_read=x.rows_read, children=x.children, sha256=wh.sha256_of(x.data),
                     tables=x.tables or None)
    if not cf.errors:
        cf.plan = wh.plan(config.warehouse_path, cf.frame, sha256=cf.sha256, kind=cf.kind)
        kept = ssda903_upload.keep_loaded_figures(cf.plan, cf.frame)
        if len(kept) != len(cf.frame):
            cf.frame = kept
            cf.plan = wh.plan(config.warehouse_path, cf.frame, sha256=cf.sha256, kind=cf.kind)
    return cf
