"""The configuration and Warehouse the pages read, set by `app.create_app`.

Each Dash app keeps its own context on its Flask server, so two apps built in one process
(tests) never read each other's warehouse; outside a request the last app created is used.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from pipelines.core.catalogue import Catalogue, load_catalogue
from pipelines.core.config import Config
from pipelines.store.queries import Warehouse

_KEY = "LACDASH_CONTEXT"


@dataclass
class Context:
    config: Config
    warehouse: Warehouse
    _cache: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def file_version(self):
        """Changes whenever a commit swaps the warehouse file (new inode / mtime)."""
        try:
            st = os.stat(self.config.warehouse_path)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def cached(self, key, build, max_items: int = 256):
        """A page's (read-only) layout, built once per warehouse file version: figures and
        tables cost far more to build than to send."""
        version = self.file_version()
        if version is None:
            return build()
        # page layouts differ by audience (webapp/audience.py): never share them
        audience = getattr(self.warehouse, "audience", None)
        k = (version, audience() if callable(audience) else None, key)
        with self._lock:
            if k in self._cache:
                self._cache.move_to_end(k)
                return self._cache[k]
        value = build()
        with self._lock:
            self._cache[k] = value
            while len(self._cache) > max_items:
                self._cache.popitem(last=False)
        return value

    @property
    def catalogue(self) -> Catalogue:
        return self.warehouse.catalogue


_last: Context | None = None


def set_context(server, config: Config, warehouse: Warehouse | None = None) -> Context:
    """Attach the config (and its Warehouse) to a Flask server; returns the context."""
    global _last
    ctx = Context(config, warehouse or Warehouse(config, load_catalogue()))
    if server is not None:
        server.config[_KEY] = ctx
    _last = ctx
    return ctx


def current() -> Context:
    try:
        import flask
        if flask.has_app_context() and _KEY in flask.current_app.config:
            return flask.current_app.config[_KEY]
    except ImportError:  # pragma: no cover - flask comes with dash
        pass
    if _last is None:
        raise RuntimeError("No dashboard context: build the app with app.create_app() first.")
    return _last


def get_config() -> Config:
    return current().config


def get_warehouse() -> Warehouse:
    return current().warehouse


def get_catalogue() -> Catalogue:
    return current().catalogue
