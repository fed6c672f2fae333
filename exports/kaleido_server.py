"""One kaleido (Chromium) for the process that keeps its page loaded between images.

kaleido 1.x reloads its page after every image (`Kaleido._return_kaleido_tab`), so each
image pays for parsing and compiling plotly.js (some 4.6 MB) again: about 60% of an image's
cost (19 SPC charts of the national warehouse: 7.7 s of CPU with the reload, 3.0 s
without, most of it Chromium's). `Plotly.toImage`, which kaleido's page calls, draws each
figure in a fresh element and purges it, so nothing of one image is left for the next; the
page is still reloaded every RELOAD_EVERY images, and after an error. Images are byte for byte
what kaleido's own server draws (tests/exports/test_kaleido_server.py).

`KaleidoServer` runs kaleido in a thread of its own (an asyncio loop) and answers `render`
from any thread; kaleido hands each call a free tab, so calls need no lock of ours. If a
kaleido release changes the method overridden here, the override is simply not called and
every image is drawn as kaleido draws it (reloading), so nothing breaks but the speed.
"""
from __future__ import annotations

import asyncio
import atexit
import threading

import kaleido

RELOAD_EVERY = 40       # images drawn on one page load
TIMEOUT_S = 120         # one image (kaleido's own timeout is 90 s)


class _Kaleido(kaleido.Kaleido):
    """kaleido.Kaleido that reloads a tab's page every RELOAD_EVERY images, not after each."""

    _drawn: dict

    async def _return_kaleido_tab(self, tab) -> None:  # overrides kaleido's (see module doc)
        drawn = self.__dict__.setdefault("_drawn", {})
        n = drawn.get(id(tab), 0) + 1
        queue = getattr(self, "tabs_ready", None)
        if n < RELOAD_EVERY and isinstance(queue, asyncio.Queue):
            drawn[id(tab)] = n
            await queue.put(tab)
        else:
            drawn[id(tab)] = 0
            await super()._return_kaleido_tab(tab)

    async def reload_all(self) -> None:
        """After an error: every idle tab reloads its page, so the next image starts fresh."""
        queue = getattr(self, "tabs_ready", None)
        if not isinstance(queue, asyncio.Queue):
            return
        tabs = []
        while not queue.empty():
            tabs.append(queue.get_nowait())
        try:
            for tab in tabs:
                await tab.reload()
        finally:
            for tab in tabs:
                await queue.put(tab)
            self.__dict__.setdefault("_drawn", {}).clear()


class KaleidoServer:
    """kaleido in a background thread: `render(fig, opts)` -> bytes, from any thread."""

    def __init__(self, **kopts):
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._k: _Kaleido | None = None
        self._thread = threading.Thread(target=self._run, args=(kopts,), daemon=True,
                                        name="lacdash-kaleido")
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error
        atexit.register(self.close)   # Chromium closed with the process, as kaleido's server does

    def _run(self, kopts) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._k = _Kaleido(**kopts)
            self._loop.run_until_complete(self._k.__aenter__())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of __init__
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()

    def render(self, fig, opts: dict) -> bytes:
        """The figure drawn with kaleido's options (format, width, height, scale)."""
        future = asyncio.run_coroutine_threadsafe(self._k.calc_fig(fig, opts=opts), self._loop)
        try:
            return future.result(TIMEOUT_S)
        except BaseException:
            future.cancel()
            try:
                asyncio.run_coroutine_threadsafe(self._k.reload_all(), self._loop).result(30)
            except Exception:  # noqa: BLE001 - the drawing's own error is the one to report
                pass
            raise

    def close(self) -> None:
        atexit.unregister(self.close)
        if self._k is not None and self._loop.is_running():
            try:
                asyncio.run_coroutine_threadsafe(
                    self._k.__aexit__(None, None, None), self._loop).result(30)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(30)
        self._k = None
