"""The built-in synthetic sample: reproducible, complete, internally consistent, honest."""

from __future__ import annotations

import csv
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from tools.sample import generate as sample
from tools.sample.build import PLAN_FILES

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"
CONTRACT = ROOT / "docs" / "reference" / "indicators.md"
LATEST = "2026-10"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE_DIR / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def long() -> pd.DataFrame:
    return _read("local_monthly_long.csv")


def _totals(df: pd.DataFrame) -> pd.DataFrame:
    return df[(df[list(sample.BREAKDOWN_DIMS)] == "").all(axis=1)]


def _contract_codes() -> set[str]:
    codes: set[str] = set()
    if CONTRACT.exists():
        codes |= set(re.findall(r"^\| ([A-Z][A-Z0-9_]+) \|", CONTRACT.read_text(encoding="utf-8"), re.M))
    try:
        from pipelines.core.catalogue import load_catalogue
    except ImportError:
        pass
    else:
        codes |= set(load_catalogue().codes)
    return codes


def test_regenerating_gives_the_committed_bytes(tmp_path):
    written = sample.write_sample_files(tmp_path)
    typed = {name for name, _ in PLAN_FILES}  # typed from the real papers, not generated
    assert {p.name for p in written} == {p.name for p in SAMPLE_DIR.iterdir()} - typed, \
        "data/sample/ and the generator disagree on the files: run python -m tools.sample.generate"
    for path in written:
        committed = (SAMPLE_DIR / path.name).read_bytes()
        assert path.read_bytes() == committed, (
            f"data/sample/{path.name} is not what the generator writes: "
            "run `python -m tools.sample.generate` and commit the result")
        assert b"\r" not in committed
        committed.decode("utf-8")


def test_every_indicator_of_the_contract_has_sample_figures():
    codes = _contract_codes()
    assert len(codes) >= 45, "could not read the indicator codes from indicators.md or the catalogue"
    seen = set(_read("local_monthly_long.csv").indicator_code)
    seen |= set(_read("local_latest_month_wide.csv")["Indicator Code"])
    seen |= set(_read("comparators_handkeyed.csv").indicator)
    seen |= set(_read("comparators_ees.csv").columns)
    seen |= set(_read("template_monthly_extract.csv").indicator_code)
    seen |= set(_read("all_children_synthetic.csv").indicator)
    assert codes - seen == set()
    # The adoption measures come from the child records, which must be there.
    assert len(_read("adoption_records.csv")) > 200


def test_monthly_files_cover_april_2020_to_october_2026_for_each_indicator(long):
    months = pd.period_range("2020-04", LATEST, freq="M").strftime("%Y-%m").tolist()
    tot = _totals(long)
    for code, grp in tot.groupby("indicator_code"):
        assert grp.period.tolist() == months, code
    computed = {i.code for i in sample.CATALOGUE if i.computed == "adoption"}
    assert computed and not set(tot.indicator_code) & computed  # made from the records
    status = dict(zip(tot.period, tot.status))
    assert {p for p, s in status.items() if s == "provisional"} == set(months[-7:])  # Apr-Oct 2026


