"""Small hand-made SSDA903 tables for the tests."""
from __future__ import annotations

from datetime import date

import pandas as pd

from pipelines.measures.ssda903.care import prepare
from pipelines.sources import ssda903
from pipelines.sources.readers import read_table

KEY = b"test-key"
EPISODE_COLS = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]


def csv(columns, rows) -> bytes:
    lines = [",".join(columns)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def episode(child, decom, rne, ls, place, dec="", rec="", provider="PR1", urn=""):
    return [child, decom, rne, ls, "N1", place, provider, dec, rec, "", "AB1 2CD", "EF3 4GH", urn]


def episodes_file(rows) -> bytes:
    return csv(EPISODE_COLS, rows)


def header_file(rows) -> bytes:
    """rows: (child, sex, dob, ethnic)"""
    return csv(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
               [[c, s, d, e, "A123456789012", "", ""] for c, s, d, e in rows])


def reviews_file(rows) -> bytes:
    """rows: (child, date, code)"""
    return csv(["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
               [[c, "01/01/2010", d, code] for c, d, code in rows])


def raws(files: dict[str, bytes]):
    return [(name, read_table(data, name)) for name, data in files.items()]


def extract(files: dict[str, bytes], today=date(2030, 1, 1)):
    ex, problems = ssda903.read_files(raws(files), KEY, today=today)
    errors = [p for p in problems if p.severity == "error"]
    assert not errors, [p.message for p in errors]
    return ex


def care(files: dict[str, bytes], today=date(2030, 1, 1), first_day: date | None = None,
         last_day: date | None = None):
    """Prepared facts; `first_day` says the files hold the whole history from that day
    (so rolling windows from it are complete), `last_day` the day the extract was taken."""
    ex = extract(files, today=today)
    if first_day is not None:
        ex.first_day = first_day
    if last_day is not None:
        ex.last_day = last_day
    return prepare(ex)


def pid(child) -> str:
    """The pseudonym a child id gets with the test key."""
    return ssda903.pseudonymise(pd.Series([str(child)]), KEY).iloc[0]


def at(figures: pd.DataFrame, month: str) -> pd.Series:
    return figures.loc[pd.Timestamp(month)]
