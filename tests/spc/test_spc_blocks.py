"""spc.batch works long inputs in blocks of whole runs: the same numbers as one block."""
from __future__ import annotations

import numpy as np

from pipelines.measures import spc


def _runs(seed=3, n_runs=60):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 40, n_runs)
    seg = np.repeat(np.arange(n_runs), lengths)
    walk = np.cumsum(rng.normal(0, 1, len(seg))) + rng.integers(0, 3, len(seg))
    den = rng.integers(5, 60, len(seg)).astype(float)
    num = np.minimum(den, rng.integers(0, 40, len(seg)))
    direction = rng.choice([-1, 0, 1], len(seg))
    return seg, walk, num, den, direction


def _same(a, b):
    for f in ("y", "mean", "lower", "upper", "lower_close", "upper_close", "charted", "kind",
              "type"):
        assert np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True), f
    for rule in spc.RULES:
        assert np.array_equal(a.flags[rule], b.flags[rule]), rule


def test_blocks_give_the_numbers_of_one_block(monkeypatch):
    seg, walk, num, den, direction = _runs()
    for chart, kw in (("xmr", {}), ("pprime", {}), ("xmr", {"fix_after_n_points": 15})):
        whole = spc.batch(walk, seg, direction=direction, chart=chart, numerators=num,
                          denominators=den, **kw)
        monkeypatch.setattr(spc, "BLOCK", 50)      # about 40 blocks, cut between runs
        blocked = spc.batch(walk, seg, direction=direction, chart=chart, numerators=num,
                            denominators=den, **kw)
        monkeypatch.setattr(spc, "BLOCK", 1 << 15)
        _same(whole, blocked)
        # and each run is what charting it alone gives
        start = np.searchsorted(seg, 7)
        stop = np.searchsorted(seg, 8)
        alone = spc.batch(walk[start:stop], np.zeros(stop - start, dtype=int),
                          direction=direction[start:stop], chart=chart,
                          numerators=num[start:stop], denominators=den[start:stop], **kw)
        assert np.array_equal(alone.kind, blocked.kind[start:stop])
        assert np.array_equal(alone.upper, blocked.upper[start:stop], equal_nan=True)
