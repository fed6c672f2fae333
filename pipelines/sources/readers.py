"""File bytes -> a raw table of text cells, with the row numbers Excel shows.

CSV or XLSX is told by content (an XLSX is a zip), not by the file name. CSV text may be
UTF-8 (with or without a BOM), UTF-16 (with a BOM) or Windows-1252 (what Excel on Windows
saves as "CSV"); the delimiter (comma, semicolon or tab) is sniffed. Title rows and blank
rows above the table are skipped: the header is the first row with at least two filled
cells, most of them words rather than numbers.

The result keeps the original header text as column names (``clean_header`` gives the
snake_case name normalisation matches on), every cell as ``str`` or ``None``, and an int
column ``__row__`` with the row number as Excel shows it.
"""

from __future__ import annotations

import csv
import io
import re
import time as _time
import zipfile
from datetime import date, datetime, time

import pandas as pd

ROW = "__row__"

# Limits on what one file may make us hold or parse (a hostile workbook can declare a
# million rows by 16,384 columns in a few kilobytes, or inflate 1 MB into 500 MB of XML).
# The largest real inputs (DfE's national files) have ~20,000 rows and ~50 columns.
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
MAX_CELLS = 5_000_000              # rows x columns of the table as held in memory
MAX_FIELD_CHARS = 131_072          # the csv module's own default field limit
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024   # all parts of the workbook, as unzipped
MAX_XLSX_STRINGS = 30 * 1024 * 1024         # the shared-strings part (held in memory)
MAX_READ_SECONDS = 60.0

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old-style Excel .xls (or other Office 97) file; save it as .xlsx or CSV",
    b"BM": None,  # bitmap: too short a magic to trust alone, checked with NULs below
}


class ReadError(ValueError):
    """The file cannot be read as a table; the message says why and what to do."""


def clean_header(name) -> str:
    """``"Indicator Code"`` -> ``indicator_code``; ``" Value (%) "`` -> ``value``."""
    s = "" if name is None else str(name)
    s = s.replace("\ufeff", "").replace("\u00a0", " ")
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", s)  # units in brackets
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)  # camelCase
    s = re.sub(r"[^0-9a-zA-Z]+", "_", s).strip("_").lower()
    return s


