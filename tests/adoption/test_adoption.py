"""A1, A2, A10 from child-level adoption records, worked by hand."""

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from pipelines.measures.adoption import (
    ADOPTION_COLUMNS,
    child_days,
    children_waiting,
    is_adoption_table,
    monthly_indicators,
    parse_children,
    scorecard,
)

TODAY = date(2018, 6, 1)
HEADERS = ADOPTION_COLUMNS


def raw_table(rows, headers=HEADERS):
    """Rows of cells (str) under `headers`; __row__ as Excel shows it (header is row 1)."""
    df = pd.DataFrame([[str(c) for c in r] for r in rows], columns=headers, dtype="str")
    df["__row__"] = range(2, len(rows) + 2)
    return df


def row(child, entered, po="", matched="", placed="", fc="N", moved_in="", order="", dob=""):
    return [child, dob, entered, po, matched, placed, fc, moved_in, order]


def parse(rows, headers=HEADERS):
    return parse_children(raw_table(rows, headers), file_name="adoptions.csv", today=TODAY)


def adopted_after(child, order, a1_days, a2_days=None):
    """A child placed 30 days before the order, having entered care `a1_days` before placing."""
    order_d = date.fromisoformat(order)
    placed = order_d - timedelta(days=30)
    entered = placed - timedelta(days=a1_days)
    po = matched = ""
    if a2_days is not None:
        po_d = entered + timedelta(days=10)
        po, matched = po_d.isoformat(), (po_d + timedelta(days=a2_days)).isoformat()
    return row(child, entered.isoformat(), po, matched, placed.isoformat(), order=order)


def clean(rows):
    children, problems = parse(rows)
    assert [p for p in problems if p.severity == "error"] == []
    return children


# --- recognising and reading the file ------------------------------------------------------

def test_recognises_other_spellings_of_the_template_columns():
    headers = ["Child ID", "DOB", "LAC start date", "Placement order granted", "Date matched",
               "Date placed", "Adopted by foster carer", "Date moved in with foster carer(s)",
               "Adoption order date"]
    assert is_adoption_table(headers)
    assert is_adoption_table(["Child ID", "Date became LAC", "Date placed", "Adoption order date"])
    assert not is_adoption_table(["indicator_code", "area_code", "period", "value"])

    children, problems = parse([["C1", "01/02/2014", "01/03/2015", "01/06/2015", "01/09/2015",
                                 "01/10/2015", "No", "", "01/02/2016"]], headers)
    assert problems == []
    assert children.loc[0, "date_entered_care"] == pd.Timestamp("2015-03-01")  # day first


def test_reads_iso_uk_and_month_name_dates_and_yes_no_spellings():
    children = clean([
        row("C1", "2015-01-31", placed="31/01/2016", order="31-Jan-2017", fc="Yes",
            moved_in="28-FEB-2015"),
        row("C2", "31/01/2015", placed="2016-01-31", order="2017-01-31", fc="FALSE"),
        row("C3", "31-Jan-2015", placed="2016-01-31", order="2017-01-31", fc="n"),
    ])
    assert (children["date_entered_care"] == pd.Timestamp("2015-01-31")).all()
    assert (children["date_adoption_order"] == pd.Timestamp("2017-01-31")).all()
    assert children["adopted_by_foster_carers"].tolist() == [True, False, False]


# --- each child's own wait -----------------------------------------------------------------

def test_foster_carer_adoption_stops_the_a10_clock_when_the_child_moved_in():
    children = child_days(clean([
        row("FC1", "2016-04-01", po="2016-09-01", matched="2016-12-01", placed="2017-01-02",
            fc="Y", moved_in="2016-06-30", order="2017-06-01"),
    ]))
    c = children.iloc[0]
    # A1: 1 Apr 2016 -> 2 Jan 2017 = 30+31+30+31+31+30+31+30+31 (Apr..Dec) + 1 = 276 days
    assert c["a1_days"] == 276
    # A10 stops at moving in with the foster carers: 1 Apr -> 30 Jun 2016 = 30 + 31 + 29 = 90
    assert c["a10_days"] == 90
    # A2: 1 Sep -> 1 Dec 2016 = 30 + 31 + 30 = 91
    assert c["a2_days"] == 91
    assert c["adoption_fy"] == "2017-18"


