"""The council's action-plan and outstanding-matters spreadsheets (CSV or XLSX) -> plan items
and every problem in them, at once, by row (as Excel numbers it) and column.

Two layouts, told apart by their columns:

- an action plan, one row per key action, laid out like the paper: outcome, target and
  timescale, lead officer accountable, key action, who, by when, status, six-month update
  (plus optional plan, indicators and private notes). A blank outcome cell continues the
  outcome above (the paper writes it once); a row with an outcome and no action is an
  outcome with no actions yet.
- a schedule of outstanding matters: date of meeting, subject, lead member/officer, current
  position (plus optional type: matter or request, status: open or closed, indicators,
  private notes).

Column names are forgiven (case, spacing, words in brackets, near misses); dates may be
written as the papers write them ("August 2013" means the end of August 2013). Nothing is
written here: `pipelines.store.plan.import_items` adds a file with no errors in one go.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipelines.core import periods
from pipelines.sources.readers import ROW, ReadError, clean_header, read_table
from pipelines.sources.validate import Problem, sort_problems

ACTION_PLAN, SCHEDULE = "action plan", "schedule of outstanding matters"

# canonical field -> the cleaned header names taken to mean it
ALIASES = {
    "plan": ["plan", "action_plan", "plan_year", "year"],
    "outcome": ["outcome", "outcomes", "outcome_what_is_to_be_achieved", "what_is_to_be_achieved"],
    "target": ["target", "target_and_timescale", "target_timescale", "timescale", "targets"],
    "lead": ["lead", "lead_officer", "lead_officer_accountable", "accountable_lead",
             "accountable_officer", "lead_member_officer", "lead_member", "lead_officer_member",
             "lead_member_or_officer"],
    "action": ["action", "actions", "key_action", "key_actions",
               "key_actions_to_achieve_outcome", "key_action_to_achieve_outcome"],
    "owner": ["who", "owner", "action_owner", "responsible", "by_whom"],
    "due": ["by_when", "due", "due_date", "deadline", "when", "due_by", "target_date"],
    "status": ["status", "state", "progress_status", "open_closed", "open_or_closed"],
    "update_text": ["six_month_update", "6_month_update", "update", "progress_update",
                    "latest_update", "progress", "six_monthly_update"],
    "indicators": ["indicators", "indicator", "indicator_codes", "indicator_code",
                   "linked_indicators", "measures", "codes"],
    "private_notes": ["private_notes", "private", "private_note", "confidential_notes",
                      "notes_private", "confidential"],
    "meeting_date": ["date_of_meeting", "meeting_date", "meeting", "date", "date_raised",
                     "raised"],
    "subject": ["subject", "item", "matter", "title", "request"],
    "current_position": ["current_position", "position", "current_status", "response"],
    "kind": ["type", "kind", "matter_or_request"],
}
_ALIAS_TO_FIELD = {a: f for f, names in ALIASES.items() for a in names}
PLAN_FIELDS = ("plan", "outcome", "target", "lead", "action", "owner", "due", "status",
               "update_text", "indicators", "private_notes")
SCHEDULE_FIELDS = ("meeting_date", "subject", "lead", "current_position", "kind", "status",
                   "indicators", "private_notes")

# The paper's three states (its key), plus completed; what people type for each.
ACTION_STATUS_WORDS = {
    "completed": ["completed", "complete", "done", "closed", "achieved", "met"],
    "progressing": ["progressing", "progressing in timescale", "completed progressing in timescale",
                    "completed or progressing in timescale", "on track", "in progress",
                    "on target", "ongoing", "on going"],
    "off_target": ["off target", "off_target", "not on target", "not completed in timescale",
                   "not completed in timescale not on target", "delayed", "overdue", "behind"],
    "not_started": ["not started", "not_started", "not started yet",
                    "not started yet within timescale", "not yet started"],
}
MATTER_STATUS_WORDS = {"open": ["open", "outstanding", "ongoing", "on going", "pending", "to do"],
                       "closed": ["closed", "done", "complete", "completed", "resolved"]}
KIND_WORDS = {"matter": ["matter", "outstanding matter", "schedule", "item"],
              "request": ["request", "board request", "requested", "new measure", "breakdown"]}

_MONTHS = periods.MONTHS  # month names and abbreviations -> number
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)


def _words_key(s) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(s or "").lower()).split())


def _lookup(words: dict[str, list[str]]) -> dict[str, str]:
    return {_words_key(w): k for k, ws in words.items() for w in ws}


_ACTION_STATUS = _lookup(ACTION_STATUS_WORDS)
_MATTER_STATUS = _lookup(MATTER_STATUS_WORDS)
_KIND = _lookup(KIND_WORDS)


def month_end(y: int, m: int) -> date:
    return periods.month_end(date(y, m, 1))


def parse_date(text, *, day_needed: bool = False) -> tuple[date | None, bool]:
    """(the date, whether it had to be found inside other words) or (None, False) when
    there is no date in it. A month without a day means that month's end."""
    s = " ".join(str(text).split())
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", s)
    if m:
        return _safe(lambda: date(int(m[1]), int(m[2]), int(m[3]))), False
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s)
    if m:  # UK order: day first
        return _safe(lambda: date(int(m[3]), int(m[2]), int(m[1]))), False
    m = _DAY_MONTH_YEAR.search(s)
    if m:
        found = _safe(lambda: date(int(m[3]), _MONTHS[m[2].lower()], int(m[1])))
        return found, m.group(0) != s
    if day_needed:
        return None, False
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", s)
    if m and 1 <= int(m[2]) <= 12:
        return month_end(int(m[1]), int(m[2])), False
    m = _MONTH_YEAR.search(s)
    if m:
        return month_end(int(m[2]), _MONTHS[m[1].lower()]), m.group(0) != s
    return None, False


