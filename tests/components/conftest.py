"""Real catalogue Indicators and small frames shaped as the Queries contract in
docs/architecture.md."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from pipelines.core.catalogue import load_catalogue
from present.summary import IndicatorSummary


CATALOGUE = load_catalogue()


def real(code: str = "HEALTH_CHECKS_PCT", **changes):
    """A real catalogue Indicator, so its rounding (half up: 60.5% reads 61%), units and
    polarity are the product's; `changes` only where a test is about another polarity or a
    target the catalogue does not set."""
    ind = CATALOGUE.get(code)
    if not changes:
        return ind
    if hasattr(ind, "model_copy"):  # a pydantic catalogue model
        return ind.model_copy(update=changes)
    return replace(ind, **changes)


def month_rows(values, start="2016-04", numerators=None, denominators=None, reasons=None):
    """Monthly local series; a value of None is a month with a row but no figure."""
    starts = pd.date_range(start, periods=len(values), freq="MS")
    rows = []
    for i, (s, v) in enumerate(zip(starts, values)):
        rows.append({
            "period_start": s, "period_end": s + pd.offsets.MonthEnd(0),
            "period_label": s.strftime("%b %Y"), "period_type": "month",
            "value": float("nan") if v is None else float(v),
            "numerator": float("nan") if not numerators else numerators[i],
            "denominator": float("nan") if not denominators else denominators[i],
            "missing_reason": (reasons or {}).get(i, pd.NA if v is not None else "not received"),
            "status": "final", "upload_id": 1,
        })
    return pd.DataFrame(rows)


def comparator_rows(spec):
    """spec: {comparator: {financial year ending (int): value}}."""
    rows = []
    codes = {"local": "E08000031", "west_midlands": "E12000005", "statistical_neighbours": "SN",
             "england": "E92000001"}
    for comp, years in spec.items():
        for end, v in years.items():
            rows.append({
                "comparator": comp, "area_code": codes[comp],
                "period_start": pd.Timestamp(end - 1, 4, 1), "period_end": pd.Timestamp(end, 3, 31),
                "period_label": f"{end - 1}-{str(end)[2:]}",
                "value": float("nan") if v is None else float(v),
                "missing_reason": "c: suppressed for confidentiality" if v is None else pd.NA,
                "n_neighbours": 10.0 if comp == "statistical_neighbours" else float("nan"),
            })
    return pd.DataFrame(rows)


@pytest.fixture
def indicator():
    return real("HEALTH_CHECKS_PCT", target=95.0)


def typed(indicator, store: dict):
    """The summary as the components read it, built from the store's dict."""
    return IndicatorSummary.from_store(indicator, store)


@pytest.fixture
def summary():
    """What `Warehouse.summary` gives (tests wrap it with `typed`)."""
    return {
        "code": "HEALTH_CHECKS_PCT", "title": "Health assessments up to date", "unit": "percent", "polarity": "up",
        "as_at": date(2018, 1, 31), "period": date(2018, 1, 31), "value": 88.0,
        "numerator": 440.0, "denominator": 500.0, "missing_reason": None,
        "previous": {"period": date(2017, 12, 31), "value": 86.0},
        "outturn": {"year": "2016-17", "value": 91.0},
        "target": 95.0, "rag": "red",
        "comparators": {"west_midlands": {"year": "2016-17", "value": 89.0},
                        "statistical_neighbours": {"year": "2016-17", "value": 87.0},
                        "england": {"year": "2016-17", "value": 90.0}},
        "change_since_previous": 2.0, "direction_since_previous": "improving",
        "change_since_outturn": -3.0, "direction_since_outturn": "worsening",
        "small_cohort": False, "first_reported": None,
        "sparkline": [{"period": (pd.Timestamp("2017-01-31") + pd.offsets.MonthEnd(i)).date(),
                       "value": v} for i, v in enumerate([90, 91, 91, 89, None, 88, 87, 88, 89, 87, 86, 86, 88])],
    }


def walk(node):
    """Every node of a Dash component tree, depth first (for tests that read a layout)."""
    yield node
    children = getattr(node, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None:
            yield from walk(child)