def test_matched_before_the_placement_order_counts_as_zero_and_no_order_has_no_a2():
    children = child_days(clean([
        # matched 1 Feb 2017, the court's authority came a month later: A2 = 0, not -28
        row("M1", "2016-04-01", po="2017-03-01", matched="2017-02-01", placed="2017-04-01",
            order="2017-09-01"),
        row("NO_PO", "2016-04-01", matched="2017-02-01", placed="2017-04-01",
            order="2017-09-01"),
    ]))
    assert children.loc[0, "a2_days"] == 0
    assert math.isnan(children.loc[1, "a2_days"])
    # A child who was not adopted by foster carers has A10 = A1
    assert children.loc[0, "a10_days"] == children.loc[0, "a1_days"] == 365


def test_a_child_counts_in_the_financial_year_of_the_adoption_order():
    children = child_days(clean([
        row("MAR", "2015-01-01", placed="2016-01-01", order="2017-03-31"),
        row("APR", "2015-01-01", placed="2016-01-01", order="2017-04-01"),
        row("WAIT", "2015-01-01", placed="2016-01-01"),
    ]))
    assert children["adoption_fy"].tolist()[:2] == ["2016-17", "2017-18"]
    assert pd.isna(children.loc[2, "adoption_fy"])

    card = scorecard(children, date(2017, 5, 31))
    # placed in the same year, but 31 March is 2016-17 and 1 April is 2017-18
    assert card["A1"]["single_year"]["label"] == "2016-17"
    assert card["A1"]["single_year"]["n"] == 1
    assert card["A1"]["year_to_date"]["label"] == "2017-18"
    assert card["A1"]["year_to_date"]["n"] == 1


# --- the scorecard -------------------------------------------------------------------------

def test_three_year_average_is_weighted_by_child_not_an_average_of_yearly_averages():
    children = clean([
        adopted_after("P1", "2014-06-01", 2000),   # 2014-15: previous window only
        adopted_after("Y1", "2015-06-01", 100),    # 2015-16
        adopted_after("Y2a", "2016-06-01", 400),   # 2016-17
        adopted_after("Y2b", "2016-09-01", 400),
        adopted_after("Y2c", "2017-01-01", 400),
        adopted_after("Y3", "2017-06-01", 1000),   # 2017-18 to date
        adopted_after("LATE", "2018-03-01", 5),    # after the as-at date: not yet counted
    ])
    card = scorecard(children, date(2018, 1, 31))
    three = card["A1"]["three_year"]
    assert three["label"] == "2015-16 to 2017-18"
    # child-weighted: (100 + 400 + 400 + 400 + 1000) / 5 = 2300 / 5 = 460
    # (the average of yearly averages would be (100 + 400 + 1000) / 3 = 500)
    assert (three["days"], three["n"]) == (460, 5)
    prev = card["A1"]["previous_three_year"]
    assert prev["label"] == "2012-13 to 2014-15"
    assert (prev["days"], prev["n"]) == (2000, 1)
    assert (card["A1"]["single_year"]["days"], card["A1"]["single_year"]["n"]) == (400, 3)
    assert (card["A1"]["year_to_date"]["days"], card["A1"]["year_to_date"]["n"]) == (1000, 1)


def test_averages_are_rounded_to_whole_days_halves_up():
    children = clean([
        adopted_after("R1", "2017-05-01", 612),
        adopted_after("R2", "2017-06-01", 613),
        adopted_after("S1", "2016-05-01", 100),
        adopted_after("S2", "2016-06-01", 100),
        adopted_after("S3", "2016-07-01", 101),
    ])
    card = scorecard(children, date(2018, 1, 31))
    assert card["A1"]["year_to_date"]["days"] == 613   # (612 + 613) / 2 = 612.5 -> 613
    assert card["A1"]["single_year"]["days"] == 100    # (100 + 100 + 101) / 3 = 100.33 -> 100


