"""The Dash app. `server` is the WSGI entry point for gunicorn (`lacdash serve`)."""
from __future__ import annotations

import os

from dash import Dash, dash_table, html

from pipelines.catalogue import load_catalogue
from pipelines.config import load_config
from pipelines.queries import Warehouse


def create_app(config=None) -> Dash:
    config = config or load_config(os.environ.get("LACDASH_CONFIG"),
                                   db=os.environ.get("LACDASH_DB"))
    cat = load_catalogue()
    wh = Warehouse(config, cat)
    app = Dash(__name__, title=f"{config.name}: looked-after children performance",
               serve_locally=True)

    def layout():
        rows = []
        for s in wh.scorecard():
            ind = cat.get(s["code"])
            rows.append({"Indicator": ind.title, "Code": ind.code,
                         "Latest": ind.format_value(s["value"]), "Month": s["period"] or ""})
        return html.Main([html.H1(f"{config.name}: looked-after children"),
                          html.P("Sample data: synthetic figures." if config.is_sample else ""),
                          dash_table.DataTable(rows)])

    app.layout = layout
    return app


app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(debug=False, port=8050)
