"""Download links under charts and the board-pack panel: what the director takes into a
board paper, with the export mode always stated (public papers suppress small numbers)."""
from __future__ import annotations

from urllib.parse import urlencode

from dash import html

from components.formatting import SUPPRESSED

PUBLIC_NOTE = f"Public version: figures about 1 to 4 children read \"{SUPPRESSED}\"."
PRIVATE_NOTE = "Confidential version: all numbers shown, marked Confidential on every page."


def _query(as_at, mode, **extra) -> str:
    params = {k: v for k, v in {"as_at": as_at, "mode": mode, **extra}.items() if v}
    return "?" + urlencode(params) if params else ""


def chart_downloads(code: str, as_at: str | None, *, chart: str = "trend",
                    label: str = "this chart", mode: str = "public") -> html.P:
    """PNG/SVG of the chart and XLSX/CSV of its figures, in the stated mode."""
    extra = {"chart": chart} if chart != "trend" else {}
    q = _query(as_at, mode, **extra)
    qd = _query(as_at, mode)
    links = [("PNG image", f"/export/chart/{code}.png{q}"),
             ("SVG image", f"/export/chart/{code}.svg{q}"),
             ("Excel figures", f"/export/data/{code}.xlsx{qd}"),
             ("CSV figures", f"/export/data/{code}.csv{qd}")]
    items = []
    for i, (text, href) in enumerate(links):
        if i:
            items.append(" · ")
        items.append(html.A(text, href=href, download="",
                            **{"aria-label": f"Download {label} as {text} ({mode} version)"}))
    return html.P(["Download ", *items, html.Span(f" ({mode} version)", className="secondary")],
                  className="downloads")


def board_pack_panel(as_at: str | None, *, can_private: bool = False) -> html.Section:
    """The one-click board pack in each format, public by default."""
    def row(mode: str, note: str):
        q = _query(as_at, mode)
        fmts = [("Word", "docx"), ("PDF", "pdf"), ("PowerPoint", "pptx"), ("Excel", "xlsx")]
        links = []
        for i, (name, ext) in enumerate(fmts):
            if i:
                links.append(" · ")
            links.append(html.A(f"{name}", href=f"/export/board-pack.{ext}{q}", download="",
                                id=f"board-pack-{mode}-{ext}",
                                **{"aria-label": f"Board pack as {name}, {mode} version"}))
        return html.Li([html.Strong(f"{mode.capitalize()}: "), *links,
                        html.Br(), html.Span(note, className="secondary")])
    items = [row("public", PUBLIC_NOTE)]
    if can_private:
        items.append(row("private", PRIVATE_NOTE))
    return html.Section([
        html.H2("Board pack", id="board-pack-heading"),
        html.P("The whole report as at this month, ready for the board papers "
               "(building it takes up to half a minute)."),
        html.Ul(items, className="board-pack-links"),
    ], className="board-pack no-print", **{"aria-labelledby": "board-pack-heading"})
