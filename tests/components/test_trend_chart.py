import math

import pandas as pd

from components import theme
from components.trend_chart import trend_figure

from .conftest import real, comparator_rows, month_rows


def _trace(fig, series):
    return next(t for t in fig.data if (t.meta or {}).get("series") == series)


def _fig(values, comps=None, **kwargs):
    series = month_rows(values, start="2016-04")
    comps = comparator_rows(comps or {"west_midlands": {2017: 89}, "statistical_neighbours": {2017: 87},
                                       "england": {2016: 89, 2017: 90}})
    return trend_figure(real(target=95.0), series, comps, authority_name="Wolverhampton", as_at="2017-06", **kwargs)


def test_missing_month_is_a_gap_not_zero():
    fig = _fig([91, 90, None, 88, 89])
    local = _trace(fig, "local")
    assert list(local.y) == [91.0, 90.0, None, 88.0, 89.0]
    assert local.connectgaps is False


def test_month_with_no_row_at_all_is_still_a_gap():
    series = month_rows([91, 90, 89, 88]).drop(index=[2])  # June 2016 absent from the frame
    fig = trend_figure(real(target=95.0), series, None, authority_name="Wolverhampton", as_at="2016-07")
    local = _trace(fig, "local")
    assert list(local.y) == [91.0, 90.0, None, 88.0]
    assert not any(y == 0 for y in local.y if y is not None)


def test_comparators_are_annual_segments_labelled_with_their_year():
    fig = _fig([91] * 15)
    england = _trace(fig, "england")
    labels = [t for t in england.text if t]
    assert "England 2016-17: 90%" in labels
    # a year that ended before the first local month is left off (the chart starts April 2016)
    assert not any("2015-16" in t for t in labels)
    # a segment spans the financial year it describes: 1 April to 31 March
    xs = [pd.Timestamp(x) for x in england.x if x is not None]
    assert pd.Timestamp("2016-04-01") in xs and pd.Timestamp("2017-03-31") in xs
    direct = [a.text for a in fig.layout.annotations if (a.name or "") == "label-england"]
    assert direct and "2016-17" in direct[0] and "90%" in direct[0]


def test_colours_fixed_per_series():
    fig = _fig([91, 90, 89])
    for series in ("local", "west_midlands", "statistical_neighbours", "england", "target"):
        assert _trace(fig, series).line.color == theme.SERIES_COLOURS[series]
    assert theme.SERIES_COLOURS["local"] == "#12436D"
    assert theme.SERIES_COLOURS["england"] == "#F46A25"
    # and not by colour alone: every series has its own dash
    dashes = [_trace(fig, s).line.dash for s in ("local", "west_midlands", "statistical_neighbours", "england", "target")]
    assert len(set(dashes)) == 5


def test_march_outturn_marked_and_labelled():
    fig = _fig([91, 90, 89, 88, 87, 86, 85, 84, 83, 82, 81, 80, 79])  # Apr 2016 .. Apr 2017
    out = _trace(fig, "outturn")
    assert list(out.y) == [80.0]
    assert out.text[0] == "2016-17: 80%"


def test_target_line_dashed():
    fig = _fig([91, 90])
    target = _trace(fig, "target")
    assert set(target.y) == {95.0}
    assert target.line.dash == "dash"


def test_hover_has_numerator_and_denominator():
    series = month_rows([88.0], numerators=[44.0], denominators=[50.0])
    fig = trend_figure(real(target=95.0), series, None, authority_name="Wolverhampton", as_at="2016-04")
    local = _trace(fig, "local")
    assert local.customdata[0][2] == "44 of 50"
    assert "customdata[2]" in local.hovertemplate


def test_export_figure_draws_title_source_and_notes_inside():
    fig = _fig([91, None, 89], for_export=True, title="Health checks are below target",
               subtitle="Wolverhampton, as at June 2017")
    names = {a.name: a.text for a in fig.layout.annotations}
    assert "Health checks are below target" in names["title"]
    assert names["subtitle"] == "Wolverhampton, as at June 2017"
    assert names["source"].startswith("Source: Case management system")
    footnotes = [a.text for a in fig.layout.annotations if a.name == "footnote"]
    assert any("no figure" in f for f in footnotes)
    assert fig.layout.width == theme.EXPORT_WIDTH


def test_screen_figure_has_no_title_annotation():
    fig = _fig([91, 90])
    assert not [a for a in fig.layout.annotations if a.name in ("title", "source")]


def test_annual_indicator_plots_years():
    ind = real("KS2_RWM_PCT")
    series = pd.DataFrame({
        "period_start": pd.to_datetime(["2014-09-01", "2015-09-01", "2016-09-01"]),
        "period_end": pd.to_datetime(["2015-08-31", "2016-08-31", "2017-08-31"]),
        "period_label": ["2014/15", "2015/16", "2016/17"], "period_type": "year",
        "value": [30.0, math.nan, 37.0], "numerator": math.nan, "denominator": math.nan,
        "missing_reason": [pd.NA, "c: suppressed for confidentiality", pd.NA], "status": "final", "upload_id": 1,
    })
    fig = trend_figure(ind, series, None, authority_name="Wolverhampton", as_at="2018-01")
    assert list(_trace(fig, "local").y) == [30.0, None, 37.0]


def test_small_cohort_footnote_only_when_latest_cohort_is_small():
    small = month_rows([50.0], numerators=[6.0], denominators=[12.0])
    large = month_rows([50.0], numerators=[60.0], denominators=[120.0])
    kw = dict(authority_name="Wolverhampton", as_at="2016-04", for_export=True)
    notes = lambda f: " ".join(a.text for a in f.layout.annotations if a.name == "footnote")
    assert "Small numbers" in notes(trend_figure(real(target=95.0), small, None, **kw))
    assert "Small numbers" not in notes(trend_figure(real(target=95.0), large, None, **kw))


def test_annual_axis_labelled_with_the_years_themselves():
    ind = real("KS2_RWM_PCT")
    series = pd.DataFrame({
        "period_start": pd.to_datetime(["2015-09-01", "2016-09-01"]),
        "period_end": pd.to_datetime(["2016-08-31", "2017-08-31"]),
        "period_label": ["2015/16", "2016/17"], "period_type": "year", "value": [30.0, 37.0],
        "numerator": math.nan, "denominator": math.nan, "missing_reason": pd.NA, "status": "final", "upload_id": 1,
    })
    fig = trend_figure(ind, series, None, authority_name="Wolverhampton", as_at="2018-01")
    assert list(fig.layout.xaxis.ticktext) == ["2015/16", "2016/17"]
