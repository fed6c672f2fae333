"""The configuration and Warehouse the pages read, set by `app.create_app`.

Each Dash app keeps its own context on its Flask server, so two apps built in one process
(tests) never read each other's warehouse; outside a request the last app created is used.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipelines.core.catalogue import Catalogue, load_catalogue
from pipelines.core.config import Config
from pipelines.store.queries import Warehouse

_KEY = "LACDASH_CONTEXT"


@dataclass
class Context:
    config: Config
    warehouse: Warehouse

    def file_version(self):
        """Changes whenever a commit swaps the warehouse file (see ReadConnection.version)."""
        return self.warehouse.version()

    def cached(self, key, build):
        """A page's (read-only) layout, built once per warehouse file version: figures and
        tables cost far more to build than to send. Kept in the Warehouse's one cache."""
        return self.warehouse.cached(("page", key), build)

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