def test_percentages_and_rates_are_exactly_numerator_over_denominator(long):
    units = {i.code: i.unit for i in sample.CATALOGUE}
    rows = long[(long.numerator != "") & (long.denominator != "")]
    assert len(rows) > 2000
    for r in rows.itertuples():
        num, den = int(r.numerator), int(r.denominator)
        scale = {"percent": 100, "rate": 10000}[units[r.indicator_code]]
        expected = (Decimal(scale * num) / Decimal(den)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        assert r.value == str(expected), (r.indicator_code, r.period, r.value, num, den)
        assert 0 <= num <= den or units[r.indicator_code] == "rate"


def test_placement_types_sum_to_the_number_looked_after(long):
    cla = _totals(long[long.indicator_code == "CLA_NUMBER"]).set_index("period").value.astype(int)
    pt = long[long.indicator_code == "PLACEMENT_TYPE"]
    parts = pt[pt.placement_type != ""]
    assert set(parts.placement_type) == set(sample.PLACEMENT_TYPES)
    sums = parts.assign(v=parts.value.astype(int)).groupby("period").v.sum()
    assert (sums == cla).all()
    assert (_totals(pt).set_index("period").value.astype(int) == cla).all()
    assert cla.between(520, 600).all()
    rate = _totals(long[long.indicator_code == "CLA_RATE"]).set_index("period")
    assert (rate.numerator.astype(int) == cla).all()
    assert rate.denominator.astype(int).between(50_000, 60_000).all()
    inhouse = _totals(long[long.indicator_code == "PLACED_INHOUSE_FOSTER_PCT"]).set_index("period")
    own = parts[parts.placement_type == "in_house_foster"].set_index("period").value.astype(int)
    assert (inhouse.numerator.astype(int) == own).all()


def test_breakdowns_add_up_to_their_totals(long):
    def nums(code, dim):
        df = long[(long.indicator_code == code) & (long[dim] != "") & (long.value != "")]
        return df.assign(n=df.numerator.astype(int), d=df.denominator.astype(int)).groupby("period")[["n", "d"]].sum()

    for code, dim in (("HEALTH_CHECKS_PCT", "placed"), ("HEALTH_CHECKS_PCT", "check_type"),
                      ("DENTAL_CHECKS_PCT", "placed")):
        tot = _totals(long[(long.indicator_code == code) & (long.value != "")]).set_index("period")
        parts = nums(code, dim)
        assert (parts.n == tot.numerator.astype(int)).all(), (code, dim)
        assert (parts.d == tot.denominator.astype(int)).all(), (code, dim)
    homes = long[long.indicator_code == "HOMES_GOOD_OUTSTANDING_PCT"]
    ratings = homes[homes.ofsted_rating != ""].pivot(index="period", columns="ofsted_rating", values="value").astype(int)
    tot = _totals(homes).set_index("period")
    assert (ratings.sum(axis=1) == tot.denominator.astype(int)).all()
    assert ((ratings.good + ratings.outstanding) == tot.numerator.astype(int)).all()


def test_missing_months_are_blank_never_zero(long):
    blank = long[long.value == ""]
    assert set(zip(blank.indicator_code, blank.period)) == sample.MISSING_MONTHS
    assert (blank.numerator == "").all() and (blank.denominator == "").all()


def test_small_cohorts_are_there(long):
    y12 = _totals(long[long.indicator_code == "PEP_Y12_13_PCT"])
    assert y12.denominator.astype(int).between(10, 20).all()


def test_wide_file_shows_the_long_files_last_six_months(long):
    wide = _read("local_latest_month_wide.csv")
    assert list(wide.columns) == ["Indicator Code", "Indicator", "May-26", "Jun-26", "Jul-26",
                                  "Aug-26", "Sep-26", "Oct-26"]
    tot = _totals(long).set_index(["indicator_code", "period"]).value
    for rec in wide.to_dict("records"):
        for col, period in zip(wide.columns[2:], pd.period_range("2026-05", LATEST, freq="M").strftime("%Y-%m")):
            assert rec[col] == tot[(rec["Indicator Code"], period)]


def test_nothing_is_dated_after_october_2026(long):
    assert long.period.max() == LATEST
    kids = _read("adoption_records.csv")
    for col in kids.columns:
        if col.startswith("date_"):
            dates = kids[col][kids[col] != ""]
            assert (dates <= "2026-10-31").all(), col
    hk = _read("comparators_handkeyed.csv")
    fy = hk.year[hk.year.str.contains("-")]
    assert fy.min() == "2019-20" and fy.max() == "2025-26"
    assert hk.year[~hk.year.str.contains("-")].astype(int).max() <= 2025
    assert _read("comparators_ees.csv").time_period.astype(int).max() <= 202526


def test_adoption_records_tell_a_possible_story():
    kids = _read("adoption_records.csv").replace("", None)
    d = {c: pd.to_datetime(kids[c]) for c in kids.columns if c.startswith("date_")}
    assert kids.child_id.str.fullmatch(r"SB-\d{4}").all() and kids.child_id.is_unique
    assert (d["date_of_birth"] <= d["date_entered_care"]).all()
    po = d["date_placement_order"].notna()
    assert (d["date_entered_care"][po] < d["date_placement_order"][po]).all()
    placed = d["date_placed_for_adoption"].notna()
    assert (d["date_placed_for_adoption"][placed] >= d["date_matched"][placed]).all()
    assert (d["date_placed_for_adoption"][placed] >= d["date_entered_care"][placed]).all()
    adopted = d["date_adoption_order"].notna()
    assert (d["date_adoption_order"][adopted] > d["date_placed_for_adoption"][adopted]).all()
    assert 5 <= (~adopted).sum() <= 10 and (~placed).sum() >= 1  # children still waiting
    years = d["date_adoption_order"][adopted].dt.to_period("Q-MAR").dt.qyear
    per_year = years.value_counts()
    assert per_year[per_year.index <= 2026].between(30, 50).all()
    fc = kids.adopted_by_foster_carers == "Y"
    assert 0.05 <= fc[adopted].mean() <= 0.2
    assert (d["date_moved_in_with_foster_carers"][fc] < d["date_matched"][fc]).all()
    assert d["date_moved_in_with_foster_carers"][~fc].isna().all()
    a = adopted
    a1 = (d["date_placed_for_adoption"][a] - d["date_entered_care"][a]).dt.days.mean()
    a2 = (d["date_matched"][a] - d["date_placement_order"][a]).dt.days.clip(lower=0).mean()
    assert 500 <= a1 <= 650 and 150 <= a2 <= 300
    assert ((d["date_matched"] < d["date_placement_order"])[a]).any()  # A2 counts those as 0


def test_comparator_files_name_no_real_authority():
    areas_csv = ROOT / "data" / "areas.csv"
    if areas_csv.exists():
        areas = pd.read_csv(areas_csv, dtype=str, keep_default_na=False)
        names = areas.name[areas.type == "la"].tolist()
    else:
        text = CONTRACT.read_text(encoding="utf-8")
        names = re.findall(r"(?:^|; |\): )([A-Z][A-Za-z -]+?) E0\d{7}", text, re.M)
    assert len(names) >= 14
    for name in ("comparators_handkeyed.csv", "comparators_ees.csv", "README.md"):
        text = (SAMPLE_DIR / name).read_text(encoding="utf-8")
        found = [n for n in names if re.search(rf"\b{re.escape(n)}\b", text, re.I)]
        assert found == [], f"{name} names real authorities: {found}"
    hk = _read("comparators_handkeyed.csv")
    assert set(hk.area) == {"Sample Borough", "West Midlands", "Statistical neighbours", "England"}
    ees = _read("comparators_ees.csv")
    assert set(ees.geographic_level) == {"National", "Regional"}
    assert (ees.la_name == "").all() and (ees.new_la_code == "").all()


def test_comparators_are_plausible_and_the_two_layouts_agree():
    hk = _read("comparators_handkeyed.csv")
    eet = hk[(hk.indicator == "CL_EET_PCT")].pivot(index="year", columns="area", values="value").astype(int)
    assert eet["West Midlands"].between(44, 54).all() and eet["England"].between(48, 57).all()
    assert set(hk.value[hk.indicator.str.startswith("KS2_") & hk.year.isin(["2020", "2021"])]) <= {"x", "z"}
    ees = _read("comparators_ees.csv")
    measures = ees.columns[10:].tolist()
    assert measures == ["CLA_RATE", "STABILITY_FEWER_3_PCT", "CL_EET_PCT"]
    symbols = set(ees[measures].to_numpy().ravel()) - {v for v in ees[measures].to_numpy().ravel() if v.isdigit()}
    assert symbols == {"c", "x"}  # and every other figure is a whole number
    hk_idx = hk.set_index(["indicator", "year", "area"]).value
    compared = 0
    for r in ees.to_dict("records"):
        y = r["time_period"]
        year = f"{y[:4]}-{y[4:]}"
        if year == "2018-19":  # the open-data file goes back a year further
            continue
        area = "England" if r["geographic_level"] == "National" else "West Midlands"
        for m in measures:
            assert hk_idx[(m, year, area)] == r[m], (m, year, area)
            compared += 1
    assert compared == 7 * 2 * 3


def test_template_is_a_blank_extract_for_november_2026():
    from pipelines.core.catalogue import load_catalogue

    cat = load_catalogue()
    text = sample.make_template(cat, "2026-11")
    assert text == sample.make_template(cat, date(2026, 11, 1))
    assert text == (SAMPLE_DIR / "template_monthly_extract.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    monthly = [i for i in cat if i.frequency == "M"]
    expected = sum(1 + sum(len(v) for v in i.breakdowns.values()) for i in monthly)
    assert len(rows) == expected
    assert {r["period"] for r in rows} == {"2026-11"}
    assert all(r["value"] == r["numerator"] == r["denominator"] == "" for r in rows)
    assert {r["indicator_title"] for r in rows if r["indicator_code"] == "CLA_NUMBER"} == {cat.get("CLA_NUMBER").title}
    assert sample.make_template(None, "2026-12").count("2026-12") > 40
