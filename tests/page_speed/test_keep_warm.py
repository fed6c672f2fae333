"""Issue 15: each worker builds the latest month's pages at start and again after every
commit, so the first reader after an upload does not wait for them."""
from __future__ import annotations

import threading
import time

import pytest

from app import create_app, keep_warm
from pipelines.store.warehouse import save_commentary
from webapp import context
from webapp.audience import FULL, PUBLIC


def _kept_pages(raw, version, audience=PUBLIC):
    """The page layouts the worker's one cache holds for `version` and `audience`, by page."""
    with raw._cache_lock:
        items = list(raw._cache.items())
    return {key[1][1][1]: layout for key, layout in items
            if key[0] == version and isinstance(key[1], tuple) and len(key[1]) == 2
            and key[1][0] == audience
            and isinstance(key[1][1], tuple) and key[1][1][0] == "page"}


def _wait_for(check, seconds=120.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("not built in time")


def test_pages_built_at_start_and_again_after_a_commit(sample_config):
    app = create_app(sample_config)
    with app.server.app_context():
        wh = context.get_warehouse()
    raw = wh.raw
    latest = wh.latest_month()
    stop = threading.Event()
    worker = threading.Thread(target=keep_warm, args=(app,), kwargs={"every": 0.1, "stop": stop},
                              daemon=True)
    worker.start()
    try:
        first = wh.version()
        pages = _wait_for(lambda: (lambda p: p if ("key-points", latest) in p and
                                   ("section", "placements", latest) in p else None)(
            _kept_pages(raw, first)))
        assert "Written at the board's request" not in str(pages[("key-points", latest)])

        save_commentary(sample_config.warehouse_path, latest, "key-points",
                        "Written at the board's request after the upload.", "tester")
        second = wh.version()
        assert second != first
        pages = _wait_for(lambda: (lambda p: p if ("key-points", latest) in p else None)(
            _kept_pages(raw, second)))
        # the page kept for the new file shows what the commit wrote
        assert "Written at the board's request after the upload." in str(pages[("key-points", latest)])
    finally:
        stop.set()
        worker.join(timeout=120)
    assert not worker.is_alive()
    # built for signed-in readers (figures as they are) as well as for the public
    assert ("key-points", latest) in _kept_pages(raw, second, FULL)
    assert _kept_pages(raw, first) == {} == _kept_pages(raw, first, FULL)  # old file's let go


def test_building_for_an_audience_is_this_thread_only(sample_config):
    app = create_app(sample_config)
    with app.server.test_request_context("/"):
        wh = context.get_warehouse()
        anonymous = wh.is_public()
        seen = []
        with wh.building_for(FULL if anonymous else PUBLIC):
            assert wh.is_public() is not anonymous
            other = threading.Thread(target=lambda: seen.append(wh.audience()))
            other.start()
            other.join()
        assert wh.is_public() is anonymous
    assert seen == [PUBLIC if anonymous else FULL]  # not what this thread was building for
    with pytest.raises(ValueError, match="everyone"):
        with wh.building_for("everyone"):
            pass
