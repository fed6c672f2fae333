"""Issue 14 item 8: the page cache lets go of old warehouse versions and is bounded by
memory (the body-size check before parsing is in test_sign_in.py)."""
from __future__ import annotations

import pandas as pd

from pipelines.store.queries import Warehouse, cache_size
from pipelines.store.warehouse import record_action


def test_old_versions_are_dropped_from_the_cache(config):
    wh = Warehouse(config)
    for i in range(3):
        wh.cached(("page", i), lambda: list(range(1000)))
    assert len(wh._cache) == 3
    for n in range(5):  # five commits, a page built after each
        record_action(config.warehouse_path, "someone", "test", f"commit {n}")
        wh.cached(("page", 0), lambda: list(range(1000)))
        versions = {k[0] for k in wh._cache}
        assert len(versions) == 1 and versions == {wh.version()}
        assert len(wh._cache) == 1


def test_the_cache_is_bounded_by_memory(config, monkeypatch):
    wh = Warehouse(config)
    frame = pd.DataFrame({"x": range(100_000)})  # ~0.8 MB
    monkeypatch.setattr(Warehouse, "CACHE_BYTES", 5 * cache_size(frame))
    for i in range(20):
        wh.cached(("frame", i), lambda: frame.copy())
    assert 3 <= len(wh._cache) <= 5
    assert wh._cache_bytes <= Warehouse.CACHE_BYTES
    assert ("frame", 19) in {k[1] for k in wh._cache}  # the newest kept, the oldest gone
