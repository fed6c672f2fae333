"""SPC for every monthly series of the national warehouse at its latest month.

    .venv/bin/python -m bench.bench_spc

Every (authority, monthly indicator) total is charted as `lacdash spc` charts it (XmR, or
Laney p' where present.spc.choose_chart picks it; missing months left out), all at once
with pipelines.measures.spc.batch. Goal (issue 16): under 1 s in all, reading included. Then what the board pack's exceptions section
adds (built and its charts drawn; goal under 5 s).
Also times the configured authority's charts one at a time through present.spc (what
`lacdash spc`, the indicator page and the exceptions section do).
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from bench.national import build_national_warehouse, row_count
from exports import images
from exports.exceptions_export import build_exceptions
from pipelines.core.catalogue import load_catalogue
from pipelines.measures import spc
from pipelines.store.queries import Warehouse
from present.spc import choose_chart, spc_view

GOAL_S = 1.0


def run() -> list[str]:
    config = build_national_warehouse()
    cat = load_catalogue()
    wh = Warehouse(config, cat)
    as_at = wh.latest_month()
    monthly = [i for i in cat.indicators if i.frequency == "M"]
    out = [f"warehouse {config.warehouse_path.name}: {row_count(config):,} observations; "
           f"as at {as_at:%Y-%m}; {len(monthly)} monthly indicators"]

    t0, c0 = time.perf_counter(), time.process_time()
    # one run per (indicator, area): its months with a value, oldest first
    cols = wh.conn.cursor().execute(
        "SELECT dense_rank() OVER (ORDER BY indicator_code, area_code) - 1 AS run, "
        "dense_rank() OVER (ORDER BY indicator_code) - 1 AS ind, "
        "value, numerator, denominator FROM observations "
        "WHERE period_type = 'month' AND breakdown = '' AND value IS NOT NULL "
        "AND period_end <= ? AND indicator_code IN (SELECT unnest(?)) "
        "ORDER BY indicator_code, area_code, period_end",
        [as_at, [i.code for i in monthly]]).fetchnumpy()
    present = sorted(wh.conn.cursor().execute(
        "SELECT DISTINCT indicator_code FROM observations WHERE period_type = 'month' AND "
        "breakdown = '' AND value IS NOT NULL AND period_end <= ? AND indicator_code IN "
        "(SELECT unnest(?))", [as_at, [i.code for i in monthly]]).fetchall())
    t_read, c_read = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    run_id = np.asarray(cols["run"], dtype=np.int64)
    codes = np.array([c for (c,) in present])[np.asarray(cols["ind"], dtype=np.int64)]
    num = np.asarray(cols["numerator"], dtype=float)
    den = np.asarray(cols["denominator"], dtype=float)
    val = np.asarray(cols["value"], dtype=float)
    n_runs = int(run_id.max()) + 1
    first = np.searchsorted(run_id, np.arange(n_runs))
    last = np.append(first[1:], len(run_id)) - 1
    by_code = {i.code: i for i in monthly}
    run_code = codes[first]
    # chart choice per run, as choose_chart decides it
    chart = np.array([choose_chart(by_code[c], num[a:b + 1], den[a:b + 1])
                      for c, a, b in zip(run_code, first, last)])
    polar = np.array([spc.DIRECTIONS.get(by_code[c].polarity, 0) for c in run_code])
    variation = np.full(n_runs, None, dtype=object)
    n_special = 0
    for kind in ("xmr", "pprime"):
        runs = np.flatnonzero(chart == kind)
        if not len(runs):
            continue
        take = np.isin(run_id, runs)
        seg = np.searchsorted(runs, run_id[take])        # renumber 0..k-1, still in order
        b = spc.batch(val[take], seg, direction=polar[run_id[take]], chart=kind,
                      numerators=num[take], denominators=den[take])
        n_special += int((b.kind != 0).sum())
        ends = np.append(np.flatnonzero(np.diff(seg)), len(seg) - 1)
        ok = b.charted[ends]
        names = spc.TYPES[b.type[ends]]
        variation[runs] = [spc.VARIATION[t] if c else None for t, c in zip(names, ok)]
    t_spc, c_spc = time.perf_counter() - t0, time.process_time() - c0
    total = t_read + t_spc
    counts = pd.Series(variation).value_counts(dropna=False).to_dict()
    out.append(f"every series: {n_runs:,} series ({int((chart == 'pprime').sum()):,} p'), "
               f"{len(run_id):,} points, {n_special:,} special-cause points")
    out.append(f"  read {t_read:.3f} s + SPC {t_spc:.3f} s = {total:.3f} s "
               f"({'ok' if total < GOAL_S else 'OVER GOAL'}: goal under {GOAL_S:.0f} s); "
               f"CPU {c_read:.3f} + {c_spc:.3f} s (DuckDB reads on more than one thread)")
    out.append(f"  latest-month variation: {counts}")

    t0 = time.perf_counter()
    for ind in monthly:
        spc_view(wh, ind.code, as_at)
    t_views = time.perf_counter() - t0
    out.append(f"configured authority through present.spc: {len(monthly)} charts in "
               f"{t_views:.3f} s ({1000 * t_views / len(monthly):.1f} ms each)")

    # What the board pack's exceptions section adds (goal: under 5 s): a fresh Warehouse
    # (nothing cached), the section built, then its charts drawn as the pack draws them.
    fresh = Warehouse(config, cat)
    t0 = time.perf_counter()
    part = build_exceptions(fresh, as_at, "public")
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    for fig in part.figures:
        images.figure_bytes(fig)
    t_draw = time.perf_counter() - t0
    out.append(f"board pack exceptions section: {len(part.attention)} need attention, "
               f"{len(part.improved)} improved, {len(part.figures)} charts; built in "
               f"{t_build:.2f} s, drawn in {t_draw:.2f} s, {t_build + t_draw:.2f} s in all "
               f"({'ok' if t_build + t_draw < 5 else 'OVER GOAL'}: goal under 5 s)")
    return out


def main(argv=None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    for text in run():
        print(text, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
