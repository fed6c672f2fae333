import math

import pandas as pd
import pytest

from exports.suppression import (SUPPRESSED, check_mode, suppress_breakdowns, suppress_frame,
                                 suppress_summary, suppress_text)
from pipelines.core.catalogue import load_catalogue

CAT = load_catalogue()
COUNT = CAT.get("ADOPTIONS_NUMBER")
PCT = CAT.get("HEALTH_CHECKS_PCT")
PLACEMENTS = CAT.get("PLACEMENT_TYPE")


def frame(rows, cols=("period_label", "value", "numerator", "denominator")):
    df = pd.DataFrame(rows, columns=list(cols))
    df["missing_reason"] = pd.Series([None] * len(df), dtype=object)
    return df


def test_counts_of_1_to_4_are_removed_not_hidden():
    df = frame([("Jan", 0, None, None), ("Feb", 1, None, None), ("Mar", 4, None, None),
                ("Apr", 5, None, None), ("May", None, None, None)])
    out = suppress_frame(df, COUNT, "public")
    assert out["suppressed"].tolist() == [False, True, True, False, False]
    assert out["value"].isna().tolist() == [False, True, True, False, True]
    assert out.loc[1, "missing_reason"] == SUPPRESSED
    assert out.loc[0, "value"] == 0 and out.loc[3, "value"] == 5  # 0 and 5 are not small


def test_percentages_from_small_numerators_or_denominators_are_removed():
    df = frame([("Jan", 75.0, 3, 40), ("Feb", 75.0, 3, 4), ("Mar", 90.0, 36, 40),
                ("Apr", 0.0, 0, 40)])
    out = suppress_frame(df, PCT, "public")
    assert out["suppressed"].tolist() == [True, True, False, False]
    assert math.isnan(out.loc[0, "value"]) and math.isnan(out.loc[0, "numerator"])
    assert out.loc[0, "denominator"] == 40  # a cohort of 40 reveals nobody
    assert math.isnan(out.loc[1, "denominator"])  # a cohort of 4 does
    assert out.loc[2, "value"] == 90.0


def test_private_mode_shows_everything():
    df = frame([("Jan", 2, None, None)])
    out = suppress_frame(df, COUNT, "private")
    assert out.loc[0, "value"] == 2 and not out["suppressed"].any()
    s = {"value": 2, "numerator": None, "denominator": None}
    assert suppress_summary(s, COUNT, "private")["value"] == 2


def breakdown(values, end="2026-01-31", numerators=None):
    rows = []
    for i, (cat, v) in enumerate(values.items()):
        rows.append({"breakdown": f"placement_type={cat}", "period_end": pd.Timestamp(end),
                     "period_label": "Jan 2026", "value": v,
                     "numerator": (numerators or {}).get(cat, math.nan),
                     "denominator": math.nan, "missing_reason": None,
                     "dimension": "placement_type", "category": cat})
    return pd.DataFrame(rows)


def test_one_small_category_takes_the_next_smallest_with_it():
    # total 60 shown elsewhere: hiding only "other" (3) would let 60 - 57 reveal it
    df = breakdown({"foster": 40, "residential": 9, "other": 3, "adoption": 8, "none": 0})
    out = suppress_breakdowns(df, PLACEMENTS, "public")
    hidden = set(out.loc[out["suppressed"], "category"])
    assert hidden == {"other", "adoption"}
    assert out.loc[out["category"] == "adoption", "value"].isna().all()
    assert out.loc[out["category"] == "foster", "value"].iloc[0] == 40


def test_two_small_categories_need_no_secondary_suppression():
    df = breakdown({"foster": 40, "residential": 9, "other": 3, "adoption": 2})
    out = suppress_breakdowns(df, PLACEMENTS, "public")
    assert set(out.loc[out["suppressed"], "category"]) == {"other", "adoption"}


def test_percentage_breakdowns_that_count_children_are_suppressed():
    homes = CAT.get("HOMES_GOOD_OUTSTANDING_PCT")
    df = breakdown({"outstanding": 10, "good": 25, "requires_improvement": 6, "inadequate": 2})
    totals = pd.DataFrame({"period_end": [pd.Timestamp("2026-01-31")], "denominator": [43]})
    out = suppress_breakdowns(df, homes, "public", totals=totals)
    assert set(out.loc[out["suppressed"], "category"]) == {"inadequate", "requires_improvement"}


def test_breakdown_numerators_are_suppressed_with_secondary():
    df = breakdown({"initial": 75.0, "review": 90.0}, numerators={"initial": 3, "review": 36})
    df["denominator"] = [4.0, 40.0]
    out = suppress_breakdowns(df, PCT, "public")
    assert out["suppressed"].all()


def test_summary_loses_every_small_figure():
    series = suppress_frame(frame([("Mar 2026", 46, None, None), ("Apr 2026", 3, None, None),
                                   ("May 2026", 4, None, None)]), COUNT, "public")
    s = {"code": "ADOPTIONS_NUMBER", "period": "May 2026", "value": 4, "numerator": None,
         "denominator": None, "missing_reason": None, "rag": "green",
         "previous": {"period": "Apr 2026", "value": 3},
         "outturn": {"year": "2025-26", "value": 46},
         "comparators": {"england": {"year": "2025", "value": 2}, "west_midlands": None},
         "sparkline": [{"period": "Mar 2026", "value": 46}, {"period": "Apr 2026", "value": 3}],
         "change_since_previous": 1, "direction_since_previous": "up",
         "change_since_outturn": -42, "direction_since_outturn": "down",
         "first_reported": {"value": 2}}
    out = suppress_summary(s, COUNT, "public", series_df=series)
    assert out["value"] is None and out["suppressed"] and out["missing_reason"] == SUPPRESSED
    assert out["rag"] is None and out["first_reported"] is None
    assert out["previous"]["value"] is None
    assert out["outturn"]["value"] == 46
    assert out["comparators"]["england"]["value"] is None
    assert [p["value"] for p in out["sparkline"]] == [46, None]
    assert out["change_since_previous"] is None and out["change_since_outturn"] is None
    assert s["value"] == 4  # the input is not changed


def test_commentary_text_loses_small_numbers_of_children():
    text = "3 children moved placement; 12 children were adopted; 2 care leavers; page 4."
    out = suppress_text(text, "public")
    assert out == ("fewer than 5 children moved placement; 12 children were adopted; "
                   "fewer than 5 care leavers; page 4.")
    assert suppress_text(text, "private") == text


def test_unknown_mode_is_refused():
    assert check_mode(None) == "public"
    with pytest.raises(ValueError, match="public or private"):
        check_mode("secret")
