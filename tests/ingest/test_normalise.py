import math

import pandas as pd
import pytest

from pipelines.sources.normalise import PERCENT_RULE, detect_kind, normalise
from pipelines.sources.readers import read_table

from .conftest import FILES


def _raw(text):
    return read_table(text.encode(), "x.csv")


def _value(frame, code, label=None, area=None, breakdown=""):
    rows = frame[(frame.indicator_code == code) & (frame.breakdown == breakdown)]
    if label:
        rows = rows[rows.period_label == label]
    if area:
        rows = rows[rows.area_code == area]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize("header, kind", [
    ("Indicator Code,Month,Value", "long"),
    ("indicator,period,figure,numerator,denominator", "long"),
    ("Measure code,Date,Result,Placement type", "long"),
    ("Indicator,Title,Nov 2017,Dec 2017,Jan 2018", "wide"),
    ("Code,2016-17,2017-18", "wide"),
    ("time_period,time_identifier,geographic_level,new_la_code,CL_EET_PCT", "ees"),
    ("area_code,area_name,period,indicator,measure,unit,value", "lginform"),
    ("Indicator,Year,Area,Value", "handkeyed"),
    ("child_id,date_of_birth,date_entered_care,date_adoption_order", "adoption"),
])
def test_detect_kind_by_cleaned_headers(header, kind):
    assert detect_kind(_raw(header + "\n")) == kind


def test_long_extract_from_file(parse):
    pf = parse((FILES / "long_extract.csv").read_bytes(), "long_extract.csv")
    f = pf.frame
    assert pf.kind == "long" and pf.ok, pf.problems
    eet = _value(f, "CL_EET_PCT", "Jan 2018")
    assert (eet.value, eet.area_code, eet.status, eet.source_row, eet.source_column) == \
        (61.0, "E08000031", "provisional", 5, "Value")
    assert _value(f, "CL_EET_PCT", "Dec 2017").value == 60.0
    assert _value(f, "CLA_NUMBER").value == 1004.0  # thousands separator
    assert set(f.indicator_code) == {"CL_EET_PCT", "CLA_NUMBER", "HEALTH_CHECKS_PCT"}  # Total and notes skipped
    messages = " ".join(p.message for p in pf.warnings)
    assert "dropped 1 row repeating an earlier row exactly (row 9)" in messages
    assert "skipped 3 rows of notes" in messages


def test_canonical_columns_and_types(parse):
    f = parse((FILES / "long_extract.csv").read_bytes()).frame
    assert list(f.columns) == ["indicator_code", "area_code", "period_start", "period_end", "period_label",
                               "period_type", "breakdown", "value", "numerator", "denominator",
                               "missing_reason", "status", "source_row", "source_column"]
    assert str(f.period_start.dtype).startswith("datetime64")
    assert f.value.dtype == "float64" and f.source_row.dtype == "int64"
    assert f.period_end.iloc[0] == pd.Timestamp("2018-01-31")


def test_wide_extract_one_column_per_month(parse):
    pf = parse((FILES / "wide_extract.csv").read_bytes(), "wide_extract.csv")
    assert pf.kind == "wide" and pf.ok, pf.problems
    f = pf.frame
    assert len(f[f.indicator_code == "CL_EET_PCT"]) == 3
    dec = _value(f, "CLA_NUMBER", "Dec 2017")
    assert (dec.value, dec.source_row, dec.source_column) == (1007.0, 3, "Dec 2017")
    # a blank grid cell is no figure at all, not a missing one
    assert len(f[f.indicator_code == "ASYLUM_PCT"]) == 2
    # 0.9 beside 1.7 for the same indicator is 0.9%
    assert _value(f, "ASYLUM_PCT", "Nov 2017").value == 0.9


def test_local_extract_uses_area_column_when_given(parse):
    pf = parse("indicator,month,value,area\nCLA_NUMBER,Jan-18,600,\nCLA_NUMBER,Jan-18,700,Sandwell\n")
    assert sorted(pf.frame.area_code) == ["E08000028", "E08000031"]


def test_breakdown_columns_named_by_dimension(parse):
    pf = parse("Indicator,Month,Value,Placement type\nPLACEMENT_TYPE,Jan-18,120,Agency foster\n"
               "PLACEMENT_TYPE,Jan-18,600,Total\n")
    assert pf.ok, pf.problems
    assert sorted(pf.frame.breakdown) == ["", "placement_type=agency_foster"]


def test_two_breakdown_dimensions_join_in_catalogue_order(parse):
    pf = parse("indicator,month,value,placed,check_type\nHEALTH_CHECKS_PCT,Jan-18,90,Outside area,Initial\n")
    assert pf.ok, pf.problems
    assert pf.frame.breakdown.iloc[0] == "check_type=initial;placed=outside_area"


