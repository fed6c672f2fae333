"""Every DfE file in ../shared/published/ loads as downloaded, re-saved as XLSX, and as an
earlier release with the pre-2025 column names; figures checked by hand against the CSVs; bad
input refused as the issue lists; a new mapping is a catalogue edit alone."""
from __future__ import annotations

import io
import math
import shutil

import openpyxl
import pandas as pd
import pytest

from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import PROJECT_ROOT
from pipelines.sources.ingest import parse_file
from pipelines.uploads import check_files

from tests.published.conftest import PUBLISHED, WOLVES, csv_rows, published_files

CAT = load_catalogue()
REFERENCE = {"sn_model_2025_wide.csv", "New_Statistical_Neighbour_Groupings_April_2021.csv"}
# England only, one figure a year (A1 single year, issue 12 item 5: tests/adoption_england)
ADOPTION_STAGES = "national_cla_adopted_average_time_between_adoption_process_stages.csv"


def parse(name, config, data=None, catalogue=CAT, file_name=None):
    data = (PUBLISHED / name).read_bytes() if data is None else data
    return parse_file(data, file_name or name, catalogue=catalogue, config=config)


def figure(frame, code, area, year, breakdown=""):
    r = frame[(frame.indicator_code == code) & (frame.area_code == area)
              & (frame.period_label == year) & (frame.breakdown == breakdown)]
    assert len(r) == 1, (code, area, year, breakdown, len(r))
    return r.iloc[0]


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    from tests.published.conftest import write_config
    config = write_config(tmp_path_factory.mktemp("cfg"))
    return config, {p.name: parse(p.name, config) for p in published_files()}


def test_every_file_loads_with_no_error(parsed):
    _, files = parsed
    assert set(files) == {p.name for p in published_files()} and len(files) == 14
    for name, pf in files.items():
        assert not pf.errors, (name, [p.message for p in pf.errors])
        if name in REFERENCE:
            assert pf.kind == "reference" and pf.frame.empty
            assert any("reference" in p.message or "England-only" in p.message for p in pf.warnings)
        else:
            assert pf.kind == "published" and len(pf.frame) > (4 if name == ADOPTION_STAGES else 100), name


def test_every_authority_region_and_england_every_year(parsed):
    _, files = parsed
    f = files["la_cla_placement_stability.csv"].frame
    rows = csv_rows("la_cla_placement_stability.csv")
    want = {(r["time_period"], r["new_la_code"] or r["region_code"] or "E92000001") for r in rows
            if r["cla_group"] == "CLA on 31 March"
            and r["placement_stability"] == "With 3 or more placements during the year"}
    got = f[f.indicator_code == "STABILITY_3PLUS_PCT"]
    assert len(got) == len(want) > 5 * (150 + 9 + 2 + 1)  # LAs, regions, Inner/Outer London, England
    assert sorted(got.period_label.unique()) == ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
    assert {"E92000001", "E12000005", "E13000001", WOLVES} <= set(got.area_code)


