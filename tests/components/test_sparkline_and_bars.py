import pandas as pd
from dash import html

from components import theme
from components.bar_chart import attainment_rows, breakdown_figure, comparator_bar_figure
from components.tables import attainment_table
from components.sparkline import sparkline_figure, sparkline_svg, sparkline_text

from .conftest import real, comparator_rows, month_rows


def test_sparkline_gap_breaks_the_line():
    points = [{"period": "Jan 2018", "value": v} for v in [1, 2, None, 4, 5]]
    svg = sparkline_svg(points, label="x")
    assert svg.count("<polyline") == 2
    assert list(sparkline_figure(points).data[0].y) == [1.0, 2.0, None, 4.0, 5.0]


def test_sparkline_text(indicator, summary):
    assert sparkline_text(summary["sparkline"], indicator) == (
        "Last 13 months: from 90% in Jan 2017 to 88% in Jan 2018 (lowest 86%, highest 91%; 1 month with no figure).")


def _placements():
    frames = []
    for i, cat in enumerate(["in_house_foster", "agency_foster", "residential"]):
        d = month_rows([100 - 10 * i] * 4, start="2017-10")
        frames.append(d.assign(breakdown=f"placement_type={cat}", dimension="placement_type", category=cat))
    return pd.concat(frames, ignore_index=True)


def test_breakdown_categories_have_fixed_colours_and_patterns():
    ind = real("PLACEMENT_TYPE")
    df = _placements()
    fig = breakdown_figure(ind, df, authority_name="Wolverhampton", as_at="2018-01")
    again = breakdown_figure(ind, df[df["category"] != "in_house_foster"], authority_name="Wolverhampton")
    colour = {t.meta["category"]: (t.marker.color, t.marker.pattern.shape) for t in fig.data}
    colour_again = {t.meta["category"]: (t.marker.color, t.marker.pattern.shape) for t in again.data}
    assert colour["agency_foster"] == colour_again["agency_foster"]  # same colour whatever else is drawn
    assert len({c for c, _ in colour.values()}) == 3 and len({p for _, p in colour.values()}) == 3
    assert [t.name for t in fig.data] == ["In house foster", "Agency foster", "Residential"]


def test_breakdown_missing_month_has_no_bar():
    ind = real("PLACEMENT_TYPE")
    df = _placements()
    df = df[~((df["category"] == "residential") & (df["period_label"] == "Nov 2017"))]
    fig = breakdown_figure(ind, df, authority_name="Wolverhampton")
    res = next(t for t in fig.data if t.meta["category"] == "residential")
    assert res.y[1] is None and res.customdata[1][0] == "no figure (not received)"


def test_comparator_bars_fixed_colours_and_missing_said():
    ind = real("CL_EET_PCT")
    comps = comparator_rows({"local": {2017: 56}, "west_midlands": {2017: 46},
                             "statistical_neighbours": {2017: None}, "england": {2017: 50}})
    fig = comparator_bar_figure(ind, comps, authority_name="Wolverhampton", region_name="West Midlands")
    bar = fig.data[0]
    assert list(bar.y) == ["Wolverhampton", "West Midlands", "Statistical neighbours", "England"]
    other = comparator_bar_figure(ind, comps, authority_name="Newcastle upon Tyne",
                                  region_name="North East")  # the label is the region given
    assert list(other.data[0].y)[:2] == ["Newcastle upon Tyne", "North East"]
    assert list(bar.marker.color) == [theme.SERIES_COLOURS[k] for k in
                                      ("local", "west_midlands", "statistical_neighbours", "england")]
    assert bar.x[2] is None
    assert any(a.text == "no figure (c: suppressed for confidentiality)" for a in fig.layout.annotations)
    assert fig.layout.meta["year"] == "2016-17"


def test_attainment_table():
    ind = real("KS2_RWM_PCT")
    comps = comparator_rows({"local": {2017: 37}, "west_midlands": {2017: 23},
                             "statistical_neighbours": {2017: 25}, "england": {2017: None}})
    rows = attainment_rows([ind], {"KS2_RWM_PCT": comps}, all_children={"KS2_RWM_PCT": 53.0})
    table = attainment_table(rows, authority_name="Wolverhampton")
    tr = table.children[2].children[0]
    cells = [c.children for c in tr.children]
    assert cells == ["Key Stage 2: reading, writing and maths (2016-17)", "37%", "53%", "23%", "25%",
                     "no figure (c: suppressed for confidentiality)"]
    assert isinstance(table.children[0], html.Caption)
