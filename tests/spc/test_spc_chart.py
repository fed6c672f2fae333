"""The SPC figure: what a reader checks on the chart (shapes and words, not colour alone;
an axis that says where it starts; step changes with their reason; no limits when too few)."""
from __future__ import annotations

from datetime import date

from components.spc_chart import (POINT_STYLES, spc_figure, summary_sentence, table_rows,
                                  variation_icon)
from pipelines.core.config import load_config
from pipelines.store.queries import Warehouse
from pipelines.store.warehouse import record_step_change
from present.spc import spc_view
from tests.spc.test_spc_cli import _load


def _view(config, capsys, tmp_path):
    _load(config, capsys, tmp_path)
    wh = Warehouse(load_config(config.config_path))
    return wh, wh.catalogue.get("CL_EET_PCT"), spc_view(wh, "CL_EET_PCT")


def test_special_cause_points_have_their_own_shape_and_words(wolves_config, capsys, tmp_path):
    wh, ind, v = _view(wolves_config, capsys, tmp_path)
    fig = spc_figure(ind, v, authority_name="Wolverhampton")
    by_series = {t.meta["series"]: t for t in fig.data}
    concern = by_series["special_cause_concern"]
    assert concern.name == "Special cause: concerning" and concern.marker.symbol == "square"
    assert by_series["common_cause"].marker.symbol == "circle"
    assert len(concern.x) == 1 and "outside a process limit" in concern.text[0]
    assert {"spc_mean", "spc_upper", "spc_lower"} <= set(by_series)
    # the icon's words are drawn beside it
    words = [a.text for a in fig.layout.annotations if a.name == "spc-status"]
    assert words and "concerning" in words[0]
    assert variation_icon(v) == "variation_concern_low.svg"
    assert "Special cause variation: concerning" in summary_sentence(ind, v, "Wolverhampton")
    assert table_rows(ind, v)[-1]["SPC"].startswith("Special cause: concerning")


def test_narrow_percentages_are_not_forced_to_zero_and_the_axis_says_so(
        wolves_config, capsys, tmp_path):
    wh, ind, v = _view(wolves_config, capsys, tmp_path)
    fig = spc_figure(ind, v, authority_name="Wolverhampton")
    lo, hi = fig.layout.yaxis.range
    assert 30 < lo < 40 and hi < 75          # values 40 to 62, limits around them
    assert f"axis starts at {ind.format_value(lo)}" in fig.layout.yaxis.title.text


def test_step_change_is_drawn_with_its_reason_and_short_groups_get_no_limits(
        wolves_config, capsys, tmp_path):
    _load(wolves_config, capsys, tmp_path)
    record_step_change(wolves_config.warehouse_path, "CL_EET_PCT", date(2018, 1, 31),
                       "new case management system", "amy")
    wh = Warehouse(load_config(wolves_config.config_path))
    ind = wh.catalogue.get("CL_EET_PCT")
    v = spc_view(wh, "CL_EET_PCT")
    fig = spc_figure(ind, v, authority_name="Wolverhampton", for_export=True)
    steps = [a.text for a in fig.layout.annotations if a.name == "step-change"]
    assert steps == ["Step change Jan 2018: new case management system"]
    note = [a.text for a in fig.layout.annotations if a.name == "no-limits"]
    assert note and "need at least 12" in note[0].replace("<br>", " ")
    # the 12 months before the step change keep their limits; the 3 after have none
    mean = next(t for t in fig.data if t.meta["series"] == "spc_mean")
    assert [y for y in mean.y if y is not None][:12] == [v["limits"][0]["mean"]] * 12
    assert v["variation"] is None


def test_every_point_style_has_words_and_a_distinct_shape():
    shapes = [s["symbol"] for s in POINT_STYLES.values()]
    assert len(set(shapes)) == len(shapes)
    assert all(s["words"] for s in POINT_STYLES.values())
