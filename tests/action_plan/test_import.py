"""Importing the council's action plan and schedule of outstanding matters: the sample files
typed from the real papers load; column names are forgiven; every problem is reported at
once by row and column and a file with any error adds nothing; duplicates are asked about."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from pipelines.plan_uploads import check_plan_file, import_plan_file
from pipelines.sources.action_plan import ACTION_PLAN, SCHEDULE, parse_date, parse_plan_file
from pipelines.store.plan import norm_text, read_items
from pipelines.store.warehouse import ReadConnection
from tests.action_plan.conftest import AGREED, PLAN, REFERENCE, SAMPLE, SCHEDULE as SCHED_FILE
from tests.action_plan.conftest import warehouse_bytes

ACTION_PAPER = REFERENCE / "003_e3e2c4e25481c869.txt"
PACK_2018 = REFERENCE / "000_179aaf4b5c4b5a99.txt"


def _plan(catalogue):
    return parse_plan_file((SAMPLE / PLAN).read_bytes(), PLAN, catalogue, recorded_at=AGREED)


def test_the_sample_plan_is_the_papers_2013_14_plan(catalogue):
    p = _plan(catalogue)
    assert p.layout == ACTION_PLAN and not p.errors
    # counted by hand in the paper's "Action Plan 2013-14": 2 + 5 + 4 + 3 key actions
    assert p.counts["outcomes"] == 4 and p.counts["actions"] == 14
    per_outcome = [sum(a["outcome_key"] == o["key"] for a in p.actions) for o in p.outcomes]
    assert per_outcome == [2, 5, 4, 3]
    if not ACTION_PAPER.exists():
        pytest.skip("../shared/reference is not beside the repository")
    paper = norm_text(ACTION_PAPER.read_text(encoding="utf-8"))
    for o in p.outcomes:
        assert norm_text(o["outcome"]) in paper
    for a in p.actions:  # each action's opening words and date as the paper prints them
        assert " ".join(norm_text(a["action"]).split()[:5]) in paper, a["action"]
        if a["due_text"]:  # the paper's text splits some dates across cells ("201\t3")
            assert norm_text(a["due_text"]).replace(" ", "") in paper.replace(" ", "")


def test_the_sample_schedule_is_the_march_2018_schedule(catalogue):
    p = parse_plan_file((SAMPLE / SCHED_FILE).read_bytes(), SCHED_FILE, catalogue)
    assert p.layout == SCHEDULE and not p.errors
    assert p.counts == {"outcomes": 0, "actions": 0, "matters": 2, "requests": 3}
    assert {str(m["meeting_date"]) for m in p.matters} == {"2018-01-18"}
    if not PACK_2018.exists():
        pytest.skip("../shared/reference is not beside the repository")
    rows = [ln for ln in PACK_2018.read_text(encoding="utf-8").splitlines()
            if ln.startswith("18 January 2018\t")]
    assert [ln.split("\t")[1] for ln in rows] == [m["subject"] for m in p.matters
                                                  if m["kind"] == "matter"]


def test_dates_due_before_the_plan_was_agreed_are_allowed_but_flagged(catalogue):
    p = _plan(catalogue)
    flagged = [(w.row, w.value) for w in p.warnings if "already due" in w.message]
    # February 2013, March 2013 and January 2013 in a plan agreed on 26 June 2013
    assert flagged == [(7, "February 2013"), (8, "March 2013"), (16, "January 2013")]


def test_column_names_are_forgiven(catalogue):
    text = ("OUTCOME,Key Actions,Owner,By When,Stauts,6 Month Update,Linked indicators\n"
            "Better health,Run clinics,Nurse,Dec 2013,on track,Started,health checks pct\n")
    p = parse_plan_file(text.encode(), "plan.csv", catalogue)
    assert not p.errors, [e.message for e in p.errors]
    a = p.actions[0]
    assert (a["action"], a["owner"], str(a["due"]), a["status"], a["update_text"],
            a["indicators"]) == ("Run clinics", "Nurse", "2013-12-31", "progressing", "Started",
                                 "HEALTH_CHECKS_PCT")
    assert any("read this column as 'status'" in w.message and w.column == "Stauts"
               for w in p.warnings)


def test_every_problem_is_reported_at_once_and_nothing_is_imported(config, catalogue):
    text = ("Outcome,Key action,Who,By when,Status,Indicators\n"
            ",Orphan action,A,March 2014,progressing,\n"          # row 2: no outcome above
            "Better health,Run clinics,B,Marchember 2014,progressing,\n"   # row 3: bad date
            ",Audit files,C,May 2014,sort of,\n"                  # row 4: bad status
            ",Train carers,D,June 2014,not started,NOT_A_CODE\n")  # row 5: unknown code
    before = warehouse_bytes(config)
    done = import_plan_file(config.warehouse_path, text.encode(), "bad.csv", catalogue, "ed",
                            duplicates="add")
    where = [(e.row, e.column) for e in done.parsed.errors]
    assert where == [(2, "Outcome"), (3, "By when"), (4, "Status"), (5, "Indicators")]
    msgs = " ".join(e.message for e in done.parsed.errors)
    assert "bad.csv, row 3, column 'By when'" in msgs and "Marchember 2014" in msgs
    assert done.result is None and "nothing was imported" in done.message
    assert warehouse_bytes(config) == before


def test_an_xlsx_plan_loads_like_the_csv(catalogue):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in csv.reader(io.StringIO((SAMPLE / PLAN).read_text(encoding="utf-8"))):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    p = parse_plan_file(buf.getvalue(), "plan.xlsx", catalogue, recorded_at=AGREED)
    assert not p.errors and p.counts == _plan(catalogue).counts
    assert [a["action"] for a in p.actions] == [a["action"] for a in _plan(catalogue).actions]


def test_a_second_import_of_the_same_plan_asks_about_duplicates(config, catalogue):
    data = (SAMPLE / PLAN).read_bytes()
    db = config.warehouse_path
    before = warehouse_bytes(config)
    checked = check_plan_file(db, data, PLAN, catalogue)
    assert checked.duplicates == 14 and "already on the plan" in checked.message
    asked = import_plan_file(db, data, PLAN, catalogue, "ed")
    assert asked.result is None and warehouse_bytes(config) == before
    skipped = import_plan_file(db, data, PLAN, catalogue, "ed", duplicates="skip")
    assert skipped.result.actions_added == 0 and skipped.result.duplicates_skipped == 14
    assert len(read_items(ReadConnection(db), "action")) == 14
    added = import_plan_file(db, data, PLAN, catalogue, "ed", duplicates="add")
    assert added.result.actions_added == 14 and added.result.outcomes_added == 0
    assert len(read_items(ReadConnection(db), "action")) == 28


def test_schedule_problems_by_row_and_column(catalogue):
    text = ("Date of meeting,Subject,Lead member/officer,Current position,Type\n"
            "18 January 2018,Performance report,Emma Bennett,Waiting,matter\n"
            "sometime,,Emma Bennett,Waiting,gossip\n")
    p = parse_plan_file(text.encode(), "sched.csv", catalogue)
    assert [(e.row, e.column) for e in p.errors] == [
        (3, "Date of meeting"), (3, "Subject"), (3, "Type")]


def test_a_request_may_name_a_measure_that_does_not_exist_yet(catalogue):
    text = ("Date of meeting,Type,Subject,Indicators\n"
            "18/01/2018,request,Care proceedings v neighbours,CARE_PROCEEDINGS_RATE\n")
    p = parse_plan_file(text.encode(), "req.csv", catalogue)
    assert not p.errors and p.matters[0]["indicators"] == "CARE_PROCEEDINGS_RATE"
    assert "will link to it once it is in the catalogue" in p.warnings[0].message


@pytest.mark.parametrize("text, expected", [
    ("August 2013", "2013-08-31"), ("Sept 2012", "2012-09-30"), ("2014-03", "2014-03-31"),
    ("31/03/2014", "2014-03-31"), ("2014-03-15", "2014-03-15"),
    ("18 January 2018", "2018-01-18"), ("On-going Review December 2012", "2012-12-31"),
    ("soon", "None")])
def test_dates_as_the_papers_write_them(text, expected):
    assert str(parse_date(text)[0]) == expected
