"""The key-points scorecard: one accessible table per section of the report, one row per
indicator, built from `present.summary.IndicatorSummary` objects (read by attribute).

Status is never colour alone (the pill has a word and a symbol); the numerator and
denominator are in the text (visually hidden until hover or focus) so a screen reader and a
keyboard user reach them too.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from dash import html

from components.formatting import as_at_param, format_count, format_value, format_value_or_reason, is_missing, month_label
from components.layout import section_slug, section_title
from components.layout import section_href as default_section_href
from components.sparkline import sparkline_image
from components.names import COMPARATORS, comparator_name
from components.summary_text import change_label, direction, rag_key, rag_symbol, rag_word, target_text



def headers(region_name: str | None = None) -> list[str]:
    """The scorecard's column headings, the region comparator named `region_name`."""
    return ["Indicator", "Latest", "Since last month", "Since last out-turn", "Target", "Status",
            *[comparator_name(k, region_name=region_name) for k in COMPARATORS], "Last 13 months"]


def indicator_href(code: str, as_at: Any = None) -> str:
    """'/indicator/HEALTH_CHECKS_PCT?as_at=2018-01' (no query when as_at is not known)."""
    param = as_at_param(as_at) if as_at is not None else ""
    return f"/indicator/{code}" + (f"?as_at={param}" if param else "")


def rag_pill(rag: Any, basis: str | None = None) -> html.Span:
    """Status pill: symbol + word on an accessible fill (see assets/style.css .rag-*); the
    word says what the status compares with (a target or England)."""
    key = rag_key(rag) or "none"
    return html.Span([html.Span(rag_symbol(rag), className="rag-symbol", **{"aria-hidden": "true"}),
                      " " + rag_word(rag, basis)], className=f"rag-pill rag-{key}")


def _change_cell(indicator, old, new, since: str | None, label: str,
                 override: tuple[str, str | None] | None = None) -> html.Td:
    """`override`: (words, 'improving' | 'worsening' | None) in place of the plain change,
    e.g. the SPC reading of a month-to-month move (webapp.spc_views.monthly_changes)."""
    text, word = override if override else (change_label(indicator, old, new),
                                             direction(indicator, old, new))
    css = {"improving": "change-improving", "worsening": "change-worsening"}.get(word, "change-neutral")
    children = [html.Span(text, className=css)]
    if since and not is_missing(old):
        children += [html.Br(), html.Span(f"since {since}", className="secondary")]
    return html.Td(children, **{"data-label": label})


def _latest_cell(indicator, summary) -> html.Td:
    value = summary.value
    num, den = summary.numerator, summary.denominator
    text = format_value_or_reason(indicator, value, summary.missing_reason)
    fraction = "" if is_missing(num) or is_missing(den) else f"{format_count(num)} of {format_count(den)}"
    inner = [html.Strong(text, className="sc-value")]
    if fraction:
        inner.append(html.Span(f" ({fraction})", className="sc-fraction"))
    month = month_label(summary.period or summary.as_at)
    value_el = html.Span(inner, className="sc-latest", tabIndex=0 if fraction else None, title=fraction or None)
    children = [value_el, html.Br(), html.Span(month, className="secondary")]
    if summary.small_cohort:
        children += [html.Br(), html.Span("Small numbers", className="tag tag-small")]
    if not is_missing(summary.revised_from):
        children += [html.Br(), html.Span(f"Revised: first reported as {format_value(indicator, summary.revised_from)}",
                                          className="secondary")]
    return html.Td(children, **{"data-label": "Latest"})


def _rank_line(rank: Mapping | None) -> str | None:
    """'rank 52 of 152' (the authority among English authorities, 1 = best), or None."""
    e = (rank or {}).get("england")
    return f"rank {e['rank']} of {e['of']}" if e else None


def _comparator_cell(indicator, comp, label: str, extra: str | None = None) -> html.Td:
    if comp is None or is_missing(comp.value):
        return html.Td("–", **{"data-label": label, "title": "no published figure"})
    children = [format_value(indicator, comp.value), html.Br(),
                html.Span(str(comp.year or ""), className="secondary")]
    if extra:
        children += [html.Br(), html.Span(extra, className="secondary rank")]
    return html.Td(children, **{"data-label": label})


def scorecard_row(summary, indicator, href: str | None = None,
                  monthly_change: tuple[str, str | None] | None = None) -> html.Tr:
    """One indicator's row (a `present.summary.IndicatorSummary`); `href` defaults to its
    indicator page as at the summary's month; `monthly_change` overrides the words of the
    change since last month (see `_change_cell`)."""
    href = href or indicator_href(indicator.code, summary.as_at)
    value = summary.value
    previous, outturn = summary.previous, summary.outturn
    comps = summary.comparators or {}
    spark = [{"period": p.period, "value": p.value, "suppressed": p.suppressed}
             for p in summary.sparkline]
    return html.Tr([
        html.Th(html.A(getattr(indicator, "title", indicator.code), href=href), scope="row",
                **{"data-label": "Indicator"}),
        _latest_cell(indicator, summary),
        _change_cell(indicator, previous.value if previous else None, value,
                     month_label(previous.label) if previous else None, "Since last month",
                     monthly_change),
        _change_cell(indicator, outturn.value if outturn else None, value,
                     outturn.label if outturn else None, "Since last out-turn"),
        html.Td(target_text(indicator, summary), **{"data-label": "Target"}),
        html.Td(rag_pill(summary.rag, summary.rag_basis), **{"data-label": "Status"}),
        *[_comparator_cell(indicator, comps.get(key),
                           comparator_name(key, region_name=getattr(summary, "region_name", None)),
                           _rank_line(summary.rank) if key == "england" else None)
          for key in COMPARATORS],
        html.Td(sparkline_image(spark, indicator) if spark else "–", **{"data-label": "Last 13 months"}),
    ], id=f"row-{indicator.code}", className="sc-row")


def scorecard_section(section: str, summaries: Sequence[Mapping], indicators: Mapping[str, Any], *,
                      title: str | None = None, as_at: Any = None, section_href: str | None = None,
                      heading_level: int = 2,
                      monthly_changes: Mapping[str, tuple[str, str | None]] | None = None,
                      region_name: str | None = None) -> html.Section:
    """A section heading (linking to the section page) and its scorecard table.
    `indicators` maps code -> Indicator (a Catalogue that supports `[code]` will do);
    `monthly_changes` maps code -> words for the change since last month (see `_change_cell`);
    `region_name` names the region column (default: as the summaries name it)."""
    region_name = region_name or next((s.region_name for s in summaries
                                       if getattr(s, "region_name", None)), None)
    section = section_slug(section)
    title = title or section_title(section) or section.replace("-", " ").capitalize()
    href = section_href or default_section_href(section, as_at)
    heading = getattr(html, f"H{heading_level}")(html.A(title, href=href), id=f"section-{section}")
    rows = [scorecard_row(s, indicators[s.code], indicator_href(s.code, as_at or s.as_at),
                          (monthly_changes or {}).get(s.code))
            for s in summaries]
    table = html.Table([
        html.Caption(f"{title}: latest figures, changes, targets and comparators", className="visually-hidden"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in headers(region_name)])),
        html.Tbody(rows),
    ], className="scorecard")
    return html.Section([heading, table], className="scorecard-section", **{"aria-labelledby": f"section-{section}"})