def test_percent_within_threshold_counts_a_wait_at_the_threshold():
    children = clean([
        adopted_after("AT", "2017-05-01", 426, a2_days=121),
        adopted_after("OVER", "2017-06-01", 427, a2_days=122),
        adopted_after("UNDER", "2017-07-01", 300, a2_days=0),
    ])
    card = scorecard(children, date(2018, 1, 31))
    ytd = card["A1"]["year_to_date"]
    # 426 and 300 are within 426 days, 427 is not: 2 of 3 = 66.7%
    assert (ytd["n_within"], ytd["n"]) == (2, 3)
    assert ytd["pct_within"] == pytest.approx(200 / 3)
    assert card["A1"]["pct_within"]["year_to_date"] == pytest.approx(200 / 3)
    # A2 against its own threshold of 121: 121 and 0 within, 122 not
    assert card["A2"]["year_to_date"]["n_within"] == 2
    assert card["A1"]["threshold"] == 426 and card["A2"]["threshold"] == 121
    # a configured threshold (the 2018 report printed 428) moves the 427-day child inside
    assert scorecard(children, date(2018, 1, 31), {"A1": 428})["A1"]["year_to_date"][
        "n_within"] == 3


def test_monthly_indicators_in_the_canonical_long_frame():
    children = clean([
        adopted_after("A", "2016-06-01", 500, a2_days=200),
        adopted_after("B", "2017-06-01", 600, a2_days=100),
        adopted_after("C", "2017-12-01", 301, a2_days=50),
    ])
    frame = monthly_indicators(children, "E08000031",
                               [date(2017, 4, 30), pd.Timestamp("2018-01-31")],
                               {"A1": 426, "A10": 426, "A2": 121})
    assert set(frame["indicator_code"]) == {
        "A1_DAYS_3YR", "A1_DAYS_1YR", "A1_WITHIN_PCT", "A2_DAYS_3YR", "A2_DAYS_1YR",
        "A10_DAYS_3YR", "A10_DAYS_1YR", "ADOPTIONS_NUMBER"}
    get = frame.set_index(["period_label", "indicator_code"])

    # April 2017: nobody adopted yet in 2017-18 -> missing, not zero; the count is a true 0
    apr_1yr = get.loc[("Apr 2017", "A1_DAYS_1YR")]
    assert math.isnan(apr_1yr["value"])
    assert apr_1yr["missing_reason"] == "no children adopted in the period"
    assert get.loc[("Apr 2017", "ADOPTIONS_NUMBER"), "value"] == 0
    assert get.loc[("Apr 2017", "A1_DAYS_3YR"), "value"] == 500   # only child A (2016-17)

    jan = get.loc["Jan 2018"]
    # 3 years (2015-16 to 2017-18): (500 + 600 + 301) / 3 = 1401 / 3 = 467
    assert jan.loc["A1_DAYS_3YR", ["value", "numerator", "denominator"]].tolist() == [
        467, 1401, 3]
    # 2017-18 to date: (600 + 301) / 2 = 450.5 -> 451
    assert jan.loc["A1_DAYS_1YR", ["value", "numerator", "denominator"]].tolist() == [
        451, 901, 2]
    # within 426 days in 2017-18 to date: only C (301) -> 1 of 2 = 50%
    assert jan.loc["A1_WITHIN_PCT", ["value", "numerator", "denominator"]].tolist() == [
        50, 1, 2]
    # A2 3 years: (200 + 100 + 50) / 3 = 116.67 -> 117
    assert jan.loc["A2_DAYS_3YR", "value"] == 117
    assert jan.loc["ADOPTIONS_NUMBER", "value"] == 2
    assert math.isnan(jan.loc["ADOPTIONS_NUMBER", "denominator"])

    assert (frame["period_type"] == "month").all() and (frame["status"] == "final").all()
    assert (frame["area_code"] == "E08000031").all() and (frame["breakdown"] == "").all()
    assert frame["source_row"].isna().all() and (frame["source_column"] == "").all()
    assert frame.loc[0, "period_start"] == pd.Timestamp("2017-04-01")
    assert frame.loc[0, "period_end"] == pd.Timestamp("2017-04-30")


