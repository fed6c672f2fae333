"""What the board reads: states and overdue flags in words and symbols as at a date (checked
by hand against the paper's dates), private notes only when asked for, linked indicators
with the warehouse's own latest figure and an SPC reading, actions by indicator."""
from __future__ import annotations

from datetime import date

import pytest

from pipelines.store.queries import Warehouse
from present.action_plan import indicator_actions, is_overdue, plan_view


@pytest.fixture
def wh(config):
    return Warehouse(config)


@pytest.mark.parametrize("on, overdue", [
    # Due dates in the 2013-14 plan, none completed: Aug 2013, Feb 2013, Mar 2013, Oct 2013,
    # Jan 2013 fall before 31 Dec 2013; the three December 2013 ones join in January 2014;
    # by 2018 all but the one with no date (13 of 14).
    (date(2013, 6, 26), 3), (date(2013, 12, 31), 5), (date(2014, 1, 31), 8),
    (date(2018, 1, 31), 13)])
def test_overdue_flags_as_at_a_date(wh, on, overdue):
    view = plan_view(wh, on)
    assert view.counts["overdue"] == overdue
    assert sum(a.overdue_label == "⚠ Overdue" for a in view.actions) == overdue
    assert f"{overdue} overdue" in view.summary


def test_the_plan_did_not_exist_before_it_was_agreed(wh):
    view = plan_view(wh, date(2013, 6, 25))
    assert view.outcomes == [] and "Nothing was on the action plan" in view.summary


def test_states_are_words_and_symbols(wh):
    actions = plan_view(wh, date(2014, 1, 31)).actions
    first = actions[0]
    assert first.due_label == "August 2013"
    assert first.state_label == "▶ Progressing in timescale; ⚠ Overdue"
    assert actions[1].state_label == "▶ Progressing in timescale"  # due March 2014
    assert {a.status_label for a in actions[2:]} == {"○ Not started yet"}


def test_completed_is_never_overdue():
    assert not is_overdue(date(2013, 1, 31), "completed", date(2020, 1, 1))
    assert is_overdue(date(2013, 1, 31), "progressing", date(2013, 2, 1))
    assert not is_overdue(date(2013, 1, 31), "progressing", date(2013, 1, 31))
    assert not is_overdue(None, "not_started", date(2020, 1, 1))


def test_private_notes_only_when_asked_for(wh):
    def notes(view):
        return [a.private_notes for a in view.actions if a.private_notes]
    assert notes(plan_view(wh, None)) == []
    assert notes(plan_view(wh, None, include_private=True)) == [
        "Sample private note (not in the paper): shows that private notes stay out of "
        "public packs."]


def test_linked_indicators_show_the_warehouse_figures(wh):
    view = plan_view(wh, None)
    health = view.outcomes[-1]
    assert [i.code for i in health.indicators] == [
        "STABILITY_FEWER_3_PCT", "STABILITY_LONG_TERM_PCT", "PEP_Y1_11_PCT",
        "HEALTH_CHECKS_PCT", "CL_EET_PCT"]
    latest = wh.latest_month()
    for link in health.indicators:
        s = wh.summary(link.code, latest)
        ind = wh.catalogue.get(link.code)
        assert link.latest == ind.format_value(s["value"]) and link.period == s["period"]
        assert link.spc.startswith("SPC: ")
        assert link.href == f"/indicator/{link.code}?as_at={latest:%Y-%m}"
    # before the figures begin there is no figure, and it says so
    old = plan_view(wh, date(2014, 1, 31)).outcomes[-1].indicators[0]
    assert old.latest == "no figures for that date"


def test_actions_by_indicator(wh):
    eet = indicator_actions(wh, "CL_EET_PCT")
    # the fourth outcome names CL_EET_PCT, so all three of its actions count
    assert len(eet.actions) == 3 and len(eet.outcomes) == 1
    participation = indicator_actions(wh, "REVIEW_PARTICIPATION_PCT")
    assert [a.action[:30] for _, a in participation.actions] == [
        "Increase the number of childre"]
    health = indicator_actions(wh, "HEALTH_CHECKS_PCT")
    assert {m.subject for m in health.matters} == {
        "Performance Monitoring report", "Breakdown of initial health check and review figures"}
    assert indicator_actions(wh, "CLA_NUMBER").empty


def test_matters_and_requests(wh):
    view = plan_view(wh, None)
    assert [m.subject for m in view.matters] == ["Performance Monitoring report",
                                                 "Councillor visits to establishments"]
    assert all(m.meeting_label == "18 January 2018" and m.status_label == "○ Open"
               for m in view.matters + view.requests)
    assert len(view.requests) == 3
    # raised on 18 January 2018: not on the schedule the day before
    assert plan_view(wh, date(2018, 1, 17)).matters == []