def read_table(data: bytes, file_name: str, sheet: str | None = None) -> pd.DataFrame:
    """Read CSV or XLSX bytes into a frame of text cells plus ``__row__``; raise ReadError."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ReadError(f"{file_name} is empty; expected a table with a header row")
    if data[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(data, file_name, sheet)
    else:
        for magic, what in _MAGIC.items():
            if what and data.startswith(magic):
                raise ReadError(f"{file_name} is {what}, not a CSV or XLSX table")
        if sheet:
            raise ReadError(f"{file_name} is a CSV file, which has no sheets; do not name sheet '{sheet}'")
        text = _decode(data, file_name)
        fast = _csv_frame(text)
        if fast is not None:
            return fast
        rows = _csv_rows(text, file_name)
    return _to_frame(rows, file_name)


def _csv_frame(text: str) -> pd.DataFrame | None:
    """The same frame as ``_to_frame(_csv_rows(text))`` by pandas' C parser, for the common
    CSV whose first line is its header (DfE's files: the per-cell Python loop was most of a
    load's reading time). None whenever the file is anything else (title rows above the
    header, blank or repeated header names, a row wider than the header, a limit reached):
    the general reader then reads it, and says what is wrong."""
    first = text.split("\n", 1)[0]
    if not first.strip() or first.count('"') % 2:
        return None
    delimiter = _sniff([first[:MAX_FIELD_CHARS]])
    try:
        header = next(csv.reader([first], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    names = [h.strip().replace("\ufeff", "") for h in header]
    if (len(names) > MAX_COLUMNS or _header_index([[c if c.strip() else None for c in header]]) != 0
            or not all(names) or len(set(names)) < len(names)):
        return None
    width = len(names)
    try:
        # One spare column: a row wider than the header fills it, and the general reader
        # (which widens the table) takes the file instead. Object cells: pandas' own string
        # columns cost more to build than the whole parse.
        df = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(width + 1),
                         dtype=object, keep_default_na=False, na_values=[""],
                         skip_blank_lines=False, engine="c", index_col=False)
    except (ValueError, pd.errors.ParserError, csv.Error):
        return None
    body = df.iloc[1:].reset_index(drop=True)
    if len(body) > MAX_ROWS or width * len(body) > MAX_CELLS or body[width].notna().any():
        return None
    # Cells of spaces only are missing, and a cell longer than the csv module's limit makes
    # the general reader refuse the file: both are looked for among each column's distinct
    # values (a few hundred in DfE's files), not cell by cell (the cost this path saves).
    out = {}
    for j, name in enumerate(names):
        col = body[j]
        texts = [v for v in col.unique() if isinstance(v, str)]
        if texts and max(map(len, texts)) > MAX_FIELD_CHARS:
            return None
        blank = [v for v in texts if not v.strip()]
        missing = col.isna() | col.isin(blank) if blank else col.isna()
        out[name] = col.where(~missing, None)
    frame = pd.DataFrame(out)
    if not len(body):
        frame = pd.DataFrame({n: pd.Series([], dtype=object) for n in names})
    frame[ROW] = pd.Series(range(2, 2 + len(body)), dtype="int64")
    frame.attrs["header_row"] = 1
    return frame


def _decode(data: bytes, file_name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data[:4096]:
            raise ReadError(
                f"{file_name} looks like a binary file (an image or a program?), not a CSV or XLSX table"
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    if "\x00" in text:
        raise ReadError(f"{file_name} looks like a binary file, not a CSV or XLSX table")
    return text


def _csv_rows(text: str, file_name: str = "the file") -> list[list[str | None]]:
    sample = []
    for ln in io.StringIO(text, newline=""):
        if ln.strip():
            sample.append(ln[:MAX_FIELD_CHARS])  # sniffing needs no more than that
            if len(sample) == 30:
                break
    delimiter = _sniff(sample)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str | None]] = []
    deadline = _time.monotonic() + MAX_READ_SECONDS
    try:
        for rec in reader:
            if len(rec) > MAX_COLUMNS:
                raise ReadError(
                    f"{file_name} row {len(rows) + 1} has {len(rec):,} columns; expected at "
                    f"most {MAX_COLUMNS:,} (is the delimiter right, or is a quote left open?)")
            rows.append([c if c.strip() else None for c in rec])
            if len(rows) > MAX_ROWS:
                raise ReadError(f"{file_name} has more than {MAX_ROWS:,} rows; expected at "
                                f"most {MAX_ROWS:,}: split it (e.g. one file per year)")
            if not len(rows) % 5000 and _time.monotonic() > deadline:
                raise ReadError(f"{file_name} took more than {MAX_READ_SECONDS:.0f} s to "
                                "read and was stopped; split it into smaller files")
    except csv.Error as exc:
        start = len(rows) + 1  # the record the bad field starts in, as Excel numbers rows
        if "field larger than field limit" in str(exc):
            raise ReadError(
                f"{file_name} row {start}: a cell is longer than {MAX_FIELD_CHARS:,} "
                "characters; expected a table of short cells (is a quote (\") left open, "
                "or is this not a CSV table?)") from None
        raise ReadError(f"{file_name} row {start} cannot be read as CSV ({exc}); expected "
                        "comma, semicolon or tab separated cells") from None
    return rows


def _sniff(sample: list[str]) -> str:
    """The delimiter that splits the sample into the most columns, consistently."""
    best, best_score = ",", 0
    for delim in (",", ";", "\t"):
        try:
            counts = [len(rec) for rec in csv.reader(sample, delimiter=delim)]
        except csv.Error:
            continue
        if not counts:
            continue
        widest = max(counts)
        score = sum(1 for c in counts if c == widest) * (widest - 1)
        if score > best_score:
            best, best_score = delim, score
    return best


def _check_zip(data: bytes, file_name: str) -> None:
    """Refuse a workbook that would unzip to more than we are willing to parse (the sizes
    are the ones the zip declares; zipfile never inflates a part beyond its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(
            f"{file_name} is not a readable XLSX workbook ({exc.__class__.__name__}: {exc}); "
            "open it in Excel and save it again as .xlsx or CSV") from None
    total = sum(i.file_size for i in infos)
    strings = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
    if total > MAX_XLSX_UNCOMPRESSED or strings > MAX_XLSX_STRINGS:
        raise ReadError(
            f"{file_name} unzips to {total / 1024 / 1024:,.0f} MB of spreadsheet XML; expected "
            f"at most {MAX_XLSX_UNCOMPRESSED // (1024 * 1024)} MB (shared text at most "
            f"{MAX_XLSX_STRINGS // (1024 * 1024)} MB). Save the sheet you need as CSV, or "
            "split the workbook")


def _xlsx_rows(data: bytes, file_name: str, sheet: str | None) -> list[list[str | None]]:
    import openpyxl

    _check_zip(data, file_name)
    try:
        # data_only=False: a cell holding a formula reads as its formula text ("=B2/C2",
        # "=HYPERLINK(...)", "='[budget.xlsx]Sheet1'!A1"), which the checks refuse by row
        # and column, instead of its cached value being loaded unseen.
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ReadError(
            f"{file_name} is not a readable XLSX workbook ({exc.__class__.__name__}: {exc}); "
            "open it in Excel and save it again as .xlsx or CSV"
        ) from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            names = ", ".join(f"'{n}'" for n in wb.sheetnames)
            raise ReadError(f"{file_name} has no sheet '{sheet}'; its sheets are {names}")
        # Never trust the sheet's declared size (A1:XFD1048576 would be padded cell by
        # cell): read only the cells that are there, and stop at the limits.
        ws.reset_dimensions()
        rows: list[list[str | None]] = []
        deadline = _time.monotonic() + MAX_READ_SECONDS
        # iter_rows from row 1 so list positions are Excel row numbers - 1
        for values in ws.iter_rows(min_row=1, values_only=True):
            if len(values) > MAX_COLUMNS and any(v is not None for v in values[MAX_COLUMNS:]):
                raise ReadError(
                    f"{file_name} row {len(rows) + 1} has cells beyond column "
                    f"{_excel_column(MAX_COLUMNS - 1)}; expected at most {MAX_COLUMNS:,} "
                    "columns")
            rows.append([_cell_text(v) for v in values[:MAX_COLUMNS]])
            if len(rows) > MAX_ROWS:
                raise ReadError(f"{file_name} has more than {MAX_ROWS:,} rows; expected at "
                                f"most {MAX_ROWS:,}: split it (e.g. one file per year)")
            if not len(rows) % 2000 and _time.monotonic() > deadline:
                raise ReadError(f"{file_name} took more than {MAX_READ_SECONDS:.0f} s to "
                                "read and was stopped; save the sheet you need as CSV")
        return rows
    except ReadError:
        raise
    except Exception as exc:  # a damaged sheet part inside a valid zip
        raise ReadError(
            f"{file_name} could not be read as XLSX ({exc.__class__.__name__}: {exc}); "
            "open it in Excel and save it again"
        ) from None
    finally:
        wb.close()


def _cell_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return repr(round(v, 10))  # drop binary noise such as 0.30000000000000004
    s = getattr(v, "text", None) or str(v)  # an array formula's text
    return s if s.strip() else None


def _is_number(s: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,]*\.?\d+%?", s.strip()))


def _header_index(rows: list[list[str | None]]) -> int | None:
    for i, row in enumerate(rows):
        filled = [c for c in row if c is not None]
        if len(filled) >= 2 and sum(not _is_number(c) for c in filled) * 2 > len(filled):
            return i
    return None


def _excel_column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _to_frame(rows: list[list[str | None]], file_name: str) -> pd.DataFrame:
    h = _header_index(rows)
    if h is None:
        raise ReadError(
            f"{file_name} has no header row; expected a row of column names "
            "(for example indicator, period, value) above the figures"
        )
    width = max(len(r) for r in rows[h:])
    if width * (len(rows) - h) > MAX_CELLS:
        raise ReadError(
            f"{file_name} has {len(rows) - h:,} rows by {width:,} columns; expected at most "
            f"{MAX_CELLS:,} cells in all: split it, or delete unused columns")
    header = list(rows[h]) + [None] * (width - len(rows[h]))
    body = [list(r) + [None] * (width - len(r)) for r in rows[h + 1 :]]
    keep, names, seen = [], [], {}
    for j, name in enumerate(header):
        if name is None:
            if all(r[j] is None for r in body):
                continue  # trailing or spacer column with nothing in it
            name = f"column {_excel_column(j)}"
        name = name.strip().replace("\ufeff", "")
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        keep.append(j)
        names.append(name)
    frame = pd.DataFrame(
        [[r[j] for j in keep] for r in body], columns=names, dtype=object
    ) if body else pd.DataFrame({n: pd.Series([], dtype=object) for n in names})
    frame[ROW] = pd.Series(range(h + 2, h + 2 + len(body)), dtype="int64")
    frame.attrs["header_row"] = h + 1
    return frame
