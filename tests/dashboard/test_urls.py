"""The as-at month in the address: what a reader sees for good and bad `?as_at=`."""
from datetime import date

from webapp.urls import check_as_at, href, query_params, search_with_as_at

MONTHS = [date(2017, 11, 30), date(2017, 12, 31), date(2018, 1, 31)]


def test_blank_as_at_means_the_latest_month():
    assert check_as_at(None, MONTHS).month == date(2018, 1, 31)
    assert check_as_at("", MONTHS).param == "2018-01"


def test_a_loaded_month_is_reported_as_its_month_end():
    got = check_as_at("2017-12", MONTHS)
    assert (got.month, got.error) == (date(2017, 12, 31), None)


def test_a_badly_written_month_says_how_to_write_it():
    got = check_as_at("2018-13", MONTHS)
    assert got.month is None
    assert "'2018-13'" in got.error and "YYYY-MM" in got.error and "2018-01" in got.error


def test_a_month_outside_the_loaded_figures_names_the_range():
    got = check_as_at("2019-05", MONTHS)
    assert got.month is None
    assert "May 2019" in got.error and "Nov 2017" in got.error and "Jan 2018" in got.error


def test_no_figures_loaded_says_what_to_do():
    assert "lacdash sample" in check_as_at(None, []).error


def test_search_keeps_other_parameters_and_replaces_as_at():
    assert search_with_as_at("?as_at=2017-12&x=1", "2018-01") == "?as_at=2018-01&x=1"
    assert search_with_as_at("", "2018-01") == "?as_at=2018-01"
    assert search_with_as_at("?as_at=2017-12", None) == ""
    assert query_params("?as_at=2018-01") == {"as_at": "2018-01"}


def test_href():
    assert href("/health", "2018-01") == "/health?as_at=2018-01"
    assert href("/health", None) == "/health"
