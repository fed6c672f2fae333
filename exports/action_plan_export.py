"""The board pack's action plan and schedule of outstanding matters, laid out as the papers
lay them out: each outcome with its target and timescale and accountable lead, then its key
actions (who, by when, status, six month update); the schedule as date of meeting, subject,
lead member/officer, current position; then the board's requests.

Public packs leave out anything typed as a private note (officers' names are not secret and
stay). States and overdue flags are words with symbols, never colour alone.

`plan_for_pack` gathers the view once; `add_to_docx`, `xlsx_sheets` and `add_to_pptx` draw
it into each format.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
from docx.shared import Pt
from pptx.util import Inches
from pptx.util import Pt as PptPt

from exports.docx_table import add_table
from exports.suppression import PRIVATE, suppress_frame, suppress_summary
from present.action_plan import OVERDUE, STATUS, STATUS_ORDER, MatterRow, PlanView, plan_view

ACTION_HEADER = ["No.", "Key actions to achieve outcome (what)", "Who", "By when", "Status",
                 "Six month update"]
MATTER_HEADER = ["Date of meeting", "Subject", "Lead member/officer", "Current position",
                 "Status"]
PRIVATE_HEADER = "Private note"


class PublicFigures:
    """The warehouse as a public pack reads it: the linked indicators' small figures removed
    by the pack's own rules (exports.suppression)."""

    def __init__(self, wh):
        self._wh = wh

    def __getattr__(self, name):
        return getattr(self._wh, name)

    def series(self, code, as_at=None, area_code=None, breakdown=""):
        return suppress_frame(self._wh.series(code, as_at, area_code=area_code,
                                              breakdown=breakdown), self._wh.catalogue.get(code))

    def summary(self, code, as_at=None) -> dict:
        return suppress_summary(self._wh.summary(code, as_at), self._wh.catalogue.get(code),
                                series_df=self.series(code, as_at))


def plan_for_pack(wh, as_at: date, mode: str, *, latest: date | None = None) -> PlanView:
    """The plan for a pack as at a month: today's plan when the pack is for the latest month
    (the paper for the next meeting), else the plan as it stood at that month's end."""
    latest = latest if latest is not None else wh.latest_month()
    on = None if latest is not None and as_at == latest else as_at
    private = mode == PRIVATE
    return plan_view(wh if private else PublicFigures(wh), on, include_private=private)


def key_text() -> str:
    states = "; ".join(f"{STATUS[s][1]} {STATUS[s][0]}" for s in STATUS_ORDER)
    return f"Key: {states}; {OVERDUE[1]} {OVERDUE[0]}: past its date and not completed."


def action_rows(view: PlanView, outcome) -> list[list[str]]:
    rows = []
    for n, a in enumerate(outcome.actions, start=1):
        row = [str(n), a.action, a.owner or "", a.due_label, a.state_label, a.update or ""]
        if view.include_private:
            row.append(a.private_notes or "")
        rows.append(row)
    return rows


def matter_rows(view: PlanView, items: list[MatterRow]) -> list[list[str]]:
    rows = []
    for m in items:
        position = m.current_position or ""
        linked = "; ".join(i.sentence for i in m.indicators)
        if linked:
            position = f"{position} (Linked: {linked})".strip()
        row = [m.meeting_label, m.subject, m.lead or "", position, m.status_label]
        if view.include_private:
            row.append(m.private_notes or "")
        rows.append(row)
    return rows


def _headers(view: PlanView, header: list[str]) -> list[str]:
    return header + ([PRIVATE_HEADER] if view.include_private else [])


# ---------------------------------------------------------------- Word

def _docx_table(doc, header: list[str], rows: list[list[str]], caption: str) -> None:
    # the long columns (the action, the update, the position) wider than the short ones
    if header[0] == "No.":  # an outcome's actions (a private note makes a 7th column)
        share = [0.6, 4.6, 2.0, 1.7, 2.2, 4.9] + [2.8] * (len(header) - 6)
    else:  # the schedule and the requests
        share = [2.2, 4.0, 2.6, 5.4, 1.8] + [2.6] * (len(header) - 5)
    sec = doc.sections[-1]
    width = sec.page_width - sec.left_margin - sec.right_margin
    t = add_table(doc, header, rows, caption,
                  widths=[int(width * x / sum(share)) for x in share])
    t.autofit = False
    for row in t.rows:
        for cell in row.cells:
            for par in cell.paragraphs:
                par.paragraph_format.space_after = Pt(0)
                for run in par.runs:
                    run.font.size = Pt(8)  # compact, as the papers' appendix (issue 17)


