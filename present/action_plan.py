"""The action plan, the schedule of outstanding matters and the board's requests as the board
reads them "as at" a date: each action's state in words and symbol, an overdue flag (due
before the date and not completed), and each outcome's linked indicators with their latest
figure and direction, so the board sees whether the actions move the figures.

Pure view models (dataclasses of text and dates): the page, the indicator page and the
board pack all draw from them. Free text stays plain text; nothing here is HTML.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from components.formatting import format_value_or_reason, month_label
from pipelines.store.plan import read_items
from present.spc import ASSURANCE_WORDS, VARIATION_WORDS, spc_view

# The paper's key (three states) plus completed: (words, symbol). Never colour alone.
STATUS = {
    "completed": ("Completed", "✓"),
    "progressing": ("Progressing in timescale", "▶"),
    "off_target": ("Not completed in timescale / not on target", "✗"),
    "not_started": ("Not started yet", "○"),
}
STATUS_ORDER = ("progressing", "off_target", "not_started", "completed")
MATTER_STATUS = {"open": ("Open", "○"), "closed": ("Closed", "✓")}
OVERDUE = ("Overdue", "⚠")


ARROWS = {"up": "↑", "down": "↓", "same": "→"}


def change_words(ind, old, new) -> str:
    """'↑ up from 85%, improving' (by the indicator's polarity); '' when either is missing."""
    if old is None or new is None or pd.isna(old) or pd.isna(new):
        return ""
    if ind.format_value(old) == ind.format_value(new):
        return f"{ARROWS['same']} no change"
    move = "up" if new > old else "down"
    word = ind.change_direction(old, new)
    tail = f", {word}" if word in ("improving", "worsening") else ""
    return f"{ARROWS[move]} {move} from {ind.format_value(old)}{tail}"


def status_label(status: str | None) -> str:
    words, symbol = STATUS.get(status or "", ("Status not recorded", "?"))
    return f"{symbol} {words}"


def matter_status_label(status: str | None) -> str:
    words, symbol = MATTER_STATUS.get(status or "", ("Open", "○"))
    return f"{symbol} {words}"


def is_overdue(due, status: str | None, on: date) -> bool:
    """Past its due date (strictly before `on`) and not completed."""
    if due is None or on is None or status == "completed":
        return False
    try:
        if pd.isna(due):
            return False
    except (TypeError, ValueError):
        pass
    return pd.Timestamp(due).date() < on


def due_label(due, due_text: str | None) -> str:
    """As the paper wrote it ("August 2013"), else the date; "No date set" when neither."""
    if due_text:
        return due_text
    if due is None or pd.isna(due):
        return "No date set"
    return f"{pd.Timestamp(due):%d %B %Y}"


def codes_of(text) -> list[str]:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    return [c.strip() for c in str(text).split(",") if c.strip()]


def _text(v) -> str | None:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return str(v)


@dataclass
class LinkedIndicator:
    code: str
    title: str
    exists: bool                     # False: a request names a measure not in the catalogue yet
    latest: str = ""                 # "84.2%" or why there is none
    period: str | None = None
    direction: str = ""              # "↑ up from 85%, within the usual variation"
    spc: str | None = None           # the SPC reading in words
    href: str = ""

    @property
    def sentence(self) -> str:
        if not self.exists:
            return f"{self.code}: not measured yet (will link once the indicator exists)"
        when = f" in {self.period}" if self.period else ""
        parts = [f"{self.title}: {self.latest}{when}"]
        if self.direction:
            parts.append(f"since the month before: {self.direction}")
        if self.spc:
            parts.append(self.spc)
        return "; ".join(parts)


@dataclass
class ActionRow:
    id: int
    outcome_id: int | None
    position: int
    action: str
    owner: str | None
    due: date | None
    due_label: str
    status: str
    status_label: str
    overdue: bool
    update: str | None
    indicators: list[str]
    private_notes: str | None

    @property
    def overdue_label(self) -> str:
        return f"{OVERDUE[1]} {OVERDUE[0]}" if self.overdue else ""

    @property
    def state_label(self) -> str:
        """Status, plus the overdue flag when there is one."""
        return self.status_label + (f"; {self.overdue_label}" if self.overdue else "")


@dataclass
class OutcomeView:
    id: int
    plan: str
    outcome: str
    target: str | None
    lead: str | None
    indicators: list[LinkedIndicator]
    actions: list[ActionRow]
    private_notes: str | None


@dataclass
class MatterRow:
    id: int
    kind: str
    meeting_date: date | None
    meeting_label: str
    subject: str
    lead: str | None
    current_position: str | None
    status: str
    status_label: str
    indicators: list[LinkedIndicator]
    private_notes: str | None


@dataclass
class PlanView:
    as_at: date                       # the plan as it stood at the end of this day
    figures_month: date | None        # the month the linked figures are as at
    include_private: bool
    outcomes: list[OutcomeView] = field(default_factory=list)
    matters: list[MatterRow] = field(default_factory=list)
    requests: list[MatterRow] = field(default_factory=list)

    @property
    def actions(self) -> list[ActionRow]:
        return [a for o in self.outcomes for a in o.actions]

    @property
    def counts(self) -> dict:
        acts = self.actions
        out = {s: sum(a.status == s for a in acts) for s in STATUS}
        out["overdue"] = sum(a.overdue for a in acts)
        out["open_matters"] = sum(m.status != "closed" for m in self.matters)
        out["open_requests"] = sum(m.status != "closed" for m in self.requests)
        return out

    @property
    def summary(self) -> str:
        c, n = self.counts, len(self.actions)
        if not self.outcomes and not self.matters and not self.requests:
            return f"Nothing was on the action plan on {self.as_at:%-d %B %Y}."
        parts = [f"As at {self.as_at:%-d %B %Y}: {n} action{'s' if n != 1 else ''} under "
                 f"{len(self.outcomes)} outcome{'s' if len(self.outcomes) != 1 else ''}"]
        states = [f"{c[s]} {STATUS[s][0].lower()}" for s in STATUS_ORDER if c[s]]
        if states:
            parts.append(", ".join(states))
        parts.append(f"{c['overdue']} overdue" if c["overdue"] else "none overdue")
        text = "; ".join(parts) + "."
        text += (f" {c['open_matters']} outstanding matter{'s' if c['open_matters'] != 1 else ''}"
                 f" and {c['open_requests']} board request{'s' if c['open_requests'] != 1 else ''}"
                 " open.")
        return text


# ---------------------------------------------------------------- building

def figures_month(wh, on: date) -> date | None:
    """The latest month with figures on or before `on` (None when figures start later)."""
    months = [m for m in wh.months() if m <= on]
    return months[-1] if months else None


def spc_signal(view: dict) -> str:
    """The SPC (Making Data Count) reading of the latest month, in words."""
    if view.get("variation") is None:
        why = "; ".join(view.get("notes") or [])
        return "SPC: no signal can be drawn" + (f" ({why})" if why else "")
    words = f"SPC: {VARIATION_WORDS[view['variation']]}"
    if view.get("assurance"):
        words += f"; {ASSURANCE_WORDS[view['assurance']]}"
    return words


def linked_indicator(wh, code: str, month: date | None, as_at_param: str | None = None
                     ) -> LinkedIndicator:
    cat = wh.catalogue
    if code not in cat:
        return LinkedIndicator(code, code, exists=False)
    ind = cat.get(code)
    href = f"/indicator/{ind.code}" + (f"?as_at={as_at_param}" if as_at_param else "")
    link = LinkedIndicator(ind.code, ind.title, exists=True, href=href)
    if month is None:
        link.latest = "no figures for that date"
        return link
    s = wh.summary(ind.code, month)
    link.latest = format_value_or_reason(ind, s["value"], s["missing_reason"])
    link.period = s["period"]
    view = spc_view(wh, ind.code, month) if ind.frequency == "M" else None
    prev = s.get("previous") or {}
    if prev:
        words = change_words(ind, prev.get("value"), s["value"])
        # Where SPC reads the month, it (not one month's move) says whether it is better or
        # worse: common-cause movement is not called improving or worsening (issue 16).
        link.direction = words.split(", ")[0] if view and view.get("variation") else words
    link.spc = spc_signal(view) if view is not None else "SPC: annual figures, no chart"
    return link


def _instant(as_at) -> date:
    if as_at is None:
        return date.today()
    if isinstance(as_at, datetime):
        return as_at.date()
    return as_at


def _action_row(r, on: date, include_private: bool) -> ActionRow:
    due = None if r.due is None or pd.isna(r.due) else pd.Timestamp(r.due).date()
    status = _text(r.status) or "not_started"
    return ActionRow(
        id=int(r.action_id), outcome_id=None if pd.isna(r.outcome_id) else int(r.outcome_id),
        position=int(r.position) if not pd.isna(r.position) else 0, action=str(r.action),
        owner=_text(r.owner), due=due, due_label=due_label(due, _text(r.due_text)),
        status=status, status_label=status_label(status), overdue=is_overdue(due, status, on),
        update=_text(r.update_text), indicators=codes_of(r.indicators),
        private_notes=_text(r.private_notes) if include_private else None)


def _matter_row(r, include_private, link) -> MatterRow:
    md = None if r.meeting_date is None or pd.isna(r.meeting_date) else pd.Timestamp(r.meeting_date).date()
    status = _text(r.status) or "open"
    return MatterRow(
        id=int(r.matter_id), kind=str(r.kind), meeting_date=md,
        meeting_label=f"{md:%-d %B %Y}" if md else "Date not recorded", subject=str(r.subject or ""),
        lead=_text(r.lead), current_position=_text(r.current_position), status=status,
        status_label=matter_status_label(status),
        indicators=[link(c) for c in codes_of(r.indicators)],
        private_notes=_text(r.private_notes) if include_private else None)


def plan_view(wh, as_at=None, *, include_private: bool = False) -> PlanView:
    """The plan as it stood at the end of `as_at` (a date; None: today), overdue flags as at
    then, linked figures (latest value, direction, SPC signal) as at the latest month with
    figures up to then."""
    on = _instant(as_at)
    at = None if as_at is None else on
    month = figures_month(wh, on)
    param = f"{month:%Y-%m}" if month else None
    view = PlanView(as_at=on, figures_month=month, include_private=include_private)
    links: dict[str, LinkedIndicator] = {}

    def link(code: str) -> LinkedIndicator:  # each indicator's figures and SPC built once
        if code not in links:
            links[code] = linked_indicator(wh, code, month, param)
        return links[code]

    actions = read_items(wh.conn, "action", at)
    by_outcome: dict[int, list[ActionRow]] = {}
    for r in actions.itertuples():
        row = _action_row(r, on, include_private)
        by_outcome.setdefault(row.outcome_id, []).append(row)
    for r in read_items(wh.conn, "outcome", at).itertuples():
        oid = int(r.outcome_id)
        view.outcomes.append(OutcomeView(
            id=oid, plan=_text(r.plan) or "", outcome=str(r.outcome), target=_text(r.target),
            lead=_text(r.lead),
            indicators=[link(c) for c in codes_of(r.indicators)],
            actions=by_outcome.get(oid, []),
            private_notes=_text(r.private_notes) if include_private else None))
    for kind, target in (("matter", view.matters), ("request", view.requests)):
        for r in read_items(wh.conn, kind, at).itertuples():
            target.append(_matter_row(r, include_private, link))
    return view


@dataclass
class IndicatorActions:
    """What the board is doing about one indicator (for its page)."""
    code: str
    actions: list[tuple[str, ActionRow]]   # (outcome, action)
    outcomes: list[str]                    # outcomes that name the indicator themselves
    matters: list[MatterRow]

    @property
    def empty(self) -> bool:
        return not (self.actions or self.outcomes or self.matters)


def indicator_actions(wh, code: str, as_at=None) -> IndicatorActions:
    """Actions linked to an indicator, directly or through their outcome, and the
    outstanding matters and requests that name it, as at a date."""
    view = plan_view(wh, as_at)
    out = IndicatorActions(code, [], [], [])
    for o in view.outcomes:
        via_outcome = any(i.code == code for i in o.indicators)
        if via_outcome:
            out.outcomes.append(o.outcome)
        for a in o.actions:
            if via_outcome or code in a.indicators:
                out.actions.append((o.outcome, a))
    out.matters = [m for m in view.matters + view.requests
                   if any(i.code == code for i in m.indicators)]
    return out


def month_or_today_label(view: PlanView) -> str:
    return (f"figures as at {month_label(view.figures_month, long=True)}"
            if view.figures_month else "no figures for that date")
