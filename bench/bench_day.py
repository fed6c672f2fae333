"""Issue 15's memory goal: a worker under 300 MB after a day of use. Simulates the day
against `lacdash serve --workers 1` on the sample warehouse: every page (key points, each
section, each indicator) of the latest `--months` months asked for once through Dash's page
router, as anonymous readers, interleaved with `--commits` commits (each publishes a new
warehouse file, which the worker's keep-warm thread rebuilds the latest month for).

    .venv/bin/python -m bench.bench_day [--months 24] [--commits 50] [--db PATH]

Prints the worker's resident memory (VmRSS) at start, after each tenth commit, its maximum
(sampled every 0.5 s) and at the end, with the worker's CPU seconds and the requests' wall
times. Asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.bench_dashboard import (LACDASH, ROUTER, _free_port, _rss_mb, _wait_up, _workers,
                                   page_paths, payload, router_values)
from bench.bench_pages import _cpu_s, _latest
from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import PROJECT_ROOT
from pipelines.store.warehouse import save_commentary

_DEP = {"output": ROUTER, "inputs": [{"id": "_pages_location", "property": "pathname"},
                                     {"id": "_pages_location", "property": "search"}]}


def _months(db: str, n: int) -> list[str]:
    from pipelines.core.config import load_config
    from pipelines.store.queries import Warehouse
    wh = Warehouse(load_config(None).with_warehouse(Path(db)))
    return [m.strftime("%Y-%m") for m in wh.months()[-n:]]


def _ask(base: str, path: str, month: str) -> float:
    body = json.dumps(payload(_DEP, router_values(path, month))).encode()
    req = urllib.request.Request(f"{base}/_dash-update-component", data=body,
                                 headers={"Content-Type": "application/json"})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=300) as r:
        r.read()
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--commits", type=int, default=50)
    ap.add_argument("--db", help="warehouse (default: a sample built in a temporary folder; "
                                 "commits write commentary to it)")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="lacdash-day-")
    db = args.db or str(Path(tmp.name) / "sample.duckdb")
    if not args.db:
        subprocess.run([str(LACDASH), "sample", "--db", db], cwd=PROJECT_ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    months = _months(db, args.months)
    paths = [p for ps in page_paths(load_catalogue()).values() for p in ps]
    views = [(p, m) for m in months for p in paths]  # every page of every month, once
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(LACDASH), "serve", "--workers", "1", "--port", str(port),
                             "--db", db], cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {len(views)} "
          f"page views ({len(paths)} pages x {len(months)} months), {args.commits} commits",
          flush=True)
    stop = threading.Event()
    peak = [0.0]
    try:
        _wait_up(base + "/login", proc)
        worker = _workers(proc.pid)[0]
        time.sleep(2)
        start_rss, cpu0, t0 = _rss_mb(worker), _cpu_s(worker), time.perf_counter()
        peak[0] = start_rss

        def sample():
            while not stop.wait(0.5):
                try:
                    peak[0] = max(peak[0], _rss_mb(worker))
                except OSError:
                    return
        threading.Thread(target=sample, daemon=True).start()
        print("| after | commits | page views | worker RSS | worker CPU | wall |")
        print("|---|---|---|---|---|---|")
        print(f"| start | 0 | 0 | {start_rss:.0f} MB | 0 s | 0 s |", flush=True)
        latest = _latest(db)
        walls = []
        per_round = -(-len(views) // max(args.commits, 1))
        done = 0
        for c in range(1, args.commits + 1):
            save_commentary(Path(db), latest, "key-points", f"Bench day: commit {c}.", "bench")
            for path, month in views[done:done + per_round]:
                walls.append(_ask(base, path, month))
            done = min(done + per_round, len(views))
            for path in ("/", "/placements"):  # readers of the newest figures, after it
                walls.append(_ask(base, path, months[-1]))
            if c % 10 == 0 or c == args.commits:
                print(f"| commit {c} | {c} | {len(walls)} | {_rss_mb(worker):.0f} MB | "
                      f"{_cpu_s(worker) - cpu0:.0f} s | {time.perf_counter() - t0:.0f} s |",
                      flush=True)
        for path, month in views[done:]:
            walls.append(_ask(base, path, month))
        time.sleep(WAIT_AFTER)  # the last keep-warm rebuild
        end_rss = _rss_mb(worker)
        print(f"| end | {args.commits} | {len(walls)} | {end_rss:.0f} MB (max {peak[0]:.0f} "
              f"MB) | {_cpu_s(worker) - cpu0:.0f} s | {time.perf_counter() - t0:.0f} s |")
        walls.sort()
        print(f"page views: p50 {statistics.median(walls):.2f} s, p95 "
              f"{walls[int(0.95 * (len(walls) - 1))]:.2f} s, max {walls[-1]:.2f} s; goal: "
              f"worker < 300 MB after the day: {'met' if end_rss < 300 else 'missed'} "
              f"(max {peak[0]:.0f} MB)")
    finally:
        stop.set()
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        tmp.cleanup()
    print(f"load average now {os.getloadavg()[0]:.1f}", flush=True)
    return 0


WAIT_AFTER = 15.0  # seconds for the worker's keep-warm thread to finish after the last commit

if __name__ == "__main__":
    raise SystemExit(main())
