"""SSDA903 extract to every monthly indicator: timings.

    .venv/bin/python -m bench.bench_ssda903 [--runs 3]

1. A generated large authority: ten collection years of 903 tables as a council's system
   exports them (one file per table per year, episodes open in the year, dd/mm/yyyy), about
   2,000 children looked after at a time, 60,000 episodes, 150,000 reviews. Timed: reading
   the CSV bytes and checking the tables (`read_files`: parse, pseudonymise, stitch), then
   computing every indicator for every month end (`monthly.compute`). Goal: under 5 s.
2. The five synthetic sample years in ../shared/ssda903/, the same two steps. Goal: under 2 s.
DfE's validator (a separate process, minutes) is not part of either figure. Prints figures;
asserts nothing.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from datetime import date
from pathlib import Path

import pandas as pd

from pipelines.core.catalogue import load_catalogue
from pipelines.measures.ssda903 import monthly
from pipelines.sources import ssda903
from tools.sample import ssda903 as tables

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "ssda903"
KEY = b"bench"


def generate(years: int = 10, seed: int = 1, target: int = 2000):
    """{file name: CSV bytes} for `years` collection years ending 31 March 2025, from the
    generator the sample uses (`tools.sample.ssda903`), with placement moves and reviews
    more often than the sample's, for the issue's volume (60,000 episodes, 150,000 reviews)."""
    last_end = date(2025, 3, 31)
    texts = tables.generate(seed=seed, first_year=last_end.year - years, last_day=last_end,
                            target=target, moves=5.0, reviews=3.2,
                            tables=("header", "episodes", "reviews"))
    files = {n: t.encode("utf-8") for n, t in texts.items()}
    eps = pd.concat([pd.read_csv(io.BytesIO(b), dtype=str, usecols=["CHILD", "DECOM"])
                     for n, b in files.items() if n.endswith("-episodes.csv")])
    revs = sum(b.count(b"\n") - 1 for n, b in files.items() if n.endswith("-reviews.csv"))
    stats = {"episodes": len(eps.drop_duplicates()), "reviews": revs,
             "children": eps["CHILD"].nunique()}
    return files, stats


def run_once(files: dict, catalogue):
    t0, c0 = time.perf_counter(), time.process_time()
    raws = [(n, ssda903.read_raw(b, n)) for n, b in files.items()]
    ex, problems = ssda903.read_files(raws, KEY)
    assert ex is not None, [p.message for p in problems if p.severity == "error"][:5]
    t1, c1 = time.perf_counter(), time.process_time()
    frame, _, _ = monthly.compute(ex, area_code="E08000031", catalogue=catalogue)
    t2, c2 = time.perf_counter(), time.process_time()
    return t1 - t0, t2 - t1, c1 - c0, c2 - c1, ex, frame


def report(name: str, files: dict, runs: int, goal: float, catalogue):
    reads, computes, cpu = [], [], []
    for _ in range(runs):
        r, c, cr, cc, ex, frame = run_once(files, catalogue)
        reads.append(r)
        computes.append(c)
        cpu.append(cr + cc)
    cla = frame[(frame.indicator_code == "CLA_NUMBER")]
    print(f"\n{name}: {len(files)} files, {sum(len(b) for b in files.values()) / 1e6:.1f} MB, "
          f"{len(ex.episodes):,} episodes after stitching, {len(ex.reviews):,} reviews, "
          f"{len(ex.years)} years, {len(cla)} month ends, {len(frame):,} figures")
    print(f"  looked after at a month end: median {cla.value.median():,.0f}, "
          f"max {cla.value.max():,.0f}; data-quality rows {len(ex.quality):,}")
    med_r, med_c = statistics.median(reads), statistics.median(computes)
    print(f"  read+check+stitch  median {med_r:.2f} s  (runs: "
          f"{', '.join(f'{x:.2f}' for x in reads)})")
    print(f"  every indicator    median {med_c:.2f} s  (runs: "
          f"{', '.join(f'{x:.2f}' for x in computes)})")
    print(f"  total              median {med_r + med_c:.2f} s wall, "
          f"{statistics.median(cpu):.2f} s CPU   goal < {goal:.0f} s")


def main(argv=None):
    # The machine's load matters a lot on a shared host: say what it was.
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    catalogue = load_catalogue()
    t = time.perf_counter()
    files, stats = generate()
    print(f"generated large authority in {time.perf_counter() - t:.1f} s: "
          f"{stats['children']:,} children, {stats['episodes']:,} episodes, "
          f"{stats['reviews']:,} reviews")
    report("Large authority (generated, 10 years)", files, args.runs, 5, catalogue)
    if SHARED.is_dir():
        sample = {p.name: p.read_bytes() for p in sorted(SHARED.glob("*.csv"))}
        report("Sample years (../shared/ssda903)", sample, args.runs, 2, catalogue)


if __name__ == "__main__":
    main()
