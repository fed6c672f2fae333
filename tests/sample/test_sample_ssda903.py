"""Sample Borough's generated SSDA903 extract (issue 11): deterministic, every table read by
the route `lacdash ingest` takes, sized like a mid-sized authority, and its figures the ones
a plain count of the episodes gives; `lacdash sample --ssda903` loads it."""
from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date

import pandas as pd
import pytest

from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import PROJECT_ROOT, load_config
from pipelines.measures.ssda903 import monthly
from pipelines.sources import ssda903
from pipelines.store.warehouse import history
from pipelines.store.queries import Warehouse
from tools.sample import generate
from tools.sample import ssda903 as tables
from tools.sample.build import build_sample, ssda903_codes
from webapp.upload_logic import example_extract_id

KEY = b"test"


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return generate.ssda903_texts()


@pytest.fixture(scope="module")
def computed(files):
    raws = [(n, ssda903.read_raw(t.encode(), n)) for n, t in files.items()]
    extract, problems = ssda903.read_files(raws, KEY, today=generate.LAST_DAY)
    assert extract is not None, [p.message for p in problems if p.severity == "error"][:10]
    frame, _, kids = monthly.compute(extract, area_code=generate.AUTHORITY_CODE,
                                     catalogue=load_catalogue())
    return extract, problems, frame, kids


def _all(files, table: str) -> pd.DataFrame:
    """Every year's file of a table, oldest first, read as plain strings."""
    parts = [pd.read_csv(io.StringIO(files[n]), dtype=str, keep_default_na=False)
             .assign(file=n) for n in sorted(files) if n.endswith(f"-{table}.csv")]
    return pd.concat(parts, ignore_index=True)


def _date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.where(s != ""), format="%d/%m/%Y")


def _plain_count(files, month_end: date) -> int:
    """Children looked after at a month end, counted by hand from the episode files: the
    same episode in two years' files is one (the later file's copy, which has the end date),
    looked after when it started on or before the day and had not ended by it."""
    e = _all(files, "episodes").drop_duplicates(["CHILD", "DECOM"], keep="last")
    start, end = _date(e["DECOM"]), _date(e["DEC"])
    m = pd.Timestamp(month_end)
    return e[(start <= m) & (end.isna() | (end > m))]["CHILD"].nunique()


def test_the_same_tables_every_run_one_file_per_table_per_year(files):
    assert generate.ssda903_texts() == files
    years = range(generate.SSDA903_FIRST_YEAR, 2027)
    for t in tables.TABLES:
        have = {n for n in files if n.endswith(f"-{t}.csv")}
        # OC2 and OC3 describe years that have ended (the last, 2026-27, has not).
        want = {f"{y}-{t}.csv" for y in years if t not in ("oc2", "oc3") or y < 2026}
        assert have == want, t
    for name, text in files.items():
        header = text.split("\n", 1)[0].split(",")
        assert header == tables.COLUMNS[name.split("-", 1)[1][:-4]], name
        assert "\r" not in text


def test_every_table_is_read_by_the_ingest_route_without_errors(computed, files):
    extract, problems, frame, _ = computed
    assert [p.message for p in problems if p.severity == "error"] == []
    assert {t.table for t in extract.tables} == set(tables.TABLES)
    # Each file is placed in the collection year its name says (2019- = 2019-20).
    for t in extract.tables:
        assert t.year_end == date(int(t.file_name[:4]) + 1, 3, 31), t.file_name
    assert extract.last_day == generate.LAST_DAY
    months = frame[(frame.indicator_code == "CLA_NUMBER") & (frame.period_type == "month")]
    assert months.period_end.max() == pd.Timestamp(generate.LAST_DAY)


def test_looked_after_figures_are_a_plain_count_of_the_episodes(computed, files):
    _, _, frame, _ = computed
    cla = frame[(frame.indicator_code == "CLA_NUMBER") & (frame.breakdown == "")] \
        .set_index("period_end")["value"]
    for m in (date(2020, 4, 30), date(2023, 3, 31), date(2026, 10, 31)):
        assert cla[pd.Timestamp(m)] == _plain_count(files, m), m
    # Sized like a mid-sized authority, as the sample's figures were: 500 to 700 at a time.
    shown = cla[cla.index >= pd.Timestamp(2020, 4, 1)]
    assert shown.between(500, 700).all(), shown.describe()
    # The placement types add up to the number looked after, every month, and the
    # indicator's total row (its headline figure) is that number.
    pt = frame[(frame.indicator_code == "PLACEMENT_TYPE") & (frame.breakdown != "")]
    sums = pt.groupby("period_end")["value"].sum()
    assert len(sums) == len(cla) and (sums == cla.reindex(sums.index)).all()
    total = frame[(frame.indicator_code == "PLACEMENT_TYPE") & (frame.breakdown == "")]
    assert (total.set_index("period_end")["value"] == cla).all() and len(total) == len(cla)


