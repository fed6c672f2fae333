"""The pure helpers behind the section views, and the pages' layouts built server-side on
the sample warehouse (every page, every indicator, bad addresses)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipelines.core.catalogue import load_catalogue
from present.summary import IndicatorSummary
from webapp.views import all_children_text, breakdown_rows, breakdown_summary

CAT = load_catalogue()


def _frame(rows):
    return pd.DataFrame(rows, columns=["period_end", "period_label", "category", "value",
                                       "numerator", "denominator", "missing_reason"])


def test_all_children_figure_says_its_year_and_source():
    ind = load_catalogue().get("KS2_RWM_PCT")
    loaded = {"code": "ALL_PUPILS_KS2_RWM_PCT", "title": "All pupils", "year": "2016",
              "value": 53.0, "source": "DfE KS2 statistics"}
    assert all_children_text(ind, loaded) == "53% (2016; DfE KS2 statistics)"
    assert all_children_text(ind, None) is None  # not loaded: nothing shown, never a guess


def test_breakdown_rows_newest_first_with_fractions_and_gaps():
    ind = CAT.get("HEALTH_CHECKS_PCT")
    f = _frame([
        ("2018-01-31", "Jan 2018", "initial", 93.5, 29, 31, None),
        ("2018-01-31", "Jan 2018", "review", 90.0, 360, 400, None),
        ("2017-12-31", "Dec 2017", "initial", float("nan"), None, None, "c: suppressed"),
    ])
    rows = breakdown_rows(ind, f, ["initial", "review"])
    assert rows == [["Jan 2018", "94% (29 of 31)", "90% (360 of 400)"],
                    ["Dec 2017", "no figure (c: suppressed)", "no figure"]]


def test_breakdown_summary_names_the_latest_month_and_largest_group():
    ind = CAT.get("PLACEMENT_TYPE")
    f = _frame([
        ("2018-01-31", "Jan 2018", "agency_foster", 120, None, None, None),
        ("2018-01-31", "Jan 2018", "in_house_foster", 250, None, None, None),
        ("2017-12-31", "Dec 2017", "in_house_foster", 10, None, None, None),
    ])
    text = breakdown_summary(ind, f, "placement type")
    assert text.startswith("In January 2018, by placement type: agency foster 120 and in house foster 250.")
    assert text.endswith("The largest group is in house foster.")


def test_a_revision_is_shown_only_when_it_reads_differently():
    ind = CAT.get("HEALTH_CHECKS_PCT")
    s = {"code": ind.code, "value": 90.3, "first_reported": {"value": 88.0, "replaced_at": "x"}}
    assert IndicatorSummary.from_store(ind, s).revised_from == 88.0
    s["first_reported"] = {"value": 90.2, "replaced_at": "x"}  # reads 90% either way
    assert IndicatorSummary.from_store(ind, s).revised_from is None


# ---------------------------------------------------------------- layouts, server-side
def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json()
                      if hasattr(o, "to_plotly_json") else str(o))


@pytest.fixture
def in_app(dash_app):
    with dash_app.server.test_request_context("/"):
        yield


def test_bad_as_at_gives_a_message_on_every_page(in_app):
    import dash
    for page in dash.page_registry.values():
        if page["path"] in ("/", "/population", "/health"):
            text = _text(page["layout"](as_at="2018-13"))
            assert "is not a month" in text and "Traceback" not in text


def test_unknown_indicator_suggests_near_codes(in_app):
    from pages.indicator import layout
    text = _text(layout(code="HEALTH_CHECK_PCT"))
    assert "Indicator not found" in text
    assert "/indicator/HEALTH_CHECKS_PCT" in text


def test_indicator_page_shows_definition_source_and_polarity(in_app):
    from pages.indicator import layout
    ind = CAT.get("PLACED_20_MILES_PCT")
    text = _text(layout(code=ind.code))
    assert json.dumps(ind.definition)[1:-1] in text
    assert json.dumps(ind.source)[1:-1] in text
    assert "Lower is better" in text if ind.polarity == "down" else "Higher is better" in text


def test_every_section_page_has_a_chart_per_indicator(in_app, warehouse):
    import dash
    pages = {p["path"]: p for p in dash.page_registry.values()}
    for section in CAT.sections:
        if section.slug == "adoption":
            continue
        text = _text(pages[f"/{section.slug}"]["layout"]())
        for ind in section.indicators:
            assert f"trend-{ind.code}" in text, (section.slug, ind.code)


def test_placements_page_shows_placement_types_over_time(in_app):
    import dash
    page = next(p for p in dash.page_registry.values() if p["path"] == "/placements")
    text = _text(page["layout"]())
    assert "breakdown-PLACEMENT-TYPE-placement-type" in text
    assert "Looked-after children by type of placement by placement type" in text
