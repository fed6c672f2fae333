"""The adoption page's Dash pieces: the scorecard as the board report lays it out, the tables
behind the three charts, the loaded-figures table and the download links.

Dash only (the exports never import this module): the figures, frames and sentences they show
are in `components.adoption_charts`. Nothing identifying is shown: no child id, no dates of
birth, age on entering care in bands only, adoption by month.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
from dash import html

from components.adoption_charts import (MEASURES, NO_FIGURE, SMALL_NUMBERS_TEXT, STAGE_LABELS,
                                        STAGES, _children, _days, _long_date, is_small)
from components.formatting import format_count, is_missing, month_label


def _window_cell(measure: str, name: str, w: dict, threshold, previous: dict | None = None):
    """One scorecard cell: the days, the previous 3 years in brackets, % within, the count."""
    cid = f"adoption-{measure}-{name}"
    if not w["n"]:
        return html.Td([html.Span(NO_FIGURE, id=f"{cid}-days")], id=cid, className="num")
    parts = [html.Strong(_days(w["days"]), id=f"{cid}-days")]
    if previous is not None:
        prev = _days(previous["days"]) if previous["n"] else "no figure"
        parts += [html.Br(), html.Span(f"({prev} {previous['label']})", id=f"{cid}-previous")]
    parts += [html.Br(), html.Span(f"{w['pct_within']:.0f}% within {threshold} days",
                                   id=f"{cid}-pct"),
              html.Br(), html.Span(_children(w["n"]), id=f"{cid}-n")]
    if is_small(w["n"]):
        parts += [html.Br(), html.Span(SMALL_NUMBERS_TEXT, className="small-numbers")]
    return html.Td(parts, id=cid, className="num")


def scorecard_table(card: dict) -> html.Table:
    """The report's adoption scorecard: for A1, A2 and A10 the 3-year average (previous 3-year
    average in brackets), the threshold, the last completed year and the year to date, each
    with % of children within the threshold and the number of children behind it."""
    a1 = card["A1"]
    as_at = card["as_at"]
    headers = [
        "Measure",
        f"3-year average {a1['three_year']['label']} (previous 3 years in brackets)",
        "Threshold",
        f"Single year {a1['single_year']['label']}",
        f"Year to date {a1['year_to_date']['label']} (to {_long_date(as_at)})",
    ]
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in headers]))
    rows = []
    for measure, title in MEASURES.items():
        m = card[measure]
        t = m["threshold"]
        rows.append(html.Tr([
            html.Th(title, scope="row"),
            _window_cell(measure, "three_year", m["three_year"], t, m["previous_three_year"]),
            html.Td(f"{t} days", id=f"adoption-{measure}-threshold", className="num"),
            _window_cell(measure, "single_year", m["single_year"], t),
            _window_cell(measure, "year_to_date", m["year_to_date"], t),
        ]))
    caption = f"Adoption scorecard as at {_long_date(as_at)}: averages over children adopted, in days"
    return html.Table([html.Caption(caption), head, html.Tbody(rows)],
                      className="data-table adoption-scorecard", id="adoption-scorecard")


def rolling_table(frame: pd.DataFrame) -> html.Table:
    rows = [html.Tr([html.Th(r.period_label, scope="row"),
                     html.Td(_days(r.a1 if not is_missing(r.a1) else None), className="num"),
                     html.Td(_days(r.a10 if not is_missing(r.a10) else None), className="num"),
                     html.Td(_days(r.threshold), className="num"),
                     html.Td(format_count(r.children) + (f" ({SMALL_NUMBERS_TEXT})"
                                                         if is_small(r.children) else ""),
                             className="num")])
            for r in frame.iloc[::-1].itertuples()]
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in
                               ["Month", "A1 3-year average", "A10 3-year average", "Threshold",
                                "Children adopted in the 3 years"]]))
    return html.Table([html.Caption("A1 and A10 3-year averages by month, newest first"), head,
                       html.Tbody(rows)], className="data-table", id="adoption-rolling-table")


def child_dots_table(dots: pd.DataFrame, threshold: int) -> html.Table:
    headers = ["Child", "Adopted", "Age entering care", "A1 days", f"Within {threshold} days?",
               "Adopted by foster carers", "A10 days", "A2 days"]
    rows = [html.Tr([
        html.Th(str(r.child), scope="row"), html.Td(month_label(r.adopted_month)),
        html.Td(r.age_band), html.Td(f"{int(r.a1_days):,}", className="num"),
        html.Td("Yes" if r.within else "No, over"), html.Td("Yes" if r.foster_carers else "No"),
        html.Td(f"{int(r.a10_days):,}" if not is_missing(r.a10_days) else "no figure", className="num"),
        html.Td(f"{int(r.a2_days):,}" if not is_missing(r.a2_days) else "no figure", className="num"),
    ]) for r in dots.itertuples()]
    caption = "Each child adopted, longest wait first (numbered in this table only)"
    return html.Table([html.Caption(caption),
                       html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
                       html.Tbody(rows)], className="data-table", id="adoption-children-table")


def waiting_table(counts: pd.DataFrame) -> html.Table:
    headers = ["Time since entering care"] + [STAGE_LABELS[s] for s in STAGES] + ["All"]
    rows = [html.Tr([html.Th(band, scope="row")] +
                    [html.Td(str(int(r[s])), className="num") for s in STAGES] +
                    [html.Td(str(int(r["total"])), className="num")])
            for band, r in counts.iterrows()]
    return html.Table([html.Caption("Children waiting to be adopted, by time since entering care "
                                    "and stage reached"),
                       html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
                       html.Tbody(rows)], className="data-table", id="adoption-waiting-table")


def adoption_downloads(chart: str, as_at: str | None, *, window: str | None = None,
                       label: str = "this chart", mode: str = "public") -> html.P:
    """PNG/SVG of an adoption chart and XLSX/CSV of its figures (routes
    /export/adoption/<chart>.<ext>), in the stated mode, as `components.downloads` does."""
    params = {k: v for k, v in {"as_at": as_at, "mode": mode,
                                "window": window if window != "three_year" else None}.items() if v}
    q = "?" + urlencode(params) if params else ""
    links = [("PNG image", "png"), ("SVG image", "svg"), ("Excel figures", "xlsx"),
             ("CSV figures", "csv")]
    items = []
    for i, (text, ext) in enumerate(links):
        if i:
            items.append(" · ")
        items.append(html.A(text, href=f"/export/adoption/{chart}.{ext}{q}", download="",
                            **{"aria-label": f"Download {label} as {text} ({mode} version)"}))
    return html.P(["Download ", *items, html.Span(f" ({mode} version)", className="secondary")],
                  className="downloads", id=f"adoption-{chart}-downloads")


def loaded_figures_table(rows: list[dict]) -> html.Table:
    """Adoption figures held as indicators (e.g. loaded directly in a monthly extract) when
    there are no child-level records: `rows` of {title, period, value, children} texts."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in
                               ["Measure", "Period", "Figure", "Children"]]))
    body = html.Tbody([html.Tr([html.Th(r["title"], scope="row"), html.Td(r["period"]),
                                html.Td(r["value"], className="num"),
                                html.Td(r["children"], className="num")]) for r in rows])
    return html.Table([html.Caption("Adoption figures loaded as indicators, latest month"),
                       head, body], className="data-table", id="adoption-loaded-figures")
