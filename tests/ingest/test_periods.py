from datetime import date, datetime

import pytest

from pipelines.core import periods
from pipelines.core.periods import Period, PeriodError, month_end, parse_period

JAN_2018 = Period(date(2018, 1, 1), date(2018, 1, 31), "Jan 2018", "month")
FY_2017_18 = Period(date(2017, 4, 1), date(2018, 3, 31), "2017-18", "year")


@pytest.mark.parametrize("text", [
    "Jan-18", "Jan 2018", "January 2018", "JANUARY 2018", "jan18", "2018-01", "31/01/2018",
    "1/1/2018", "01/2018", "2018-01-31", "2018-01-31 00:00:00", "201801",
    datetime(2018, 1, 31), date(2018, 1, 15),
])
def test_every_month_form_reads_as_january_2018(text):
    assert parse_period(text) == JAN_2018


def test_day_first_dates_are_uk_order():
    assert parse_period("05/01/2018").label == "Jan 2018"  # 5 January, not 1 May
    with pytest.raises(PeriodError, match="01/31/2018"):
        parse_period("01/31/2018")  # US order is not guessed


@pytest.mark.parametrize("text", ["2017-18", "2017/18", "201718", "2017-2018", "2017/18 out-turn",
                                  "FY 2017-18", "FY2017/18", "2017-18 outturn"])
def test_two_year_forms_are_the_financial_year(text):
    assert parse_period(text) == FY_2017_18


def test_two_year_form_for_an_academic_indicator_is_september_to_august():
    p = parse_period("2016/17", year_type="academic")
    assert (p.start, p.end, p.label) == (date(2016, 9, 1), date(2017, 8, 31), "2016/17")


def test_bare_year_depends_on_the_year_type():
    fin = parse_period("2016", "financial")
    assert (fin.start, fin.end, fin.label) == (date(2015, 4, 1), date(2016, 3, 31), "2015-16")
    ac = parse_period("2016", "academic")  # KS2 2016 = school year 2015/16
    assert (ac.start, ac.end, ac.label) == (date(2015, 9, 1), date(2016, 8, 31), "2016")
    cal = parse_period(2016, "calendar")
    assert (cal.start, cal.end, cal.label, cal.type) == (date(2016, 1, 1), date(2016, 12, 31), "2016", "year")


@pytest.mark.parametrize("text, says", [
    ("Foo 2018", "cannot read 'Foo 2018'"),
    ("2017-19", "not two consecutive years"),
    ("13/2018", "month 13"),
    ("31/02/2018", "not a real"),
    ("", "no period"),
    (None, "no period"),
])
def test_unreadable_periods_raise_with_what_was_found(text, says):
    with pytest.raises(PeriodError, match=says):
        parse_period(text)


def test_month_end():
    assert month_end(date(2016, 2, 3)) == date(2016, 2, 29)
    assert month_end(date(2018, 12, 1)) == date(2018, 12, 31)


# ---------------------------------------------------------------- the one home of date rules
def test_month_end_of_dates_times_and_year_month_text():
    import pandas as pd
    assert month_end(datetime(2016, 2, 3, 13, 45)) == date(2016, 2, 29)
    assert month_end(pd.Timestamp("2018-12-01")) == date(2018, 12, 31)
    assert month_end("2018-02") == date(2018, 2, 28)
    ends = periods.month_ends(pd.Series(["2018-01-15", "2016-02-01"]))
    assert ends.tolist() == [pd.Timestamp("2018-01-31"), pd.Timestamp("2016-02-29")]


@pytest.mark.parametrize("day, start, end, label", [
    (date(2017, 4, 1), date(2017, 4, 1), date(2018, 3, 31), "2017-18"),
    (date(2018, 3, 31), date(2017, 4, 1), date(2018, 3, 31), "2017-18"),
    (date(1999, 12, 31), date(1999, 4, 1), date(2000, 3, 31), "1999-00"),
])
def test_financial_year_of_a_day(day, start, end, label):
    assert periods.financial_year_start(day) == start
    assert periods.financial_year_end(day) == end
    assert periods.financial_year_label(day) == label
    assert parse_period(label).label == label  # the label reads back as the same year


def test_year_labels_codes_and_marches():
    assert periods.year_label(2017) == "2017-18"
    assert periods.year_label(2017, "academic") == "2017/18"
    assert periods.year_label(2017, "calendar") == "2017"
    assert periods.financial_year_code(2017) == "201718"
    assert periods.financial_year_march("2017-18") == "Mar 2018"
    assert periods.financial_year_march("2099-00") == "Mar 2100"
    assert periods.financial_year_march("2017") is None
    assert periods.normalise_fy_label("2017/2018") == periods.normalise_fy_label("201718") == "2017-18"
    assert periods.month_label(date(2018, 1, 9)) == "Jan 2018"
    assert periods.month_label("2018-09", long=True) == "September 2018"
    assert periods.parse_as_at("2018-02") == date(2018, 2, 28)
    with pytest.raises(ValueError, match="YYYY-MM"):
        periods.parse_as_at("2018-13")
