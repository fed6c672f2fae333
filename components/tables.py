"""Tables of figures: the text alternative to every chart (with numerator and denominator),
the comparator table, the revisions table and the KS2/KS4 attainment table. Each has a <caption> and scoped headers; a
missing figure reads "no figure (reason)", never 0.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd
from dash import html

from components.formatting import (
    format_count,
    format_value_or_reason,
    is_missing,
)
from components.theme import series_names
from components.bar_chart import ATTAINMENT_COLUMNS
from components.timeline import frame_or_empty, local_points

COMPARATOR_COLUMNS = ("local", "west_midlands", "statistical_neighbours", "england")


def _table(caption: str, headers: Sequence[str], rows: list[list], *, numeric_from: int = 1,
           class_name: str = "data-table", id: str | None = None) -> html.Table:
    """Header cells scope="col"; the first cell of each row is a row header (scope="row")."""
    head = html.Thead(html.Tr([
        html.Th(h, scope="col", className="num" if i >= numeric_from else None) for i, h in enumerate(headers)
    ]))
    body = html.Tbody([
        html.Tr([html.Th(row[0], scope="row")] +
                [html.Td(c, className="num" if i + 1 >= numeric_from else None) for i, c in enumerate(row[1:])])
        for row in rows
    ])
    props = {"id": id} if id else {}
    return html.Table([html.Caption(caption), head, body], className=class_name, **props)


def _status(value) -> str:
    return "" if is_missing(value) else str(value).capitalize()


def data_table(indicator, series_df: pd.DataFrame, *, caption: str | None = None,
               newest_first: bool = True, id: str | None = None) -> html.Table:
    """Period, value, numerator, denominator and status for every period of the local series,
    including months with no row at all ("no figure (not received)")."""
    pts = local_points(series_df)
    if newest_first:
        pts = pts.iloc[::-1]
    rows = [
        [str(r.period_label),
         format_value_or_reason(indicator, r.value, r.missing_reason),
         format_count(r.numerator),
         format_count(r.denominator),
         _status(r.status) if not is_missing(r.value) else ""]
        for r in pts.itertuples()
    ]
    caption = caption or f"{getattr(indicator, 'title', '')}: figures by month" + (", newest first" if newest_first else "")
    return _table(caption, ["Period", "Value", "Numerator", "Denominator", "Status"], rows,
                  numeric_from=1, id=id)


def comparator_table(indicator, comparators_df: pd.DataFrame, *, authority_name: str,
                     region_name: str | None = None, caption: str | None = None,
                     id: str | None = None) -> html.Table:
    """One row per published year (newest first): the authority, its region (`region_name`),
    statistical neighbours and England."""
    names = series_names(authority_name, region_name)
    df = frame_or_empty(comparators_df)
    present = [c for c in COMPARATOR_COLUMNS if not df.empty and (df["comparator"] == c).any()]
    rows = []
    if not df.empty:
        df = df.assign(_end=pd.to_datetime(df["period_end"]))
        for (_, label), year in sorted(df.groupby(["_end", "period_label"]), key=lambda g: g[0][0], reverse=True):
            cells = [str(label)]
            for comp in present:
                match = year[year["comparator"] == comp]
                if match.empty:
                    cells.append("no figure")
                    continue
                r = match.iloc[0]
                text = format_value_or_reason(indicator, r["value"], r.get("missing_reason"))
                n = r.get("n_neighbours")
                if comp == "statistical_neighbours" and not is_missing(r["value"]) and not is_missing(n):
                    text += f" (average of {int(n)})"
                cells.append(text)
            rows.append(cells)
    caption = caption or f"{getattr(indicator, 'title', '')}: published annual figures, newest first"
    return _table(caption, ["Year"] + [names[c] for c in present], rows, id=id)


def revisions_table(indicator, revisions_df: pd.DataFrame, *, caption: str | None = None,
                    id: str | None = None) -> html.Table:
    """Periods whose figure changed after it was first reported (`Warehouse.revisions`)."""
    df = frame_or_empty(revisions_df)
    rows = []
    for r in df.itertuples():
        period = str(r.period_label)
        if getattr(r, "breakdown", "") and not is_missing(r.breakdown):
            period += f" ({str(r.breakdown).split('=', 1)[-1].replace('_', ' ')})"
        when = getattr(r, "revised_at", None)
        revised = "" if is_missing(when) else pd.Timestamp(when).strftime("%-d %b %Y")
        rows.append([period,
                     format_value_or_reason(indicator, r.first_value, None),
                     format_value_or_reason(indicator, r.current_value, None),
                     revised])
    caption = caption or f"{getattr(indicator, 'title', '')}: figures revised since first reported"
    return _table(caption, ["Period", "First reported", "Now", "Revised on"], rows, numeric_from=1, id=id)


def attainment_table(rows: Sequence[Mapping], *, authority_name: str, region_name: str | None = None,
                     caption: str | None = None, id: str | None = None) -> html.Table:
    """The KS2/KS4 table: measure (with year) by looked-after children, all children in the
    authority, and looked-after children in its region (`region_name`), statistical
    neighbours, England."""
    headers = ["Measure", f"{authority_name} looked-after children", f"All children in {authority_name}",
               f"{series_names(authority_name, region_name)['west_midlands']} looked-after children", "Statistical neighbours looked-after children",
               "England looked-after children"]
    body = []
    for row in rows:
        ind = row["indicator"]
        label = getattr(ind, "title", ind.code) + (f" ({row['year']})" if row.get("year") else "")
        cells = [html.Th(label, scope="row")]
        for col in ATTAINMENT_COLUMNS:
            value, reason = row.get(col) or (None, None)
            cells.append(html.Td(format_value_or_reason(ind, value, reason), className="num"))
        body.append(html.Tr(cells))
    caption = caption or "Attainment of looked-after children beside all local children and comparators"
    props = {"id": id} if id else {}
    return html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(h, scope="col", className="num" if i else None) for i, h in enumerate(headers)])),
        html.Tbody(body),
    ], className="data-table attainment-table", **props)
