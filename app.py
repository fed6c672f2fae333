"""The Dash app: `create_app(config)` builds it; `server` is the WSGI entry point for
gunicorn (`gunicorn app:server`, as `lacdash serve` runs it).

`app` and `server` are built on first use (PEP 562 module `__getattr__`) from
`LACDASH_CONFIG` / `LACDASH_DB`, so importing this module (tests) opens no warehouse.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import dash
from dash import Dash
from dash import _callback as dash_callback

from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import load_config
from pipelines.store.queries import Warehouse
from webapp import auth, context, shell
from webapp.audience import FULL, PUBLIC, audience_warehouse
from webapp.exports_routes import register_export_routes

ROOT = Path(__file__).resolve().parent

# Dash's page registry and its `dash.callback` list are global to the process, and a page
# module's callbacks go to whichever app serves first. So the pages folder is imported once,
# its callbacks are taken out of the global list, and every app gets its own copy.
# Why the private `dash._callback` module: Dash 4 has no public way to give a second app in
# the same process the callbacks that `dash.callback` registered at import (its own
# `_setup_server` moves them to the first app that serves and empties the list). The public
# alternative, every page exporting `register_callbacks(app)` for `app.callback`, would make
# page modules importable only through that function and is the larger change; production
# (gunicorn) builds one app per worker, so only tests and `lacdash serve` reloads need this.
# Dash 3's public `dash.hooks.callback` does not do this job (tried on Dash 4.4.1): an app
# takes the hooked callbacks in `Dash.__init__` before it imports the pages folder, so the
# first app gets none of them, and every later Dash app in the process, related or not
# (the tests' page-only apps), gets all of them. Dash supports one app per process
# (plotly/dash#2399, #2398).
# If a Dash upgrade renames GLOBAL_CALLBACK_LIST / GLOBAL_CALLBACK_MAP, create_app fails
# at once (AttributeError), not silently.
_pages_lock = threading.Lock()
_page_callbacks: tuple[list, dict] | None = None


def _new_dash(config, first: bool) -> Dash:
    return Dash(
        __name__,
        title=f"{config.name}: looked-after children's performance",
        use_pages=True,
        pages_folder="pages" if first else "",
        assets_folder=str(ROOT / "assets"),
        serve_locally=True,
        suppress_callback_exceptions=True,
        update_title=None,
    )


def create_app(config=None) -> Dash:
    """The dashboard for one configuration (default: `LACDASH_CONFIG` / `LACDASH_DB`)."""
    global _page_callbacks
    if config is None:
        config = load_config(os.environ.get("LACDASH_CONFIG"), db=os.environ.get("LACDASH_DB"))
    with _pages_lock:
        first = _page_callbacks is None
        before_list = len(dash_callback.GLOBAL_CALLBACK_LIST)
        before_map = set(dash_callback.GLOBAL_CALLBACK_MAP)
        app = _new_dash(config, first)
        if first:
            new_list = dash_callback.GLOBAL_CALLBACK_LIST[before_list:]
            del dash_callback.GLOBAL_CALLBACK_LIST[before_list:]
            new_map = {k: dash_callback.GLOBAL_CALLBACK_MAP.pop(k)
                       for k in list(dash_callback.GLOBAL_CALLBACK_MAP) if k not in before_map}
            _page_callbacks = (new_list, new_map)
        cb_list, cb_map = _page_callbacks
        app._callback_list.extend(dict(c) for c in cb_list)
        app.callback_map.update({k: dict(v) for k, v in cb_map.items()})
    # The one Warehouse every page, chart and download reads, suppressed per request for
    # those who may not see small numbers (webapp/audience.py).
    context.set_context(app.server, config,
                        audience_warehouse(Warehouse(config, load_catalogue()), config))
    auth.init_auth(app.server, config)
    register_export_routes(app.server, context.get_warehouse,
                           authorise_private=lambda: auth.require("editor"))
    app.index_string = INDEX_STRING
    app.layout = shell.app_layout
    shell.register_callbacks(app)
    return app


# English page language for screen readers; Dash's scripts in a <div>, not a second <footer>
# (one contentinfo landmark: the site footer).
INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""

_app: Dash | None = None


def warm_up(app: Dash) -> None:
    """Build the latest month's pages once, so the first board member does not wait for
    them (pages are cached per warehouse file version). Best effort: a page that fails here
    shows its error when it is requested."""
    # The key points and section pages only: warming all ~45 indicator pages too kept a
    # worker's CPU busy for a minute after start (they build on demand in ~0.3 s each).
    paths = {"/"} | {f"/{s.slug}" for s in context.get_catalogue().sections}
    with app.server.test_request_context("/"):
        wh = context.get_warehouse()
        # signed-in board members first (unsuppressed figures by default), then the public
        for audience in (FULL, PUBLIC):
            with wh.building_for(audience):
                for page in list(dash.page_registry.values()):
                    if page["path"] in paths and callable(page.get("layout")):
                        try:
                            page["layout"]()
                        except Exception:  # noqa: BLE001
                            pass


WATCH_SECONDS = 5.0  # how often keep_warm looks at the warehouse file's version (a stat)
# Issue 14: a commit under page load must not wait behind the rebuild. keep_warm's thread
# runs at a lower CPU priority than the requests and the `lacdash ingest` processes, and
# after a commit waits until the file has stayed the same for SETTLE_SECONDS (a run of
# uploads is built once, after the last; the writer has finished before it starts).
WARM_NICE = 10
SETTLE_SECONDS = 2.0


def lower_thread_priority(nice: int = WARM_NICE) -> bool:
    """Run the calling thread at niceness `nice` (Linux, where niceness is per thread;
    never raised back: a thread cannot). Elsewhere nothing, since there setpriority would
    lower the whole worker. True when done."""
    if not sys.platform.startswith("linux"):
        return False
    tid = threading.get_native_id()
    try:
        if os.getpriority(os.PRIO_PROCESS, tid) < nice:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
        return True
    except OSError:
        return False


def keep_warm(app: Dash, every: float = WATCH_SECONDS,
              stop: threading.Event | None = None, settle: float = SETTLE_SECONDS,
              nice: int | None = WARM_NICE) -> None:
    """Build the latest month's pages at start, then again whenever a commit publishes a
    new warehouse file (issue 15): the first board member to open the dashboard after an
    upload, usually on its new month, gets pages already built instead of waiting while
    the worker builds them. Runs until `stop` is set (a daemon thread in each worker); the
    previous version's pages leave the cache as the new ones go in (Warehouse.cached).
    The thread runs at niceness `nice` and builds after a commit only once the file has not
    changed for `settle` seconds (see WARM_NICE)."""
    stop = stop or threading.Event()
    if nice is not None:
        lower_thread_priority(nice)
    with app.server.app_context():
        wh = context.get_warehouse()
    built = None
    while True:
        version = wh.version()
        if version is not None and version != built:
            if built is not None and settle > 0:
                if stop.wait(settle):
                    return
                if wh.version() != version:
                    continue  # another commit meanwhile: wait for that one to settle
            built = version
            warm_up(app)
        if stop.wait(every):
            return


def get_app(warm: bool = True) -> Dash:
    """The app for the environment's configuration, built once (and its latest month's
    pages built in the background when `warm`, again after every commit)."""
    global _app
    if _app is None:
        _app = create_app()
        if warm:
            threading.Thread(target=keep_warm, args=(_app,), daemon=True, name="warm-up").start()
    return _app


def __getattr__(name):
    if name == "app":
        return get_app()
    if name == "server":
        return get_app().server
    raise AttributeError(f"module 'app' has no attribute {name!r}")


if __name__ == "__main__":
    get_app().run(debug=False, port=int(os.environ.get("PORT", 8050)))
