"""One rule for breakdown charts, so the board pack draws what the screen shows: every
catalogue dimension with figures gets a chart; numbers of children are stacked, percentages
side by side."""
from __future__ import annotations

import pandas as pd

from pipelines.core.catalogue import load_catalogue
from present.breakdowns import breakdown_charts

CAT = load_catalogue()


def rows(spec, numerators=True):
    """spec: {dimension: {category: value}} for one month."""
    out = []
    for dim, cats in spec.items():
        for cat, v in cats.items():
            out.append({"dimension": dim, "category": cat, "breakdown": f"{dim}={cat}",
                        "period_end": pd.Timestamp("2026-10-31"), "period_label": "Oct 2026",
                        "value": v, "numerator": 9.0 if numerators else float("nan"),
                        "denominator": 10.0 if numerators else float("nan"),
                        "missing_reason": pd.NA})
    return pd.DataFrame(out)


def test_a_two_dimension_percentage_gets_two_side_by_side_charts():
    ind = CAT.get("HEALTH_CHECKS_PCT")
    assert list(ind.breakdowns) == ["check_type", "placed"]
    charts = breakdown_charts(ind, rows({"placed": {"outside_area": 80.0, "inside_area": 90.0},
                                         "check_type": {"review": 90.0, "initial": 94.0}}))
    assert [(c.dimension, c.barmode, c.kind) for c in charts] == [
        ("check_type", "group", "breakdown"), ("placed", "group", "breakdown-placed")]
    assert charts[1].categories == ["inside_area", "outside_area"]  # the catalogue's order
    assert charts[1].label == "where the child is placed"
    assert charts[0].shown_as.format_value(93.5) == "94%"


def test_counts_are_stacked_even_behind_a_percentage():
    """The catalogue says homes by Ofsted rating count children under a percentage."""
    homes = CAT.get("HOMES_GOOD_OUTSTANDING_PCT")
    assert homes.unit == "percent" and homes.unit_of("ofsted_rating=good") == "count"
    (chart,) = breakdown_charts(homes, rows({"ofsted_rating": {"good": 25.0, "outstanding": 10.0}},
                                            numerators=False))
    assert chart.counts and chart.barmode == "stack"
    assert chart.shown_as.format_value(25) == "25"  # children, not "25%"
    (placements,) = breakdown_charts(CAT.get("PLACEMENT_TYPE"),
                                     rows({"placement_type": {"agency_foster": 120.0}}))
    assert placements.counts


def test_no_rows_no_chart():
    assert breakdown_charts(CAT.get("HEALTH_CHECKS_PCT"), pd.DataFrame()) == []
    assert breakdown_charts(CAT.get("CLA_NUMBER"), rows({"x": {"y": 1.0}})) == []
