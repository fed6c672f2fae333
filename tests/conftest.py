"""Shared fixtures: a Wolverhampton-like config and a fresh warehouse per test."""
from __future__ import annotations

import textwrap
from datetime import date

import pandas as pd
import pytest

from pipelines.core.config import load_config

WOLVES_TOML = textwrap.dedent("""
    [authority]
    name = "Wolverhampton"
    code = "E08000031"
    dfe_number = 336
    region = "E12000005"
    statistical_neighbours = ["E08000028", "E06000021", "E08000030", "E06000010", "E08000005",
                              "E08000026", "E08000017", "E06000015", "E06000002", "E06000012"]
    [warehouse]
    path = "warehouse.duckdb"
""")


@pytest.fixture
def wolves_config(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text(WOLVES_TOML)
    return load_config(p)


def month_row(code, y, m, value, num=None, den=None, area="E08000031", breakdown="",
              status="final", row=2):
    start = date(y, m, 1)
    end = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
    return {"indicator_code": code, "area_code": area, "period_start": start,
            "period_end": end, "period_label": pd.Timestamp(start).strftime("%b %Y"),
            "period_type": "month", "breakdown": breakdown, "value": value,
            "numerator": num, "denominator": den, "missing_reason": None, "status": status,
            "source_row": row, "source_column": "value"}


def year_row(code, fy_start, value, area, label=None, row=2):
    return {"indicator_code": code, "area_code": area, "period_start": date(fy_start, 4, 1),
            "period_end": date(fy_start + 1, 3, 31),
            "period_label": label or f"{fy_start}-{str(fy_start + 1)[-2:]}",
            "period_type": "year", "breakdown": "", "value": value, "numerator": None,
            "denominator": None, "missing_reason": None, "status": "final",
            "source_row": row, "source_column": "value"}
