from components.summary_text import (
    change_label,
    chart_summary,
    direction,
    headline,
    rag_label,
    rag_word,
)

from .conftest import real, typed


def test_chart_summary_matches_the_report_style(indicator, summary):
    text = chart_summary(indicator, typed(indicator, summary), "Wolverhampton")
    assert text == ("Health assessments up to date were 88% in January 2018, down from 91% at the 2016-17 out-turn "
                    "(worsening), below target (95%) and below England (90%, 2016-17).")


def test_polarity_up_rising_is_improving(summary):
    ind = real(polarity="up")
    summary = {**summary, "outturn": {"year": "2016-17", "value": 80.0}}
    assert "up from 80% at the 2016-17 out-turn (improving)" in chart_summary(ind, typed(ind, summary), "Wolverhampton")


def test_polarity_down_rising_is_worsening(summary):
    ind = real("PLACED_20_MILES_PCT", target=15.0)
    summary = {**summary, "value": 16.0, "outturn": {"year": "2016-17", "value": 14.0}, "comparators": {}, "target": 15.0}
    text = chart_summary(ind, typed(ind, summary), "Wolverhampton")
    assert "up from 14% at the 2016-17 out-turn (worsening)" in text
    assert "above target (15%)" in text


def test_polarity_down_falling_is_improving(summary):
    ind = real(polarity="down", target=None)
    summary = {**summary, "value": 12.0, "outturn": {"year": "2016-17", "value": 14.0}, "target": None}
    assert "(improving)" in chart_summary(ind, typed(ind, summary), "Wolverhampton")


def test_neutral_indicator_never_improving_or_worsening(summary):
    ind = real(polarity="none", target=None)
    text = chart_summary(ind, typed(ind, {**summary, "target": None}), "Wolverhampton")
    assert "improving" not in text and "worsening" not in text
    assert "down from 91%" in text


def test_direction_words():
    up, down, none = real(polarity="up"), real(polarity="down"), real(polarity="none")
    assert direction(up, 80, 90) == "improving"
    assert direction(up, 90, 80) == "worsening"
    assert direction(down, 80, 90) == "worsening"
    assert direction(down, 90, 80) == "improving"
    assert direction(none, 80, 90) == "up"
    assert direction(up, 88.2, 88.4) == "no change"  # same at the shown precision (0 dp)
    assert direction(up, None, 88) is None


def test_change_label_has_arrow_amount_and_word():
    assert change_label(real(polarity="down"), 14, 16) == "↑ up 2 points, worsening"
    assert change_label(real(polarity="up"), float("nan"), 16) == "no figure to compare"


def test_rag_words_and_symbols():
    assert rag_label("green") == "✓ On target"
    assert rag_label("amber") == "▲ Close to target"
    assert rag_label("red") == "✗ Off target"
    assert rag_word(None) == "No target"


def test_headline_says_what_the_chart_shows(indicator, summary):
    assert headline(indicator, typed(indicator, summary)) == "Health assessments up to date are below target and below England"


def test_headline_without_target_or_comparator_uses_direction(summary):
    ind = real(title="Reviews on time", target=None)
    summary = {**summary, "target": None, "comparators": {}}
    assert headline(ind, typed(ind, summary)) == "Reviews on time are worsening since the 2016-17 out-turn"


def test_missing_value_is_said_not_zeroed(indicator, summary):
    summary = {**summary, "value": float("nan"), "missing_reason": "c: suppressed for confidentiality"}
    text = chart_summary(indicator, typed(indicator, summary), "Wolverhampton")
    assert "no figure (c: suppressed for confidentiality)" in text
    assert " 0%" not in text
    assert headline(indicator, typed(indicator, summary)) == "Health assessments up to date: no figure for Jan 2018"


def test_rounding_is_the_catalogues_half_up(indicator, summary):
    """60.5% reads 61% (as the product shows it), so 60.5 against 61 is no change."""
    assert indicator.format_value(60.5) == "61%"
    assert direction(indicator, 61.0, 60.5) == "no change"
    assert "61% in January 2018" in chart_summary(indicator, typed(indicator, {**summary, "value": 60.5}), "Wolverhampton")
