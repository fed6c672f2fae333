"""/adoption: the adoption scorecard (A1, A2, A10) computed from the child-level records, the
rolling 3-year averages against the threshold, one dot per adopted child and the children
still waiting. Thin: reads the warehouse, hands frames to components.adoption_charts."""
from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, dcc, html

from components import adoption_charts as ac
from components.layout import chart_block, small_cohort_warning
from pipelines import adoption
from webapp import context, shell, views
from webapp.urls import check_as_at

dash.register_page(__name__, path="/adoption", name="Adoption", order=7,
                   title="Adoption: looked-after children's performance")

WINDOW_ID = "adoption-window"
AS_AT_STORE = "adoption-as-at"
DOTS_ID = "adoption-dots-block"


def _children():
    """Child rows with each child's waits (empty frame when no adoption file is loaded)."""
    kids = context.get_warehouse().adoption_children()
    return adoption.child_days(kids) if len(kids) else None


def _thresholds():
    return adoption.catalogue_thresholds(context.get_catalogue())


def _dots_block(days, card: dict, window: str):
    w = card["A1"][window]
    t = card["A1"]["threshold"]
    dots = ac.child_dots(days, w["start"], w["end"], t)
    label = w["label"] if window != "year_to_date" else \
        f"{w['label']} (to {w['end']:%-d %B %Y})"
    return chart_block(ac.child_dots_figure(dots, t), ac.child_dots_summary(dots, t, label),
                       ac.child_dots_table(dots, t), id="adoption-dots",
                       heading="How long each adopted child waited (A1)")


def layout(as_at=None, **_):
    wh = context.get_warehouse()
    checked = check_as_at(as_at, wh.months())
    if checked.error:
        return shell.as_at_problem(checked.error, "/adoption")
    month = checked.month
    thresholds = _thresholds()
    days = _children()

    a1 = wh.series("A1_DAYS_3YR", month)
    a10 = wh.series("A10_DAYS_3YR", month)
    rolling = ac.rolling_frame(a1, a10, lambda d: adoption.thresholds_for(thresholds, d)["A1"])
    rolling_block = chart_block(ac.rolling_figure(rolling), ac.rolling_summary(rolling),
                                ac.rolling_table(rolling), id="adoption-rolling",
                                heading="A1 and A10 3-year averages against the threshold")

    top = [html.H1(f"Adoption as at {month:%B %Y}", id="page-title"),
           html.P("The adoption scorecard is calculated from the adoption team's child-level "
                  "records, over the children adopted in three financial years (each child "
                  "counts in the year of their adoption order). No child is identified here.",
                  className="lead"),
           shell.commentary(wh.commentary(month, "adoption"), "Commentary",
                            id="section-commentary")]
    cat = context.get_catalogue()
    ind = cat.get("ADOPTIONS_NUMBER")
    tail = [views.indicator_trend_block(ind, wh.summary(ind.code, month), wh, context.get_config(),
                                        month),
            views.annual_table_block(cat.section("adoption").indicators, wh, context.get_config(),
                                     month, "Adoption: latest published results beside England")]
    if days is None:
        return html.Div(top + [
            html.P("No adoption records are loaded yet, so the scorecard and each child's wait "
                   "cannot be shown. Load the adoption records file (lacdash ingest).",
                   className="message", id="page-message"),
            rolling_block, *tail], className="section-page adoption-page")

    card = adoption.scorecard(days, month, thresholds)
    n3 = card["A1"]["three_year"]["n"]
    counts = ac.waiting_counts(adoption.children_waiting(days, month), card["A1"]["threshold"])
    t = card["A1"]["threshold"]
    waiting_block = chart_block(ac.waiting_figure(counts), ac.waiting_summary(counts, t, month),
                                ac.waiting_table(counts), id="adoption-waiting",
                                heading="Children waiting to be adopted, and for how long")
    windows = [{"label": f"{ac.WINDOWS[k]} ({card['A1'][k]['label']})", "value": k}
               for k in ("three_year", "single_year", "year_to_date", "previous_three_year")]
    return html.Div(top + [
        small_cohort_warning(n3, ac.SMALL_NUMBERS) if ac.is_small(n3) else None,
        html.Section([
            html.H2("Adoption scorecard", id="adoption-scorecard-heading"),
            html.P(ac.scorecard_summary(card), className="chart-summary",
                   id="adoption-scorecard-summary"),
            html.Div(ac.scorecard_table(card), className="table-wrap"),
            html.P(f"Cells marked '{ac.SMALL_NUMBERS_TEXT}' count fewer than {ac.SMALL_NUMBERS} "
                   "children: one child can move the figure a lot.", className="secondary"),
        ], className="adoption-scorecard-block",
            **{"aria-labelledby": "adoption-scorecard-heading"}),
        rolling_block,
        html.Section([
            dcc.Store(id=AS_AT_STORE, data=month.isoformat()),
            html.Div([html.Label("Children adopted in", htmlFor=WINDOW_ID),
                      # A dropdown, not RadioItems: Dash 4's radio group fails axe
                      # (nested-interactive, aria-allowed-role).
                      dcc.Dropdown(id=WINDOW_ID, options=windows, value="three_year",
                                   clearable=False, searchable=False,
                                   className="window-choice")],
                     className="control"),
            html.Div(_dots_block(days, card, "three_year"), id=DOTS_ID),
        ]),
        waiting_block,
        *tail,
    ], className="section-page adoption-page")


@dash.callback(Output(DOTS_ID, "children"), Input(WINDOW_ID, "value"), State(AS_AT_STORE, "data"),
               prevent_initial_call=True)
def _choose_window(window, as_at):
    days = _children()
    card = adoption.scorecard(days, pd.Timestamp(as_at).date(), _thresholds())
    return _dots_block(days, card, window or "three_year")