def test_ees_areas_measures_and_symbols(parse):
    pf = parse((FILES / "ees_comparators.csv").read_bytes(), "ees_comparators.csv")
    assert pf.kind == "ees" and pf.ok, pf.errors
    f = pf.frame
    assert _value(f, "CL_EET_PCT", area="E92000001").value == 50
    assert _value(f, "CL_EET_PCT", area="E12000005").value == 46
    own = _value(f, "CL_EET_PCT", area="E08000031")
    assert (own.value, own.period_label, own.period_type) == (56, "2016-17", "year")
    # alias column resolved to its code
    assert _value(f, "DENTAL_CHECKS_PCT", area="E08000031").value == 89
    # symbols are missing with their reason, never zero
    reasons = {(r.area_code, r.indicator_code): r.missing_reason for r in f.itertuples() if math.isnan(r.value)}
    assert reasons[("E92000001", "DENTAL_CHECKS_PCT")] == "c: suppressed for confidentiality"
    assert reasons[("E12000005", "DENTAL_CHECKS_PCT")] == "z: not applicable"
    assert reasons[("E08000028", "CL_EET_PCT")].startswith("k:")
    assert reasons[("E08000028", "DENTAL_CHECKS_PCT")].startswith("low:")
    assert reasons[("E06000021", "CL_EET_PCT")].startswith("x:")  # found by old_la_code 861
    assert reasons[("E06000021", "DENTAL_CHECKS_PCT")].startswith("~:")
    assert reasons[("E08000030", "CL_EET_PCT")].startswith("u:")
    assert reasons[("E08000030", "DENTAL_CHECKS_PCT")].startswith("::")
    assert reasons[("E06000019", "CL_EET_PCT")].startswith(".:")
    # A blank cell says nothing: no row is loaded (and nothing is overwritten).
    assert ("E06000019", "DENTAL_CHECKS_PCT") not in reasons
    assert (f.value == 0).sum() == 0
    unknown = [p for p in pf.warnings if p.column == "mystery_measure"]
    assert len(unknown) == 1 and "unknown measure column" in unknown[0].message


def test_ees_academic_year(parse):
    pf = parse("time_period,time_identifier,geographic_level,KS2_RWM_PCT\n201516,Academic year,National,25\n")
    row = pf.frame.iloc[0]
    assert (row.period_label, row.period_start, row.value) == ("2015/16", pd.Timestamp("2015-09-01"), 25)


def test_lginform_aliases_and_measure_rule(parse):
    pf = parse((FILES / "lginform.csv").read_bytes(), "lginform.csv")
    assert pf.kind == "lginform" and pf.ok, pf.errors
    f = pf.frame
    assert len(f) == 3  # the counts behind the percentages are skipped
    assert _value(f, "HEALTH_CHECKS_PCT", area="E08000031").value == 91
    assert _value(f, "HEALTH_CHECKS_PCT", area="E12000005").period_label == "2016-17"
    assert _value(f, "DENTAL_CHECKS_PCT", area="E92000001").value == 83
    assert any("skipped 2 rows whose measure" in p.message for p in pf.warnings)


def test_handkeyed_comparators(parse):
    pf = parse((FILES / "handkeyed.csv").read_bytes(), "handkeyed.csv")
    assert pf.kind == "handkeyed" and pf.ok, pf.problems
    f = pf.frame
    assert _value(f, "CL_EET_PCT", area="E12000005").value == 46
    assert _value(f, "CL_EET_PCT", area="SN").value == 47
    assert _value(f, "CL_EET_PCT", area="E92000001").value == 50
    ks2 = _value(f, "KS2_RWM_PCT", area="E92000001")
    assert (ks2.period_label, ks2.period_start, ks2.period_end) == \
        ("2016", pd.Timestamp("2015-09-01"), pd.Timestamp("2016-08-31"))


def test_handkeyed_unknown_area_is_an_error(parse):
    pf = parse("indicator,year,area,value\nCL_EET_PCT,2016-17,Atlantis,40\n")
    [err] = pf.errors
    assert (err.row, err.column, err.value) == (2, "area", "Atlantis")


# ---------------------------------------------------------------- percent rule
def test_percent_rule_text_is_exported():
    assert "0.61" in PERCENT_RULE and "numerator" in PERCENT_RULE


@pytest.mark.parametrize("cell, expected", [("61%", 61.0), ("61", 61.0), ("61.5 %", 61.5)])
def test_percent_sign_or_whole_number_is_a_percentage(parse, cell, expected):
    pf = parse(f"indicator,month,value\nCL_EET_PCT,Jan-18,{cell}\n")
    assert pf.ok and pf.frame.value.iloc[0] == expected


