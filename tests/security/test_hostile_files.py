"""Issue 14 items 2 and 3: hostile spreadsheets and CSV files are refused with a clear
message, within memory and time limits, and formulas are flagged rather than loaded from
their cached values. Every hostile file is made here, at test time."""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from pipelines.core.catalogue import load_catalogue
from pipelines.sources.ingest import parse_file
from pipelines.sources.readers import ReadError, read_table
from tests.security.conftest import run_limited

HEAD = "indicator_code,period,value,numerator,denominator\n"


def _workbook(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _patch_sheet(data: bytes, patch) -> bytes:
    """Rewrite xl/worksheets/sheet1.xml with `patch(xml) -> xml`, keeping the other parts."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = patch(body.decode()).encode()
            dst.writestr(info.filename, body)
    return out.getvalue()


GOOD_ROWS = [["indicator_code", "period", "value", "numerator", "denominator"],
             ["HEALTH_CHECKS_PCT", "2026-10", 12345, 389, 431]]


def test_declared_huge_sheet_is_read_as_the_cells_it_has(tmp_path):
    # A few KB declaring A1:XFD1048576: before, every row was padded to 16,384 cells
    # (3.5 GB). Now the declared size is ignored and only real cells are read.
    data = _patch_sheet(_workbook(GOOD_ROWS),
                        lambda x: x.replace('<dimension ref="A1:E2"/>',
                                            '<dimension ref="A1:XFD1048576"/>'))
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    path = tmp_path / "declared.xlsx"
    path.write_bytes(data)
    r = run_limited(f"""
        from pathlib import Path
        from pipelines.sources.readers import read_table
        f = read_table(Path({str(path)!r}).read_bytes(), "declared.xlsx")
        print(f.shape)
        """, mem_mb=1024, timeout=60)
    assert r.returncode == 0, r.stderr[-800:]
    assert r.stdout.strip() == "(1, 6)"  # one data row, five columns + the row number


def _zip_bomb(path, megabytes: int) -> None:
    """A valid workbook whose sheet XML inflates to `megabytes` MB (compresses ~300:1)."""
    base = zipfile.ZipFile(io.BytesIO(_workbook(GOOD_ROWS)))
    row = "".join(f'<c r="{c}{{n}}" t="inlineStr"><is><t>x</t></is></c>' for c in "ABCDE")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for info in base.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(info.filename, base.read(info.filename))
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                     b'2006/main"><sheetData>')
            # the same row over and over: deflate packs it ~1000:1, as in a real bomb
            chunk = ('<row r="2">' + row.replace("{n}", "2") + "</row>").encode() * 50
            written = 0
            while written < megabytes * 1024 * 1024:
                fh.write(chunk)
                written += len(chunk)
            fh.write(b"</sheetData></worksheet>")


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.xlsx"
    _zip_bomb(path, 150)
    assert path.stat().st_size < 5 * 1024 * 1024
    # refused from the zip's declared sizes, before any XML is parsed (before: still parsing
    # after a minute); the memory limit and timeout only guard the machine
    r = run_limited(f"""
        from pathlib import Path
        from pipelines.sources import readers
        def never(*a, **k):
            raise AssertionError("openpyxl was asked to parse the bomb")
        import openpyxl
        openpyxl.load_workbook = never
        try:
            readers.read_table(Path({str(path)!r}).read_bytes(), "bomb.xlsx")
        except readers.ReadError as exc:
            print(exc)
        """, mem_mb=1024, timeout=120)
    assert r.returncode == 0, r.stderr[-800:]
    message = r.stdout.strip()
    assert "bomb.xlsx unzips to 150 MB" in message and "at most 100 MB" in message


def test_too_many_rows_are_refused(monkeypatch):
    from pipelines.sources import readers
    monkeypatch.setattr(readers, "MAX_ROWS", 50)
    data = (HEAD + "HEALTH_CHECKS_PCT,2026-10,90,389,431\n" * 60).encode()
    with pytest.raises(ReadError, match=r"rows.csv has more than 50 rows"):
        read_table(data, "rows.csv")
    xlsx = _workbook(GOOD_ROWS + [GOOD_ROWS[1]] * 60)
    with pytest.raises(ReadError, match=r"rows.xlsx has more than 50 rows"):
        read_table(xlsx, "rows.xlsx")


def test_a_cell_far_to_the_right_is_refused():
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in GOOD_ROWS:
        ws.append(r)
    ws.cell(row=3, column=5000, value="x")
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ReadError, match=r"wide.xlsx row 3 has cells beyond column ALL"):
        read_table(buf.getvalue(), "wide.xlsx")


def test_formula_cells_are_flagged_not_loaded_from_their_cached_value():
    # Excel stores both the formula and its last value; before, the cached 90 was loaded.
    data = _patch_sheet(_workbook(GOOD_ROWS), lambda x: x.replace(
        "<v>12345</v>", '<f>HYPERLINK("http://evil.example","90")</f><v>90</v>'))
    assert b"HYPERLINK" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    pf = parse_file(data, "formula.xlsx", catalogue=load_catalogue(), config=_Config())
    [err] = pf.errors
    assert (err.file, err.row, err.column) == ("formula.xlsx", 2, "value")
    assert "formula" in err.message and "HYPERLINK" in str(err.value)
    assert pf.frame.empty


def test_external_link_formula_is_flagged():
    data = _patch_sheet(_workbook(GOOD_ROWS), lambda x: x.replace(
        "<v>12345</v>", "<f>[1]Sheet1!A1</f><v>77</v>"))
    pf = parse_file(data, "linked.xlsx", catalogue=load_catalogue(), config=_Config())
    [err] = pf.errors
    assert (err.row, err.column) == (2, "value") and "=[1]Sheet1!A1" in err.message


class _Config:
    code, name, region = "E08000031", "Wolverhampton", "E12000005"
    statistical_neighbours = ["E08000028"]


# ------------------------------------------------------------------ CSV

LONG = 200_000


@pytest.mark.parametrize("body, row, words", [
    # an unclosed quote swallows the rest of the file into one field
    (HEAD + "HEALTH_CHECKS_PCT,2026-10,90,389,431\n"
     'HEALTH_CHECKS_PCT,2026-11,"90,389,431\n' + ("x" * 80 + "\n") * 3000, 3,
     "longer than 131,072 characters"),
    # a 10 MB line
    (HEAD + "HEALTH_CHECKS_PCT,2026-10," + "9" * 10_000_000 + ",389,431\n", 2,
     "longer than 131,072 characters"),
    # a million columns
    (HEAD + "HEALTH_CHECKS_PCT,2026-10,90" + "," * 1_000_000 + "\n", 2,
     "1,000,003 columns"),
])
def test_long_csv_fields_are_refused_with_file_and_row(body, row, words):
    with pytest.raises(ReadError) as exc:
        read_table(body.encode(), "long.csv")
    assert f"long.csv row {row}" in str(exc.value) and words in str(exc.value)
    pf = parse_file(body.encode(), "long.csv", catalogue=load_catalogue(), config=_Config())
    [err] = pf.errors
    assert "long.csv" in err.message and f"row {row}" in err.message


def test_long_csv_field_on_the_command_line_is_an_error_not_a_traceback(tmp_path):
    bad = tmp_path / "long.csv"
    bad.write_text(HEAD + 'HEALTH_CHECKS_PCT,2026-10,"' + "x" * LONG + "\n")
    r = subprocess.run([sys.executable, "-m", "cli", "ingest", str(bad), "--dry-run",
                        "--db", str(tmp_path / "wh.duckdb")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "_csv.Error" not in r.stdout + r.stderr
    assert "long.csv row 2" in r.stdout


def test_long_csv_field_on_the_upload_page_is_a_listed_error(config, server_for):
    import base64
    from pages.upload import handle_upload
    data = (HEAD + 'HEALTH_CHECKS_PCT,2026-10,"' + "x" * LONG + "\n").encode()
    contents = "data:text/csv;base64," + base64.b64encode(data).decode()
    server = server_for(config)
    from webapp.auth import start_session
    with server.test_request_context():
        start_session(config, "demo-editor", "editor")
        status, report, *_ = handle_upload([contents], ["long.csv"])
    assert "nothing can be loaded" in status
    assert any("long.csv row 2" in r["message"] for r in report)
