"""The upload page's logic without Dash: decode what the browser sent, hold files between
preview and commit, and turn checks, plans and results into table rows and sentences.

Files wait for their commit in a staging folder beside the warehouse rather than in one
worker's memory, because the Commit click may reach a different gunicorn worker. Commit
checks the staged bytes again, so a warehouse changed since the preview is never surprised.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import shutil
import time
from datetime import date
from pathlib import Path

import pandas as pd

from exports.tables_export import neutralise
from pipelines.store.warehouse import already_loaded_message
from pipelines.uploads import problems_frame

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILE_TEXT = "20 MB"
ACCEPT = ".csv,.xlsx,.xls,.txt"
STAGING_MAX_AGE_S = 24 * 3600
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


class UploadRefused(ValueError):
    """A file the page refuses before any check (too large, not a file at all)."""


# ------------------------------------------------------------------ decoding

def decode_contents(contents: str, file_name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """dcc.Upload's `data:<type>;base64,<data>` -> bytes, refusing over-large files
    before decoding them (the browser limit can be bypassed)."""
    if not isinstance(contents, str) or "," not in contents:
        raise UploadRefused(f"{file_name}: the browser sent no file contents; choose the file "
                            "again.")
    b64 = contents.split(",", 1)[1]
    approx = len(b64) * 3 // 4
    if approx > limit:
        raise UploadRefused(f"{file_name} is {approx / 1024 / 1024:.1f} MB; the limit is "
                            f"{limit // (1024 * 1024)} MB. Split it (e.g. one file per year) "
                            "and upload the parts.")
    try:
        return base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise UploadRefused(f"{file_name}: the upload arrived damaged (not valid base64); "
                            "try again.") from None


def as_list(x) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


# ------------------------------------------------------------------ staging

def staging_dir(config) -> Path:
    return config.warehouse_path.parent / "staging"


def stage_files(root: Path, files: list[tuple[str, bytes]]) -> str:
    """Keep files for a later commit; returns a token naming them."""
    _prune(root)
    token = secrets.token_hex(16)
    d = Path(root) / token
    d.mkdir(parents=True)
    for i, (name, data) in enumerate(files):
        safe = re.sub(r"[^A-Za-z0-9._ -]", "_", Path(name).name)[:120] or "file"
        (d / f"{i:03d}__{safe}").write_bytes(data)
    # JSON, not lines: a name may hold \r or \n, which must not shift the other names
    (d / "names.json").write_text(json.dumps([name for name, _ in files]), encoding="utf-8")
    return token


def load_staged(root: Path, token: str) -> list[tuple[str, bytes]]:
    if not isinstance(token, str) or not _TOKEN_RE.match(token):
        raise UploadRefused("Nothing is waiting to be committed: upload the files again.")
    d = Path(root) / token
    if not d.is_dir():
        raise UploadRefused("The checked files have expired or were already committed: "
                            "upload them again.")
    names = json.loads((d / "names.json").read_text(encoding="utf-8"))
    parts = sorted(p for p in d.iterdir() if p.name != "names.json")
    return [(names[i], p.read_bytes()) for i, p in enumerate(parts)]


def drop_staged(root: Path, token: str) -> None:
    if isinstance(token, str) and _TOKEN_RE.match(token):
        shutil.rmtree(Path(root) / token, ignore_errors=True)


def _prune(root: Path) -> None:
    root = Path(root)
    if not root.is_dir():
        return
    cutoff = time.time() - STAGING_MAX_AGE_S
    for d in root.iterdir():
        if d.is_dir() and d.stat().st_mtime < cutoff:
            shutil.rmtree(d, ignore_errors=True)


# ------------------------------------------------------------------ report and preview

REPORT_COLUMNS = ["severity", "file", "row", "column", "value", "expected", "message"]


def refused_problem(file_name: str, message: str) -> dict:
    return {"severity": "error", "file": neutralise(file_name), "row": "", "column": "",
            "value": "", "expected": "", "message": neutralise(message)}


def report_rows(checked) -> list[dict]:
    """Every error and warning, errors first, as rows for a sortable table."""
    df = problems_frame(checked)
    rows = []
    for r in df.to_dict("records"):
        row = r.get("row")
        rows.append({
            "severity": r["severity"], "file": r["file"] or "",
            "row": int(row) if row is not None and not pd.isna(row) else "",
            "column": "" if r["column"] is None else str(r["column"]),
            "value": "" if r["value"] is None else str(r["value"]),
            "expected": "" if r["expected"] is None else str(r["expected"]),
            "message": r["message"]})
    # The table's own CSV export writes these cells as they are: no cell may start like a
    # formula (a refused "=HYPERLINK(...)" is shown as '=HYPERLINK(...)), as in every export.
    rows = [{k: neutralise(v) for k, v in r.items()} for r in rows]
    rows.sort(key=lambda r: (r["severity"] != "error", r["file"],
                             r["row"] if r["row"] != "" else 0))
    return rows


def _fmt(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def preview_summary_rows(checked, catalogue=None) -> list[dict]:
    """Per file, indicator and period: how many values are new, revised, unchanged."""
    rows = []
    for c in checked:
        if c.plan is None:
            continue
        s = c.plan.summary_by_indicator()
        for r in s.to_dict("records"):
            code = r["indicator_code"]
            title = (catalogue.get(code).title if catalogue is not None and code in catalogue
                     else "")
            rows.append({"file": c.file_name, "indicator": code, "title": title,
                         "period": r["period_label"], "new": int(r["new"]),
                         "revised": int(r["revised"]), "unchanged": int(r["unchanged"])})
    return rows


def preview_value_rows(checked, limit: int = 5000) -> list[dict]:
    """Revised values (old and new side by side) then new values, one row each."""
    rows = []
    for c in checked:
        if c.plan is None:
            continue
        for change, df in (("revised", c.plan.revised), ("new", c.plan.new)):
            for r in df.to_dict("records"):
                if len(rows) >= limit:
                    return rows
                rows.append({
                    "change": change, "file": c.file_name, "indicator": r["indicator_code"],
                    "area": r["area_code"], "period": r["period_label"],
                    "breakdown": r.get("breakdown") or "",
                    "old value": _fmt(r.get("old_value")) if change == "revised" else "",
                    "new value": _fmt(r.get("value")),
                    "note": _fmt(r.get("missing_reason"))})
    return rows


def check_status(checked) -> tuple[str, bool]:
    """One plain message about the checks and whether Commit may be pressed."""
    if not checked:
        return "No file was received.", False
    n_err = sum(len(c.errors) for c in checked)
    n_warn = sum(len(c.warnings) for c in checked)
    if n_err:
        bad = [c.file_name for c in checked if c.errors]
        return (f"{n_err} error(s) in {', '.join(bad)}: nothing can be loaded. Fix the rows "
                "listed below and upload the file(s) again."), False
    parts, changes = [], False
    for c in checked:
        p = c.plan
        if p is None or (c.frame is None or c.frame.empty) and c.children is None:
            parts.append(f"{c.file_name}: no figures found (expected rows of figures below "
                         "the header): nothing to load.")
        elif p.already_loaded and p.superseded_by:
            parts.append(already_loaded_message(c.file_name, p, again_hint="press Load again")
                         .replace("Nothing was loaded.", "Nothing has been loaded."))
        elif p.already_loaded:
            a = p.already_loaded
            when = pd.Timestamp(a["uploaded_at"]).strftime("%d %b %Y %H:%M")
            parts.append(f"{c.file_name} was already loaded as upload {a['upload_id']} by "
                         f"{a['user_name']} on {when}: nothing would change.")
        elif not p.changes_anything and c.children is None:
            parts.append(f"{c.file_name}: all {len(p.unchanged)} values are already in the "
                         "warehouse: nothing would change.")
        else:
            changes = True
            n = p.counts
            parts.append(f"{c.file_name}: {n['new']} new, {n['revised']} revised and "
                         f"{n['unchanged']} unchanged values.")
    tail = f" {n_warn} warning(s) to read below." if n_warn else ""
    if changes:
        return ("Checks passed. " + " ".join(parts) + tail +
                " Nothing has changed yet: press Commit to load."), True
    return " ".join(parts) + tail, False


def can_load_again(checked) -> bool:
    """Every file is free of errors and at least one was loaded before and superseded:
    offer to load them again as a new upload."""
    return bool(checked) and not any(c.errors for c in checked) and any(
        c.plan is not None and c.plan.superseded_by for c in checked)


def affected_codes(checked) -> list[str]:
    codes: set[str] = set()
    for c in checked:
        if c.plan is not None and (c.plan.already_loaded is None or c.plan.superseded_by):
            for df in (c.plan.new, c.plan.revised):
                codes |= set(df.indicator_code.astype(str))
    return sorted(codes)


# ------------------------------------------------------------------ history and revert

HISTORY_COLUMNS = ["upload", "file", "who", "when", "rows read", "values loaded", "new",
                   "revised", "status"]


def history_rows(history: pd.DataFrame, archive_dir: Path | None = None) -> list[dict]:
    """Rows for the history table; the file links to its archived copy, or says the copy
    was deleted (when `archive_dir` is given and the copy is not there)."""
    rows = []
    for r in history.to_dict("records"):
        status = r["status"]
        if status == "reverted" and r.get("reverted_by"):
            status = (f"reverted by {r['reverted_by']} on "
                      f"{pd.Timestamp(r['reverted_at']):%d %b %Y %H:%M}")
        rows.append({
            "upload": int(r["upload_id"]),
            "file": (f"{_md(r['file_name'])} (archived copy deleted)"
                     if archive_dir is not None and r.get("sha256")
                     and not (Path(archive_dir) / str(r["sha256"])).exists()
                     else f"[{_md(r['file_name'])}](/uploads/{int(r['upload_id'])}/file)"),
            "who": r["user_name"] or "",
            "when": f"{pd.Timestamp(r['uploaded_at']):%d %b %Y %H:%M}",
            "rows read": _int(r.get("rows_read")), "values loaded": _int(r.get("rows_loaded")),
            "new": _int(r.get("values_new")), "revised": _int(r.get("values_revised")),
            "status": status})
    return rows


def example_extract_id(history: pd.DataFrame, is_sample: bool) -> int | None:
    """The sample's SSDA903 upload (`lacdash sample --ssda903`), offered to editors as an
    example extract: its archived copy is the tables as loaded, zipped. None for a real
    authority or a sample built without it."""
    if not is_sample or history.empty or "kind" not in history:
        return None
    h = history[(history["kind"] == "ssda903") & (history["user_name"] == "sample")
                & (history["status"] == "committed")]
    return int(h["upload_id"].max()) if len(h) else None


def _md(text) -> str:
    """A file name shown in a markdown cell as text (no links or markup of its own)."""
    return re.sub(r"([\\`*\[\]()<>!|])", r"\\\1", str(text))


def _int(v):
    return "" if v is None or pd.isna(v) else int(v)


def revert_confirm_text(preview: dict) -> str:
    removed, restored = preview["values_removed"], preview["values_restored"]
    return (f"Revert upload {preview['upload_id']} ({preview['file_name']})? "
            f"{removed} value(s) it added will be removed and {restored} value(s) it revised "
            "will go back to what they were before it. The revert is recorded in the audit "
            "log; the file stays in the history.")


def next_month(latest: date | None, today: date | None = None) -> str:
    """'YYYY-MM' of the month after the latest loaded one (this month when nothing is)."""
    if latest is None:
        today = today or date.today()
        return f"{today.year:04d}-{today.month:02d}"
    y, m = latest.year + (latest.month == 12), latest.month % 12 + 1
    return f"{y:04d}-{m:02d}"