# Checked by hand against the CSV lines (grep Wolverhampton / National / West Midlands):
#  la_conviction_health_outcome_cla.csv 2025 Wolverhampton: annual health assessment 318, 79;
#    teeth checked 357, 89; immunisations up to date 349, 87; Total all ages 401
#  la_care_leavers_activity.csv 2025 Wolverhampton: 19 to 21 total in EET 111, 57 (Total 195);
#    17 to 18: 39, 61 (Total 64)
#  la_cla_placement_stability.csv 2025 Wolverhampton: CLA on 31 March 3 or more placements
#    52, 10 (Total 501); long-term 139, 76 (Total 183)
#  cla_number_and_rate_per_10k_children.csv 2025 England: 81770, rate 67; West Midlands rate 86
#  ks2_la.csv 202425 Wolverhampton CLA 12 months: RWM 8 of 17, 47%
HAND_CHECKED = [
    ("la_conviction_health_outcome_cla.csv", "HEALTH_CHECKS_PCT", WOLVES, "2024-25", "", 79, 318, 401),
    ("la_conviction_health_outcome_cla.csv", "DENTAL_CHECKS_PCT", WOLVES, "2024-25", "", 89, 357, 401),
    ("la_conviction_health_outcome_cla.csv", "IMMUNISATIONS_PCT", WOLVES, "2024-25", "", 87, 349, 401),
    ("la_care_leavers_activity.csv", "CL_EET_PCT", WOLVES, "2024-25", "", 57, 111, 195),
    ("la_care_leavers_activity.csv", "CL_EET_PCT", WOLVES, "2024-25",
     "care_leaver_age=aged_17_to_18", 61, 39, 64),
    ("la_cla_placement_stability.csv", "STABILITY_3PLUS_PCT", WOLVES, "2024-25", "", 10, 52, 501),
    ("la_cla_placement_stability.csv", "STABILITY_FEWER_3_PCT", WOLVES, "2024-25", "", 90, None, 501),
    ("la_cla_placement_stability.csv", "STABILITY_LONG_TERM_PCT", WOLVES, "2024-25", "", 76, 139, 183),
    ("cla_number_and_rate_per_10k_children.csv", "CLA_NUMBER", "E92000001", "2024-25", "", 81770, None, None),
    ("cla_number_and_rate_per_10k_children.csv", "CLA_RATE", "E92000001", "2024-25", "", 67, None, None),
    ("cla_number_and_rate_per_10k_children.csv", "CLA_RATE", "E12000005", "2024-25", "", 86, None, None),
    ("ks2_la.csv", "KS2_RWM_PCT", WOLVES, "2024/25", "", 47, 8, 17),
]


@pytest.mark.parametrize("name, code, area, year, bd, value, num, den", HAND_CHECKED)
def test_figures_checked_by_hand(parsed, name, code, area, year, bd, value, num, den):
    r = figure(parsed[1][name].frame, code, area, year, bd)
    assert r.value == value
    assert (math.isnan(r.numerator) if num is None else r.numerator == num)
    assert (math.isnan(r.denominator) if den is None else r.denominator == den)


def test_suppressed_figures_stay_missing_with_their_reason(parsed):
    # ks2_la.csv 202223 Wolverhampton CLA 12 months: RWM is "c"
    r = figure(parsed[1]["ks2_la.csv"].frame, "KS2_RWM_PCT", WOLVES, "2022/23")
    assert math.isnan(r.value) and r.missing_reason.startswith("c: suppressed")


def test_persistent_absence_and_years_as_defined(parsed):
    f = parsed[1]["absence_la.csv"].frame
    rows = [r for r in csv_rows("absence_la.csv") if r["new_la_code"] == WOLVES
            and r["time_period"] == "202425" and r["social_care_group"] == "CLA 12 months at 31 March"
            and r["phase_type_grouping"] == "Total"]
    assert len(rows) == 1
    r = figure(f, "ABSENCE_PERSISTENT_PCT", WOLVES, "2024/25")
    assert r.value == float(rows[0]["pt_pupils_pa_10_exact"])
    assert r.period_end == pd.Timestamp("2025-08-31")  # academic year 2024/25
    r = figure(parsed[1]["la_cla_placement_stability.csv"].frame, "STABILITY_3PLUS_PCT", WOLVES, "2024-25")
    assert r.period_end == pd.Timestamp("2025-03-31")  # 2025 reporting year ends 31 March 2025


