"""The benchmarking section (Dash pieces): the chart from components.benchmark_chart, a
one-sentence summary, notes, year links and the figures as a sortable table that downloads
as CSV."""
from __future__ import annotations

from dash import dash_table, dcc, html

from components.benchmark_chart import benchmark_figure, table_records
from components.layout import chart_block


def benchmark_table(ind, view, *, id: str) -> dash_table.DataTable:
    cols, records = table_records(ind, view.rows)
    return dash_table.DataTable(
        id=id, columns=cols, data=records, sort_action="native",
        export_format="csv", export_headers="display",
        style_data_conditional=[{"if": {"filter_query": f"{{code}} = '{c}'"}, "fontWeight": "bold"}
                                for c in view.rows.area_code[view.rows.is_authority]],
        style_cell={"textAlign": "left", "fontFamily": "inherit", "whiteSpace": "normal"},
        style_header={"fontWeight": "bold"},
        css=[{"selector": ".export", "rule": "margin: 0.5rem 0;"}],
        page_action="none")


def year_links(view, href_for) -> html.Nav | None:
    if len(view.years) < 2:
        return None
    items = []
    for y in view.years:
        items.append(html.Li(html.Strong(y, **{"aria-current": "true"}) if y == view.year
                             else dcc.Link(y, href=href_for(y))))
    return html.Nav([html.Span("Published year: "), html.Ul(items, className="inline-list")],
                    className="year-links", **{"aria-label": "Choose the published year"})


def benchmark_section(ind, view, *, href_for, heading_level: int = 2) -> html.Section:
    """Chart, summary, notes (cohort, neighbours, average) and the sortable, downloadable table."""
    fig = benchmark_figure(ind, view.rows, year=view.year,
                           region=(view.region_name, view.region_value),
                           sn=(view.sn or {}).get("value"), england=view.england_value)
    notes = [year_links(view, href_for)]
    notes += [html.P(n, className="context-note") for n in view.notes]
    table = html.Div([
        html.P("Sort by any column with the arrows in its heading; \"Export\" downloads the "
               "table as CSV. The authority is marked \u25c6 and in bold.", className="secondary"),
        benchmark_table(ind, view, id=f"benchmark-table-{ind.code}"),
    ])
    block = chart_block(fig, view.summary, table, id=f"benchmark-{ind.code}",
                        heading=f"{ind.title}: the region and statistical neighbours, {view.year or 'no year loaded'}",
                        heading_level=heading_level, notes=notes)
    # The table is the point of this view: keep it open, not folded away.
    details = block.children[-1]
    details.open = True
    return block
