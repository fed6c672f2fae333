"""One indicator in full: the trend with out-turns, comparators and target; the figures with
numerator and denominator; what it means; small-cohort warning; revisions."""
from __future__ import annotations

from datetime import date

import dash
from dash import dcc, html

from components.formatting import format_count, format_value_or_reason, month_label
from components.layout import revision_note, section_href, small_cohort_warning
from components.summary_text import change_label, rag_label, target_text
from components.tables import comparator_table, revisions_table
from present.action_plan import indicator_actions
from present.spc import spc_view
from present.summary import read_summary
from webapp import context, shell, views
from webapp.plan_views import indicator_actions_block
from webapp.ssda903_views import reconciliation_block
from webapp.spc_views import monthly_change, spc_block
from webapp.urls import check_as_at, href

POLARITY_WORDS = {"up": "Higher is better", "down": "Lower is better",
                  "none": "Context only: neither higher nor lower is better in itself"}
FREQUENCY_WORDS = {"M": "Monthly", "A": "Annual"}


def _title(code=None, **_):
    return f"{code}: looked-after children's performance" if code else "Indicator"


dash.register_page(__name__, path_template="/indicator/<code>", name="Indicator",
                   title=_title, order=20)


def not_found(code: str):
    cat = context.get_catalogue()
    near = cat.suggest(str(code))
    resolved = cat.resolve(str(code))
    if resolved is not None and resolved.code not in near:
        near.insert(0, resolved.code)
    links = [(f"{c}: {cat.get(c).title}", f"/indicator/{c}") for c in near]
    text = f"There is no indicator with the code '{code}'."
    text += " Did you mean one of these?" if links else " The key points page lists every indicator."
    return shell.message("Indicator not found", text, links + [("Key points: every indicator", "/")])


def _dl(items):
    children = []
    for term, desc in items:
        if desc:
            children += [html.Dt(term), html.Dd(desc)]
    return html.Dl(children, className="definition-list")


def layout(code=None, as_at=None, **_):
    ctx = context.current()
    wh, cat, config = ctx.warehouse, ctx.catalogue, ctx.config
    if code not in cat:
        return not_found(code)
    ind = cat.get(code)
    asked = check_as_at(as_at, wh.months())
    if asked.error:
        return shell.as_at_problem(asked.error, f"/indicator/{code}")
    # keyed by today too: the linked actions' overdue flags move with the date
    return ctx.cached(("indicator", code, asked.month, date.today()),
                      lambda: _build(ctx, ind, asked))


def _build(ctx, ind, asked):
    wh, config, cat, code, month = ctx.warehouse, ctx.config, ctx.catalogue, ind.code, asked.month
    s = read_summary(wh, code, month)
    view = spc_view(wh, code, month) if ind.frequency == "M" else None
    latest = format_value_or_reason(ind, s.value, s.missing_reason)
    fraction = (f"{format_count(s.numerator)} of {format_count(s.denominator)}"
                if s.numerator is not None and s.denominator is not None else None)
    previous, outturn = s.previous, s.outturn
    facts = [
        ("Latest figure", html.Span([html.Strong(latest, id="latest-value"),
                                     f" in {month_label(s.period, long=True)}" if s.period else "",
                                     f" ({fraction})" if fraction else ""])),
        (f"Since {month_label(previous.label)}" if previous else "Since last month",
         (monthly_change(ind, s, view) or (change_label(
             ind, previous.value if previous else None, s.value), None))[0]),
        (f"Since the {outturn.label} out-turn" if outturn else "Since the last out-turn",
         change_label(ind, outturn.value if outturn else None, s.value)),
        ("Target", target_text(ind, s)),
        ("Status", rag_label(s.rag, s.rag_basis)),
    ]
    notes = []
    if s.small_cohort:
        notes.append(small_cohort_warning(s.denominator, ind.small_cohort or 20))
    if s.revised_from is not None:
        notes.append(revision_note(s.period, s.revised_from, s.value, indicator=ind))
    revisions = wh.revisions(code, month)
    revisions = revisions[revisions["first_value"].ne(revisions["current_value"])] if len(revisions) else revisions
    comps = wh.comparators(code, month) if ind.comparators else None
    section = cat.section(ind.section)
    return html.Div([
        html.P(dcc.Link(section.title, href=section_href(section.slug, asked.param)), className="breadcrumb"),
        html.H1(ind.title, id="page-title"),
        html.P([f"Indicator {ind.code}, figures as at {month:%B %Y}."], className="lead"),
        _dl(facts),
        *notes,
        views.indicator_trend_block(ind, s, wh, config, month, link=False),
        spc_block(ind, view, config.name) if view is not None else None,
        html.Section([
            html.H2("Published annual figures beside comparators", id="comparators-heading"),
            html.Div(comparator_table(ind, comps, authority_name=config.name,
                                              region_name=config.region_name, id="comparator-table"),
                     className="table-wrap"),
        ], className="chart-block", **{"aria-labelledby": "comparators-heading"})
        if comps is not None and len(comps) else None,
        *views.breakdown_blocks(ind, wh, config, month),
        html.Section([
            html.H2("About this measure", id="about-heading"),
            _dl([("What it measures", ind.definition),
                 ("Which way is better", POLARITY_WORDS.get(ind.polarity)),
                 ("What good looks like", ind.good),
                 ("How often", FREQUENCY_WORDS.get(ind.frequency)),
                 ("Source", ind.source),
                 ("Small numbers", f"Figures based on fewer than {ind.small_cohort} children are "
                                   "flagged: one child moves them a lot." if ind.small_cohort else None)]),
        ], className="about", **{"aria-labelledby": "about-heading"}),
        html.Section([
            html.H2("Revised figures", id="revisions-heading"),
            html.P("These months' figures changed after the board was first told them.",
                   className="chart-summary"),
            html.Div(revisions_table(ind, revisions, id="revisions-table"), className="table-wrap"),
        ], className="revisions", **{"aria-labelledby": "revisions-heading"}) if len(revisions) else None,
        reconciliation_block(ind, wh),
        # the latest month shows today's plan; a past month the plan as it stood then
        indicator_actions_block(indicator_actions(
            wh, code, None if month == wh.latest_month() else month), asked.param),
        html.P(dcc.Link("Back to key points", href=href("/", asked.param))),
    ], className="indicator-page")
