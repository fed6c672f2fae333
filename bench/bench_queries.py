"""p50/p95 of the queries the dashboard makes, on the national-scale warehouse.

    .venv/bin/python -m bench.bench_queries [--months 24]

Three states of a serving worker:
- cold: a new `Warehouse` (the file opened, nothing cached) answers one call;
- warm: an open `Warehouse` answers a call it has not answered before (other indicators of
  the same month may already be cached, as when a board member moves between pages);
- cached: the same call again.
Goal: p95 under 50 ms for every query (the scorecard is 45 summaries in one call).
"""
from __future__ import annotations

import argparse
import random
import statistics
import time

from bench.national import build_national_warehouse, row_count
from pipelines.core.catalogue import load_catalogue
from pipelines.store.queries import Warehouse

GOAL_MS = 50.0


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))]


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def line(name: str, state: str, ms: list[float]) -> str:
    p95 = pct(ms, 95)
    flag = "ok" if p95 < GOAL_MS else "OVER GOAL"
    return (f"{name:<18} {state:<7} n={len(ms):<5} p50 {statistics.median(ms):8.2f} ms  "
            f"p95 {p95:8.2f} ms  max {max(ms):8.2f} ms  {flag}")


def run(months: int = 24, seed: int = 7) -> list[str]:
    config = build_national_warehouse()
    cat = load_catalogue()
    codes = cat.codes
    bd_codes = [i.code for i in cat.indicators if i.breakdowns]
    comp_codes = [i.code for i in cat.indicators if i.comparators]
    probe = Warehouse(config, cat)
    as_ats = probe.months()[-months:]
    rng = random.Random(seed)
    out = [f"warehouse {config.warehouse_path.name}: {row_count(config):,} observations; "
           f"{len(as_ats)} as-at months {as_ats[0]:%Y-%m}..{as_ats[-1]:%Y-%m}; "
           f"{len(codes)} indicators"]

    queries = {
        "summary": (codes, lambda w, c, a: w.summary(c, a)),
        "series": (codes, lambda w, c, a: w.series(c, a)),
        "comparators": (comp_codes, lambda w, c, a: w.comparators(c, a)),
        "breakdown_series": (bd_codes, lambda w, c, a: w.breakdown_series(c, a)),
        "revisions": (codes, lambda w, c, a: w.revisions(c, a)),
    }

    # The scorecard: the landing page's one big call.
    cold, warm, cached, cold_cpu = [], [], [], []
    shared = Warehouse(config, cat)
    for a in as_ats:
        w = Warehouse(config, cat)
        c0 = time.process_time()  # all threads: DuckDB's too (the machine may be shared)
        cold.append(timed(lambda: w.scorecard(a)))
        cold_cpu.append((time.process_time() - c0) * 1000)
        w.conn.close()
        warm.append(timed(lambda: shared.scorecard(a)))
        cached.append(timed(lambda: shared.scorecard(a)))
    out += [line("scorecard", "cold", cold),
            f"{'':<18} cold    CPU p50 {statistics.median(cold_cpu):8.2f} ms",
            line("scorecard", "warm", warm), line("scorecard", "cached", cached)]

    for name, (qcodes, fn) in queries.items():
        cold, warm, cached = [], [], []
        for a in as_ats:
            for c in rng.sample(qcodes, min(3, len(qcodes))):
                w = Warehouse(config, cat)
                cold.append(timed(lambda: fn(w, c, a)))
                w.conn.close()
        shared = Warehouse(config, cat)
        for a in as_ats:
            for c in qcodes:
                warm.append(timed(lambda: fn(shared, c, a)))
                cached.append(timed(lambda: fn(shared, c, a)))
        out += [line(name, "cold", cold), line(name, "warm", warm),
                line(name, "cached", cached)]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--months", type=int, default=24, help="how many as-at months to query")
    args = ap.parse_args(argv)
    for text in run(args.months):
        print(text, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
