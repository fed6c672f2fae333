"""Download links under charts and the board-pack panel: what the director takes into a
board paper, with the export mode always stated (public papers suppress small numbers)."""
from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html

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


def board_pack_links(as_at: str | None, *, can_private: bool = False,
                     choice: dict | None = None) -> list:
    """The pack's links in each format and mode; `choice` (webapp.pack_choice.query) is the
    director's choice of what goes in."""
    def row(mode: str, note: str):
        q = _query(as_at, mode, **(choice or {}))
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
    return items


def board_pack_panel(as_at: str | None, *, can_private: bool = False,
                     choice: dict | None = None, can_save: bool = False) -> html.Section:
    """The one-click board pack in each format, public by default; with `choice` (the saved
    pack: sections in order, leave_out, orientation, appendices, and every section's and
    indicator's (value, label)) the controls to choose what goes in."""
    controls = []
    if choice is not None:
        def labelled(label, control_id, control):
            return html.Div([html.Label(label, htmlFor=control_id), control],
                            className="pack-control")
        controls = [html.Details([
            html.Summary("Choose what goes in the pack"),
            html.Fieldset([
                html.Legend("Sections (in the order ticked: a section ticked again goes last)"),
                dcc.Checklist(id="pack-sections", value=choice["sections"],
                              options=[{"value": v, "label": t}
                                       for v, t in choice["all_sections"]])]),
            labelled("Indicators to leave out", "pack-leave-out",
                     dcc.Dropdown(id="pack-leave-out", multi=True,
                                  options=[{"value": v, "label": t}
                                           for v, t in choice["all_indicators"]],
                                  value=choice["leave_out"])),
            html.Fieldset([html.Legend("Page orientation"),
                           dcc.RadioItems(id="pack-orientation", value=choice["orientation"],
                                          options=[{"value": "portrait", "label": "A4 portrait"},
                                                   {"value": "landscape",
                                                    "label": "A4 landscape"}])]),
            html.Fieldset([html.Legend("Appendices"),
                           dcc.Checklist(id="pack-appendices", value=choice["appendices"],
                                         options=[{"value": "definitions",
                                                   "label": "Definitions"},
                                                  {"value": "action_plan",
                                                   "label": "Action plan and outstanding "
                                                            "matters"}])]),
            *([html.Button("Remember this pack for next month", id="pack-save",
                           type="button"),
               html.P(id="pack-save-status", role="status")] if can_save else []),
        ], className="pack-choice")]
    return html.Section([
        html.H2("Board pack", id="board-pack-heading"),
        html.P("The whole report as at this month, ready for the board papers "
               "(building it takes up to half a minute)."),
        *controls,
        html.Ul(board_pack_links(as_at, can_private=can_private), id="board-pack-links",
                className="board-pack-links"),
    ], className="board-pack no-print", **{"aria-labelledby": "board-pack-heading"})