def test_children_waiting_as_at_a_month():
    children = clean([
        row("PO", "2016-05-01", po="2017-03-01"),
        row("IN_CARE", "2017-07-01"),
        row("ADOPTED_LATER", "2016-01-01", po="2016-06-01", matched="2017-06-01",
            placed="2017-09-01", order="2018-03-01"),
        row("ADOPTED", "2015-01-01", placed="2016-01-01", order="2017-03-01"),
        row("NOT_YET_IN_CARE", "2018-03-01"),
    ])
    waiting = children_waiting(children, date(2018, 1, 31))
    assert waiting["child_id"].tolist() == ["ADOPTED_LATER", "PO", "IN_CARE"]
    days = dict(zip(waiting["child_id"], waiting["days_waiting"]))
    # 1 May 2016 -> 31 Jan 2018 = 365 + 245 (May..Dec) + 30 = 640
    assert days["PO"] == 640
    # 1 Jul 2017 -> 31 Jan 2018 = 184 (Jul..Dec) + 30 = 214
    assert days["IN_CARE"] == 214
    stages = dict(zip(waiting["child_id"], waiting["stage"]))
    assert stages == {"ADOPTED_LATER": "placed for adoption", "PO": "placement order",
                      "IN_CARE": "in care"}
    assert "date_of_birth" not in waiting.columns


# --- refusals: child id, row and column ----------------------------------------------------

def errors(problems):
    return [(p.row, p.column) for p in problems if p.severity == "error"]


@pytest.mark.parametrize("bad, column", [
    (row("C2", "2016-04-01", matched="2016-03-01"), "date_matched"),
    (row("C2", "2016-04-01", placed="2016-03-01"), "date_placed_for_adoption"),
    (row("C2", "2016-04-01", placed="2016-06-01", order="2016-05-01"), "date_adoption_order"),
    (row("C2", "2016-04-01", po="2016-03-01"), "date_placement_order"),
    (row("C2", "2016-04-01", placed="2019-01-01"), "date_placed_for_adoption"),   # future
    (row("C2", "2016-04-01", placed="2017-01-01", fc="Y", order="2017-06-01"),
     "date_moved_in_with_foster_carers"),
    (row("C2", "2016-04-01", placed="31/02/2017"), "date_placed_for_adoption"),   # no 31 Feb
    (row("C2", "2016-04-01", fc="maybe"), "adopted_by_foster_carers"),
    (row("", "2016-04-01"), "child_id"),
    (row("C2", ""), "date_entered_care"),
])
def test_refuses_a_bad_row_naming_row_and_column(bad, column):
    good = row("C1", "2016-04-01", placed="2017-01-01", order="2017-06-01")
    children, problems = parse([good, bad])
    assert errors(problems) == [(3, column)]   # header is row 1, so the second child is row 3
    p = [p for p in problems if p.severity == "error"][0]
    assert p.file == "adoptions.csv"
    if bad[0]:
        assert "child C2" in p.message
    assert "row 3" in p.message and column in p.message
    assert children["child_id"].tolist() == ["C1"]   # the bad row is not counted


def test_problems_name_the_column_as_the_file_spells_it():
    headers = ["Child ID", "LAC start date", "Date placed", "Adopted by foster carer",
               "Date moved in with foster carers", "Placement order granted", "Date matched",
               "Adoption order date"]
    _, problems = parse([["C7", "01/04/2016", "01/03/2016", "N", "", "", "", ""]], headers)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "Date placed", "01/03/2016")]
    assert "C7" in problems[0].message and "2016-04-01" in problems[0].expected


