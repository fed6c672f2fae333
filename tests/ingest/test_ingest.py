import io
from datetime import datetime

import openpyxl
import pytest

from .conftest import FILES


def test_xlsx_extract_end_to_end(parse, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cover"
    ws["A1"] = "Read me"
    data = wb.create_sheet("January")
    data.append(["Wolverhampton monthly extract"])
    data.append([])
    data.append(["Indicator Code", "Month", "Value (%)", "Numerator", "Denominator"])
    data.append(["CL_EET_PCT", datetime(2018, 1, 31), 0.61, 61, 100])
    data.append(["HEALTH_CHECKS_PCT", datetime(2018, 1, 31), "88%", None, None])
    data.append(["CLA_NUMBER", "Jan-18", 1004, None, None])
    path = tmp_path / "january.xlsx"
    wb.save(path)
    pf = parse(path.read_bytes(), "january.xlsx", sheet="January")
    assert pf.ok, pf.problems
    assert pf.rows_read == 3
    got = {r.indicator_code: (r.value, r.period_label, r.source_row) for r in pf.frame.itertuples()}
    assert got == {"CL_EET_PCT": (61.0, "Jan 2018", 4), "HEALTH_CHECKS_PCT": (88.0, "Jan 2018", 5),
                   "CLA_NUMBER": (1004.0, "Jan 2018", 6)}


def test_xlsx_errors_carry_excel_row_numbers(parse, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for _ in range(4):
        ws.append([])
    ws.append(["Indicator", "Period", "Value"])
    ws.append(["CLA_NUMBER", "Jan-18", -3])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    [err] = parse(path.read_bytes(), "x.xlsx").errors
    assert (err.row, err.column, err.value) == (6, "Value", "-3")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_encodings_end_to_end(parse, encoding):
    text = "Indicator Code;Month;Value\nCL_EET_PCT;Jan-18;61%\nCLA_NUMBER;Jan-18;1004\n"
    pf = parse(text.encode(encoding), "semicolons.csv")
    assert pf.ok and sorted(pf.frame.value) == [61.0, 1004.0]


@pytest.mark.parametrize("data, says", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    (b"PK\x03\x04not really a workbook", "not a readable XLSX"),
])
def test_unreadable_files_become_one_error_never_an_exception(parse, data, says):
    pf = parse(data, "upload.xlsx")
    [err] = pf.errors
    assert err.row is None and says in err.message and "upload.xlsx" in err.message
    assert not pf.ok and pf.frame.empty


def test_unknown_sheet_lists_the_sheets(parse, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    path = tmp_path / "x.xlsx"
    wb.save(path)
    [err] = parse(path.read_bytes(), "x.xlsx", sheet="Jan").errors
    assert "'Data'" in err.message


def test_header_only_file_loads_nothing_without_error(parse):
    pf = parse("Indicator,Month,Value\n")
    assert pf.ok and pf.frame.empty and pf.rows_read == 0


def test_kind_can_be_forced(parse):
    pf = parse((FILES / "handkeyed.csv").read_bytes(), "handkeyed.csv", kind="handkeyed")
    assert pf.kind == "handkeyed" and pf.ok
    bad = parse("a,b\n1,2\n", kind="nonsense")
    assert "unknown file kind" in bad.errors[0].message


def test_report_figures_for_january_2018(parse):
    """The board report: care leavers in EET 61% (2016-17: LA 56, WM 46, SN 47, England 50)."""
    local = parse("Indicator,Month,Value\nCL_EET_PCT,Jan-18,61%\n").frame
    comparators = parse((FILES / "handkeyed.csv").read_bytes(), "handkeyed.csv").frame
    assert local.value.tolist() == [61.0]
    eet = comparators[comparators.indicator_code == "CL_EET_PCT"].set_index("area_code").value.to_dict()
    assert eet == {"E12000005": 46.0, "SN": 47.0, "E92000001": 50.0}
