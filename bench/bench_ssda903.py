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
import os
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.core.catalogue import load_catalogue
from pipelines.measures.ssda903 import monthly
from pipelines.sources import ssda903

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "ssda903"
KEY = b"bench"
PLACES = ["U1", "U2", "U3", "U4", "U4", "U5", "U5", "U6", "K2", "P1", "H5", "P2", "R1", "S1"]
PROVIDERS = ["PR1", "PR1", "PR4", "PR4", "PR5"]
LS = ["C2", "C2", "C1", "V2", "V2", "E1", "J2"]
ENDS = ["E4A", "E4B", "E13", "E41", "E45", "E46", "E48", "E5", "E6", "E8", "E11", "E12"]
ETHNIC = ["WBRI", "WBRI", "WBRI", "BAFR", "MWBC", "APKN", "WOTH", "BCRB", "AIND"]


def generate(years: int = 10, seed: int = 1, target: int = 2000):
    """{file name: CSV bytes} for `years` collection years ending 31 March 2025."""
    rng = np.random.default_rng(seed)
    last_end = date(2025, 3, 31)
    first_start = date(last_end.year - years, 4, 1)
    span = (last_end - first_start).days
    mean_stay = 900          # days; entries per day so that ~target are in care at a time
    n_before = target        # in care when the first year starts
    n_new = int(target / mean_stay * span)
    starts = np.concatenate([
        [first_start - timedelta(days=int(d)) for d in rng.integers(1, 2000, n_before)],
        [first_start + timedelta(days=int(d)) for d in rng.integers(0, span, n_new)]])
    stays = rng.exponential(mean_stay, len(starts)).astype(int) + 20
    eps, revs, hdr = [], [], []
    for i, (s, stay) in enumerate(zip(starts, stays)):
        child = 100000 + i
        end = s + timedelta(days=int(stay))
        k = max(1, int(rng.poisson(max(1.0, stay / 110))))
        cuts = sorted({s + timedelta(days=int(x)) for x in rng.integers(1, stay, k - 1)}) \
            if k > 1 else []
        bounds = [s] + cuts + [end]
        for j in range(len(bounds) - 1):
            rne = "S" if j == 0 else rng.choice(["P", "P", "L", "T", "B", "U"])
            eps.append((child, bounds[j], rne, rng.choice(LS), rng.choice(PLACES),
                        rng.choice(PROVIDERS), bounds[j + 1],
                        "X1" if j < len(bounds) - 2 else rng.choice(ENDS)))
        d = s + timedelta(days=int(rng.integers(10, 25)))
        while d < end:
            revs.append((child, d, f"PN{int(rng.integers(0, 8))}"))
            d += timedelta(days=int(rng.integers(20, 70)))
        dob = s - timedelta(days=int(rng.integers(30, 17 * 365)))
        hdr.append((child, int(rng.integers(1, 3)), dob, rng.choice(ETHNIC)))
    e = pd.DataFrame(eps, columns=["CHILD", "DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER",
                                   "DEC", "REC"])
    r = pd.DataFrame(revs, columns=["CHILD", "REVIEW", "REVIEW_CODE"])
    h = pd.DataFrame(hdr, columns=["CHILD", "SEX", "DOB", "ETHNIC"])
    files = {}
    for y in range(last_end.year - years + 1, last_end.year + 1):
        ys, ye = pd.Timestamp(y - 1, 4, 1), pd.Timestamp(y, 3, 31)
        decom, dec = pd.to_datetime(e["DECOM"]), pd.to_datetime(e["DEC"])
        ey = e[(decom <= ye) & (dec >= ys)].copy()
        open_ = pd.to_datetime(ey["DEC"]) > ye
        ey["DEC"] = pd.to_datetime(ey["DEC"]).dt.strftime("%d/%m/%Y").where(~open_, "")
        ey["REC"] = ey["REC"].where(~open_, "")
        ey["DECOM"] = pd.to_datetime(ey["DECOM"]).dt.strftime("%d/%m/%Y")
        for c in ("CIN", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"):
            ey[c] = ""
        files[f"{y - 1}-episodes.csv"] = ey.to_csv(index=False).encode()
        kids = set(ey["CHILD"])
        ry = r[(pd.to_datetime(r["REVIEW"]) >= ys) & (pd.to_datetime(r["REVIEW"]) <= ye)].copy()
        ry["REVIEW"] = pd.to_datetime(ry["REVIEW"]).dt.strftime("%d/%m/%Y")
        ry.insert(1, "DOB", "01/01/2010")
        files[f"{y - 1}-reviews.csv"] = ry.to_csv(index=False).encode()
        hy = h[h["CHILD"].isin(kids)].copy()
        hy["DOB"] = pd.to_datetime(hy["DOB"]).dt.strftime("%d/%m/%Y")
        files[f"{y - 1}-header.csv"] = hy.to_csv(index=False).encode()
    stats = {"episodes": len(e), "reviews": len(r), "children": len(h)}
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
