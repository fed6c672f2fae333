"""Data-quality report of the latest SSDA903 extract (`/data-quality`, editors only): every
repair, unrepairable gap and DfE rule failure with the child (pseudonymised), file, rows,
indicators and months; downloadable as CSV. Child-level, so the server refuses viewers."""
from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from present.ssda903 import (quality_sentence, quality_summary, quality_table,
                             reconciliation_table)
from webapp.auth import current_user, require
from webapp.context import get_warehouse
from webapp.shell import access_denied
from webapp.ssda903_views import table

dash.register_page(__name__, path="/data-quality", title="Data quality of the SSDA903 extract")
SHOWN = 2000  # rows in the page's table; the CSV has every row


def layout(**_):
    if not current_user().has("editor"):
        return access_denied("editor", "/data-quality")
    wh = get_warehouse()
    q = wh.ssda903_quality()
    rec = wh.reconciliation()
    return html.Div([
        html.H1("Data quality of the SSDA903 extract", id="page-title"),
        html.P(quality_sentence(q), className="lead"),
        html.P("Children are shown by pseudonym (the keyed hash made at load); rows are as "
               "Excel numbers them in the file named. This page is for the insight team only."),
        html.H2("Summary"),
        table(quality_summary(q), "dq-summary", page_size=30),
        html.H2("Every row"),
        html.P([html.Button("Download the report (CSV)", id="dq-download-btn"),
                dcc.Download(id="dq-download")]),
        html.P(f"The first {SHOWN:,} of {len(q):,} rows are shown (repairs and gaps first); "
               "the CSV has them all.") if len(q) > SHOWN else None,
        table(quality_table(q.head(SHOWN)), "dq-rows"),
        html.H2("Reconciliation with published figures"),
        html.P("Our figure for each year ending 31 March beside DfE's published figure for the "
               "authority (when the published files are loaded), with the difference."),
        html.P([html.Button("Download the reconciliation (CSV)", id="dq-rec-btn"),
                dcc.Download(id="dq-rec-download")]),
        table(reconciliation_table(rec).assign(
            Indicator=rec["indicator_code"] if len(rec) else []), "dq-reconciliation"),
    ])


@callback(Output("dq-download", "data"), Input("dq-download-btn", "n_clicks"),
          prevent_initial_call=True)
def download_quality(_):
    require("editor")
    return dcc.send_data_frame(quality_table(get_warehouse().ssda903_quality()).to_csv,
                               "ssda903-data-quality.csv", index=False)


@callback(Output("dq-rec-download", "data"), Input("dq-rec-btn", "n_clicks"),
          prevent_initial_call=True)
def download_reconciliation(_):
    require("editor")
    return dcc.send_data_frame(get_warehouse().reconciliation().to_csv,
                               "ssda903-reconciliation.csv", index=False)
