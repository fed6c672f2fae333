"""Issue 11 follow-up: an SSDA903 extract's annual OC2/OC3 out-turns and DfE's published figures
for the same authority and year are two sources of one measure. Both are kept, in either load
order: the reconciliation shows both with the difference, the headline is the local figure,
the published one is what the authority is ranked on, and revisions stay within a source.
Real files: ../shared/published/ (DfE) and ../shared/ssda903/ (synthetic 903 tables)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.core.config import load_config
from pipelines.store import benchmark
from pipelines.store import warehouse as wh
from pipelines.store.queries import Warehouse
from pipelines.uploads import check_files, commit_checked
from tests.ssda903.conftest import shared_files
from tools.sample.build import build_sample
from webapp.ssda903_views import reconciliation_block

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = PROJECT_ROOT / ".." / "shared" / "published"
WOLVES = "E08000031"
CONFIG = f'[authority]\ncode = "{WOLVES}"\n\n[warehouse]\npath = "warehouse.duckdb"\n'
FILES = ("la_conviction_health_outcome_cla.csv", "la_care_leavers_activity.csv",
         "la_care_leavers_accommodation_suitability.csv")
HEALTH = {"characteristic": "Health assessments: Children looked after all ages",
          "breakdown": "Had their annual health assessment"}
# the out-turns the 903 years 2020-21 and 2021-22 give and DfE publishes for those years
BOTH = [("HEALTH_CHECKS_PCT", y) for y in ("2020-21", "2021-22")]


def published_bytes(name: str) -> bytes:
    p = PUBLISHED / name
    if not p.exists():
        pytest.skip("../shared/published (DfE's files) not found")
    return p.read_bytes()


def dfe_health(year_ending: int) -> float:
    """Wolverhampton's published health-assessment percentage, read with the csv module."""
    with open(PUBLISHED / FILES[0], encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["new_la_code"] == WOLVES
                and r["time_period"] == str(year_ending)
                and all(r[k] == v for k, v in HEALTH.items())]
    assert len(rows) == 1
    return float(rows[0]["children_percent"])


def load(config, files: dict[str, bytes]):
    checked = check_files(list(files.items()), config=config)
    assert not [p.message for c in checked for p in c.errors]
    commit_checked(checked, config=config, user="test")


def extract() -> dict[str, bytes]:
    return {n: b for n, b in shared_files().items() if n[:4] in ("2020", "2021")}


def dfe() -> dict[str, bytes]:
    return {n: published_bytes(n) for n in FILES}


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("LACDASH_PSEUDONYM_KEY", "published-kept")
    monkeypatch.setenv("LACDASH_903_RULES", "off")
    (tmp_path / "config.toml").write_text(CONFIG)
    return load_config(tmp_path / "config.toml")


def check_both_kept(config) -> pd.DataFrame:
    w = Warehouse(config)
    rec = w.reconciliation()
    both = rec.dropna(subset=["computed", "published"])
    # every annual out-turn the extract and DfE both give for these years
    assert len(both) >= 6, rec
    assert (both["difference"] - (both["computed"] - both["published"])).abs().max() < 1e-9
    h = rec[rec.indicator_code == "HEALTH_CHECKS_PCT"].set_index("year")
    for year, ending in (("2020-21", 2021), ("2021-22", 2022)):
        assert h.loc[year, "published"] == dfe_health(ending)
        assert pd.notna(h.loc[year, "computed"])
        # the headline (dashboard, pack, `lacdash show`) is the local out-turn ...
        s = w.series("HEALTH_CHECKS_PCT", "2022-03")
        s = s[s.period_type == "year"].set_index("period_label")
        assert s.loc[year, "value"] == h.loc[year, "computed"]
        # ... and the authority is ranked among the others on DfE's figure
        a = benchmark.annual_figures(w, "HEALTH_CHECKS_PCT")
        mine = a[(a.area_code == WOLVES) & (a.period_label == year)]
        assert mine["value"].tolist() == [dfe_health(ending)]
    # the published years the extract does not cover are still the headline there
    s = w.series("HEALTH_CHECKS_PCT", "2025-03").set_index("period_label")
    assert s.loc["2024-25", "value"] == dfe_health(2025)
    return rec


def test_published_first_then_the_903_extract_keeps_both(config):
    load(config, dfe())
    load(config, extract())
    rec = check_both_kept(config)
    # nothing of the published figures became a revision of the local ones
    revs = Warehouse(config).df("SELECT count(*) AS n FROM revisions")
    assert revs.n.iloc[0] == 0
    assert Warehouse(config).revisions("HEALTH_CHECKS_PCT", "2022-03").empty
    assert rec.loc[rec.indicator_code == "HEALTH_CHECKS_PCT", "published"].notna().all()


def test_the_903_extract_first_then_published_gives_the_same(config, tmp_path):
    load(config, extract())
    load(config, dfe())
    rec = check_both_kept(config)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "config.toml").write_text(CONFIG)
    other = load_config(tmp_path / "other" / "config.toml")
    load(other, dfe())
    load(other, extract())
    pd.testing.assert_frame_equal(rec, Warehouse(other).reconciliation())


