"""Issue 15: public (suppressed) figures are worked out once per warehouse version over all
months and cut at the month asked, instead of being suppressed again for every month. The
cut must be exactly what suppressing that month's own figures gives, for every indicator,
including year-to-date counts (hidden by subtraction across months) and breakdowns
(secondary suppression)."""
from __future__ import annotations

import pandas as pd
import pytest

from exports import suppression as sup
from pipelines.core.catalogue import load_catalogue
from pipelines.store.queries import Warehouse
from webapp.audience import AudienceWarehouse

CAT = load_catalogue()


def _plain(df: pd.DataFrame) -> list[dict]:
    """Cell values only (a kept frame may hold 'str' or 'object' text columns)."""
    df = df.astype(object)
    return df.where(df.notna(), None).to_dict("records")


@pytest.fixture(scope="module")
def warehouses(sample_config):
    raw = Warehouse(sample_config)
    return raw, AudienceWarehouse(raw, lambda: True)


def test_cut_public_frames_equal_suppressing_each_month(warehouses):
    raw, public = warehouses
    months = raw.months()
    # a month a year, the turns of two financial years (year to date starts in April),
    # and the last six months
    turns = [m for m in months if m.month in (3, 4, 5)][-6:]
    asked = sorted(set(months[::12]) | set(turns) | set(months[-6:]))
    year_to_date = [i for i in CAT.indicators if i.measure == "year_to_date"]
    assert year_to_date and any(i.breakdowns for i in CAT.indicators)
    hidden = 0
    for ind in CAT.indicators:
        for m in asked:
            got = public.series(ind.code, m)
            want = sup.suppress_frame(raw.series(ind.code, m), ind)
            assert _plain(got) == _plain(want), (ind.code, m)
            hidden += int(got["suppressed"].sum()) if "suppressed" in got else 0
            if ind.comparators:
                assert _plain(public.comparators(ind.code, m)) == _plain(
                    sup.suppress_frame(raw.comparators(ind.code, m), ind)), (ind.code, m)
            if ind.breakdowns:
                assert _plain(public.breakdown_series(ind.code, m)) == _plain(
                    sup.suppress_breakdowns(raw.breakdown_series(ind.code, m), ind,
                                            totals=raw.series(ind.code, m))), (ind.code, m)
    assert hidden > 50  # the sample has small numbers to hide


def test_public_summary_of_a_past_month_hides_what_that_month_hides(warehouses):
    raw, public = warehouses
    m = raw.months()[-6]
    for ind in CAT.indicators:
        s = public.summary(ind.code, m)
        want = sup.suppress_summary(
            raw.summary(ind.code, m), ind,
            series_df=sup.suppress_frame(raw.series(ind.code, m), ind),
            comparators_df=(sup.suppress_frame(raw.comparators(ind.code, m), ind)
                            if ind.comparators else None))
        assert s["value"] == want["value"] and s["suppressed"] == want["suppressed"], ind.code
        assert s.get("sparkline") == want.get("sparkline"), ind.code


def test_a_commit_gives_new_cut_frames(sample_config, tmp_path):
    """Kept frames belong to a warehouse version: after a commit the cut is made again."""
    import shutil

    from pipelines.uploads import check_files, commit_checked
    cfg = sample_config.with_warehouse(tmp_path / "w.duckdb")
    shutil.copy(sample_config.warehouse_path, cfg.warehouse_path)
    raw = Warehouse(cfg)
    public = AudienceWarehouse(raw, lambda: True)
    month = raw.months()[-1]
    public.suppressed_to_latest(["HEALTH_CHECKS_PCT"])
    before = public.series("HEALTH_CHECKS_PCT", month)
    assert not before["suppressed"].iloc[-1]
    label = month.strftime("%Y-%m")
    checked = check_files([("small.csv", (f"indicator_code,period,value,numerator,denominator\n"
                                          f"HEALTH_CHECKS_PCT,{label},30,3,10\n").encode())],
                          config=cfg)
    assert not any(c.errors for c in checked), checked[0].errors[:3]
    commit_checked(checked, config=cfg, user="test")
    after = public.series("HEALTH_CHECKS_PCT", month)
    assert after["suppressed"].iloc[-1] and pd.isna(after["value"].iloc[-1])
