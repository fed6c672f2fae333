"""Writes the broken-file corpus beside this script (run it after changing a case):
    .venv/bin/python tests/upload/broken/make_corpus.py
Each file is one mistake an insight team could make; EXPECTED in test_broken_files.py says
what the refusal must name. The 50 MB file is made at test time, not kept here."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEAD = "indicator_code,period,value,numerator,denominator\n"
GOOD = "HEALTH_CHECKS_PCT,2026-10,90.3,389,431\nCLA_NUMBER,2026-10,573,,\n"


def xlsx(rows) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def files() -> dict[str, bytes]:
    good_xlsx = xlsx([["indicator_code", "period", "value", "numerator", "denominator"],
                      ["HEALTH_CHECKS_PCT", "2026-10", 90.3, 389, 431]])
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
           b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
           b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    return {
        "empty.csv": b"",
        "whitespace_only.csv": b"  \r\n\r\n   \n",
        "header_only.csv": HEAD.encode(),
        "utf16_without_bom.csv": (HEAD + GOOD).encode("utf-16-le"),
        "truncated.xlsx": good_xlsx[: len(good_xlsx) // 2],
        "zip_not_workbook.xlsx": zbuf.getvalue(),
        "photo_renamed.csv": png,
        "photo_renamed.xlsx": png,
        "document.pdf.csv": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        "old_excel_97.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "no_header_numbers_only.csv": b"1,2,3\n4,5,6\n",
        "unknown_code.csv": (HEAD + "HEALTH_CHECKS_PCT,2026-10,90.3,389,431\n"
                             "HELTH_CHEKS,2026-10,88,,\n").encode(),
        "impossible_month.csv": (HEAD + "HEALTH_CHECKS_PCT,2018-13,90.3,389,431\n").encode(),
        "impossible_date_text.csv": (HEAD + "HEALTH_CHECKS_PCT,31/02/2026,90.3,389,431\n").encode(),
        "future_month.csv": (HEAD + "HEALTH_CHECKS_PCT,2031-01,90.3,389,431\n").encode(),
        "percent_over_100.csv": (HEAD + "HEALTH_CHECKS_PCT,2026-10,112.5,,\n").encode(),
        "negative_count.csv": (HEAD + "CLA_NUMBER,2026-10,-4,,\n").encode(),
        "numerator_over_denominator.csv": (HEAD + "HEALTH_CHECKS_PCT,2026-10,90,450,431\n").encode(),
        "conflicting_duplicates.csv": (HEAD + "CLA_NUMBER,2026-10,573,,\n"
                                       "CLA_NUMBER,2026-10,575,,\n").encode(),
        "formula_hyperlink.csv": (HEAD + 'HEALTH_CHECKS_PCT,2026-10,"=HYPERLINK(""http://x.example"",""90"")",389,431\n').encode(),
        "formula_in_code.csv": (HEAD + '=cmd|\' /C calc\'!A0,2026-10,90,389,431\n').encode(),
        "text_in_number_column.csv": (HEAD + "HEALTH_CHECKS_PCT,2026-10,ninety,389,431\n").encode(),
        "missing_value_column.csv": b"indicator_code,period,numerator\nCLA_NUMBER,2026-10,5\n",
        "missing_period_column.csv": b"indicator_code,value\nCLA_NUMBER,573\n",
        "ambiguous_fraction_percent.csv": (HEAD + "HEALTH_CHECKS_PCT,2026-10,0.9,,\n"
                                           "DENTAL_CHECKS_PCT,2026-10,0.8,,\n").encode(),
        "unknown_breakdown.csv": ("indicator_code,period,placement_type,value\n"
                                  "PLACEMENT_TYPE,2026-10,on_the_moon,12\n").encode(),
        "negative_denominator.csv": (HEAD + "HEALTH_CHECKS_PCT,2026-10,90,389,-431\n").encode(),
        "xlsx_percent_over_100.xlsx": xlsx([
            ["indicator_code", "period", "value", "numerator", "denominator"],
            ["HEALTH_CHECKS_PCT", "2026-10", 190, None, None]]),
        "xlsx_text_in_number.xlsx": xlsx([
            ["indicator_code", "period", "value", "numerator", "denominator"],
            ["CLA_NUMBER", "2026-10", "five hundred", None, None]]),
    }


if __name__ == "__main__":
    for name, data in files().items():
        (HERE / name).write_bytes(data)
        print(name, len(data))
