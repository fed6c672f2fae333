from dash import html

from components.scorecard import indicator_href, scorecard_row, scorecard_section

from .conftest import real, typed, walk


_walk = walk


def _text(node):
    return " ".join(n for n in _walk(node) if isinstance(n, str))


def test_row_links_to_indicator_page_as_at_month(indicator, summary):
    row = scorecard_row(typed(indicator, summary), indicator, None)
    link = next(n for n in _walk(row) if isinstance(n, html.A))
    assert link.href == "/indicator/HEALTH_CHECKS_PCT?as_at=2018-01"
    assert link.children == "Health assessments up to date"


def test_indicator_href():
    assert indicator_href("CLA_RATE", "2017-03") == "/indicator/CLA_RATE?as_at=2017-03"


def test_row_shows_value_changes_status_and_comparators(indicator, summary):
    text = _text(scorecard_row(typed(indicator, summary), indicator, "/indicator/HEALTH_CHECKS_PCT?as_at=2018-01"))
    assert "88%" in text and "Jan 2018" in text
    assert "↑ up 2 points, improving" in text          # since December
    assert "↓ down 3 points, worsening" in text        # since the 2016-17 out-turn
    assert "Off target" in text and "✗" in text        # status as word and symbol
    assert "89%" in text and "87%" in text and "90%" in text and "2016-17" in text
    assert "440 of 500" in text                         # numerator and denominator in the text


def test_row_sparkline_has_text_alternative(indicator, summary):
    img = next(n for n in _walk(scorecard_row(typed(indicator, summary), indicator, None)) if isinstance(n, html.Img))
    assert img.src.startswith("data:image/svg+xml;base64,")
    assert img.alt.startswith("Last 13 months: from 90% in Jan 2017 to 88% in Jan 2018")
    assert "1 month with no figure" in img.alt


def test_missing_latest_value_is_no_figure(indicator, summary):
    summary = {**summary, "value": None, "missing_reason": "not received", "numerator": None, "denominator": None}
    text = _text(scorecard_row(typed(indicator, summary), indicator, None))
    assert "no figure (not received)" in text


def test_section_is_a_table_with_scoped_headers(indicator, summary):
    section = scorecard_section("health", [typed(indicator, summary)], {"HEALTH_CHECKS_PCT": indicator}, as_at="2018-01")
    heading = section.children[0]
    assert heading.children.children == "Health" and heading.children.href == "/health?as_at=2018-01"
    table = section.children[1]
    assert isinstance(table, html.Table) and isinstance(table.children[0], html.Caption)
    assert [th.scope for th in table.children[1].children.children] == ["col"] * 10
    assert len(table.children[2].children) == 1


def test_neutral_indicator_has_no_rag(summary):
    ind = real("CLA_NUMBER")
    summary = {**summary, "code": "CLA_NUMBER", "rag": None, "target": None}
    text = _text(scorecard_row(typed(ind, summary), ind, None))
    assert "No target" in text and "improving" not in text
