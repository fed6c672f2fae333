"""The data behind a chart or table as CSV and XLSX, with header lines saying what it is,
for whom and as at when.

Text cells that begin with =, +, -, @ (or a tab or carriage return) are prefixed with ' so a
spreadsheet never runs them as a formula; numbers stay numbers (a real -1.2 is not text).
"""
from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime
from typing import Any, Iterable, Sequence

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31


def neutralise(value: Any) -> Any:
    """A cell value safe for a spreadsheet: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    """Plain python values: NaN/NA -> None, numpy numbers -> float/int, dates kept."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, (date, datetime, bool)):
        return value
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        try:
            f = float(value)
        except (TypeError, ValueError):
            return neutralise(str(value))
        if math.isnan(f):
            return None
        return int(f) if f.is_integer() and abs(f) < 1e15 else f
    return neutralise(str(value))


def _rows(frame: pd.DataFrame) -> list[list[Any]]:
    return [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]


def to_csv_bytes(frame: pd.DataFrame, header_lines: Sequence[str] = ()) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads it as UTF-8), header lines first, a blank
    line, then the table with its column names."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for line in header_lines:
        w.writerow([neutralise(line)])
    if header_lines:
        w.writerow([])
    w.writerow([neutralise(str(c)) for c in frame.columns])
    for row in _rows(frame):
        w.writerow(["" if v is None else (v.isoformat() if isinstance(v, (date, datetime)) else v)
                    for v in row])
    return buf.getvalue().encode("utf-8-sig")


def sheet_name(text: str, used: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name (31 characters, no []:*?/\\)."""
    bad = '[]:*?/\\'
    name = "".join("-" if ch in bad else ch for ch in str(text)).strip("'") or "Sheet"
    name = name[:MAX_SHEET_NAME]
    if used is not None:
        base, n = name, 2
        while name.lower() in {u.lower() for u in used}:
            suffix = f" ({n})"
            name = base[:MAX_SHEET_NAME - len(suffix)] + suffix
            n += 1
        used.add(name)
    return name


def to_xlsx_bytes(sheets: Iterable[tuple[str, Sequence[str], pd.DataFrame]]) -> bytes:
    """One sheet per (name, header lines, frame): header lines in bold at the top, the
    table below with a bold, frozen header row and filters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, header_lines, frame in sheets:
        ws = wb.create_sheet(sheet_name(name, used))
        r = 1
        for i, line in enumerate(header_lines):
            c = ws.cell(row=r, column=1, value=neutralise(line))
            c.font = Font(bold=(i == 0), size=14 if i == 0 else 11)
            c.data_type = "s"
            r += 1
        if header_lines:
            r += 1
        head = r
        for j, col in enumerate(frame.columns, start=1):
            c = ws.cell(row=head, column=j, value=neutralise(str(col)))
            c.font = Font(bold=True)
            c.data_type = "s"
        for i, row in enumerate(_rows(frame), start=head + 1):
            for j, v in enumerate(row, start=1):
                c = ws.cell(row=i, column=j, value=v)
                if isinstance(v, str):
                    c.data_type = "s"  # never a formula, whatever it starts with
                elif isinstance(v, date):
                    c.number_format = "yyyy-mm-dd"
        ws.freeze_panes = ws.cell(row=head + 1, column=1)
        if len(frame.columns):
            ws.auto_filter.ref = (f"A{head}:{get_column_letter(len(frame.columns))}"
                                  f"{head + max(len(frame), 1)}")
        for j, col in enumerate(frame.columns, start=1):
            longest = max([len(str(col))] + [len(str(v)) for v in frame.iloc[:, j - 1].head(200)])
            ws.column_dimensions[get_column_letter(j)].width = min(max(10, longest + 2), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