def _xlsx(name: str) -> bytes:
    """The CSV opened and re-saved as XLSX (numbers as numbers), made at test time."""
    frame = pd.read_csv(PUBLISHED / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([_number(c) for c in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _number(c: str):
    if c == "":
        return None
    try:
        return int(c)
    except ValueError:
        try:
            return float(c)
        except ValueError:
            return c


@pytest.mark.parametrize("name", ["la_care_leavers_accommodation_suitability.csv", "ks2_la.csv",
                                  "la_cla_placement_stability.csv"])
def test_resaved_as_xlsx_gives_the_same_figures(parsed, name):
    config, files = parsed
    pf = parse(name, config, _xlsx(name), file_name=name.replace(".csv", ".xlsx"))
    assert not pf.errors, [p.message for p in pf.errors]
    key = ["indicator_code", "area_code", "period_label", "breakdown"]
    a = files[name].frame.set_index(key).sort_index()
    b = pf.frame.set_index(key).sort_index()
    assert len(a) == len(b)
    pd.testing.assert_series_equal(a.value, b.value)
    pd.testing.assert_series_equal(a.numerator, b.numerator)


PRE_2025 = {"children_count": "number", "children_percent": "percentage",
            "care_leaver_count": "number", "care_leaver_percent": "percentage",
            "care_leaver_age": "age", "breakdown": "activity"}


@pytest.mark.parametrize("name", ["la_care_leavers_activity.csv", "la_cla_placement_stability.csv",
                                  "la_conviction_health_outcome_cla.csv"])
def test_earlier_release_with_old_column_names(parsed, name):
    """The same rows as an earlier release would name them (number, percentage, age, activity)."""
    config, files = parsed
    text = (PUBLISHED / name).read_text(encoding="utf-8-sig")
    head, rest = text.split("\n", 1)
    old = ",".join(PRE_2025.get(c, c) if not (c == "breakdown" and "care_leaver" not in head) else c
                   for c in head.split(","))
    assert old != head
    pf = parse(name, config, ("\ufeff" + old + "\n" + rest).encode("utf-8"))
    assert not pf.errors, [p.message for p in pf.errors]
    assert len(pf.frame) == len(files[name].frame)
    assert pf.frame.value.sum() == pytest.approx(files[name].frame.value.sum())


# ------------------------------------------------------------------ bad input
def _lines(name):
    return (PUBLISHED / name).read_bytes().decode("utf-8-sig").splitlines()


def test_truncated_download_is_an_error_naming_file_and_excel_row(wolves_only):
    lines = _lines("la_cla_placement_stability.csv")
    cut = lines[:40] + [lines[40][: len(lines[40]) // 2]]  # the 41st line (Excel row 41) cut short
    pf = parse("la_cla_placement_stability.csv", wolves_only, "\n".join(cut).encode())
    assert len(pf.errors) == 1
    p = pf.errors[0]
    assert p.row == 41 and "la_cla_placement_stability.csv, row 41" in p.message
    assert "cut short" in p.message
    # and nothing is written: the upload check refuses the whole file
    checked = check_files([("la_cla_placement_stability.csv", "\n".join(cut).encode())], config=wolves_only)
    assert checked[0].errors and checked[0].plan is None


def test_unknown_authority_code_is_an_error(wolves_only):
    lines = _lines("la_cla_swcount.csv")
    i = next(n for n, ln in enumerate(lines) if "E08000031" in ln)
    lines[i] = lines[i].replace("E08000031", "E08000999")
    pf = parse("la_cla_swcount.csv", wolves_only, "\n".join(lines).encode())
    msgs = [p.message for p in pf.errors]
    assert len(msgs) == 1 and "unknown area code" in msgs[0] and "E08000999" in msgs[0]
    assert f"row {i + 1}" in msgs[0] and "new_la_code" in msgs[0]


def test_renamed_filter_value_is_an_error_saying_what_was_expected(wolves_only):
    text = (PUBLISHED / "la_care_leavers_activity.csv").read_text(encoding="utf-8-sig")
    text = text.replace("Total in education, employment or training", "Total in EET")
    pf = parse("la_care_leavers_activity.csv", wolves_only, text.encode())
    assert len(pf.errors) == 1
    m = pf.errors[0].message
    assert "CL_EET_PCT" in m and "'Total in education, employment or training'" in m
    assert "column 'breakdown'" in m and "Total in EET" in m  # the values the file has


def test_a_file_with_no_catalogue_indicator_is_refused_with_the_list(wolves_only):
    data = ("time_period,time_identifier,geographic_level,country_code,country_name,"
            "missing_group,children_count\n2025,Reporting year,National,E92000001,England,"
            "Went missing,1234\n").encode()
    pf = parse("la_cla_missing.csv", wolves_only, data)
    assert len(pf.errors) == 1
    m = pf.errors[0].message
    assert "carries no indicator" in m
    for pid in ("la_cla_placement_stability (", "la_care_leavers_activity (CL_EET_PCT)",
                "ks2_la (KS2_RWM_PCT"):
        assert pid in m


def test_our_own_wide_ees_files_still_load(wolves_only):
    data = (PROJECT_ROOT / "data" / "sample" / "comparators_ees.csv").read_bytes()
    pf = parse("comparators_ees.csv", wolves_only, data)
    assert pf.kind == "ees" and not pf.errors and len(pf.frame)


def test_a_new_mapping_is_a_catalogue_edit_alone(tmp_path, wolves_only):
    """A file the code has never seen, with filters of its own, loads once indicators.yaml
    says which rows and column feed an indicator."""
    data = "\n".join([
        "\ufefftime_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,la_name,new_la_code,cla_group,missing_measure,number,percentage",
        "2025,Reporting year,National,E92000001,England,,,,,,CLA during the year,Went missing,12000,9",
        "2025,Reporting year,National,E92000001,England,,,,,,CLA during the year,Total children,130000,100",
        "2025,Reporting year,Local authority,E92000001,England,E12000005,West Midlands,336,"
        "Wolverhampton,E08000031,CLA during the year,Went missing,71,c",
        "2025,Reporting year,Local authority,E92000001,England,E12000005,West Midlands,336,"
        "Wolverhampton,E08000031,CLA during the year,Total children,700,100",
    ]).encode()
    assert parse("la_cla_missing_incidents.csv", wolves_only, data).errors  # unknown today
    cat_path = tmp_path / "indicators.yaml"
    shutil.copy(PROJECT_ROOT / "data" / "indicators.yaml", cat_path)
    with open(cat_path, "a", encoding="utf-8") as fh:
        fh.write('''
  - code: MISSING_PCT
    title: "Children who went missing"
    definition: "Children looked after during the year who went missing, as DfE publishes it."
    section: placements
    unit: percent
    polarity: down
    frequency: A
    source: "DfE la_cla_missing_incidents"
    comparators: [WM, SN, ENG]
    rag: {method: comparator, amber_margin: 2}
    published:
      - file: la_cla_missing_incidents
        filters: {cla_group: "CLA during the year", missing_measure: "Went missing"}
        value: [children_percent, percentage]
        numerator: [children_count, number]
        denominator: {filters: {missing_measure: "Total children"}}
''')
    cat = load_catalogue(cat_path)
    pf = parse("la_cla_missing_incidents.csv", wolves_only, data, catalogue=cat)
    assert not pf.errors, [p.message for p in pf.errors]
    eng = figure(pf.frame, "MISSING_PCT", "E92000001", "2024-25")
    assert (eng.value, eng.numerator, eng.denominator) == (9, 12000, 130000)
    me = figure(pf.frame, "MISSING_PCT", WOLVES, "2024-25")
    assert math.isnan(me.value) and me.missing_reason.startswith("c:") and me.numerator == 71


@pytest.mark.parametrize("name,old_names,old_values", [
    ("la_care_leavers_accommodation_suitability.csv",
     {"care_leaver_age": "age", "breakdown": "accommodation_suitability",
      "care_leaver_count": "number", "care_leaver_percent": "percentage"},
     {"19 to 21 years": "Aged 19 to 21", "17 to 18 years": "Aged 17 to 18",
      "Suitability total": "Total"}),
    ("la_care_leavers_activity.csv",
     {"care_leaver_age": "age", "breakdown": "activity",
      "care_leaver_count": "number", "care_leaver_percent": "percentage"},
     {"19 to 21 years": "Aged 19 to 21", "17 to 18 years": "Aged 17 to 18"}),
])
def test_earlier_care_leaver_release_with_old_names_and_values(parsed, name, old_names, old_values):
    """Before 2025 the care-leaver files named their columns age, accommodation_suitability
    (or activity), number, percentage (as DfE's own dashboard reads them) and their ages
    'Aged 19 to 21' / 'Aged 17 to 18'; the catalogue knows both (current|older)."""
    config, files = parsed
    df = pd.read_csv(PUBLISHED / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for col in ("care_leaver_age", "breakdown"):
        df[col] = df[col].replace(old_values)
    assert "Aged 19 to 21" in set(df["care_leaver_age"])
    df = df.rename(columns=old_names)
    pf = parse(name, config, df.to_csv(index=False).encode("utf-8"))
    assert not pf.errors, [p.message for p in pf.errors]
    key = ["indicator_code", "area_code", "period_label", "breakdown"]
    a = files[name].frame.set_index(key).sort_index()
    b = pf.frame.set_index(key).sort_index()
    assert a.index.equals(b.index)
    pd.testing.assert_series_equal(a.value, b.value)
    pd.testing.assert_series_equal(a.denominator, b.denominator)
