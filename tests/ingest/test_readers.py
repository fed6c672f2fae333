import io
from datetime import datetime

import openpyxl
import pytest

from pipelines.sources.readers import ReadError, clean_header, read_table

TEXT = "Indicator,Month,Value\nCL_EET_PCT,Jan-18,61\nCafé,Feb-18,62\n"


def _check(frame):
    assert list(frame.columns) == ["Indicator", "Month", "Value", "__row__"]
    assert frame["Indicator"].tolist() == ["CL_EET_PCT", "Café"]
    assert frame["__row__"].tolist() == [2, 3]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings_and_bom(encoding):
    frame = read_table(TEXT.encode(encoding), "x.csv")
    _check(frame)
    assert "\ufeff" not in frame.columns[0]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(delimiter):
    _check(read_table(TEXT.replace(",", delimiter).encode(), "x.csv"))


def test_title_and_blank_rows_above_the_header_are_skipped_and_rows_keep_excel_numbers():
    data = b"Monthly extract for the board\n\n,,\nIndicator,Month,Value\nCL_EET_PCT,Jan-18,\"1,234\"\n"
    frame = read_table(data, "x.csv")
    assert frame.attrs["header_row"] == 4
    assert frame.loc[0, "__row__"] == 5
    assert frame.loc[0, "Value"] == "1,234"


def test_empty_cells_are_none():
    frame = read_table(b"a,b,c\n1,,3\n", "x.csv")
    assert frame.loc[0, "b"] is None


def test_header_only_gives_an_empty_frame():
    frame = read_table(b"Indicator,Month,Value\n", "x.csv")
    assert frame.empty and "Value" in frame.columns


def _xlsx(tmp_path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in rows.items():
            for c, v in enumerate(row, start=1):
                ws.cell(row=r, column=c, value=v)
    path = tmp_path / "extract.xlsx"
    wb.save(path)
    return path.read_bytes()


def test_xlsx_first_sheet_with_excel_row_numbers_and_dates_as_iso(tmp_path):
    data = _xlsx(tmp_path, {"Data": {2: ["Title"], 4: ["Indicator", "Period", "Value"],
                                     5: ["CL_EET_PCT", datetime(2018, 1, 31), 61],
                                     6: ["ASYLUM_PCT", "Jan 2018", 1.7]},
                            "Other": {1: ["x", "y"]}})
    frame = read_table(data, "renamed.csv")  # content, not the name, decides
    assert frame["__row__"].tolist() == [5, 6]
    assert frame["Period"].tolist() == ["2018-01-31", "Jan 2018"]
    assert frame["Value"].tolist() == ["61", "1.7"]


def test_xlsx_named_sheet_and_unknown_sheet_lists_sheets(tmp_path):
    data = _xlsx(tmp_path, {"Cover": {1: ["About this file"]},
                            "Figures": {1: ["Indicator", "Period", "Value"], 2: ["CLA_NUMBER", "Jan-18", 600]}})
    assert read_table(data, "x.xlsx", sheet="Figures")["Value"].tolist() == ["600"]
    with pytest.raises(ReadError, match="'Cover', 'Figures'"):
        read_table(data, "x.xlsx", sheet="Data")


@pytest.mark.parametrize("data, says", [
    (b"", "empty"),
    (b"\r\n  \r\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
    (b"PK\x03\x04broken zip", "not a readable XLSX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (b"just one line of prose\n", "no header row"),
])
def test_unreadable_files_raise_read_error(data, says):
    with pytest.raises(ReadError, match=says):
        read_table(data, "upload.csv")


def test_truncated_xlsx_is_a_read_error(tmp_path):
    data = _xlsx(tmp_path, {"Data": {1: ["Indicator", "Value"]}})
    with pytest.raises(ReadError, match="upload.xlsx"):
        read_table(data[: len(data) // 2], "upload.xlsx")


@pytest.mark.parametrize("raw, clean", [
    ("Indicator Code", "indicator_code"), (" Value (%) ", "value"), ("\ufeffTime Period", "time_period"),
    ("NEW_LA_CODE", "new_la_code"), ("Numerator.", "numerator"), ("Placement type", "placement_type"),
])
def test_clean_header(raw, clean):
    assert clean_header(raw) == clean
