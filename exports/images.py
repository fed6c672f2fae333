"""Figures to PNG and SVG with kaleido 1.x and Debian's Chromium.

One Chromium per process: `exports.kaleido_server.KaleidoServer` is started on first use and
kept running (starting Chromium costs about 2 s). It keeps kaleido's page (plotly.js) loaded
between images instead of reloading it after each: about 0.15 s of CPU an image instead of
0.4 s, the same bytes (issue 16).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import threading
from collections import OrderedDict
from pathlib import Path

import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

# A4 text width is about 16 cm: 1000 px at scale 2.2 gives 2200 px, about 350 dpi.
EXPORT_WIDTH = 1000
SCALE = 2.2
DEFAULT_HEIGHT = 560
FORMATS = ("png", "svg")

_lock = threading.Lock()
# kaleido's sync server answers calls in order through one queue: two threads calling at
# once could each get the other's image, so calls are made one at a time.
_render_lock = threading.Lock()
_started = False
_server = None   # exports.kaleido_server.KaleidoServer once started


class ExportError(RuntimeError):
    """An export could not be made; the message says what to do."""


def find_chromium() -> str | None:
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.exists(env) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_started() -> None:
    """Start the shared Chromium now (raises ExportError if there is none)."""
    global _started, _server
    with _lock:
        if _started:
            return
        if find_chromium() is None:
            raise ExportError("Cannot draw the chart as an image: no Chromium found: install "
                              "Debian's chromium (sudo apt-get install chromium) or set "
                              "BROWSER_PATH to a Chrome or Chromium program.")
        from exports.kaleido_server import KaleidoServer  # here: kaleido only once drawing
        try:
            _server = KaleidoServer(mathjax=False)
        except Exception as exc:  # Chromium would not start: say so plainly
            raise ExportError(f"Chromium could not start to draw the chart "
                              f"({type(exc).__name__}: {exc}). Check that Debian's chromium "
                              "package is installed and runs.") from None
        _started = True


def stop() -> None:
    """Close the shared Chromium (tests and benchmarks; the web app keeps it)."""
    global _started, _server
    with _lock:
        if _started:
            server, _server, _started = _server, None, False
            server.close()


def _size(fig: go.Figure) -> tuple[int, int]:
    width = fig.layout.width or EXPORT_WIDTH
    height = fig.layout.height or DEFAULT_HEIGHT
    return int(width), int(height)


# ---------------------------------------------------------------- the chart-image cache
# One cache for every image the app draws (the board pack's charts, the exceptions section's
# SPC charts (issue 16), the pages' PNG/SVG downloads): an image is keyed by the figure's
# whole JSON (its data included) with the format, size and scale, so a new warehouse version
# (new figures) gets new images and an unchanged chart is drawn once. Kept in memory (the web
# app's processes) and, once `use_cache_dir` names a folder (`lacdash export`: beside the
# warehouse), on disk for the next export. Issue 16: draw through `figure_bytes` (or
# `BackgroundRenderer`) rather than calling kaleido, and the cache is shared.
CACHE_MAX_BYTES = 96 * 1024 * 1024  # in memory (about 400 pack charts)
DISK_MAX_FILES = 2000
_cache: "OrderedDict[str, bytes]" = OrderedDict()
_cache_bytes = 0
_cache_lock = threading.Lock()
_cache_dir: Path | None = None
stats = {"hits": 0, "drawn": 0}


def use_cache_dir(path) -> None:
    """Keep drawn images in this folder too (None: memory only)."""
    global _cache_dir
    _cache_dir = Path(path) if path is not None else None


def clear_cache() -> None:
    global _cache_bytes
    with _cache_lock:
        _cache.clear()
        _cache_bytes = 0


def cache_key(fig: go.Figure, opts: dict) -> str:
    # (sorted keys: a figure copied or rebuilt with the same content has the same key)
    h = hashlib.sha256(json.dumps(fig.to_plotly_json(), sort_keys=True,
                                  cls=PlotlyJSONEncoder).encode())
    h.update(json.dumps(opts, sort_keys=True).encode())
    return h.hexdigest()


def _cached(key: str, fmt: str) -> bytes | None:
    with _cache_lock:
        data = _cache.get(key)
        if data is not None:
            _cache.move_to_end(key)
            return data
    if _cache_dir is not None:
        path = _cache_dir / f"{key}.{fmt}"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        _remember(key, data)
        return data
    return None


def _remember(key: str, data: bytes) -> None:
    global _cache_bytes
    with _cache_lock:
        if key not in _cache:
            _cache[key] = data
            _cache_bytes += len(data)
        while _cache_bytes > CACHE_MAX_BYTES and len(_cache) > 1:
            _, old = _cache.popitem(last=False)
            _cache_bytes -= len(old)


def _store(key: str, fmt: str, data: bytes) -> None:
    _remember(key, data)
    if _cache_dir is None:
        return
    try:
        _cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = _cache_dir / f"{key}.{fmt}.{os.getpid()}.part"
        tmp.write_bytes(data)
        tmp.replace(_cache_dir / f"{key}.{fmt}")  # never half an image under its key
        files = [p for p in _cache_dir.iterdir() if not p.name.endswith(".part")]
        if len(files) > DISK_MAX_FILES:  # the oldest go (an old warehouse version's charts)
            files.sort(key=lambda p: p.stat().st_mtime)
            for p in files[:len(files) - DISK_MAX_FILES]:
                p.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk: the image is still returned
        pass


def figure_bytes(fig: go.Figure, fmt: str = "png", *, scale: float = SCALE) -> bytes:
    """The figure as PNG (width x scale pixels) or SVG. Draw it with `for_export=True` so the
    title, subtitle, source and footnotes are inside the image. Drawn once (the cache above)."""
    if fmt not in FORMATS:
        raise ExportError(f"'{fmt}' is not an image format: use png or svg")
    width, height = _size(fig)
    opts = {"format": fmt, "width": width, "height": height}
    if fmt == "png":
        opts["scale"] = scale
    key = cache_key(fig, opts)
    data = _cached(key, fmt)
    if data is not None:
        stats["hits"] += 1
        return data
    data = _draw(fig, opts)
    stats["drawn"] += 1
    _store(key, fmt, data)
    return data


def _draw(fig: go.Figure, opts: dict) -> bytes:
    ensure_started()
    try:
        with _render_lock:
            return _server.render(fig, opts)
    except Exception as exc:  # Chromium died or could not start: say so plainly
        name = type(exc).__name__
        if "Chrome" in name or "Browser" in name or "Channel" in name:
            stop()
            raise ExportError(f"Chromium could not draw the chart ({name}: {exc}). Check that "
                              "Debian's chromium package is installed and runs.") from None
        raise


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    return struct.unpack(">II", data[16:24])


class BackgroundRenderer:
    """Draws PNGs in a background thread while the next figures are being built (Chromium
    works in its own process, so the two overlap). Call `submit(fig)` as each figure is
    made, then use the renderer as `render(fig) -> bytes`."""

    def __init__(self, fmt: str = "png"):
        from concurrent.futures import ThreadPoolExecutor
        self.fmt = fmt
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lacdash-render")
        self._futures: dict[int, object] = {}
        self.timings: list[float] = []

    def _timed(self, fig):
        import time
        t0 = time.perf_counter()
        data = figure_bytes(fig, self.fmt)
        self.timings.append(time.perf_counter() - t0)
        return data

    def submit(self, fig: go.Figure) -> None:
        self._futures[id(fig)] = (fig, self._pool.submit(self._timed, fig))

    def __call__(self, fig: go.Figure) -> bytes:
        entry = self._futures.get(id(fig))
        if entry is None:
            return self._timed(fig)
        return entry[1].result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def pixel_width(fig: go.Figure, scale: float = SCALE) -> int:
    return round(_size(fig)[0] * scale)