def add_to_docx(doc, view: PlanView) -> None:
    """Two chapters: the action plan, and the schedule of outstanding matters with the
    board's requests."""
    h = doc.add_heading("Corporate Parenting action plan", level=1)
    h.paragraph_format.page_break_before = True
    doc.add_paragraph(view.summary)
    doc.add_paragraph(key_text())
    if not view.outcomes:
        doc.add_paragraph("No action plan was recorded by then.").runs[0].italic = True
    plans: dict[str, list] = {}
    for o in view.outcomes:
        plans.setdefault(o.plan, []).append(o)
    for plan, outcomes in plans.items():
        if plan:
            doc.add_heading(f"Action plan {plan}", level=2)
        for o in outcomes:
            doc.add_heading(o.outcome, level=3).paragraph_format.keep_with_next = True
            for label, text in (("Target and timescale", o.target),
                                ("Lead officer accountable", o.lead),
                                (PRIVATE_HEADER, o.private_notes if view.include_private else None)):
                if text:
                    p = doc.add_paragraph()
                    p.add_run(f"{label}: ").bold = True
                    p.add_run(text)
            if o.indicators:  # one paragraph, not a list: the plan is an appendix
                p = doc.add_paragraph()
                p.add_run("The indicators this outcome is meant to move: ").bold = True
                p.add_run("; ".join(li.sentence for li in o.indicators))
                for r in p.runs:
                    r.font.size = Pt(8)
            if o.actions:
                _docx_table(doc, _headers(view, ACTION_HEADER), action_rows(view, o),
                            f"Key actions: {o.outcome}")
            else:
                doc.add_paragraph("No key actions yet.")
    doc.add_heading("Schedule of outstanding matters", level=1)
    doc.add_paragraph("The current position on matters considered at previous meetings of the "
                      "board.")
    if view.matters:
        _docx_table(doc, _headers(view, MATTER_HEADER), matter_rows(view, view.matters),
                    "Schedule of outstanding matters")
    else:
        doc.add_paragraph("None.")
    doc.add_heading("The board's requests for new measures and breakdowns", level=2)
    if view.requests:
        _docx_table(doc, _headers(view, MATTER_HEADER), matter_rows(view, view.requests),
                    "The board's requests")
    else:
        doc.add_paragraph("None.")


# ---------------------------------------------------------------- Excel

def xlsx_sheets(view: PlanView, header_lines) -> list[tuple[str, list[str], pd.DataFrame]]:
    """(sheet name, lines above the table, table) for the action plan and the schedule."""
    rows = []
    for o in view.outcomes:
        for a in o.actions or [None]:
            row = {"Plan": o.plan, "Outcome": o.outcome, "Target and timescale": o.target,
                   "Lead officer accountable": o.lead,
                   "Key action": a.action if a else None, "Who": a.owner if a else None,
                   "By when": a.due_label if a else None,
                   "Due date": a.due if a else None,
                   "Status": a.status_label if a else None,
                   "Overdue": (OVERDUE[0] if a.overdue else "") if a else None,
                   "Six month update": a.update if a else None,
                   "Indicators": ", ".join(a.indicators) if a else
                   ", ".join(i.code for i in o.indicators)}
            if view.include_private:
                row[PRIVATE_HEADER] = a.private_notes if a else o.private_notes
            rows.append(row)
    matters = []
    for m in view.matters + view.requests:
        row = {"Type": "Request" if m.kind == "request" else "Outstanding matter",
               "Date of meeting": m.meeting_date, "Subject": m.subject,
               "Lead member/officer": m.lead, "Current position": m.current_position,
               "Status": m.status_label, "Indicators": ", ".join(i.code for i in m.indicators)}
        if view.include_private:
            row[PRIVATE_HEADER] = m.private_notes
        matters.append(row)
    lines = [view.summary, key_text()]
    return [("Action plan", header_lines("Action plan") + lines, pd.DataFrame(rows)),
            ("Outstanding matters", header_lines("Schedule of outstanding matters and requests"),
             pd.DataFrame(matters))]


# ---------------------------------------------------------------- PowerPoint

def add_to_pptx(prs, view: PlanView, mark=None, rows_per_slide: int = 8) -> None:
    """A summary slide, then the actions (and the schedule) as table slides."""
    layout = prs.slide_layouts[5]  # title only
    width = prs.slide_width - Inches(0.8)

    def slide(title: str):
        s = prs.slides.add_slide(layout)
        s.shapes.title.text = title
        s.shapes.title.left, s.shapes.title.top = Inches(0.4), Inches(0.2)
        s.shapes.title.width, s.shapes.title.height = width, Inches(0.9)
        if mark:
            mark(s)
        return s

    def table(s, header, rows):
        shape = s.shapes.add_table(len(rows) + 1, len(header), Inches(0.4), Inches(1.2), width,
                                   Inches(0.4) * (len(rows) + 1))
        t = shape.table
        for j, text in enumerate(header):
            t.cell(0, j).text = text
        for i, row in enumerate(rows, start=1):
            for j, text in enumerate(row):
                t.cell(i, j).text = str(text)
        for r in t.rows:
            for c in r.cells:
                for p in c.text_frame.paragraphs:
                    for run in p.runs:
                        run.font.size = PptPt(10)

    s = slide("Corporate Parenting action plan")
    box = s.shapes.add_textbox(Inches(0.4), Inches(1.3), width, Inches(2))
    box.text_frame.word_wrap = True
    box.text_frame.text = f"{view.summary}\n{key_text()}"
    short = ["No.", "Key action", "Who", "By when", "Status"]
    for o in view.outcomes:
        rows = [r[:5] for r in action_rows(view, o)]
        for start in range(0, max(len(rows), 1), rows_per_slide):
            chunk = rows[start:start + rows_per_slide]
            if chunk:
                table(slide(o.outcome if len(o.outcome) < 90 else o.outcome[:89] + "…"),
                      short, chunk)
    items = matter_rows(view, view.matters + view.requests)
    for start in range(0, len(items), rows_per_slide):
        table(slide("Schedule of outstanding matters and the board's requests"),
              MATTER_HEADER, [r[:5] for r in items[start:start + rows_per_slide]])