def test_the_same_child_twice():
    first = row("C1", "2016-04-01", placed="2017-01-01", order="2017-06-01")
    other = row("C2", "2016-04-01", placed="2017-01-01", order="2017-06-01")
    # an identical repeat is dropped quietly
    children, problems = parse([first, other, first])
    assert problems == []
    assert children["child_id"].tolist() == ["C1", "C2"]
    # a repeat with a different date is refused at the repeat's row, naming the first row
    changed = row("C1", "2016-04-01", placed="2017-02-01", order="2017-06-01")
    children, problems = parse([first, other, changed])
    assert errors(problems) == [(4, "date_placed_for_adoption")]
    assert "row 2" in problems[0].message and "C1" in problems[0].message
    assert children["child_id"].tolist() == ["C2"]


def test_a_missing_template_column_is_refused_by_name():
    headers = [h for h in HEADERS if h != "date_matched"]
    raw = raw_table([["C1", "", "2016-04-01", "", "", "N", "", ""]], headers)
    children, problems = parse_children(raw, file_name="adoptions.csv", today=TODAY)
    assert [(p.column, p.severity) for p in problems] == [("date_matched", "error")]
    assert children.empty


def test_children_not_yet_adopted_are_kept_but_not_counted():
    children = clean([
        adopted_after("A", "2017-06-01", 500),
        row("WAITING", "2016-01-01", po="2016-06-01", matched="2017-01-01"),
    ])
    assert children["child_id"].tolist() == ["A", "WAITING"]
    card = scorecard(children, date(2018, 1, 31))
    assert (card["A1"]["three_year"]["n"], card["A2"]["three_year"]["n"]) == (1, 0)
    assert card["A2"]["three_year"]["days"] is None   # missing, not 0


def test_thresholds_by_financial_year_from_the_catalogue():
    import dataclasses

    from pipelines.measures.adoption import catalogue_thresholds
    from pipelines.core.catalogue import Catalogue, load_catalogue

    cat = load_catalogue()
    # The 2018 report printed 428 days for A1 and A10 in 2017-18; 426 otherwise.
    inds = [dataclasses.replace(i, targets_by_year={"2017-18": 428})
            if i.code in ("A1_DAYS_3YR", "A10_DAYS_3YR") else i for i in cat.indicators]
    cat = Catalogue(inds, cat.sections)
    thresholds = catalogue_thresholds(cat)
    assert thresholds("2017-18")["A1"] == 428 and thresholds("2018-19")["A1"] == 426
    assert thresholds("2017-18")["A2"] == 121

    children = clean([adopted_after("OVER", "2017-06-01", 427)])
    # As at January 2018 (2017-18) the 427-day wait is within 428 days ...
    jan = scorecard(children, date(2018, 1, 31), thresholds)
    assert (jan["A1"]["threshold"], jan["A1"]["three_year"]["n_within"]) == (428, 1)
    # ... as at April 2018 (2018-19) the threshold is 426 again and it is over.
    apr = scorecard(children, date(2018, 4, 30), thresholds)
    assert (apr["A1"]["threshold"], apr["A1"]["three_year"]["n_within"]) == (426, 0)
    # Each month of the stored indicators uses its own year's threshold: 100% then 0%.
    # (March 2018: OVER, 427 <= 428; April 2018: LATER, adopted 2018-19, 427 > 426.)
    both = clean([adopted_after("OVER", "2017-06-01", 427), adopted_after("LATER", "2018-04-15", 427)])
    rows = monthly_indicators(both, "E08000031", [date(2018, 3, 31), date(2018, 4, 30)],
                              thresholds)
    pct = rows[rows.indicator_code == "A1_WITHIN_PCT"]
    assert pct["value"].tolist() == [100.0, 0.0]
    # A dict by year works as well as a callable.
    by_year = {"A1": {"2017-18": 428}}
    assert scorecard(children, date(2018, 1, 31), by_year)["A1"]["threshold"] == 428