def _safe(make):
    try:
        return make()
    except ValueError:
        return None


@dataclass
class ParsedPlan:
    file: str
    layout: str | None
    outcomes: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    matters: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def counts(self) -> dict:
        return {"outcomes": len(self.outcomes), "actions": len(self.actions),
                "matters": sum(m["kind"] == "matter" for m in self.matters),
                "requests": sum(m["kind"] == "request" for m in self.matters)}


def _map_columns(frame: pd.DataFrame, file_name: str) -> tuple[dict[str, str], list[Problem]]:
    """canonical field -> the file's column; unknown columns are reported and ignored."""
    found, problems = {}, []
    for col in frame.columns:
        if col == ROW:
            continue
        key = clean_header(col)
        fld = _ALIAS_TO_FIELD.get(key)
        if fld is None:
            near = difflib.get_close_matches(key, _ALIAS_TO_FIELD, n=1, cutoff=0.8)
            if near and _ALIAS_TO_FIELD[near[0]] not in found:
                fld = _ALIAS_TO_FIELD[near[0]]
                problems.append(Problem.make(
                    file_name, None, col, None, "", f"read this column as '{near[0]}'",
                    severity="warning"))
        if fld is None:
            problems.append(Problem.make(
                file_name, None, col, None, "", "this column is not used and was ignored",
                severity="warning"))
            continue
        if fld in found:
            problems.append(Problem.make(
                file_name, None, col, None, f"one column for '{fld}'",
                f"a second column for '{fld}' (the first, '{found[fld]}', is used)",
                severity="warning"))
            continue
        found[fld] = col
    return found, problems


def _cell(row, cols: dict, fld: str) -> str | None:
    col = cols.get(fld)
    if col is None:
        return None
    v = row.get(col)
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    v = str(v).strip()
    return v or None


def parse_plan_file(data: bytes, file_name: str, catalogue, *, recorded_at: date | None = None,
                    sheet: str | None = None) -> ParsedPlan:
    """Read and check one action-plan or schedule file. `recorded_at` is the date the plan
    was agreed (default today): actions due before it are flagged."""
    try:
        frame = read_table(data, file_name, sheet)
    except ReadError as exc:
        return ParsedPlan(file_name, None, problems=[Problem(
            file_name, None, None, None, "a CSV or XLSX table", "error", str(exc))])
    cols, problems = _map_columns(frame, file_name)
    if "action" in cols or "outcome" in cols:
        parsed = ParsedPlan(file_name, ACTION_PLAN, problems=problems)
        _parse_plan_rows(frame, cols, parsed, catalogue, recorded_at or date.today())
    elif "subject" in cols or "meeting_date" in cols:
        parsed = ParsedPlan(file_name, SCHEDULE, problems=problems)
        _parse_schedule_rows(frame, cols, parsed, catalogue)
    else:
        parsed = ParsedPlan(file_name, None, problems=problems + [Problem.make(
            file_name, None, None, None,
            "an action plan (columns outcome, key action, who, by when, status, six month "
            "update) or a schedule of outstanding matters (date of meeting, subject, lead "
            "member/officer, current position)",
            "the columns are neither an action plan nor a schedule of outstanding matters")])
    parsed.problems = sort_problems(parsed.problems)
    return parsed


