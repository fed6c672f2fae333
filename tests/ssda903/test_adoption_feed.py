"""The fast monthly scorecard gives exactly the adoption scorecard's rows."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pandas.testing as pdt

from pipelines.core.config import PROJECT_ROOT
from pipelines.measures import adoption
from pipelines.measures.ssda903.adoption import scorecard_monthly
from pipelines.sources.readers import read_table


def _months(first: date, last: date):
    return [d.date() for d in pd.date_range(first, last, freq="ME")]


def test_fast_scorecard_equals_the_scorecard_month_by_month():
    path = PROJECT_ROOT / "data" / "sample" / "adoption_records.csv"
    children, problems = adoption.parse_children(read_table(path.read_bytes(), path.name),
                                                 file_name=path.name, today=date(2030, 1, 1))
    assert len(children) > 20 and not [p for p in problems if p.severity == "error"]
    months = _months(date(2014, 4, 1), date(2019, 3, 31))
    thresholds = {"A1": 426, "A10": 426, "A2": 121}
    slow = adoption.monthly_indicators(children, "E1", months, thresholds)
    fast = scorecard_monthly(children, "E1", months, thresholds)
    key = ["indicator_code", "period_end"]
    pdt.assert_frame_equal(fast.sort_values(key).reset_index(drop=True),
                           slow.sort_values(key).reset_index(drop=True), check_like=True)