def test_block_on_the_indicator_page_shows_both_and_the_difference(config):
    load(config, dfe())
    load(config, extract())
    w = Warehouse(config)
    block = reconciliation_block(w.catalogue.get("HEALTH_CHECKS_PCT"), w)
    body = block.children[2].children.children[1].children  # Div > Table > Tbody rows
    shown = {r.children[0].children: [c.children for c in r.children[1:]] for r in body}
    rec = w.reconciliation("HEALTH_CHECKS_PCT").set_index("year")
    for year, ending in (("2020-21", 2021), ("2021-22", 2022)):
        computed, _, _, published, difference = shown[year]
        assert published == f"{dfe_health(ending):.0f}"     # DfE's figure, not "not loaded"
        assert computed == f"{rec.loc[year, 'computed']:.0f}"
        assert difference == f"{rec.loc[year, 'computed'] - dfe_health(ending):.0f}"
    assert "compared for 2 year(s)" in block.children[1].children


def _revised_health(ending: int, percent: int) -> bytes:
    """DfE's health file with Wolverhampton's figure for that year revised."""
    text = published_bytes(FILES[0]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    i = {c: head.index(c) for c in ("time_period", "new_la_code", "characteristic",
                                    "breakdown", "children_percent")}
    n = 0
    for r in rows[1:]:
        if (r[i["time_period"]] == str(ending) and r[i["new_la_code"]] == WOLVES
                and r[i["characteristic"]] == HEALTH["characteristic"]
                and r[i["breakdown"]] == HEALTH["breakdown"]):
            r[i["children_percent"]] = str(percent)
            n += 1
    assert n == 1
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def test_a_revised_published_figure_is_a_revision_of_the_published_one_only(config):
    load(config, dfe())
    load(config, extract())
    before = Warehouse(config).reconciliation("HEALTH_CHECKS_PCT").set_index("year")
    load(config, {FILES[0]: _revised_health(2022, 77)})
    w = Warehouse(config)
    after = w.reconciliation("HEALTH_CHECKS_PCT").set_index("year")
    assert after.loc["2021-22", "published"] == 77
    assert after.loc["2021-22", "computed"] == before.loc["2021-22", "computed"]
    assert after.loc["2021-22", "difference"] == before.loc["2021-22", "computed"] - 77
    revs = w.df("SELECT source, value FROM revisions WHERE area_code = ? AND indicator_code = "
                "'HEALTH_CHECKS_PCT' AND breakdown = ''", [WOLVES])
    assert revs.to_dict("records") == [{"source": "published", "value": dfe_health(2022)}]
    # the local headline has no revision: its "first reported as" is not the published one
    assert w.revisions("HEALTH_CHECKS_PCT", "2022-03").empty
    # and undoing the revised file brings DfE's first figure back
    last = int(w.uploads().upload_id.max())
    wh.revert(config.warehouse_path, last, user="test")
    w = Warehouse(config)
    back = w.reconciliation("HEALTH_CHECKS_PCT").set_index("year")
    assert back.loc["2021-22", "published"] == dfe_health(2022)
    s = w.series("HEALTH_CHECKS_PCT", "2022-03")
    s = s[s.period_type == "year"].set_index("period_label")
    assert s.loc["2021-22", "value"] == before.loc["2021-22", "computed"]  # still the headline
    a = benchmark.annual_figures(w, "HEALTH_CHECKS_PCT")
    assert a[(a.area_code == WOLVES) & (a.period_label == "2021-22")]["value"].tolist() == \
        [dfe_health(2022)]


@pytest.mark.parametrize("extract_last", [True, False])
def test_a_warehouse_written_before_the_fix_is_repaired_on_its_next_write(config, extract_last):
    """A file from before figures had a source, in the state the bug left it: the figures
    loaded last (the 903 out-turns, or DfE's) replaced the others, which went to revisions.
    Read as it is, the reconciliation lacks the replaced side; the next write migrates the
    file and brings them back, with the local one as the headline."""
    load(config, dfe())
    load(config, extract())
    w = Warehouse(config)
    want = w.reconciliation()
    headline = w.series("HEALTH_CHECKS_PCT", "2022-03")
    w.close()
    lost, winner = ("published", "ssda903") if extract_last else ("local", "published")
    db = str(config.warehouse_path)
    con = duckdb.connect(db)  # the old file is made by hand: no code of ours writes it now
    con.execute(f"""
        CREATE TEMP TABLE clash AS SELECT p.* FROM observations p JOIN observations l
          USING (indicator_code, area_code, period_start, period_end, breakdown)
        WHERE p.source = '{lost}' AND l.source <> '{lost}'""")
    uid = con.execute(f"SELECT max(upload_id) FROM uploads WHERE kind = '{winner}'").fetchone()[0]
    n = con.execute("SELECT count(*) FROM clash").fetchone()[0]
    assert n >= 6
    con.execute(f"""INSERT INTO revisions SELECT indicator_code, area_code, period_start,
        period_end, period_label, period_type, breakdown, value, numerator, denominator,
        missing_reason, status, upload_id, {uid}, now()::TIMESTAMP, source FROM clash""")
    con.execute("DELETE FROM observations o USING clash c WHERE o.indicator_code = "
                "c.indicator_code AND o.area_code = c.area_code AND o.period_end = "
                "c.period_end AND o.breakdown = c.breakdown AND o.source = c.source")
    con.execute("ALTER TABLE observations DROP COLUMN source")
    con.execute("ALTER TABLE observations DROP COLUMN twin")
    con.execute("ALTER TABLE revisions DROP COLUMN source")
    con.close()
    old = Warehouse(config)
    assert old.series("HEALTH_CHECKS_PCT", "2022-03").period_label.is_unique  # readable
    if extract_last:  # the bug as found: no published figure beside the computed one
        assert old.reconciliation().dropna(subset=["published"]).merge(
            want.dropna(subset=["computed", "published"]), on=["indicator_code", "year"]).empty
    wh.record_action(config.warehouse_path, "test", "migrate", "any write")
    pd.testing.assert_frame_equal(Warehouse(config).reconciliation(), want)
    pd.testing.assert_frame_equal(Warehouse(config).series("HEALTH_CHECKS_PCT", "2022-03"),
                                  headline)
    assert Warehouse(config).df("SELECT count(*) AS n FROM revisions").n.iloc[0] == 0


def test_the_sample_built_from_903_tables_keeps_its_published_out_turns(tmp_path, monkeypatch):
    """The case found building the sample from 903 tables: Sample Borough's published
    out-turns (keyed in the hand-keyed comparator file) were 35 revisions of the extract's."""
    monkeypatch.setenv("LACDASH_903_RULES", "off")
    sample = PROJECT_ROOT / "data" / "config.toml"
    (tmp_path / "config.toml").write_bytes(sample.read_bytes())
    config = load_config(tmp_path / "config.toml").with_warehouse(tmp_path / "w.duckdb")
    out = build_sample(config, ssda903=True)
    assert "SSDA903 extract (130 files, 2015-16 to 2026-27): loaded as upload 5: " in out
    assert " 0 revised" in out.split("SSDA903 extract")[1].splitlines()[0]
    w = Warehouse(config)
    typed = pd.read_csv(PROJECT_ROOT / "data" / "sample" / "comparators_handkeyed.csv",
                        dtype=str, keep_default_na=False)
    rec = w.reconciliation()
    for code in ("HEALTH_CHECKS_PCT", "DENTAL_CHECKS_PCT", "IMMUNISATIONS_PCT", "CL_EET_PCT",
                 "CL_SUITABLE_ACCOM_PCT"):
        mine = typed[(typed.indicator == code) & (typed.area == "Sample Borough")]
        r = rec[rec.indicator_code == code].set_index("year")
        assert len(mine) == 7
        for t in mine.itertuples():
            assert r.loc[t.year, "published"] == float(t.value), (code, t.year)
            assert r.loc[t.year, "difference"] == r.loc[t.year, "computed"] - float(t.value)
        # the headline out-turn is the extract's
        c = w.comparators(code, "2026-10")
        c = c[c.comparator == "local"].set_index("period_label")["value"]
        assert c.loc[list(mine.year)].tolist() == r.loc[list(mine.year), "computed"].tolist()


def test_reverting_the_extract_leaves_dfe_figure_as_the_headline(config):
    load(config, dfe())
    load(config, extract())
    w = Warehouse(config)
    mine = int(w.uploads().query("kind == 'ssda903'").upload_id.iloc[0])
    wh.revert(config.warehouse_path, mine, user="test")
    w = Warehouse(config)
    assert w.reconciliation().empty
    s = w.series("HEALTH_CHECKS_PCT", "2022-03")
    s = s[s.period_type == "year"].set_index("period_label")["value"]
    assert s.index.is_unique
    assert s.loc["2021-22"] == dfe_health(2022) and s.loc["2020-21"] == dfe_health(2021)


def test_the_analysts_view_says_which_figure_is_the_headline(config):
    load(config, dfe())
    load(config, extract())
    v = Warehouse(config).df(
        "SELECT source, headline, value FROM indicator_values WHERE indicator_code = "
        "'HEALTH_CHECKS_PCT' AND area_code = ? AND period_label = '2021-22' AND breakdown = ''",
        [WOLVES]).sort_values("source")
    rec = Warehouse(config).reconciliation("HEALTH_CHECKS_PCT").set_index("year")
    assert v.to_dict("records") == [
        {"source": "local", "headline": True, "value": rec.loc["2021-22", "computed"]},
        {"source": "published", "headline": False, "value": dfe_health(2022)}]
