"""Download routes for charts, data and the board pack (Flask, on the Dash app's server).

    /export/chart/<CODE>.<png|svg>?as_at=YYYY-MM&mode=public|private&chart=trend|breakdown
    /export/data/<CODE>.<xlsx|csv>?as_at=YYYY-MM&mode=public|private
    /export/board-pack.<docx|pptx|xlsx|pdf>?as_at=YYYY-MM&mode=public|private&codes=A,B
    /export/adoption/<rolling|dots|waiting>.<png|svg|xlsx|csv>?as_at=YYYY-MM&mode=public|private
        (&window=three_year|single_year|year_to_date|previous_three_year for dots)

Mode defaults to public (small numbers suppressed). Problems come back as a short plain-text
message with a 4xx/503 status, never a stack trace.
"""
from __future__ import annotations

from flask import Response, request

from exports.adoption_export import (adoption_chart_bytes, adoption_data_bytes,
                                     adoption_filename)
from exports.board_pack import (MEDIA_TYPES, board_pack_filename, build_board_pack_bytes,
                                chart_bytes, data_bytes)
from exports.base import ExportInputError
from exports.images import ExportError
from present.pack import load_definition
from webapp import pack_choice
from exports.suppression import PRIVATE, check_mode


def _split(name: str) -> tuple[str, str]:
    stem, _, ext = name.rpartition(".")
    return (stem, ext.lower()) if stem else (name, "")


def _download(data: bytes, filename: str, ext: str) -> Response:
    resp = Response(data, mimetype=MEDIA_TYPES[ext])
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Cache-Control"] = "no-store"  # private packs must not sit in caches
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def _plain(text: str, status: int) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain; charset=utf-8")


def _params():
    as_at = request.args.get("as_at") or None
    mode = check_mode(request.args.get("mode"))
    return as_at, mode


def _suffix(wh, as_at, mode) -> str:
    d = wh.resolve_as_at(as_at)
    tag = "-CONFIDENTIAL" if mode == PRIVATE else ""
    return f"{d:%Y-%m}{tag}" if d else tag.lstrip("-")


def register_export_routes(server, get_warehouse_fn, authorise_private=None) -> None:
    """Add the download routes to `server` (the Flask app); `get_warehouse_fn()` returns the
    `pipelines.store.queries.Warehouse` to read. `authorise_private()`, when given, is called before
    any private-mode export and raises (e.g. `webapp.auth.PermissionDenied`) to refuse it."""

    def guarded(fn):
        def view(*args, **kwargs):
            try:
                if authorise_private is not None and _params()[1] == PRIVATE:
                    authorise_private()
                return fn(*args, **kwargs)
            except ExportInputError as exc:
                unknown = str(exc).startswith(("Unknown indicator", "Unknown adoption chart"))
                return _plain(str(exc), 404 if unknown else 400)
            except ValueError as exc:
                return _plain(str(exc), 400)
            except ExportError as exc:
                return _plain(str(exc), 503)
            except Exception as exc:  # the caller's refusal (PermissionDenied), not a crash
                if type(exc).__name__ == "PermissionDenied":
                    return _plain(str(exc) or "Private exports need a higher role.", 403)
                raise
        view.__name__ = f"lacdash_export_{fn.__name__}"
        return view

    @guarded
    def chart(name):
        code, ext = _split(name)
        as_at, mode = _params()
        wh = get_warehouse_fn()
        kind = request.args.get("chart", "trend")
        data = chart_bytes(wh, code, ext, as_at, mode, chart=kind)
        suffix = "" if kind == "trend" else f"-{kind}"
        return _download(data, f"{code}{suffix}-{_suffix(wh, as_at, mode)}.{ext}", ext)

    @guarded
    def data(name):
        code, ext = _split(name)
        as_at, mode = _params()
        wh = get_warehouse_fn()
        out = data_bytes(wh, code, ext, as_at, mode)
        return _download(out, f"{code}-data-{_suffix(wh, as_at, mode)}.{ext}", ext)

    @guarded
    def board_pack(ext):
        as_at, mode = _params()
        wh = get_warehouse_fn()
        codes = [c.strip() for c in request.args.get("codes", "").split(",") if c.strip()] or None
        # the whole pack as the director chose it (the query) over the saved pack (issue 17)
        definition = None if codes else load_definition(
            wh.config, wh.catalogue, {**pack_choice.overrides(request.args), "mode": mode})
        out = build_board_pack_bytes(wh, as_at, ext, mode, codes=codes, definition=definition)
        d = wh.resolve_as_at(as_at)
        return _download(out, board_pack_filename(wh.config.name, d, ext.lower(), mode), ext.lower())

    @guarded
    def adoption_chart(name):
        chart, ext = _split(name)
        as_at, mode = _params()
        window = request.args.get("window") or "three_year"
        if ext not in ("png", "svg", "xlsx", "csv"):
            raise ExportInputError(f"'{ext}' is not a format for an adoption chart: use png, "
                                   "svg, xlsx or csv")
        wh = get_warehouse_fn()
        build = adoption_chart_bytes if ext in ("png", "svg") else adoption_data_bytes
        out = build(wh, chart, ext, as_at, mode, window=window)
        return _download(out, adoption_filename(chart.lower(), wh.resolve_as_at(as_at), ext,
                                                mode, window), ext)

    server.add_url_rule("/export/chart/<name>", view_func=chart, methods=["GET"])
    server.add_url_rule("/export/data/<name>", view_func=data, methods=["GET"])
    server.add_url_rule("/export/board-pack.<ext>", view_func=board_pack, methods=["GET"])
    server.add_url_rule("/export/adoption/<name>", view_func=adoption_chart, methods=["GET"])
