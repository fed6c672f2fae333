"""The key-points draft: one plain sentence per notable change, polarity-aware, honest about
missing figures."""
from __future__ import annotations

from pipelines.core.catalogue import load_catalogue
from present.keypoints import draft_key_points, sentence as draft_sentence
from present.summary import IndicatorSummary
from pipelines.store.queries import Warehouse

CAT = load_catalogue()


def summary(**kw):
    base = {"period": "Jan 2018", "value": None, "missing_reason": None, "outturn": None,
            "previous": None, "comparators": {}, "direction_since_outturn": None,
            "direction_since_previous": None, "small_cohort": False, "denominator": None}
    return base | kw


def sentence(ind, s: dict):
    return draft_sentence(ind, IndicatorSummary.from_store(ind, s))


def test_the_report_example_sentence():
    s = summary(value=88, outturn={"year": "2016-17", "value": 91},
                direction_since_outturn="worsening",
                comparators={"england": {"year": "2016-17", "value": 90}})
    assert sentence(CAT.get("HEALTH_CHECKS_PCT"), s) == (
        "Health assessments up to date: 88% in Jan 2018, down from 91% at the 2016-17 "
        "out-turn (worse), below England (90% in 2016-17).")


def test_a_fall_in_a_lower_is_better_measure_is_better():
    ind = CAT.get("A1_DAYS_3YR")
    assert ind.polarity == "down"
    s = summary(value=480, outturn={"year": "2016-17", "value": 520},
                direction_since_outturn=ind.change_direction(520, 480),
                comparators={"england": {"year": "2016-17", "value": 500}})
    assert sentence(ind, s) == (
        f"{ind.title}: 480 days in Jan 2018, down from 520 days at the 2016-17 out-turn "
        "(better), below England (500 days in 2016-17).")


def test_no_visible_change_is_not_a_key_point():
    s = summary(value=90.2, outturn={"year": "2016-17", "value": 90.4})
    assert sentence(CAT.get("HEALTH_CHECKS_PCT"), s) is None  # both show as 90%


def test_missing_is_said_not_zeroed():
    s = summary(value=None, missing_reason="c: suppressed for confidentiality")
    assert sentence(CAT.get("HEALTH_CHECKS_PCT"), s) == (
        "Health assessments up to date: no figure for Jan 2018 (c: suppressed for "
        "confidentiality).")


def test_without_an_outturn_the_previous_month_is_the_reference():
    s = summary(value=70, previous={"period": "Dec 2017", "value": 60},
                direction_since_previous="improving")
    assert sentence(CAT.get("HEALTH_CHECKS_PCT"), s).startswith(
        "Health assessments up to date: 70% in Jan 2018, up from 60% in Dec 2017 (better)")


def test_context_only_figures_are_not_judged():
    s = summary(value=600, outturn={"year": "2016-17", "value": 500})
    assert sentence(CAT.get("CLA_NUMBER"), s) is None


def test_small_groups_are_flagged():
    s = summary(value=50, outturn={"year": "2016-17", "value": 75}, small_cohort=True,
                denominator=8, direction_since_outturn="worsening")
    assert "a small group (8 children), so the figure moves a lot" in sentence(
        CAT.get("HEALTH_CHECKS_PCT"), s)


def test_the_whole_draft_is_grouped_by_section(config):
    text = draft_key_points(Warehouse(config), "2026-10")
    assert text.startswith("### ")
    assert "### Health\n\n- Health assessments up to date: 90% in Oct 2026" in text
    one = draft_key_points(Warehouse(config), "2026-10", section="health")
    assert "###" not in one and one.startswith("- Health assessments")