def test_fraction_with_numerator_and_denominator_is_scaled(parse):
    pf = parse("indicator,month,value,numerator,denominator\nCL_EET_PCT,Jan-18,0.61,61,100\n"
               "CL_EET_PCT,Dec-17,0.8,1,125\n")
    assert pf.ok, pf.problems
    assert sorted(pf.frame.value) == [0.8, 61.0]  # 1 of 125 is 0.8%, not 80%


def test_fractions_alone_are_refused_as_ambiguous(parse):
    pf = parse("indicator,month,value\nCL_EET_PCT,Jan-18,0.61\nCL_EET_PCT,Dec-17,0.6\n")
    [err] = pf.errors
    assert (err.row, err.column, err.value) == (2, "value", "0.61")
    assert "ambiguous" in err.message and "61%" in err.message and "rows 2, 3" in err.message


def test_fraction_beside_a_value_above_one_is_a_percentage(parse):
    pf = parse("indicator,month,value\nASYLUM_PCT,Jan-18,0.6\nASYLUM_PCT,Dec-17,1.7\n")
    assert pf.ok and sorted(pf.frame.value) == [0.6, 1.7]


def test_ees_small_percentages_are_not_rescaled(parse):
    pf = parse("time_period,time_identifier,geographic_level,ASYLUM_PCT\n201617,Financial year,National,0.6\n")
    assert pf.ok and pf.frame.value.iloc[0] == 0.6


def test_counts_are_never_rescaled(parse):
    pf = parse("indicator,month,value\nSW_OVER_20_CASES,Jan-18,0\nCLA_RATE,Jan-18,0.5\n")
    assert pf.ok and sorted(pf.frame.value) == [0.0, 0.5]


# ---------------------------------------------------------------- rows
def test_notes_and_totals_rows_are_skipped(parse):
    pf = parse("indicator,month,value\nCLA_NUMBER,Jan-18,600\nTotal,,600\n* provisional,,\n"
               "Note: as at month end,,\nSource: CMS,,\n")
    assert pf.ok and len(pf.frame) == 1


def test_table_ends_at_blank_row_followed_by_prose(parse):
    pf = parse("indicator,month,value\nCLA_NUMBER,Jan-18,600\n,,\nFigures checked by the team lead,,\n"
               "Contact: insight@example.gov.uk,,\n")
    assert pf.ok and len(pf.frame) == 1


def test_blank_rows_inside_the_table_are_skipped(parse):
    pf = parse("indicator,month,value\nCLA_NUMBER,Jan-18,600\n,,\nCLA_NUMBER,Dec-17,610\n")
    assert pf.ok and pf.frame.source_row.tolist() == [2, 4]


def test_repeated_identical_rows_are_dropped_with_a_warning(parse):
    pf = parse("indicator,month,value\nCLA_NUMBER,Jan-18,600\nCLA_NUMBER,Jan-18,600\nCLA_NUMBER,Jan-18,600\n")
    assert pf.ok and len(pf.frame) == 1
    assert "dropped 2 rows repeating an earlier row exactly (rows 3, 4)" in pf.warnings[0].message


def test_missing_required_columns_are_named(parse):
    pf = parse("indicator,month,amount\nCLA_NUMBER,Jan-18,600\n")
    [err] = pf.errors
    assert (err.row, err.severity) == (1, "error")
    assert "missing required column 'value'" in err.message and "figure" in err.message


def test_thousands_separators_and_blank_value(parse):
    pf = parse('indicator,month,value\nCLA_NUMBER,Jan-18,"1,234"\nCLA_NUMBER,Dec-17,\n')
    f = pf.frame
    assert _value(f, "CLA_NUMBER", "Jan 2018").value == 1234
    # A blank value loads nothing (never a zero, never a missing value over a real one).
    assert f[f.period_label == "Dec 2017"].empty and pf.ok


def test_normalise_called_directly(catalogue, config):
    raw = _raw("Indicator,Month,Value\nCLA_NUMBER,Jan-18,600\n")
    frame, problems = normalise(raw, "long", file_name="x.csv", catalogue=catalogue, config=config)
    assert problems == [] and frame.value.tolist() == [600.0]


def test_the_authoritys_own_name_is_its_area_even_if_not_in_the_area_list(catalogue):
    from .conftest import FakeConfig
    from pipelines.sources.ingest import parse_file
    config = FakeConfig(code="E08000031", name="Sample Borough")
    pf = parse_file(b"indicator,year,area,value\nCL_EET_PCT,2016-17,Sample Borough,56\n", "h.csv",
                    catalogue=catalogue, config=config)
    assert pf.ok and pf.frame.area_code.tolist() == ["E08000031"]