def _indicators(text, row_no, col, file_name, catalogue, problems, *, unknown_ok=False) -> str | None:
    if not text:
        return None
    codes, parts = [], []
    for part in (p.strip() for p in re.split(r"[,;\n]+", text) if p.strip()):
        # "HEALTH_CHECKS_PCT DENTAL_CHECKS_PCT": codes separated by spaces only
        words = part.split()
        if (catalogue.resolve(part) is None and len(words) > 1
                and all(catalogue.resolve(w) is not None for w in words)):
            parts += words
        else:
            parts.append(part)
    for part in parts:
        ind = catalogue.resolve(part)
        if ind is not None:
            codes.append(ind.code)
            continue
        near = catalogue.suggest(part)
        hint = f"Did you mean {', '.join(near)}?" if near else ""
        if unknown_ok:
            codes.append(part.upper())
            problems.append(Problem.make(
                file_name, row_no, col, part, "", "no indicator has this code yet: the request "
                "will link to it once it is in the catalogue", severity="warning"))
        else:
            problems.append(Problem.make(
                file_name, row_no, col, part, "indicator codes from the catalogue, separated "
                "by commas", "unknown indicator", hint=hint))
    return ",".join(dict.fromkeys(codes)) or None


def _parse_plan_rows(frame, cols, parsed: ParsedPlan, catalogue, recorded_at: date):
    f, problems = parsed.file, parsed.problems
    if "action" not in cols:
        problems.append(Problem.make(f, None, None, None, "a column of key actions (e.g. "
                                     "'Key actions to achieve outcome')", "no key-action column",
                                     severity="warning"))
    current = None
    seen_actions: dict[tuple, int] = {}
    outcomes: dict[tuple, dict] = {}
    for _, row in frame.iterrows():
        r = int(row[ROW])
        cells = {k: _cell(row, cols, k) for k in PLAN_FIELDS}
        if not any(cells.values()):
            continue  # a blank spacer row
        if cells["outcome"]:
            plan = cells["plan"] or (current["plan"] if current else None) or ""
            key = (_words_key(plan), _words_key(cells["outcome"]))
            if key in outcomes:
                current = outcomes[key]
                for fld in ("target", "lead"):
                    if cells[fld] and not current.get(fld):
                        current[fld] = cells[fld]
            else:
                current = {"key": len(outcomes) + 1, "plan": plan, "outcome": cells["outcome"],
                           "target": cells["target"], "lead": cells["lead"],
                           "indicators": None, "private_notes": None, "row": r}
                outcomes[key] = current
                parsed.outcomes.append(current)
        elif current is None:
            problems.append(Problem.make(f, r, cols.get("outcome", "outcome"), None,
                                         "the outcome this action is for",
                                         "no outcome above this row"))
            continue
        if not cells["action"]:
            # the outcome's own row: its indicators and private notes belong to it
            current["indicators"] = _indicators(cells["indicators"], r, cols.get("indicators"),
                                                f, catalogue, problems) or current["indicators"]
            current["private_notes"] = cells["private_notes"] or current["private_notes"]
            for fld in ("owner", "due", "status", "update_text"):
                if cells[fld]:
                    problems.append(Problem.make(f, r, cols[fld], cells[fld],
                                                 "a key action on the same row",
                                                 f"'{fld}' given but no key action"))
            continue
        action = {"outcome_key": current["key"], "action": cells["action"],
                  "owner": cells["owner"], "due": None, "due_text": cells["due"],
                  "status": None, "update_text": cells["update_text"],
                  "indicators": _indicators(cells["indicators"], r, cols.get("indicators"), f,
                                            catalogue, problems),
                  "private_notes": cells["private_notes"], "row": r}
        if cells["due"]:
            due, inside = parse_date(cells["due"])
            if due is None:
                problems.append(Problem.make(f, r, cols["due"], cells["due"],
                                             "a date such as 'March 2014', '2014-03' or "
                                             "'31/03/2014'", "not a date"))
            else:
                action["due"] = due
                if inside:
                    problems.append(Problem.make(f, r, cols["due"], cells["due"], "",
                                                 f"read as {due:%d %B %Y}", severity="warning"))
                if due < recorded_at:
                    problems.append(Problem.make(
                        f, r, cols["due"], cells["due"], "",
                        f"this action was already due before {recorded_at:%d %B %Y}, when the "
                        "plan was recorded (allowed; it shows as overdue unless completed)",
                        severity="warning"))
        if cells["status"]:
            status = _ACTION_STATUS.get(_words_key(cells["status"]))
            if status is None:
                problems.append(Problem.make(
                    f, r, cols["status"], cells["status"],
                    "one of: completed; progressing in timescale; not completed in timescale "
                    "/ not on target; not started yet", "unknown status"))
            action["status"] = status
        else:
            action["status"] = "not_started"
            if "status" in cols:
                problems.append(Problem.make(f, r, cols["status"], None, "",
                                             "no status: taken as 'not started yet'",
                                             severity="warning"))
        dup = (current["key"], _words_key(cells["action"]))
        if dup in seen_actions:
            problems.append(Problem.make(f, r, cols["action"], _short(cells["action"]), "",
                                         f"the same action as row {seen_actions[dup]} under the "
                                         "same outcome", severity="warning"))
        seen_actions.setdefault(dup, r)
        parsed.actions.append(action)
    if "status" not in cols and parsed.actions:
        problems.append(Problem.make(f, None, None, None, "a status column", "no status column: "
                                     "every action is taken as 'not started yet'",
                                     severity="warning"))


