"""Page shell pieces shared by every page: header (skip link, sample banner, as-at control,
section navigation), the main landmark, the chart block (heading, chart, one-sentence
summary, table alternative), warnings and notes, footer.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from dash import dcc, html

from components.formatting import as_at_param, format_value, is_missing, month_label, to_date
from components.theme import GRAPH_CONFIG
from components.names import comparator_name
from pipelines.core import catalogue

AS_AT_ID = "as-at"
MAIN_ID = "main-content"


def section_links(sections: Iterable[Any] | None = None) -> list[tuple[str, str]]:
    """(slug, title) of the report's sections in order; the slug is the page's address. From
    the catalogue (``pipelines.core.catalogue.sections()``) unless a page passes its own."""
    return [(s.slug, s.title) for s in (catalogue.sections() if sections is None else sections)]


def section_title(slug: str) -> str | None:
    return dict(section_links()).get(slug)


def section_slug(section: str) -> str:
    """'care_leavers' / 'Care leavers' -> 'care-leavers'."""
    return str(section).strip().lower().replace("_", "-").replace(" ", "-")


def _with_as_at(path: str, as_at: Any) -> str:
    param = as_at_param(as_at) if as_at is not None else ""
    return f"{path}?as_at={param}" if param else path


def section_href(section: str, as_at: Any = None) -> str:
    return _with_as_at(f"/{section_slug(section)}", as_at)


def as_at_options(months: Iterable[Any]) -> list[dict]:
    """Dropdown options, newest first: label 'January 2018', value '2018-01'."""
    dates = sorted({d for d in (to_date(m) for m in months) if d is not None}, reverse=True)
    return [{"label": month_label(d, long=True), "value": as_at_param(d)} for d in dates]


def sample_banner() -> html.Div:
    return html.Div(
        html.P([html.Strong("Sample data. "),
                "These figures are made up for demonstration. They are not any council's real figures."]),
        className="sample-banner", id="sample-banner", role="region", **{"aria-label": "Sample data notice"})


def nav_links(current_path: str = "/", as_at: Any = None, sections: Iterable[Any] | None = None) -> html.Nav:
    """Key points, one link per catalogue section, the action plan."""
    items = ([("/", "Key points")] + [(f"/{slug}", title) for slug, title in section_links(sections)]
             + [("/action-plan", "Action plan")])
    current = (current_path or "/").split("?", 1)[0].rstrip("/") or "/"
    links = []
    for path, title in items:
        extra = {"aria-current": "page"} if path == current else {}
        links.append(html.Li(html.A(title, href=_with_as_at(path, as_at), className="nav-link", **extra)))
    return html.Nav(html.Ul(links, className="nav-list"), className="site-nav", **{"aria-label": "Sections"})


def as_at_control(as_at: Any, months: Sequence[Any]) -> html.Div:
    options = as_at_options(months)
    value = as_at_param(as_at) if as_at is not None else (options[0]["value"] if options else None)
    return html.Div([
        html.Label("Figures as at", htmlFor=AS_AT_ID, className="as-at-label"),
        dcc.Dropdown(id=AS_AT_ID, options=options, value=value, clearable=False, searchable=False,
                     className="as-at-dropdown"),
    ], className="as-at-control")


def page_header(authority_name: str, as_at: Any, months: Sequence[Any], is_sample: bool, *,
                current_path: str = "/", sections: Iterable[Any] | None = None) -> html.Div:
    """Skip link, sample-data banner, service name, as-at month control and section links."""
    return html.Div([
        html.A("Skip to main content", href=f"#{MAIN_ID}", className="skip-link"),
        sample_banner() if is_sample else None,
        html.Header([
            html.Div([
                html.P("Corporate Parenting Board", className="service-kicker"),
                html.P([html.A(f"{authority_name}: looked-after children's performance",
                               href=_with_as_at("/", as_at), className="service-name")]),
            ], className="header-title"),
            as_at_control(as_at, months),
        ], className="site-header"),
        nav_links(current_path, as_at, sections),
    ], className="page-top")


def main(children: Any, **props: Any) -> html.Main:
    """The main landmark the skip link jumps to."""
    return html.Main(children, id=MAIN_ID, tabIndex=-1, className="main", **props)


FIGURES_TABLE = "figures-table"  # a <details> whose table is drawn when first opened
FIGURES_TABLE_BODY = "figures-table-body"
SHOW_TABLE = "Show the figures as a table"


def figures_table_details(table_key: str) -> html.Details:
    """"Show the figures as a table" whose table is sent when a reader first opens it (issue
    15: the tables were 94% of a section page's components, drawn for nobody). Opening it
    (a click, or Enter/Space on the summary, which browsers send as a click) counts in
    `n_clicks`; the app's callback (webapp.views.register_callbacks) then fills the body for
    `table_key` and stops counting."""
    return html.Details([
        html.Summary(SHOW_TABLE),
        html.Div(html.P("Opening the table…", className="secondary table-loading"),
                 id={"type": FIGURES_TABLE_BODY, "key": table_key}, className="table-wrap",
                 tabIndex=0),  # a wide table scrolls sideways: keyboard users can too
    ], id={"type": FIGURES_TABLE, "key": table_key}, className="chart-table")


def chart_block(figure, summary_text: str, table, *, id: str, heading: str | None = None,
                heading_level: int = 2, notes: Sequence[Any] = (),
                table_key: str | None = None) -> html.Section:
    """Heading (say what the chart shows), chart, one-sentence summary, any notes, and the
    figures as a table inside <details> (opened by the print stylesheet). With `table_key`
    (and no `table`) the table is drawn when the reader opens it (figures_table_details)."""
    if table is None and table_key is None:
        raise ValueError(f"chart block {id!r}: every chart needs its figures as a table")
    summary_id = f"{id}-summary"
    heading_el = getattr(html, f"H{heading_level}")(heading, id=f"{id}-heading") if heading else None
    graph = dcc.Graph(id=f"{id}-graph", figure=figure, config=GRAPH_CONFIG, className="chart-graph",
                      responsive=True)
    return html.Section([
        heading_el,
        html.Figure([graph, html.Figcaption(summary_text, id=summary_id, className="chart-summary")],
                    className="chart-figure"),
        *[n for n in notes if n is not None],
        (figures_table_details(table_key) if table is None else
         html.Details([html.Summary(SHOW_TABLE), html.Div(table, className="table-wrap")],
                      className="chart-table")),
    ], id=id, className="chart-block", **({"aria-labelledby": f"{id}-heading"} if heading else {}))


def small_cohort_warning(count: Any = None, threshold: int = 20) -> html.Div:
    """Warn that small numbers make percentages volatile (the report says so too)."""
    counted = f"Only {int(count)} children are counted" if not is_missing(count) else \
        f"Fewer than {threshold} children are counted"
    return html.Div([
        html.Span("!", className="warning-icon", **{"aria-hidden": "true"}),
        html.P([html.Strong("Small numbers. "),
                f"{counted}, so one child can move the percentage a lot. Read changes with care."],
               className="warning-text-body"),
    ], className="warning-text", role="note")


def revision_note(period: Any, first_reported: Any, current: Any = None, *, indicator=None) -> html.P:
    """'Jan 2018 was revised: first reported as 86%, now 88%.' Values may be numbers
    (formatted with `indicator`) or ready-made text."""
    def text(v):
        if isinstance(v, str):
            return v
        return format_value(indicator, v) if indicator is not None else f"{v:g}"
    label = month_label(period) or str(period)
    sentence = f"{label} was revised: first reported as {text(first_reported)}"
    if current is not None and not (not isinstance(current, str) and is_missing(current)):
        sentence += f", now {text(current)}"
    return html.P([html.Strong("Revised. "), sentence + "."], className="revision-note")


def key_points(commentary: Mapping | None) -> html.Section | None:
    """The month's key-points commentary (Markdown), with who wrote it and when."""
    if not commentary or not commentary.get("text"):
        return None
    saved = commentary.get("saved_at")
    by = commentary.get("author") or ""
    when = to_date(saved)
    meta = "Written" + (f" by {by}" if by else "") + (f" on {when.strftime('%-d %B %Y')}" if when else "")
    return html.Section([
        html.H2("Key points", id="key-points-heading"),
        dcc.Markdown(commentary["text"], className="commentary"),
        html.P(meta, className="secondary"),
    ], className="key-points", **{"aria-labelledby": "key-points-heading"})


def footer(authority_name: str, *, region_name: str | None = None, extra: Any = None) -> html.Footer:
    region = comparator_name("west_midlands", region_name=region_name)
    return html.Footer([
        html.P([f"Local figures: {authority_name}. {region}, statistical-neighbour and England "
                "figures: Department for Education published statistics (annual)."]),
        html.P("Missing figures are shown as 'no figure' with the reason; they are never counted as zero."),
        extra,
    ], className="site-footer")
