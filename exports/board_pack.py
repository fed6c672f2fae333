"""One-click exports: the board pack (Word, PDF, PowerPoint, Excel), single charts (PNG/SVG)
and the data behind a chart (XLSX/CSV), public (default) or private.

`lacdash export` calls `export_board_pack`; the web routes call the *_bytes functions.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from exports import images
from exports.base import ExportInputError, header_lines, resolve_as_at
from exports.action_plan_export import plan_for_pack
from exports.action_plan_export import xlsx_sheets as plan_xlsx_sheets
from exports.content import Pack, build_item, build_pack, chart_data, summary_row
from exports.docx_pack import build_docx, chart_print_width_cm
from exports.exceptions_export import add_spc_charts, build_exceptions
from exports.pdf import docx_to_pdf, require_soffice
from exports.print_style import PrintStyle
from exports.pptx_deck import CHART_WIDTH_CM as PPTX_CHART_CM
from exports.pptx_deck import build_pptx
from exports.images import ExportError
from exports.suppression import NOTE, PRIVATE, check_mode
from exports.tables_export import to_csv_bytes, to_xlsx_bytes
from pipelines.store.queries import Warehouse
from present.pack import (PackDefinition, PackDefinitionError, layout, load_definition,
                          save_definition)

FORMATS = ("docx", "pdf", "pptx", "xlsx")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def _warehouse(config_or_wh):
    """A Warehouse from a Config (or the Warehouse itself)."""
    if hasattr(config_or_wh, "summary"):
        return config_or_wh
    path = config_or_wh.warehouse_path
    if not Path(path).exists():
        raise ExportInputError(f"No warehouse at {path}: run `lacdash sample` or "
                               "`lacdash ingest FILE` first.")
    return Warehouse(config_or_wh)


def use_chart_cache(wh) -> None:
    """Drawn charts are kept beside the warehouse (`<warehouse>.charts/`, keyed by each
    figure's content: exports.images), so the next export or download of an unchanged chart
    is not drawn again."""
    db = Path(wh.config.warehouse_path)
    images.use_cache_dir(db.with_name(db.name + ".charts"))


def _check_fmt(fmt: str, allowed) -> str:
    f = (fmt or "").lower().lstrip(".")
    if f not in allowed:
        raise ExportInputError(f"'{fmt}' is not a format for this export: use "
                               + ", ".join(allowed))
    return f


# ---------------------------------------------------------------- board pack

def pack_xlsx(pack: Pack) -> bytes:
    about = pd.DataFrame({"About this file": [
        f"The figures of the {pack.title.lower()}, one sheet per section.",
        "Values are as published: percentages on the 0-100 scale; blank means no figure "
        "(the Note column says why).",
        *([NOTE] if pack.mode != PRIVATE else []),
        "Key points: " + (pack.key_points or "none written for this month."),
    ]})
    sheets = [("About", pack.header_lines(f"{pack.authority}: {pack.title}"), about)]
    for part in pack.sections:
        frame = pd.DataFrame([summary_row(i) for i in part.items])
        sheets.append((part.title, pack.header_lines(f"{part.title}: {pack.title}"), frame))
    if getattr(pack, "action_plan", None) is not None:
        sheets += plan_xlsx_sheets(pack.action_plan, pack.header_lines)
    return to_xlsx_bytes(sheets)


def render_pack(pack: Pack, fmt: str, render=images.figure_bytes) -> bytes:
    if fmt == "xlsx":
        return pack_xlsx(pack)
    if fmt == "docx":
        return build_docx(pack, render)
    if fmt == "pdf":
        # once: LibreOffice updates the contents' page numbers in the same conversion
        return docx_to_pdf(build_docx(pack, render))
    return build_pptx(pack, render)


def build_board_pack_bytes(config, as_at=None, fmt: str = "docx", mode: str = "public", *,
                           codes: list[str] | None = None, spc_charts: bool = False,
                           definition: PackDefinition | None = None,
                           adoption_charts: bool = True) -> bytes:
    """The board pack as at a month ("YYYY-MM", a date, or None for the latest) in `fmt`
    (docx, pdf, pptx, xlsx). `config` may be a Config or a Warehouse; `codes` limits the
    indicators (the deck of chosen charts); `spc_charts` adds each monthly indicator's SPC
    chart after its trend; `definition` (present.pack) is the director's choice of sections,
    indicators, order, appendix, orientation and the council's look."""
    fmt = _check_fmt(fmt, FORMATS)
    mode = check_mode(mode)
    if fmt == "pdf":  # fail before drawing 50 charts
        require_soffice()
    wh = _warehouse(config)
    chosen = layout(wh.catalogue, definition) if definition is not None else None
    if fmt == "xlsx":
        pack = build_pack(wh, as_at, mode, figures=False, codes=codes, layout=chosen)
        if codes is None and (definition is None or definition.action_plan):
            pack.action_plan = plan_for_pack(wh, pack.as_at, mode)  # the board's business
        return pack_xlsx(pack)
    images.ensure_started()  # a missing Chromium is reported before any work is done
    use_chart_cache(wh)
    with images.BackgroundRenderer() as render:
        submit = render.submit
        style = None
        if fmt in ("docx", "pdf", "pptx"):  # the compact pack: charts two or three across
            style = PrintStyle(PPTX_CHART_CM if fmt == "pptx" else chart_print_width_cm(
                definition.orientation if definition else "portrait"))

            def submit(fig):
                render.submit(style(fig))
        pack = build_pack(wh, as_at, mode, codes=codes, on_figure=submit, layout=chosen,
                          adoption_charts=adoption_charts)
        pack.definition = definition
        if spc_charts:
            add_spc_charts(pack, wh, mode, on_figure=submit)
        if codes is None:  # the whole pack opens with the exceptions section
            pack.exceptions = build_exceptions(wh, pack.as_at, mode, on_figure=submit)
            if definition is None or definition.action_plan:  # an appendix the director
                pack.action_plan = plan_for_pack(wh, pack.as_at, mode)  # chooses in
        if style is not None:
            pack.captions = style.captions
        return render_pack(pack, fmt, render)


def board_pack_filename(authority: str, as_at, fmt: str, mode: str) -> str:
    slug = "-".join("".join(ch if ch.isalnum() else " " for ch in authority).lower().split())
    tag = "-CONFIDENTIAL" if mode == PRIVATE else ""
    return f"{slug}-board-report-{pd.Timestamp(as_at):%Y-%m}{tag}.{fmt}"


def export_board_pack(config, as_at, fmt, mode, out: Path, spc_charts: bool = False, *,
                      choice: dict | None = None, save: bool = False,
                      adoption_charts: bool = True) -> int:
    """`lacdash export`: write the board pack, print what was written; 0 on success, 1 when
    the export cannot be made (the message says why), 2 for a bad request. `choice`: the
    command's pack options (present.pack keys; None values keep the saved definition);
    `save` remembers the resulting definition for next month. `mode` None: the definition's."""
    t0 = time.perf_counter()
    try:
        definition = load_definition(config, _warehouse(config).catalogue,
                                     {**(choice or {}), "mode": mode})
        mode = definition.mode
        data = build_board_pack_bytes(config, as_at, fmt, mode, spc_charts=spc_charts,
                                      definition=definition, adoption_charts=adoption_charts)
    except PackDefinitionError as exc:
        print(f"lacdash export: {exc}", file=sys.stderr)
        return 2
    except ExportInputError as exc:
        print(f"lacdash export: {exc}", file=sys.stderr)
        return 2
    except (ExportError, ValueError) as exc:
        print(f"lacdash export: {exc}", file=sys.stderr)
        return 1
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)  # never leave half a file where the user expects the pack
    if save:
        print(f"Saved this pack's choices for next time in {save_definition(config, definition)}")
    mode = check_mode(mode)
    label = "CONFIDENTIAL (private)" if mode == PRIVATE else "public (small numbers suppressed)"
    print(f"Wrote {out} ({len(data) / 1024:,.0f} KB, {fmt}, {label}) "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


# ---------------------------------------------------------------- single charts and data

CHART_KINDS = ("trend", "breakdown")  # and "breakdown-<dimension>" for a second dimension


def chart_bytes(config, code: str, fmt: str = "png", as_at=None, mode: str = "public",
                chart: str = "trend") -> bytes:
    """One chart as PNG or SVG, with its title, subtitle, source and notes inside."""
    fmt = _check_fmt(fmt, images.FORMATS)
    wh = _warehouse(config)
    d = resolve_as_at(wh, as_at)
    item = build_item(wh, code, d, check_mode(mode))
    figs = {kind: fig for kind, fig, _ in item.figures}
    if chart not in figs:
        raise ExportInputError(f"{code} has no {chart} chart: choose one of {', '.join(figs)}")
    use_chart_cache(wh)
    return images.figure_bytes(figs[chart], fmt)


def data_bytes(config, code: str, fmt: str = "xlsx", as_at=None, mode: str = "public") -> bytes:
    """The data behind an indicator's charts and tables as XLSX or CSV."""
    fmt = _check_fmt(fmt, ("xlsx", "csv"))
    mode = check_mode(mode)
    wh = _warehouse(config)
    d = resolve_as_at(wh, as_at)
    item = build_item(wh, code, d, mode, figures=False)
    ind = item.indicator
    lines = header_lines(f"{ind.title} ({ind.code})", wh.config.name, d, mode, wh.is_sample())
    lines.insert(2, f"Source: {ind.source}")
    frame = chart_data(item, wh.config.name)
    if fmt == "csv":
        return to_csv_bytes(frame, lines)
    summary = pd.DataFrame([summary_row(item)])
    return to_xlsx_bytes([(ind.code, lines, frame),
                          ("Latest", lines, summary)])


