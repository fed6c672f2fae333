"""The action plan, outstanding matters and board requests drawn as HTML tables from the view
models in `present.action_plan` (for /action-plan, its editor and the indicator pages).

Every piece of free text goes in as a Dash string child, which React renders as text: a plan
that contains "<script>" shows those characters and runs nothing.
"""
from __future__ import annotations

from dash import dcc, html

from present.action_plan import (OVERDUE, STATUS, STATUS_ORDER, ActionRow, IndicatorActions,
                                 LinkedIndicator, MatterRow, OutcomeView, PlanView)


def _table(caption: str, header: list[str], rows: list[list], *, id: str | None = None,
           row_classes: list[str] | None = None) -> html.Div:
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in header]))
    body = html.Tbody([html.Tr([html.Td(c) for c in r],
                               className=(row_classes[i] if row_classes else None))
                       for i, r in enumerate(rows)])
    extra = {"id": id} if id else {}
    return html.Div(html.Table([html.Caption(caption), head, body], className="plan-table",
                               **extra), className="table-wrap")


def status_key() -> html.Div:
    """The paper's key in words and symbols (never colour alone)."""
    items = [html.Li(f"{STATUS[s][1]} {STATUS[s][0]}") for s in STATUS_ORDER]
    items.append(html.Li(f"{OVERDUE[1]} {OVERDUE[0]}: past its date and not completed"))
    return html.Div([html.Strong("Key: "), html.Ul(items, className="plan-key")],
                    className="plan-key-box")


def linked_list(links: list[LinkedIndicator]) -> html.Ul | None:
    if not links:
        return None
    items = []
    for li in links:
        if not li.exists:
            items.append(html.Li(li.sentence))
            continue
        rest = li.sentence[len(li.title):]
        items.append(html.Li([dcc.Link(li.title, href=li.href), rest]))
    return html.Ul(items, className="linked-indicators")


def _state_cell(a: ActionRow):
    if not a.overdue:
        return a.status_label
    return html.Span([a.status_label, html.Br(),
                      html.Strong(a.overdue_label, className="overdue-flag")])


def actions_table(o: OutcomeView, include_private: bool) -> html.Div | html.P:
    if not o.actions:
        return html.P("No key actions yet.", className="chart-summary")
    header = ["No.", "Key action", "Who", "By when", "Status", "Six month update"]
    if include_private:
        header.append("Private note (not in public packs)")
    rows = []
    for n, a in enumerate(o.actions, start=1):
        row = [str(n), a.action, a.owner or "", a.due_label, _state_cell(a), a.update or ""]
        if include_private:
            row.append(a.private_notes or "")
        rows.append(row)
    return _table(f"Key actions to achieve: {o.outcome}", header, rows,
                  id=f"actions-{o.id}",
                  row_classes=["overdue" if a.overdue else "" for a in o.actions])


def outcome_section(o: OutcomeView, include_private: bool) -> html.Section:
    facts = []
    for term, desc in (("Target and timescale", o.target), ("Lead officer accountable", o.lead),
                       ("Private note (not in public packs)",
                        o.private_notes if include_private else None)):
        if desc:
            facts += [html.Dt(term), html.Dd(desc)]
    links = linked_list(o.indicators)
    return html.Section([
        html.H3(o.outcome, id=f"outcome-{o.id}"),
        html.Dl(facts, className="definition-list") if facts else None,
        html.Div([html.P("The indicators this outcome is meant to move:"), links],
                 className="outcome-indicators") if links else None,
        actions_table(o, include_private),
    ], className="plan-outcome", **{"aria-labelledby": f"outcome-{o.id}"})


def matters_table(items: list[MatterRow], caption: str, id: str, include_private: bool):
    if not items:
        return html.P("None.", className="chart-summary", id=id)
    header = ["Date of meeting", "Subject", "Lead member/officer", "Current position",
              "Status", "Indicators"]
    if include_private:
        header.append("Private note (not in public packs)")
    rows = []
    for m in items:
        row = [m.meeting_label, m.subject, m.lead or "", m.current_position or "",
               m.status_label, linked_list(m.indicators) or ""]
        if include_private:
            row.append(m.private_notes or "")
        rows.append(row)
    return _table(caption, header, rows, id=id)


def plan_body(view: PlanView) -> html.Div:
    """Outcomes grouped by plan, then the schedule and the requests."""
    parts = [html.P(view.summary, className="lead", id="plan-summary"), status_key()]
    plans: dict[str, list[OutcomeView]] = {}
    for o in view.outcomes:
        plans.setdefault(o.plan, []).append(o)
    if not plans:
        parts.append(html.P("No action plan was recorded by then.", id="no-plan"))
    for plan, outcomes in plans.items():
        parts.append(html.H2(f"Action plan {plan}".strip()))
        parts += [outcome_section(o, view.include_private) for o in outcomes]
    parts += [
        html.H2("Schedule of outstanding matters", id="matters-heading"),
        matters_table(view.matters, "Matters raised at previous meetings and their current "
                      "position", "matters-table", view.include_private),
        html.H2("The board's requests for new measures and breakdowns", id="requests-heading"),
        matters_table(view.requests, "What the board asked for and where it stands",
                      "requests-table", view.include_private),
    ]
    return html.Div(parts, id="plan-body")


def indicator_actions_block(ia: IndicatorActions, as_at_param: str | None) -> html.Section | None:
    """On an indicator page: what the board is doing about it."""
    if ia.empty:
        return None
    rows = [[outcome, a.action, a.owner or "", a.due_label, _state_cell(a)]
            for outcome, a in ia.actions]
    body = [html.H2("Actions linked to this measure", id="linked-actions-heading")]
    if rows:
        body.append(_table("Key actions from the action plan meant to move this measure",
                           ["Outcome", "Key action", "Who", "By when", "Status"], rows,
                           id="linked-actions"))
    if ia.matters:
        body.append(html.Ul([html.Li(f"{m.meeting_label}: {m.subject} "
                                     f"({'request' if m.kind == 'request' else 'outstanding matter'}"
                                     f", {m.status_label})") for m in ia.matters],
                            id="linked-matters"))
    link = "/action-plan" + (f"?as_at={as_at_param}" if as_at_param else "")
    body.append(html.P(dcc.Link("The whole action plan", href=link)))
    return html.Section(body, className="linked-actions",
                        **{"aria-labelledby": "linked-actions-heading"})

