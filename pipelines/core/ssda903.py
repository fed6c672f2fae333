"""SSDA903 codes and the stitched extract's shape: shared by the reader
(`pipelines.sources.ssda903`) and the measures (`pipelines.measures.ssda903`).
Codes: ../shared/reference/ssda903.md ([G] DfE guide code lists)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipelines.core import periods

PLACE_CODES = ({f"U{i}" for i in range(1, 7)} | {"A3", "A4", "A5", "A6", "P1", "P2", "P3",
               "H5", "K1", "K2", "K3", "R1", "R2", "R3", "R5", "S1", "T0", "T1", "T2", "T3",
               "T4", "Z1", "Z11", "Z12", "Z13", "Z14"})
REC_CODES = {"X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46",
             "E47", "E48", "E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17", "E99"}
CODES = {
    "RNE": {"S", "L", "P", "T", "B", "U"},
    "LS": {"C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3"},
    "PLACE": PLACE_CODES,
    "PLACE_PROVIDER": {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"},
    "REC": REC_CODES,
    "REVIEW_CODE": {f"PN{i}" for i in range(8)},
    "SEX": {"1", "2"},
    "ETHNIC": {"WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
               "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"},
    "MISSING": {"M", "A"},
    "IN_TOUCH": {"YES", "NO", "DIED", "REFU", "NREQ", "RHOM"},
    "HEALTH_ASSESSMENT": {"0", "1"}, "TEETH_CHECK": {"0", "1"}, "IMMUNISATIONS": {"0", "1"},
    "HEALTH_CHECK": {"0", "1"}, "FOSTER_CARE": {"0", "1"},
}
ACTIV_RE = re.compile(r"^(?:[FP][1-5]|G[456]|0)$")
# Letter = accommodation type, digit 1 suitable / 2 not; 0 = no information. "01"/"02" (a
# 0 with a suitability digit, seen in the synthetic files) is read as no information.
ACCOM_RE = re.compile(r"^(?:[BCDEGHKRSTUVWXYZ][12]|0[12]?)$")
SHORT_BREAK_LS = {"V3", "V4"}
TEMPORARY_PLACES = {"T0", "T1", "T2", "T3", "T4"}
ADOPTION_PLACES = {"A3", "A4", "A5", "A6"}

def year_end_on_or_after(d: date) -> date:
    return periods.financial_year_end(d)


def year_label(year_end: date) -> str:
    return periods.financial_year_label(year_end)


@dataclass
class Extract:
    """Every table, all years stitched; children pseudonymised."""
    episodes: pd.DataFrame
    header: pd.DataFrame
    reviews: pd.DataFrame
    uasc: pd.DataFrame
    missing: pd.DataFrame
    oc2: pd.DataFrame            # with YEAR_END
    oc3: pd.DataFrame            # with YEAR_END
    ad1: pd.DataFrame
    placed_for_adoption: pd.DataFrame
    sw_episodes: pd.DataFrame | None
    years: list[date]            # collection years (31 March) covered by episodes
    first_day: date              # 1 April of the first collection year
    last_day: date               # last day the data describe
    quality: list[dict] = field(default_factory=list)
    tables: list = field(default_factory=list)   # the sources' Table per file read


QUALITY_COLUMNS = ["severity", "kind", "rule", "child", "file", "rows", "message",
                   "indicators", "months"]


