"""Dash pieces for the SSDA903 route: the reconciliation block on an indicator page (figures
only, no child rows, so every role may see it) and the data-quality report's tables."""
from __future__ import annotations

import base64

from dash import dash_table, html

from present.ssda903 import reconciliation_sentence, reconciliation_table


def _csv_link(frame, filename: str, text: str) -> html.A:
    data = base64.b64encode(frame.to_csv(index=False).encode("utf-8")).decode("ascii")
    return html.A(text, href=f"data:text/csv;charset=utf-8;base64,{data}", download=filename)


def table(frame, id_: str, page_size: int = 20) -> dash_table.DataTable:
    return dash_table.DataTable(
        id=id_, columns=[{"name": c, "id": c} for c in frame.columns],
        data=frame.to_dict("records"), sort_action="native", filter_action="native",
        page_size=page_size, style_table={"overflowX": "auto"},
        style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto",
                    "maxWidth": "40em"})


def reconciliation_block(ind, wh):
    """Our 31 March figure from the SSDA903 extract beside the published one, by year."""
    rec = wh.reconciliation(ind.code)
    if rec is None or rec.empty:
        return None
    decimals = ind.decimals if ind.decimals is not None else 1
    shown = reconciliation_table(rec, decimals)
    head = html.Tr([html.Th(c, scope="col") for c in shown.columns])
    rows = [html.Tr([html.Th(r[0], scope="row")] + [html.Td(v) for v in r[1:]])
            for r in shown.itertuples(index=False)]
    return html.Section([
        html.H2("Computed from the SSDA903 extract beside the published figure",
                id="reconciliation-heading"),
        html.P(reconciliation_sentence(rec, decimals), className="chart-summary"),
        html.Div(html.Table([html.Thead(head), html.Tbody(rows)], id="reconciliation-table",
                            className="data-table"), className="table-wrap"),
        html.P(_csv_link(shown, f"{ind.code}-reconciliation.csv",
                         "Download this comparison (CSV)")),
    ], className="chart-block", **{"aria-labelledby": "reconciliation-heading"})
