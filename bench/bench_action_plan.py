"""The action plan at national scale: importing a plan, one editor's change, and building
what /action-plan shows (linked figures and SPC readings included).

    .venv/bin/python -m bench.bench_action_plan [--actions 200] [--runs 5]

Works on a copy of the national warehouse (bench/national.py), so the cached one is never
changed. Every write copies and swaps the whole file (as uploads do), so a change costs about
what copying the warehouse costs. Goals (none set by the issue; ours): an edit under 1 s, the
page's view under 0.5 s warm.
"""
from __future__ import annotations

import argparse
import csv
import io
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.national import build_national_warehouse, row_count
from pipelines.core.catalogue import load_catalogue
from pipelines.plan_uploads import import_plan_file
from pipelines.sources.action_plan import parse_plan_file
from pipelines.store import plan
from pipelines.store.queries import Warehouse
from present.action_plan import plan_view

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "action_plan_2013_14.csv"


def synthetic_plan(n_actions: int, codes: list[str]) -> bytes:
    """n actions under n/10 outcomes, each outcome linked to three indicators."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Plan", "Outcome", "Target and timescale", "Lead officer accountable",
                "Key action", "Who", "By when", "Status", "Six month update", "Indicators"])
    for i in range(n_actions):
        o = i // 10
        if i % 10 == 0:  # the outcome's own row: its linked indicators
            w.writerow(["2025-26", f"Outcome {o}", "By March 2026", "Lead", "", "", "", "", "",
                        ", ".join(codes[(3 * o + k) % len(codes)] for k in range(3))])
        w.writerow(["", "", "", "", f"Action {i}", "Officer", "March 2026", "progressing",
                    "On track", ""])
    return buf.getvalue().encode()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def run(n_actions: int, runs: int) -> list[str]:
    national = build_national_warehouse()
    cat = load_catalogue()
    tmp = Path(tempfile.mkdtemp(prefix="lacdash-plan-bench-"))
    db = tmp / national.warehouse_path.name
    shutil.copy(national.warehouse_path, db)
    config = national.with_warehouse(db)
    size = db.stat().st_size / 1024 / 1024
    out = [f"warehouse copy: {row_count(config):,} observations, {size:,.1f} MB"]
    monthly = [i.code for i in cat.indicators if i.frequency == "M"]
    data = synthetic_plan(n_actions, monthly)

    t0 = time.perf_counter()
    parsed = parse_plan_file(data, "plan.csv", cat)
    out.append(f"parse a {n_actions}-action plan: {ms(time.perf_counter() - t0)} "
               f"({len(parsed.errors)} errors)")
    t0 = time.perf_counter()
    done = import_plan_file(db, data, "plan.csv", cat, "bench")
    out.append(f"check and import it: {ms(time.perf_counter() - t0)} ({done.message})")
    t0 = time.perf_counter()
    import_plan_file(db, SAMPLE.read_bytes(), SAMPLE.name, cat, "bench")
    out.append(f"import the sample 2013-14 plan: {ms(time.perf_counter() - t0)}")

    edits = []
    for r in range(runs):
        t0 = time.perf_counter()
        plan.save_item(db, "action", {"outcome_id": 1, "action": f"Edit {r}",
                                      "status": "not_started"}, "bench", item_id=1)
        edits.append(time.perf_counter() - t0)
    out.append(f"one edit (copy, change, swap): median {ms(statistics.median(edits))}, "
               f"max {ms(max(edits))} over {runs}")

    wh = Warehouse(config, cat)
    t0 = time.perf_counter()
    view = plan_view(wh, None, include_private=True)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(runs):
        t0 = time.perf_counter()
        plan_view(wh, None, include_private=True)
        warm.append(time.perf_counter() - t0)
    links = sum(len(o.indicators) for o in view.outcomes)
    out.append(f"plan view ({len(view.actions)} actions, {len(view.outcomes)} outcomes, "
               f"{links} linked indicators with SPC): cold {ms(cold)}, warm median "
               f"{ms(statistics.median(warm))}")
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actions", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    for line in run(args.actions, args.runs):
        print(line)


if __name__ == "__main__":
    main()
