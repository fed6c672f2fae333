"""Charts of a narrow band of figures are not forced to start at zero, and say where their
axis starts (issue 16): the trend chart and the SPC chart share the rule."""
from __future__ import annotations

import pandas as pd

from components.axis import value_range
from components.trend_chart import trend_figure
from pipelines.core.catalogue import load_catalogue
from tests.conftest import month_row

IND = load_catalogue().get("HEALTH_CHECKS_PCT")


def _series(values):
    rows = [month_row("HEALTH_CHECKS_PCT", 2017 + i // 12, i % 12 + 1, v) for i, v in enumerate(values)]
    d = pd.DataFrame(rows)
    d["upload_id"] = 1
    d["period_start"] = pd.to_datetime(d["period_start"])
    d["period_end"] = pd.to_datetime(d["period_end"])
    return d


def test_a_fall_from_91_to_86_percent_is_not_flattened():
    fig = trend_figure(IND, _series([91, 90, 91, 89, 88, 86]), None, authority_name="X",
                       as_at="2017-06", target=None)
    lo, hi = fig.layout.yaxis.range
    assert 70 <= lo <= 85 and lo % 5 == 0          # a round number below 86
    assert fig.layout.yaxis.title.text == f"Per cent (axis starts at {lo:.0f}%)"
    assert hi <= 112


def test_figures_near_zero_start_at_zero_and_say_nothing():
    fig = trend_figure(IND, _series([5, 12, 20, 8]), None, authority_name="X",
                       as_at="2017-04", target=None)
    assert fig.layout.yaxis.range[0] == 0
    assert fig.layout.yaxis.title.text == "Per cent"


def test_value_range_rules():
    assert value_range([540, 583], unit="count")[0] > 400       # counts far from zero
    assert value_range([-2, 3])[0] < -2                         # negatives keep room below
    assert value_range([], unit="percent") == (0.0, 100.0)
    assert value_range([98, 100], unit="percent")[1] <= 101
