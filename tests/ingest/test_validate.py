from datetime import date

import pandas as pd

from pipelines.sources.validate import Problem, validate

from .conftest import TODAY


def _one(pf, what):
    found = [p for p in pf.errors if what in p.message]
    assert len(found) == 1, pf.problems
    return found[0]


def test_unknown_indicator_code_suggests_the_nearest(parse):
    pf = parse("Indicator Code,Month,Value\nCLA_NUMBER,Jan-18,600\nCL_EET_PC,Jan-18,61\n")
    err = _one(pf, "unknown indicator code")
    assert (err.row, err.column, err.value) == (3, "Indicator Code", "CL_EET_PC")
    assert "Did you mean CL_EET_PCT" in err.message


def test_unreadable_period(parse):
    pf = parse("indicator,Month,value\nCLA_NUMBER,Jamuary 2018,600\n")
    err = _one(pf, "unreadable period")
    assert (err.row, err.column, err.value) == (2, "Month", "Jamuary 2018")
    assert "Jan 2018" in err.expected


def test_month_in_the_future(parse):
    pf = parse("indicator,month,value\nCLA_NUMBER,Feb-18,600\nCLA_NUMBER,Mar-18,600\n")  # today: Feb 2018
    err = _one(pf, "month in the future")
    assert (err.row, err.column, err.value) == (3, "month", "Mar 2018")


def test_percentage_outside_0_to_100(parse):
    pf = parse("indicator,month,value\nCL_EET_PCT,Jan-18,161\nCL_EET_PCT,Dec-17,-1\n")
    assert [(p.row, p.column, p.value) for p in pf.errors if "outside 0 to 100" in p.message] == \
        [(2, "value", "161"), (3, "value", "-1")]


def test_negative_count(parse):
    pf = parse("indicator,month,value\nCLA_NUMBER,Jan-18,-5\nKS4_PROGRESS8,2017,-1.16\n")
    err = _one(pf, "negative")
    assert (err.row, err.value) == (2, "-5")  # a negative Progress 8 score is fine


def test_numerator_larger_than_denominator_and_negative_denominator(parse):
    pf = parse("indicator,month,value,Num,Den\nCL_EET_PCT,Jan-18,61,70,60\nCL_EET_PCT,Dec-17,61,1,-3\n")
    err = _one(pf, "numerator larger than denominator")
    assert (err.row, err.column, err.value) == (2, "Num", "70 of 60")
    neg = _one(pf, "negative denominator")
    assert (neg.row, neg.column) == (3, "Den")


def test_text_where_a_number_belongs(parse):
    pf = parse("indicator,month,value,numerator\nCLA_NUMBER,Jan-18,about 600,\nCL_EET_PCT,Jan-18,61,sixty\n")
    found = [(p.row, p.column, p.value) for p in pf.errors if "text where a number belongs" in p.message]
    assert found == [(2, "value", "about 600"), (3, "numerator", "sixty")]


def test_conflicting_duplicates_name_both_rows(parse):
    pf = parse("indicator,month,value\nCLA_NUMBER,Jan-18,600\nCLA_NUMBER,Dec-17,590\nCLA_NUMBER,Jan-18,610\n")
    err = _one(pf, "conflicting duplicate")
    assert (err.row, err.value) == (4, "610")
    assert "row 2" in err.message


def test_unknown_breakdown_value(parse):
    pf = parse("indicator,month,value,placement_type\nPLACEMENT_TYPE,Jan-18,10,Boarding school\n")
    err = _one(pf, "unknown placement_type")
    assert (err.row, err.column, err.value) == (2, "placement_type", "boarding_school")
    assert "agency_foster" in err.expected


def test_breakdown_on_an_indicator_without_one(parse):
    pf = parse("indicator,month,value,placement_type\nCLA_NUMBER,Jan-18,10,Agency foster\n")
    assert _one(pf, "unknown breakdown for CLA_NUMBER").row == 2


def test_formula_text_is_refused(parse):
    pf = parse('indicator,month,value\nCLA_NUMBER,Jan-18,600\n=HYPERLINK("http://x"),Jan-18,1\n'
               "CLA_NUMBER,Dec-17,@SUM(A1)\n")
    assert [(p.row, p.column) for p in pf.errors if "formula text" in p.message] == \
        [(3, "indicator"), (4, "value")]


def test_every_problem_at_once_sorted_by_row(parse):
    pf = parse("indicator,month,value\nCL_EET_PC,Jan-18,61\nCL_EET_PCT,Foo,61\nCLA_NUMBER,Jan-18,-1\n"
               "CL_EET_PCT,Jan-18,101\n")
    assert [p.row for p in pf.errors] == [2, 3, 4, 5]
    for p in pf.errors:
        assert p.file == "extract.csv" and f"row {p.row}" in p.message and p.column in p.message


def test_big_change_since_last_month_is_a_warning(parse, catalogue):
    first = parse("indicator,month,value\nCL_EET_PCT,Dec-17,45\n").frame
    pf = parse("indicator,month,value\nCL_EET_PCT,Jan-18,61\nCLA_NUMBER,Jan-18,600\n", previous=first)
    assert pf.ok
    [w] = pf.warnings
    assert (w.row, w.column, w.severity) == (2, "value", "warning")
    assert "+16.0 points since Dec 2017" in w.message
    small = parse("indicator,month,value\nCL_EET_PCT,Jan-18,50\n", previous=first)
    assert small.warnings == []


def test_validate_on_a_frame_without_attrs(catalogue):
    frame = pd.DataFrame({
        "indicator_code": ["CL_EET_PCT"], "area_code": ["E08000031"],
        "period_start": [pd.Timestamp("2018-01-01")], "period_end": [pd.Timestamp("2018-01-31")],
        "period_label": ["Jan 2018"], "period_type": ["month"], "breakdown": [""],
        "value": [120.0], "numerator": [float("nan")], "denominator": [float("nan")],
        "missing_reason": [None], "status": ["final"], "source_row": [7], "source_column": ["Jan 2018"],
    })
    [p] = validate(frame, file_name="wide.csv", catalogue=catalogue, today=date(2018, 2, 1))
    assert isinstance(p, Problem)
    assert (p.file, p.row, p.column, p.value, p.severity) == ("wide.csv", 7, "Jan 2018", "120", "error")


def test_text_in_the_value_column_of_a_frame_is_reported_by_the_schema(catalogue):
    frame = pd.DataFrame({
        "indicator_code": ["CLA_NUMBER"] * 2, "area_code": ["E08000031"] * 2,
        "period_start": [pd.Timestamp("2018-01-01"), pd.Timestamp("2017-12-01")],
        "period_end": [pd.Timestamp("2018-01-31"), pd.Timestamp("2017-12-31")],
        "period_label": ["Jan 2018", "Dec 2017"], "period_type": ["month"] * 2, "breakdown": ["", ""],
        "value": ["abc", "-5"], "numerator": [None, None], "denominator": [None, None],
        "missing_reason": [None, None], "status": ["final"] * 2, "source_row": [2, 3],
        "source_column": ["Value"] * 2,
    })
    problems = validate(frame, file_name="x.csv", catalogue=catalogue, today=TODAY)
    assert [(p.row, p.value, "text where a number belongs" in p.message) for p in problems] == \
        [(2, "abc", True), (3, "-5", False)]
