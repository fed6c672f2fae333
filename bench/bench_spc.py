"""SPC for every monthly series of the national warehouse at its latest month.

    .venv/bin/python -m bench.bench_spc

    .venv/bin/python -m bench.bench_spc --check   # and compare with one chart at a time

Every (authority, monthly indicator) total is charted as `lacdash spc` charts it (XmR, or
Laney p' where present.spc.choose_chart picks it; missing months left out), all at once
with pipelines.measures.spc.batch: one DuckDB query (a list of months per series), the
chart choice with numpy reductions, the SPC in numpy over every series. Goal (issue 16):
under 1 s in all, reading included; wall and CPU are printed (on a shared machine wall
time is mostly waiting for a core). Then what the board pack's exceptions section adds
(built and its charts drawn; goal under 5 s).
Also times the configured authority's charts one at a time through present.spc (what
`lacdash spc`, the indicator page and the exceptions section do).
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

from bench.national import build_national_warehouse, row_count
from exports import images
from exports.docx_pack import chart_print_width_cm
from exports.exceptions_export import build_exceptions
from exports.print_style import PrintStyle
from pipelines.core.catalogue import load_catalogue
from pipelines.measures import spc
from pipelines.store.queries import Warehouse
from present.spc import PPRIME_SPREAD, choose_chart, spc_view

GOAL_S = 1.0


def choose_charts(run_code, first, length, num, den, by_code) -> np.ndarray:
    """present.spc.choose_chart for every run at once (per-run minimum and maximum
    denominators by np.minimum/maximum.reduceat); `--check` compares it run by run."""
    n = len(first)
    chart = np.full(n, "xmr", dtype=object)
    if not n:
        return chart
    starts = first[length > 0]
    bad = np.isnan(den) | np.isnan(num) | (den <= 0)
    any_bad = np.zeros(n, dtype=bool)
    any_bad[length > 0] = np.maximum.reduceat(bad, starts)
    safe = np.where(bad, np.nan, den)
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    lo[length > 0] = np.fmin.reduceat(safe, starts)
    hi[length > 0] = np.fmax.reduceat(safe, starts)
    codes, ind_of = np.unique(run_code, return_inverse=True)   # per indicator, not per run
    percent = np.array([by_code[c].unit == "percent" for c in codes])[ind_of]
    small_at = np.array([20 if by_code[c].small_cohort is None else by_code[c].small_cohort
                         for c in codes], dtype=float)[ind_of]
    pick = percent & (length > 0) & ~any_bad & ((lo < small_at) | (hi >= PPRIME_SPREAD * lo))
    chart[pick] = "pprime"
    return chart.astype(str)


def check_one_by_one(run_code, first, length, val, num, den, chart, polar, batches,
                     by_code) -> str:
    """Every series charted on its own as `lacdash spc` charts it: same chart choice, same
    special-cause type at every point, same limits (to 1e-9)."""
    t0 = time.perf_counter()
    where = {}
    for kind, (runs, take, b) in batches.items():
        pos = np.flatnonzero(take)
        for r, a in zip(runs, np.searchsorted(pos, first[runs])):
            where[r] = (b, a)
    mismatches = 0
    for r in range(len(first)):
        a, z = first[r], first[r] + length[r]
        ind = by_code[run_code[r]]
        if choose_chart(ind, num[a:z], den[a:z]) != chart[r]:
            mismatches += 1
            continue
        one = (spc.pprime(num[a:z], den[a:z], improvement_direction=int(polar[r]))
               if chart[r] == "pprime" else
               spc.xmr(val[a:z], improvement_direction=int(polar[r])))
        b, s = where[r]
        sl = slice(s, s + length[r])
        ok = (spc.TYPES[b.type[sl]].tolist() == one.point_types
              and np.allclose(b.upper[sl], np.array(one.upper, dtype=float), rtol=0,
                              atol=1e-9, equal_nan=True)
              and np.allclose(b.lower[sl], np.array(one.lower, dtype=float), rtol=0,
                              atol=1e-9, equal_nan=True))
        mismatches += not ok
    return (f"check: {len(first):,} series charted one by one in "
            f"{time.perf_counter() - t0:.1f} s: "
            + ("same chart, types and limits for every one" if not mismatches else
               f"{mismatches:,} DIFFER"))


def run(check: bool = False) -> list[str]:
    config = build_national_warehouse()
    cat = load_catalogue()
    wh = Warehouse(config, cat)
    as_at = wh.latest_month()
    monthly = [i for i in cat.indicators if i.frequency == "M"]
    out = [f"warehouse {config.warehouse_path.name}: {row_count(config):,} observations; "
           f"as at {as_at:%Y-%m}; {len(monthly)} monthly indicators"]

    t0, c0 = time.perf_counter(), time.process_time()
    # one list per (indicator, area): its months with a value, oldest first (grouping and
    # ordering small lists costs DuckDB less than sorting every point; arrow hands the
    # flattened values and the list offsets over without a copy per row)
    table = wh.conn.cursor().sql(
        "SELECT indicator_code, list(value ORDER BY period_end) AS v, "
        "list(numerator ORDER BY period_end) AS nu, list(denominator ORDER BY period_end) AS de "
        "FROM observations WHERE period_type = 'month' AND breakdown = '' "
        "AND value IS NOT NULL AND period_end <= $1 AND indicator_code IN (SELECT unnest($2)) "
        "GROUP BY indicator_code, area_code ORDER BY indicator_code, area_code",
        params=[as_at, [i.code for i in monthly]]).to_arrow_table()
    t_read, c_read = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    lists = {k: table.column(k).combine_chunks() for k in ("v", "nu", "de")}
    val, num, den = (np.asarray(lists[k].flatten().to_numpy(zero_copy_only=False),
                                dtype=float) for k in ("v", "nu", "de"))
    offsets = np.asarray(lists["v"].offsets)
    first, length = offsets[:-1], np.diff(offsets)
    n_runs = len(first)
    run_id = np.repeat(np.arange(n_runs), length)
    run_code = np.asarray(table.column("indicator_code").to_pylist())
    by_code = {i.code: i for i in monthly}
    chart = choose_charts(run_code, first, length, num, den, by_code)
    codes, ind_of = np.unique(run_code, return_inverse=True)
    polar = np.array([spc.DIRECTIONS.get(by_code[c].polarity, 0) for c in codes])[ind_of]
    variation = np.full(n_runs, None, dtype=object)
    n_special = 0
    batches = {}
    for kind in ("xmr", "pprime"):
        mine = chart == kind
        if not mine.any():
            continue
        take = mine[run_id]
        seg = (np.cumsum(mine) - 1)[run_id[take]]        # renumber 0..k-1, still in order
        b = spc.batch(val[take], seg, direction=polar[run_id[take]], chart=kind,
                      numerators=num[take], denominators=den[take])
        batches[kind] = (np.flatnonzero(mine), take, b)
        n_special += int((b.kind != 0).sum())
        ends = np.append(np.flatnonzero(np.diff(seg)), len(seg) - 1)
        ok = b.charted[ends]
        named = np.array([spc.VARIATION[t] for t in spc.TYPES], dtype=object)
        variation[mine] = np.where(ok, named[b.type[ends]], None)
    t_spc, c_spc = time.perf_counter() - t0, time.process_time() - c0
    total = t_read + t_spc
    counts = pd.Series(variation).value_counts(dropna=False).to_dict()
    out.append(f"every series: {n_runs:,} series ({int((chart == 'pprime').sum()):,} p'), "
               f"{len(run_id):,} points, {n_special:,} special-cause points")
    out.append(f"  read {t_read:.3f} s + SPC {t_spc:.3f} s = {total:.3f} s wall "
               f"({'ok' if total < GOAL_S else 'OVER GOAL'}: goal under {GOAL_S:.0f} s); "
               f"CPU {c_read:.3f} + {c_spc:.3f} = {c_read + c_spc:.3f} s (process CPU: "
               "DuckDB's threads included)")
    out.append(f"  latest-month variation: {counts}")
    if check:
        out.append("  " + check_one_by_one(run_code, first, length, val, num, den, chart,
                                           polar, batches, by_code))

    t0 = time.perf_counter()
    for ind in monthly:
        spc_view(wh, ind.code, as_at)
    t_views = time.perf_counter() - t0
    out.append(f"configured authority through present.spc: {len(monthly)} charts in "
               f"{t_views:.3f} s ({1000 * t_views / len(monthly):.1f} ms each)")

    # What the board pack's exceptions section adds (goal: under 5 s), built and drawn as the
    # pack does it: a fresh Warehouse (nothing cached), each chart handed to the background
    # renderer as it is made (Chromium draws while Python builds the next), then waiting for
    # the last image. At the size the Word/PDF pack draws them (two across,
    # exports.print_style) and at the deck's full size. Chromium works in processes of its
    # own: their CPU is counted with ours (/proc).
    images.ensure_started()
    style = PrintStyle(chart_print_width_cm("portrait"))
    for label, restyle in (("Word/PDF size", style), ("PowerPoint size", None)):
        fresh = Warehouse(config, cat)
        t0, c0 = time.perf_counter(), tree_cpu()
        with images.BackgroundRenderer() as render:
            submit = ((lambda fig: render.submit(restyle(fig))) if restyle else render.submit)
            part = build_exceptions(fresh, as_at, "public", on_figure=submit)
            t_build, c_build = time.perf_counter() - t0, tree_cpu() - c0
            for fig in part.figures:
                render(fig)
        t_all, c_all = time.perf_counter() - t0, tree_cpu() - c0
        out.append(f"board pack exceptions section, charts at {label}: {len(part.attention)} "
                   f"need attention, {len(part.improved)} improved, {len(part.figures)} charts; "
                   f"built in {t_build:.2f} s ({c_build:.2f} s CPU, drawing under way), all "
                   f"drawn after {t_all:.2f} s ({c_all:.2f} s CPU, Chromium's included): "
                   f"{'ok' if t_all < 5 else 'OVER GOAL'} (goal under 5 s)")
    images.stop()
    return out


def tree_cpu() -> float:
    """CPU seconds of this process and every process it started (Chromium's), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    parent, cpu = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(pid)] = int(fields[1])
        cpu[int(pid)] = (int(fields[11]) + int(fields[12])) / tick
    me = os.getpid()
    total = time.process_time()
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    todo = list(children.get(me, []))
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo += children.get(pid, [])
    return total


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="also chart every series on its own (spc.xmr / spc.pprime, as "
                         "lacdash spc does) and compare signals and limits: slow")
    for text in run(ap.parse_args(argv).check):
        print(text, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
