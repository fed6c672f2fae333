"""Time to build the full board pack (goal under 30 s) and to draw each chart.

    .venv/bin/python -m bench.bench_exports [--db PATH] [--format docx|pdf|pptx|xlsx] [--mode public|private]

Builds the sample warehouse in a temporary folder unless --db names one. Reports, on one
Chromium started once (as in the web app, where it stays running):
- Chromium start-up (first image);
- building each indicator's figures (components) and drawing each PNG (kaleido), per chart;
- the whole board pack end to end, as `lacdash export` makes it (charts drawn in the
  background while the next are built).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

GOAL_S = 30.0


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an existing warehouse (default: build the sample)")
    ap.add_argument("--format", default="docx", choices=["docx", "pdf", "pptx", "xlsx"])
    ap.add_argument("--mode", default="public", choices=["public", "private"])
    ap.add_argument("--as-at", default=None)
    args = ap.parse_args(argv)

    from exports import images
    from exports.board_pack import build_board_pack_bytes
    from exports.content import build_item
    from pipelines.core.config import PROJECT_ROOT, load_config
    from pipelines.store.queries import Warehouse

    config = load_config(PROJECT_ROOT / "data" / "config.toml")
    tmp = None
    if args.db:
        config = config.with_warehouse(args.db)
    else:
        from tools.sample.build import build_sample
        tmp = tempfile.TemporaryDirectory(prefix="lacdash-bench-")
        config = config.with_warehouse(Path(tmp.name) / "w.duckdb")
        t0 = time.perf_counter()
        build_sample(config)
        print(f"sample warehouse built in {time.perf_counter() - t0:.1f} s")

    wh = Warehouse(config)
    as_at = wh.resolve_as_at(args.as_at)
    t0 = time.perf_counter()
    images.ensure_started()
    images.figure_bytes(images.go.Figure())
    print(f"Chromium start-up and first image: {time.perf_counter() - t0:.2f} s")

    build_s, draw_s, rows = [], [], []
    for ind in wh.catalogue.indicators:
        t0 = time.perf_counter()
        item = build_item(wh, ind.code, as_at, args.mode)
        build_s.append(time.perf_counter() - t0)
        for kind, fig, _ in item.figures:
            t1 = time.perf_counter()
            png = images.figure_bytes(fig)
            draw_s.append(time.perf_counter() - t1)
            rows.append((ind.code, kind, draw_s[-1], len(png)))
    print(f"\nper chart ({len(rows)} charts, {len(build_s)} indicators):")
    for code, kind, s, size in rows:
        print(f"  {code:<28} {kind:<9} draw {s * 1000:7.0f} ms  {size / 1024:6.0f} KB")
    print(f"figures + data per indicator: p50 {statistics.median(build_s) * 1000:.0f} ms, "
          f"p95 {pct(build_s, 95) * 1000:.0f} ms")
    print(f"PNG per chart:                p50 {statistics.median(draw_s) * 1000:.0f} ms, "
          f"p95 {pct(draw_s, 95) * 1000:.0f} ms")

    # The whole pack in a fresh Warehouse (nothing cached), Chromium already running.
    fresh = Warehouse(config)
    t0 = time.perf_counter()
    data = build_board_pack_bytes(fresh, as_at, args.format, args.mode)
    total = time.perf_counter() - t0
    flag = "ok" if total < GOAL_S else "OVER GOAL"
    pages = ""
    if args.format == "pdf":  # issue 17: how many pages the board is sent
        import io
        from pypdf import PdfReader
        pages = f", {len(PdfReader(io.BytesIO(data)).pages)} pages"
    print(f"\nfull board pack ({args.format}, {args.mode}, as at {as_at:%Y-%m}): "
          f"{total:.1f} s, {len(data) / 1024:,.0f} KB{pages}  (goal < {GOAL_S:.0f} s: {flag})")
    images.stop()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
