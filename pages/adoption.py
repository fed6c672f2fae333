"""/adoption: the adoption scorecard (A1, A2, A10) computed from the child-level records, the
rolling 3-year averages against the threshold, one dot per adopted child and the children
still waiting. Thin: reads the warehouse, hands frames to components.adoption_charts."""
from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, dcc, html

from components import adoption_charts as ac
from components import adoption_tables as at
from components.formatting import SUPPRESSED
from components.layout import chart_block, small_cohort_warning
from pipelines.measures import adoption
from present.adoption import adoption_days, computed_indicators, thresholds
from present.summary import read_summary
from webapp import context, shell, views
from webapp.urls import check_as_at

dash.register_page(__name__, path="/adoption", name="Adoption", order=7,
                   title="Adoption: looked-after children's performance")

WINDOW_ID = "adoption-window"
AS_AT_STORE = "adoption-as-at"
DOTS_ID = "adoption-dots-block"
# The figures computed from the records, which a monthly extract may also carry directly.
def _public() -> bool:
    """This visitor may not see small numbers (webapp/audience.py decides)."""
    return bool(getattr(context.get_warehouse(), "is_public", lambda: False)())


def _public_message(month_text: str, window: str = "three_year"):
    """For visitors who may not see small numbers: the child-level charts only as the public
    board papers have them (downloads with small numbers suppressed)."""
    return html.Div([
        html.P("The scorecard worked out child by child, each adopted child's wait and the "
               "children still waiting are shown on screen to signed-in users: with so few "
               "children, those figures could identify a child. As in the public board pack, "
               f"with small numbers shown as \"{SUPPRESSED}\":"),
        at.adoption_downloads("dots", month_text, window=window,
                              label="the chart of how long each adopted child waited"),
        at.adoption_downloads("waiting", month_text,
                              label="the chart of children waiting to be adopted"),
    ], className="message", id="adoption-public-note")


def _children():
    """Child rows with each child's waits (empty frame when no adoption file is loaded)."""
    return adoption_days(context.get_warehouse())


def _thresholds():
    return thresholds(context.get_catalogue())


def _no_records_message():
    columns = ", ".join(adoption.ADOPTION_COLUMNS)
    return html.Div([
        html.P("No adoption records are loaded, so the adoption scorecard, each child's wait "
               "and the children waiting cannot be shown."),
        html.P(["To load them, save the adoption team's records with one row per child and "
                "the columns ", html.Code(columns),
                " (other spellings of these load too), then run ",
                html.Code("lacdash ingest adoption.csv"), " or use the ",
                dcc.Link("upload page", href="/upload"), "."]),
    ], className="message", id="page-message")


def _loaded_figures(wh, month):
    """The computed adoption indicators the warehouse holds anyway (loaded directly)."""
    cat = context.get_catalogue()
    rows = []
    for ind in computed_indicators(cat):
        s = read_summary(wh, ind.code, month)
        if s.value is None:
            continue
        den = s.denominator
        rows.append({"title": ind.title, "period": str(s.period or ""),
                     "value": ind.format_value(s.value),
                     "children": "" if den is None else f"{int(den):,}"})
    if not rows:
        return None
    return html.Section([
        html.H2("Adoption figures loaded directly", id="adoption-loaded-heading"),
        html.P("These figures were loaded as indicators (not worked out here from child-level "
               "records), so they cannot be explained child by child.", className="chart-summary"),
        html.Div(at.loaded_figures_table(rows), className="table-wrap"),
    ], className="chart-block", id="adoption-loaded",
        **{"aria-labelledby": "adoption-loaded-heading"})


