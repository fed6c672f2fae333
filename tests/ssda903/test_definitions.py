"""Each definition on small hand-worked cases (figures worked out by hand in the comments)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pipelines.measures.ssda903 import definitions as d
from pipelines.measures.ssda903.adoption import adoption_children
from pipelines.measures import adoption as scorecard
from tests.ssda903.helpers import (at, care, csv, episode, episodes_file, header_file, pid,
                                   reviews_file)


# ------------------------------------------------------------------ looked after at a date

def test_child_leaving_on_the_month_end_is_not_counted_and_short_breaks_are_left_out():
    c = care({"e.csv": episodes_file([
        episode(1, "01/04/2019", "S", "C2", "U4"),                           # in care
        episode(2, "01/04/2019", "S", "V2", "K2", "30/04/2019", "E8"),       # left on 30 Apr
        episode(3, "10/04/2019", "S", "V3", "K2"),                           # short breaks
        episode(4, "02/05/2019", "S", "C1", "U1"),                           # starts in May
    ])})
    n = d.cla_number(c)
    assert at(n, "2019-04-30")["value"] == 1      # child 1 only (2 left that day, 3 short break)
    assert at(n, "2019-05-31")["value"] == 2      # children 1 and 4


def test_starts_and_ends_count_each_child_once_in_the_rolling_year():
    c = care({"e.csv": episodes_file([
        episode(1, "01/06/2019", "S", "V2", "U4", "01/07/2019", "E4A"),
        episode(1, "01/09/2019", "S", "V2", "U4", "01/10/2019", "E4A"),      # again: once
        episode(2, "01/05/2019", "S", "V3", "K2", "03/05/2019", "E4A"),      # short break
        episode(3, "15/03/2020", "S", "C1", "U5"),
    ])}, first_day=date(2019, 4, 1))
    pop = pd.DataFrame({"period_start": [pd.Timestamp("2019-01-01")], "value": [20000.0]})
    starts = d.starts_12m(c, pop)
    ends = d.ends_12m(c, pop)
    # 2 children started (1 and 3): 2 / 20,000 x 10,000 = 1.0; 1 child ended: 0.5
    assert at(starts, "2020-03-31")[["numerator", "denominator", "value"]].tolist() == \
        [2.0, 20000.0, 1.0]
    assert at(ends, "2020-03-31")["value"] == 0.5
    # Without a population the rate is missing with a reason, not zero.
    no_pop = d.starts_12m(c, None)
    row = at(no_pop, "2020-03-31")
    assert pd.isna(row["value"]) and "POP_0_17" in row["missing_reason"]


def test_female_and_bme_shares_leave_unknowns_out():
    c = care({"e.csv": episodes_file([episode(i, "01/04/2019", "S", "C2", "U4")
                                      for i in (1, 2, 3, 4)]),
              "h.csv": header_file([(1, 2, "15/06/2010", "WBRI"), (2, 2, "01/01/2011", "BAFR"),
                                    (3, 1, "01/01/2012", "REFU"), (4, 1, "01/01/2012", "MWBC")])})
    f = at(d.female_pct(c), "2019-04-30")
    assert (f["numerator"], f["denominator"], f["value"]) == (2, 4, 50.0)
    b = at(d.bme_pct(c), "2019-04-30")
    # REFU is left out: BAFR and MWBC of WBRI, BAFR, MWBC
    assert (b["numerator"], b["denominator"]) == (2, 3)


def test_placement_groups_and_own_provision_fostering():
    c = care({"e.csv": episodes_file([
        episode(1, "01/04/2019", "S", "C2", "U4", provider="PR1"),   # in-house foster
        episode(2, "01/04/2019", "S", "C2", "U5", provider="PR4"),   # agency foster
        episode(3, "01/04/2019", "S", "C2", "U1", provider="PR1"),   # friends and family
        episode(4, "01/04/2019", "S", "C2", "K2", provider="PR4"),   # residential
        episode(5, "01/04/2019", "S", "E1", "A4", provider="PR1"),   # placed for adoption
        episode(6, "01/04/2019", "S", "C2", "P1", provider="PR0"),   # with parents
        episode(7, "01/04/2019", "S", "V2", "H5", provider="PR4"),   # semi-independent
    ])})
    types = {k: at(v, "2019-04-30")["value"] for k, v in d.placement_types(c).items()}
    assert types == {"in_house_foster": 1, "agency_foster": 1, "friends_family": 1,
                     "residential": 1, "placed_for_adoption": 1, "placed_with_parents": 1,
                     "independent_living": 1, "other": 0}
    own = at(d.inhouse_foster_pct(c), "2019-04-30")
    assert (own["numerator"], own["denominator"]) == (2, 7)     # U4 PR1 and U1 PR1 of all 7
    fostered = at(d.fostered_inhouse_pct(c), "2019-04-30")
    assert (fostered["numerator"], fostered["denominator"]) == (2, 3)


# ------------------------------------------------------------------ stability

def _moves(third_move: str):
    """Child 1: in care from 2018, moves on 1 Jun 2019 and on `third_move`."""
    return care({"e.csv": episodes_file([
        episode(1, "01/01/2018", "S", "C2", "U4", "01/06/2019", "X1", urn="A"),
        episode(1, "01/06/2019", "P", "C2", "U5", third_move, "X1", urn="B"),
        episode(1, third_move, "P", "C2", "K2", urn="C"),
    ])}, first_day=date(2018, 1, 1))


def test_third_placement_on_the_last_day_of_the_window_counts():
    # Window for 31 Mar 2020: 1 Apr 2019 to 31 Mar 2020. Placements: the one held on 1 Apr
    # 2019 (A), B (1 Jun 2019) and C on 31 Mar 2020, the window's last day: 3 placements.
    f = at(d.stability_fewer_3(_moves("31/03/2020")), "2020-03-31")
    assert (f["numerator"], f["denominator"], f["value"]) == (0, 1, 0.0)


def test_third_placement_the_day_after_the_window_does_not_count():
    f = at(d.stability_fewer_3(_moves("01/04/2020")), "2020-03-31")
    assert (f["numerator"], f["denominator"]) == (1, 1)


def test_legal_status_changes_and_temporary_absences_are_not_placements():
    c = care({"e.csv": episodes_file([
        episode(1, "01/01/2018", "S", "V2", "U4", "01/06/2019", "X1", urn="A"),
        episode(1, "01/06/2019", "L", "C2", "U4", "01/08/2019", "X1", urn="A"),   # status only
        episode(1, "01/08/2019", "P", "C2", "T2", "10/08/2019", "X1", urn="H"),   # holiday
        episode(1, "10/08/2019", "P", "C2", "U4", "01/02/2020", "X1", urn="A"),   # back again
        episode(1, "01/02/2020", "P", "C2", "U5", urn="B"),                       # real move
    ])}, first_day=date(2018, 1, 1))
    p = d.placements_in_window(c, [pd.Timestamp("2020-03-31")])
    assert p["placements"].tolist() == [2]


def test_long_term_stability_walks_back_over_same_carer_episodes():
    hdr = header_file([(1, 1, "15/05/2008", "WBRI"), (2, 1, "15/05/2008", "WBRI"),
                       (3, 1, "15/03/2004", "WBRI")])
    c = care({"e.csv": episodes_file([
        # child 1: same carer since 1 Jan 2017 (an L change in 2019): stable
        episode(1, "01/01/2017", "S", "V2", "U4", "01/06/2019", "X1"),
        episode(1, "01/06/2019", "L", "C2", "U4"),
        # child 2: moved carer on 1 Jun 2018: 22 months at 31 Mar 2020, not stable
        episode(2, "01/01/2017", "S", "C2", "U4", "01/06/2018", "X1"),
        episode(2, "01/06/2018", "P", "C2", "U5"),
        # child 3: turns 16 in March 2020: out of the cohort
        episode(3, "01/01/2017", "S", "C2", "U4"),
    ]), "h.csv": hdr}, first_day=date(2017, 1, 1))
    f = at(d.stability_long_term(c), "2020-03-31")
    assert (f["numerator"], f["denominator"]) == (1, 2)


def test_placed_for_adoption_counts_adoptive_and_previous_placement_together():
    hdr = header_file([(1, 1, "15/05/2015", "WBRI")])
    c = care({"e.csv": episodes_file([
        episode(1, "01/01/2017", "S", "C2", "U4", "01/01/2018", "X1"),
        episode(1, "01/01/2018", "P", "C2", "U5", "01/01/2020", "X1"),   # 2 years before A
        episode(1, "01/01/2020", "P", "E1", "A4"),                       # placed 1 Jan 2020
    ]), "h.csv": hdr}, first_day=date(2017, 1, 1))
    f = at(d.stability_long_term(c), "2020-03-31")
    # adoptive placement (3 months) + previous (2 years) = 2 years 3 months
    assert (f["numerator"], f["denominator"]) == (1, 1)


# ------------------------------------------------------------------ reviews

def test_twenty_working_days_skip_easter_bank_holidays():
    # In care Monday 16 March 2020; counting from Tuesday 17 March, skipping weekends and
    # Good Friday (10 Apr) and Easter Monday (13 Apr), the 20th working day is Wednesday
    # 15 April. Without the bank holidays it would be Easter Monday itself.
    due = d.add_working_days(pd.Series([pd.Timestamp("2020-03-16")]), 20)
    assert due.iloc[0] == pd.Timestamp("2020-04-15")


def _reviewed(decom: str, first_review: str | None):
    rows = [] if first_review is None else [(1, first_review, "PN1")]
    return care({"e.csv": episodes_file([episode(1, decom, "S", "C1", "U4")]),
                 "r.csv": reviews_file(rows)}, first_day=date(2020, 3, 1),
                last_day=date(2021, 3, 31))


def test_first_review_due_over_christmas_bank_holidays():
    # In care Wednesday 2 December 2020. Counting weekdays only, the 20th would be Wednesday
    # 30 December; skipping Christmas Day, Boxing Day (observed Monday 28 December) and New
    # Year's Day it is Monday 4 January 2021. So at the end of December no review is due yet:
    # the child is not in the cohort (counting weekdays only would make them overdue).
    due = d.add_working_days(pd.Series([pd.Timestamp("2020-12-02")]), 20)
    assert due.iloc[0] == pd.Timestamp("2021-01-04")
    f = at(d.reviews_up_to_date(_reviewed("02/12/2020", None)), "2020-12-31")
    assert f["denominator"] == 0
    # No review by the end of January: overdue.
    f = at(d.reviews_up_to_date(_reviewed("02/12/2020", None)), "2021-01-31")
    assert (f["numerator"], f["denominator"]) == (0, 1)
    # Reviewed on the due day: up to date (the second is due by 4 April).
    f = at(d.reviews_up_to_date(_reviewed("02/12/2020", "04/01/2021")), "2021-03-31")
    assert (f["numerator"], f["denominator"]) == (1, 1)


def test_child_not_yet_due_a_first_review_is_not_in_the_cohort():
    f = at(d.reviews_up_to_date(_reviewed("16/03/2020", None)), "2020-03-31")
    assert f["denominator"] == 0 and pd.isna(f["value"])
    assert f["missing_reason"]          # missing with a reason, never 0%


def test_later_reviews_every_three_then_six_months():
    c = care({"e.csv": episodes_file([episode(1, "02/01/2019", "S", "C1", "U4")]),
              "r.csv": reviews_file([(1, "20/01/2019", "PN1"), (1, "19/04/2019", "PN0"),
                                     (1, "18/10/2019", "PN7")])}, first_day=date(2019, 1, 1),
             last_day=date(2020, 4, 30))
    f = d.reviews_up_to_date(c)
    assert at(f, "2019-04-30")["numerator"] == 1   # second within 3 months of 20 Jan
    assert at(f, "2019-10-31")["numerator"] == 1   # third by 19 Oct (6 months after 19 Apr)
    assert at(f, "2020-04-30")["numerator"] == 0   # fourth was due by 18 Apr 2020
    part = d.review_participation(c)
    # 2019-20 to October: 19 Apr is PN0 (under 4, left out); 18 Oct PN7 (did not take part)
    assert at(part, "2019-10-31")[["numerator", "denominator"]].tolist() == [0, 1]
    assert at(part, "2019-03-31")[["numerator", "denominator"]].tolist() == [1, 1]


def test_reviews_on_time_over_the_rolling_year_with_a_review_due_on_a_bank_holiday():
    # A and B come into care Wednesday 13 January 2021: 20 working days later is Wednesday
    # 10 February; both are first reviewed on 3 February (on time). Their second review is
    # due 3 months later, Monday 3 May 2021: the Early May bank holiday. The due date is not
    # moved (reg 33: within three months; only the first review counts working days), so A,
    # reviewed the Friday before (30 April), is on time; B, reviewed the next working day
    # (4 May), is late.
    # C comes into care Monday 15 March 2021: skipping Good Friday (2 Apr) and Easter Monday
    # (5 Apr) the 20th working day is Wednesday 14 April (weekdays only: Monday 12 April).
    # C is first reviewed on 14 April: on time only because the bank holidays are skipped.
    # D comes into care Wednesday 1 April 2020: the 20th working day (Good Friday 10 and
    # Easter Monday 13 April 2020 skipped) is Friday 1 May 2020; D is first reviewed late, on
    # 29 May 2020, then on time: 20 August 2020 (due 29 August), 19 February 2021 (due
    # 20 February). D's late review is inside the 12 months ending 30 April 2021 (from 1 May
    # 2020) and outside those ending 31 May 2021 (from 1 June 2020).
    c = care({"e.csv": episodes_file([episode(1, "13/01/2021", "S", "C2", "U4"),
                                      episode(2, "13/01/2021", "S", "C2", "U4"),
                                      episode(3, "15/03/2021", "S", "C2", "U4"),
                                      episode(4, "01/04/2020", "S", "C2", "U4")]),
              "r.csv": reviews_file([(1, "03/02/2021", "PN1"), (1, "30/04/2021", "PN1"),
                                     (2, "03/02/2021", "PN1"), (2, "04/05/2021", "PN1"),
                                     (3, "14/04/2021", "PN1"),
                                     (4, "29/05/2020", "PN1"), (4, "20/08/2020", "PN1"),
                                     (4, "19/02/2021", "PN1")])},
             first_day=date(2020, 4, 1), last_day=date(2021, 7, 31))
    late = d.late_reviews(c)
    assert sorted(zip(late["CHILD"], late["REVIEW"].dt.strftime("%d/%m/%Y"),
                      late["due"].dt.strftime("%d/%m/%Y"))) == sorted([
        (pid(2), "04/05/2021", "03/05/2021"), (pid(4), "29/05/2020", "01/05/2020")])
    f = d.reviews_on_time_12m(c)
    # 30 April 2021: A (second review held the day of the month end), B (second not yet
    # due) and C on time; D's late review of 29 May 2020 is in the window.
    assert at(f, "2021-04-30")[["numerator", "denominator"]].tolist() == [3, 4]
    # 31 May 2021: B's review of 4 May was late; D's late review has left the window.
    assert at(f, "2021-05-31")[["numerator", "denominator"]].tolist() == [3, 4]
    assert at(f, "2021-05-31")["value"] == 75.0
    # None of the four is overdue at 31 May: the snapshot measure counts B and D as up to
    # date; only the rolling measure sees their late reviews.
    assert at(d.reviews_up_to_date(c), "2021-05-31")[["numerator", "denominator"]].tolist() \
        == [4, 4]
    # 31 July 2021: C's second review (due 14 July) was never held: overdue, not on time.
    assert at(f, "2021-07-31")[["numerator", "denominator"]].tolist() == [2, 4]
    # The window must lie inside the data: no figure before March 2021 (from 1 April 2020).
    assert pd.Timestamp("2021-02-28") not in f.index


# ------------------------------------------------------------------ asylum and missing

def test_uasc_counted_until_status_ends():
    c = care({"e.csv": episodes_file([episode(i, "01/04/2019", "S", "V2", "U4")
                                      for i in (1, 2, 3)]),
              "u.csv": csv(["CHILD", "SEX", "DOB", "DUC"],
                           [[1, 1, "01/01/2003", ""], [2, 1, "01/01/2003", "15/06/2019"]])})
    assert at(d.uasc_number(c), "2019-05-31")["value"] == 2
    assert at(d.uasc_number(c), "2019-06-30")["value"] == 1
    a = at(d.asylum_pct(c), "2019-06-30")
    assert (a["numerator"], a["denominator"]) == (1, 3)


def test_missing_counts_m_incidents_not_away():
    c = care({"e.csv": episodes_file([episode(i, "01/04/2019", "S", "V2", "U4")
                                      for i in (1, 2, 3)]),
              "m.csv": csv(["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
                           [[1, "01/01/2005", "M", "01/06/2019", "02/06/2019"],
                            [1, "01/01/2005", "M", "01/07/2019", "02/07/2019"],
                            [2, "01/01/2005", "A", "01/06/2019", "02/06/2019"]])},
             first_day=date(2019, 4, 1))
    f = at(d.missing_12m(c), "2020-03-31")
    assert (f["numerator"], f["denominator"]) == (1, 3)


def test_social_workers_missing_with_a_reason_when_table_not_given():
    c = care({"e.csv": episodes_file([episode(1, "01/04/2019", "S", "V2", "U4")])})
    assert d.sw_3plus(c) is None


def test_three_social_workers_in_the_year():
    sw = csv(["CHILD", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
             [[1, "A", "01/04/2019", "01/06/2019", ""], [1, "B", "01/06/2019", "01/09/2019", ""],
              [1, "C", "01/09/2019", "", ""], [2, "A", "01/04/2019", "", ""]])
    c = care({"e.csv": episodes_file([episode(1, "01/04/2019", "S", "V2", "U4"),
                                      episode(2, "01/04/2019", "S", "V2", "U4")]),
              "sw.csv": sw}, first_day=date(2019, 4, 1))
    f = at(d.sw_3plus(c), "2020-03-31")
    assert (f["numerator"], f["denominator"]) == (1, 2)


# ------------------------------------------------------------------ adoption

def test_child_adopted_by_their_foster_carer_stops_the_a10_clock_at_moving_in():
    ad1 = csv(["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR",
               "SEX_ADOPTR", "LS_ADOPTR"],
              [[1, "01/03/2016", "01/12/2018", "01/02/2019", 1, 2, "MF", "L0"]])
    c = care({"e.csv": episodes_file([
        episode(1, "01/01/2018", "S", "C2", "U4", "01/06/2018", "X1", urn="F"),
        episode(1, "01/06/2018", "L", "E1", "U4", "01/03/2019", "X1", urn="F"),
        episode(1, "01/03/2019", "T", "E1", "A5", "01/10/2019", "E11", urn="F"),
        episode(99, "01/12/2019", "S", "C1", "U4"),     # another child: the file is 2019-20
    ]), "a.csv": ad1}, first_day=date(2017, 4, 1))
    kids = adoption_children(c)
    days = scorecard.child_days(kids).iloc[0]
    assert days["a1_days"] == 424     # 1 Jan 2018 -> 1 Mar 2019 (moved in as adoptive)
    assert days["a10_days"] == 0      # living with those carers since entering care
    assert days["a2_days"] == 245     # placement order 1 Jun 2018 -> matched 1 Feb 2019
    assert kids.iloc[0]["child_id"] == pid(1)


def test_adopted_child_whose_care_began_before_the_files_is_left_out_and_listed():
    quality = []
    c = care({"e.csv": episodes_file([
        episode(1, "01/01/2016", "P", "E1", "A4", "01/10/2019", "E11"),
        episode(99, "01/12/2019", "S", "C1", "U4"),
    ])}, first_day=date(2019, 4, 1))
    assert adoption_children(c, quality).empty
    assert quality and quality[0]["rule"] == "entry date unknown"


# ------------------------------------------------------------------ OC2 / OC3

def test_oc2_cohort_is_twelve_months_continuous_and_oc3_ages_17_to_21():
    oc2 = csv(["CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
               "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
               "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
              [[1, "01/01/2010", "", "", 0, 1, 1, 0, 1, 0, 0, 0],
               [2, "01/01/2010", "", "", 0, 1, 0, 1, 1, 0, 0, 0]])
    oc3 = csv(["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
              [[7, "15/06/2001", "YES", "F2", "U1"],     # 18 at 31 Mar 2020: EET, suitable
               [8, "15/06/2001", "NO", "G5", "B2"],      # 18: NEET, not suitable
               [9, "15/06/2001", "DIED", "0", "0"],      # died: left out
               [10, "15/06/1995", "YES", "F2", "U1"]])   # 24: not a care leaver cohort
    files = {"2019-episodes.csv": episodes_file([
        episode(1, "01/01/2018", "S", "C2", "U4"),
        episode(2, "01/06/2019", "S", "C2", "U4"),    # in care under 12 months: not in cohort
    ]), "2019-oc2.csv": oc2, "2019-oc3.csv": oc3}
    c = care(files)
    assert d.oc2_pct(c, date(2020, 3, 31), "HEALTH_ASSESSMENT") == (100.0, 1.0, 1.0)
    assert d.oc2_pct(c, date(2020, 3, 31), "TEETH_CHECK") == (0.0, 0.0, 1.0)
    assert d.oc3_eet(c, date(2020, 3, 31)) == (50.0, 1.0, 2.0)
    assert d.oc3_suitable(c, date(2020, 3, 31)) == (50.0, 1.0, 2.0)


def test_oc3_leaves_out_transferred_and_short_break_care_leavers():
    # Care leavers aged 18 at 31 March 2020 (17th-21st birthday in 2019-20). DfE leaves out
    # those who died, returned home 6+ months (RHOM), whose care was transferred to another
    # authority (last episode ended E3) and those under an agreed series of short breaks when
    # they left care (last episode V3/V4).
    oc3 = csv(["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
              [[11, "15/06/2001", "YES", "F1", "U1"],    # counts: EET, suitable
               [12, "15/06/2001", "YES", "F2", "U1"],    # transferred (E3): left out
               [13, "15/06/2001", "YES", "G5", "B2"],    # only ever short breaks: left out
               [14, "15/06/2001", "NO", "0", "0"],       # full care, then short breaks: out
               [15, "15/06/2001", "YES", "P4", "Z2"],    # short breaks, then full care: counts
               [16, "15/06/2001", "RHOM", "0", "0"],     # home 6+ months: left out
               [17, "15/06/2001", "YES", "G6", "W2"]])   # no episode in the files: counts
    files = {"2019-episodes.csv": episodes_file([
        episode(1, "01/06/2019", "S", "C2", "U4"),      # someone in care in 2019-20
        episode(11, "01/01/2017", "S", "C2", "U4", "15/06/2019", "E5"),
        episode(12, "01/01/2017", "S", "C2", "U4", "01/03/2019", "E3"),
        episode(13, "01/05/2018", "S", "V3", "U4", "03/05/2018", "E4A"),
        episode(13, "01/08/2018", "S", "V3", "U4", "04/08/2018", "E4A"),
        episode(14, "01/01/2016", "S", "C2", "U4", "01/01/2018", "E4A"),
        episode(14, "01/03/2018", "S", "V4", "U4", "05/03/2018", "E4A"),
        episode(15, "01/01/2016", "S", "V3", "U4", "04/01/2016", "E4A"),
        episode(15, "01/02/2017", "S", "C2", "U4", "15/06/2019", "E6"),
    ]), "2019-oc3.csv": oc3}
    c = care(files)
    ye = date(2020, 3, 31)
    leavers = d.oc3_leavers(c, ye).set_index("CHILD")["left_out"]
    assert leavers[leavers.isna()].index.tolist() == [pid(11), pid(15), pid(17)]
    assert "E3" in leavers[pid(12)] and "short breaks" in leavers[pid(13)]
    assert "short breaks" in leavers[pid(14)] and "6 months" in leavers[pid(16)]
    # Cohort 11, 15, 17: EET 11 (F1) and 15 (P4); suitable only 11 (U1).
    # (Leaving in 12, 13 and 14 would give 3 of 6 and 2 of 6.)
    assert d.oc3_eet(c, ye) == (pytest.approx(200 / 3), 2.0, 3.0)
    assert d.oc3_suitable(c, ye) == (pytest.approx(100 / 3), 1.0, 3.0)