def test_the_adopted_children_are_the_adoption_records(computed, files):
    _, _, frame, kids = computed
    e = _all(files, "episodes").drop_duplicates(["CHILD", "DECOM"], keep="last")
    adopted = e[e["REC"] == "E11"]
    records = pd.read_csv(PROJECT_ROOT / "data" / "sample" / "adoption_records.csv", dtype=str,
                          keep_default_na=False)
    orders = records[records.date_adoption_order != ""]
    assert len(adopted) == len(orders) == len(kids)
    assert sorted(_date(adopted["DEC"]).dt.date) == \
        sorted(pd.to_datetime(orders.date_adoption_order).dt.date)
    # Every adopted child has its AD1 row in the year of the order.
    ad1 = _all(files, "ad1")
    assert set(ad1["CHILD"]) == set(adopted["CHILD"])


def test_sample_build_with_ssda903_loads_the_extract(tmp_path, monkeypatch, files,
                                                     server_for):
    monkeypatch.setenv("LACDASH_903_RULES", "off")  # DfE's rules have their own tests
    shutil.copy(PROJECT_ROOT / "data" / "config.toml", tmp_path / "config.toml")
    config = load_config(tmp_path / "config.toml").with_warehouse(tmp_path / "w.duckdb")
    out = build_sample(config, ssda903=True)
    assert "SSDA903 extract (130 files, 2015-16 to 2026-27)" in out
    w = Warehouse(config)
    src = w.df("""SELECT o.indicator_code, u.kind, count(*) AS n FROM observations o
                  JOIN uploads u USING (upload_id) WHERE o.area_code = ?
                  AND o.period_type = 'month' GROUP BY ALL""", [config.code])
    kinds = src.groupby("indicator_code")["kind"].agg(set)
    for code in ssda903_codes():
        assert kinds.get(code) == {"ssda903"}, code
    # Distance from home needs postcodes: the extract leaves it missing, with the reason,
    # and the figures of the long file stay.
    far = w.df("""SELECT u.kind, o.value, o.missing_reason FROM observations o
                  JOIN uploads u USING (upload_id) WHERE o.indicator_code = 'PLACED_20_MILES_PCT'
                  AND o.area_code = ? AND o.period_type = 'month'""", [config.code])
    assert far[far.kind == "ssda903"]["value"].isna().all()
    assert far[far.kind == "ssda903"]["missing_reason"].str.contains("postcodes").all()
    assert far[far.kind == "long"]["value"].notna().sum() == 79  # April 2020 to October 2026
    cla = w.df("""SELECT value FROM observations WHERE indicator_code = 'CLA_NUMBER'
                  AND area_code = ? AND period_end = DATE '2026-10-31' AND breakdown = ''""",
               [config.code])["value"]
    assert list(cla) == [_plain_count(files, date(2026, 10, 31))]
    # The example extract: the upload's archived copy, offered to the sample's editors.
    upload_id = example_extract_id(history(config.warehouse_path), config.is_sample)
    assert upload_id is not None
    assert example_extract_id(history(config.warehouse_path), False) is None
    server = server_for(config)
    # pages.upload can only be imported once an app exists (the dash_app fixture's)
    import pages.upload as upload_page
    with server.test_request_context():
        link = upload_page._example_extract()[0].children[0]
    assert (link.children, link.href) == ("Download the example SSDA903 extract",
                                          f"/uploads/{upload_id}/file")
    client = server.test_client()
    assert client.get(f"/uploads/{upload_id}/file").status_code == 403  # not signed in
    client.post("/auth/sign-in", data={"role": "viewer"})
    assert client.get(f"/uploads/{upload_id}/file").status_code == 403  # child-level
    client.post("/auth/sign-in", data={"role": "editor"})
    r = client.get(f"/uploads/{upload_id}/file")
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        assert sorted(z.namelist()) == sorted(files)
        assert z.read("2020-episodes.csv").decode() == files["2020-episodes.csv"]


def test_an_extract_without_adoptions_or_placement_orders_computes():
    """The bench's large authority: episodes, header and reviews only, nobody adopted and no
    placement order (LS E1) in any episode: every figure computes, adoptions are none."""
    files = tables.generate(seed=5, first_year=2022, last_day=date(2024, 3, 31), target=60,
                            tables=("header", "episodes", "reviews"))
    raws = [(n, ssda903.read_raw(t.encode(), n)) for n, t in files.items()]
    extract, problems = ssda903.read_files(raws, KEY, today=date(2024, 3, 31))
    assert extract is not None and not (extract.episodes["LS"] == "E1").any()
    frame, _, kids = monthly.compute(extract, area_code="E99999901", catalogue=load_catalogue())
    assert len(kids) == 0
    cla = frame[(frame.indicator_code == "CLA_NUMBER")].set_index("period_end")["value"]
    assert cla[pd.Timestamp(2024, 3, 31)] == _plain_count(files, date(2024, 3, 31)) > 0