def _dots_block(days, card: dict, window: str):
    w = card["A1"][window]
    t = card["A1"]["threshold"]
    as_at = card["as_at"]
    dots = ac.child_dots(days, w["start"], w["end"], t)
    label = w["label"] if window != "year_to_date" else \
        f"{w['label']} (to {w['end']:%-d %B %Y})"
    heading = "How long each adopted child waited (A1)"
    downloads = at.adoption_downloads("dots", f"{as_at:%Y-%m}", window=window,
                                      label=f"the chart of {heading[0].lower() + heading[1:]}")
    return chart_block(ac.child_dots_figure(dots, t), ac.child_dots_summary(dots, t, label),
                       at.child_dots_table(dots, t), id="adoption-dots", heading=heading,
                       notes=[downloads])


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
    month_text = f"{month:%Y-%m}"
    rolling_block = chart_block(ac.rolling_figure(rolling), ac.rolling_summary(rolling),
                                at.rolling_table(rolling), id="adoption-rolling",
                                heading="A1 and A10 3-year averages against the threshold",
                                notes=[at.adoption_downloads(
                                    "rolling", month_text,
                                    label="the chart of A1 and A10 3-year averages")])

    top = [html.H1(f"Adoption as at {month:%B %Y}", id="page-title"),
           html.P("The adoption scorecard is calculated from the adoption team's child-level "
                  "records, over the children adopted in three financial years (each child "
                  "counts in the year of their adoption order). No child is identified here.",
                  className="lead"),
           shell.commentary(wh.commentary(month, "adoption"), "Commentary",
                            id="section-commentary")]
    cat = context.get_catalogue()
    ind = cat.get("ADOPTIONS_NUMBER")
    tail = [views.indicator_trend_block(ind, read_summary(wh, ind.code, month), wh, context.get_config(),
                                        month),
            # England's figures are annual, ours monthly: the annual-results table (annual
            # indicators only) never showed them, so a table of our latest beside England's.
            views.england_table_block(cat.section("adoption").indicators, wh, month,
                                      "Adoption: our latest figures beside England")]
    if days is not None and _public():
        # Child-level blocks are not drawn for visitors who may not see small numbers; the
        # figures loaded as indicators (suppressed by the audience Warehouse) still are.
        return html.Div(top + [_public_message(month_text), _loaded_figures(wh, month),
                               rolling_block, *tail], className="section-page adoption-page")
    if days is None:
        # A warehouse of monthly extracts only: say how to load the records, and still show
        # any adoption figures that were loaded directly as indicators.
        has_rolling = rolling[["a1", "a10"]].notna().any().any() if len(rolling) else False
        return html.Div(top + [
            _no_records_message(),
            _loaded_figures(wh, month),
            rolling_block if has_rolling else None,
            *tail], className="section-page adoption-page")

    card = adoption.scorecard(days, month, thresholds)
    n3 = card["A1"]["three_year"]["n"]
    counts = ac.waiting_counts(adoption.children_waiting(days, month), card["A1"]["threshold"])
    t = card["A1"]["threshold"]
    waiting_block = chart_block(ac.waiting_figure(counts), ac.waiting_summary(counts, t, month),
                                at.waiting_table(counts), id="adoption-waiting",
                                heading="Children waiting to be adopted, and for how long",
                                notes=[at.adoption_downloads(
                                    "waiting", month_text,
                                    label="the chart of children waiting to be adopted")])
    windows = [{"label": f"{ac.WINDOWS[k]} ({card['A1'][k]['label']})", "value": k}
               for k in ("three_year", "single_year", "year_to_date", "previous_three_year")]
    return html.Div(top + [
        small_cohort_warning(n3, ac.SMALL_NUMBERS) if ac.is_small(n3) else None,
        html.Section([
            html.H2("Adoption scorecard", id="adoption-scorecard-heading"),
            html.P(ac.scorecard_summary(card), className="chart-summary",
                   id="adoption-scorecard-summary"),
            html.Div(at.scorecard_table(card), className="table-wrap"),
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
    if days is None:  # the records were removed since the page was drawn
        return _no_records_message()
    if _public():
        return _public_message(pd.Timestamp(as_at).strftime("%Y-%m"), window or "three_year")
    card = adoption.scorecard(days, pd.Timestamp(as_at).date(), _thresholds())
    return _dots_block(days, card, window or "three_year")
