import csv
import io

import openpyxl
import pandas as pd

from exports.tables_export import neutralise, sheet_name, to_csv_bytes, to_xlsx_bytes

NASTY = pd.DataFrame({"Series": ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "ok"],
                      "Value": [-1.16, 2.0, None, -3, 4.5]})


def test_neutralise_prefixes_formula_text_only():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@x") == "'@x"
    assert neutralise("plain") == "plain"
    assert neutralise(-1.5) == -1.5


def test_csv_has_header_lines_and_no_formulas():
    data = to_csv_bytes(NASTY, ["KS4 Progress 8 (KS4_PROGRESS8)", "Sample Borough: figures as at October 2026"])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["KS4 Progress 8 (KS4_PROGRESS8)"]
    assert rows[1] == ["Sample Borough: figures as at October 2026"]
    table = rows[rows.index(["Series", "Value"]) + 1:]
    assert [r[0] for r in table] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)", "ok"]
    assert [r[1] for r in table] == ["-1.16", "2", "", "-3", "4.5"]  # real negatives stay numbers


def test_xlsx_cells_are_text_or_numbers_never_formulas():
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes([("Data: 1/2", ["=title"], NASTY)])))
    ws = wb.worksheets[0]
    assert ws.title == "Data- 1-2"
    assert ws["A1"].value == "'=title"
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert "'=HYPERLINK(\"http://x\")" in values and -1.16 in values and -3 in values


def test_sheet_names_are_unique_and_short():
    used = set()
    a = sheet_name("Routes into care and Ofsted ratings", used)
    b = sheet_name("Routes into care and Ofsted ratings", used)
    assert len(a) <= 31 and len(b) <= 31 and a != b
