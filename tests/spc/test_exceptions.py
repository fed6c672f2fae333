"""Exceptions first: what a board member reads at the top of `/` and the pack - each item
with its reason, the improvements, small cohorts said calmly, small figures hidden."""
from __future__ import annotations

import pandas as pd

from pipelines.core.catalogue import load_catalogue
from pipelines.core.areas import ENGLAND, SN
from pipelines.store import warehouse as wh
from pipelines.store.queries import Warehouse
from present.exceptions import exceptions, plain_text
from tests.conftest import month_row, year_row

LA = "E08000031"
STEADY = [60, 61, 59, 62, 60, 61, 58, 60, 62, 61, 59, 60, 61, 60]


def _months(code, values, den):
    out = []
    for i, v in enumerate(values):
        y, m = 2017 + i // 12, i % 12 + 1
        out.append(month_row(code, y, m, v, round(v * den / 100), den))
    return out


def _warehouse(cfg, extra=()):
    rows = (_months("CL_EET_PCT", STEADY + [40], 200)                       # a real fall
            + _months("HEALTH_CHECKS_PCT", STEADY[:8] + [66, 67, 66, 67, 66, 67, 66, 67], 200)
            + _months("PEP_Y12_13_PCT", [80, 70], 10)                        # small cohort
            + [year_row("CL_EET_PCT", 2016, 55, LA), year_row("CL_EET_PCT", 2016, 60, ENGLAND),
               year_row("CL_EET_PCT", 2016, 58, SN)] + list(extra))
    wh.commit_upload(cfg.warehouse_path, pd.DataFrame(rows), data=b"x", file_name="x.csv",
                     kind="long", user="t", catalogue=load_catalogue(), config=cfg)
    return Warehouse(cfg)


def test_attention_items_have_their_reasons_in_order(wolves_config):
    ex = exceptions(_warehouse(wolves_config), "2018-03")
    by_code = {i.code: i for i in ex.attention}
    eet = by_code["CL_EET_PCT"]
    assert [r.kind for r in eet.reasons] == ["special_cause_concerning", "worse_than_comparators"]
    assert "A real change for the worse" in eet.reasons[0].text
    assert "outside the process limits" in eet.reasons[0].text
    assert "2016-17" in eet.reasons[1].text and "55%" in eet.reasons[1].text
    assert "60%" in eet.reasons[1].text and "58%" in eet.reasons[1].text
    assert eet.value_text == "40%" and eet.period == "Mar 2018"
    assert eet.spc["variation"] == "special_cause_concerning"
    # the small cohort is said calmly, not as bad news
    pep = by_code["PEP_Y12_13_PCT"]
    assert [r.kind for r in pep.reasons] == ["small_cohort"]
    assert "10 children" in pep.reasons[0].text and "not a sign of a real change" in pep.reasons[0].text
    # concerning variation comes before a small cohort
    assert ex.attention.index(eet) < ex.attention.index(pep)


def test_improved_for_real_and_as_at_an_earlier_month(wolves_config):
    w = _warehouse(wolves_config)
    ex = exceptions(w, "2018-03")
    assert [i.code for i in ex.improved] == ["HEALTH_CHECKS_PCT"]
    assert ex.improved[0].reasons[0].kind == "special_cause_improving"
    assert "HEALTH_CHECKS_PCT" not in {i.code for i in ex.attention}
    text = plain_text(ex)
    assert text[0] == "Needs attention this month:" and "Improved for real:" in text
    # a month earlier the fall had not happened: no SPC concern for CL_EET_PCT
    earlier = exceptions(w, "2018-02")
    kinds = {r.kind for i in earlier.attention if i.code == "CL_EET_PCT" for r in i.reasons}
    assert "special_cause_concerning" not in kinds


def test_hidden_figures_say_not_shown_fewer_than_5_children(wolves_config):
    w = _warehouse(wolves_config, _months("CL_SUITABLE_ACCOM_PCT", [75, 50], 4))
    hide = lambda ind, v, n, d: any(x is not None and 1 <= x < 5 for x in (n, d))  # noqa: E731
    ex = exceptions(w, "2018-03", hide=hide)
    item = next(i for i in ex.attention if i.code == "CL_SUITABLE_ACCOM_PCT")
    assert item.value_text == "not shown (fewer than 5 children)"
    assert "fewer than 5 children" in item.reasons[0].text
    text = " ".join(r.text for r in item.reasons).replace("fewer than 5", "")
    assert not any(ch.isdigit() for ch in text)