def _short(s: str, n: int = 50) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _parse_schedule_rows(frame, cols, parsed: ParsedPlan, catalogue):
    f, problems = parsed.file, parsed.problems
    for need, what in (("meeting_date", "a 'date of meeting' column"),
                       ("subject", "a 'subject' column")):
        if need not in cols:
            problems.append(Problem.make(f, None, None, None, what, f"no {need.replace('_', ' ')} "
                                         "column"))
    if any(p.is_error for p in problems):
        return
    last_date = None
    for _, row in frame.iterrows():
        r = int(row[ROW])
        cells = {k: _cell(row, cols, k) for k in SCHEDULE_FIELDS}
        if not any(cells.values()):
            continue
        kind = "matter"
        if cells["kind"]:
            kind = _KIND.get(_words_key(cells["kind"]))
            if kind is None:
                problems.append(Problem.make(f, r, cols["kind"], cells["kind"],
                                             "'matter' or 'request'", "unknown type"))
                kind = "matter"
        item = {"kind": kind, "meeting_date": None, "subject": cells["subject"],
                "lead": cells["lead"], "current_position": cells["current_position"],
                "status": "open", "private_notes": cells["private_notes"], "row": r,
                "indicators": _indicators(cells["indicators"], r, cols.get("indicators"), f,
                                          catalogue, problems, unknown_ok=kind == "request")}
        if cells["meeting_date"]:
            d, _ = parse_date(cells["meeting_date"], day_needed=True)
            if d is None:
                problems.append(Problem.make(f, r, cols["meeting_date"], cells["meeting_date"],
                                             "the meeting's date, such as '18 January 2018' or "
                                             "'18/01/2018'", "not a date"))
            item["meeting_date"] = last_date = d
        elif last_date is not None:  # the paper writes a meeting's date once
            item["meeting_date"] = last_date
        else:
            problems.append(Problem.make(f, r, cols["meeting_date"], None,
                                         "the date of the meeting that raised it",
                                         "no meeting date"))
        if not cells["subject"]:
            problems.append(Problem.make(f, r, cols["subject"], None, "what the matter is about",
                                         "no subject"))
        if cells["status"]:
            st = _MATTER_STATUS.get(_words_key(cells["status"]))
            if st is None:
                problems.append(Problem.make(f, r, cols["status"], cells["status"],
                                             "'open' or 'closed'", "unknown status"))
            item["status"] = st or "open"
        parsed.matters.append(item)
