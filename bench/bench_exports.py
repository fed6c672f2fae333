"""Time to build the full board pack (goal under 30 s) and to draw each chart.

    .venv/bin/python -m bench.bench_exports [--db PATH] [--format docx|pdf|pptx|xlsx] [--mode public|private]
        [--no-adoption-charts] [--skip-charts]

Builds the sample warehouse in a temporary folder unless --db names one. Reports, on one
Chromium started once (as in the web app, where it stays running):
- Chromium start-up (first image);
- building each indicator's figures (components) and drawing each PNG (kaleido), per chart;
- the whole board pack end to end, as `lacdash export` makes it (charts drawn in the
  background while the next are built).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

GOAL_S = 10.0  # issue 17: the full pack (Word) under 10 s


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))]


def report_charts(rows, build_s, draw_s) -> None:
    print(f"\nper chart ({len(rows)} charts, {len(build_s)} indicators):")
    for code, kind, s, size in rows:
        print(f"  {code:<28} {kind:<9} draw {s * 1000:7.0f} ms  {size / 1024:6.0f} KB")
    print(f"figures + data per indicator: p50 {statistics.median(build_s) * 1000:.0f} ms, "
          f"p95 {pct(build_s, 95) * 1000:.0f} ms")
    print(f"PNG per chart:                p50 {statistics.median(draw_s) * 1000:.0f} ms, "
          f"p95 {pct(draw_s, 95) * 1000:.0f} ms")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an existing warehouse (default: build the sample)")
    ap.add_argument("--format", default="docx", choices=["docx", "pdf", "pptx", "xlsx"])
    ap.add_argument("--mode", default="public", choices=["public", "private"])
    ap.add_argument("--as-at", default=None)
    ap.add_argument("--skip-charts", action="store_true",
                    help="skip drawing each chart on its own (the pack only)")
    ap.add_argument("--no-adoption-charts", action="store_true",
                    help="leave out the adoption page's child-level charts (issue 17's page goal)")
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
    for ind in ([] if args.skip_charts else wh.catalogue.indicators):
        t0 = time.perf_counter()
        item = build_item(wh, ind.code, as_at, args.mode)
        build_s.append(time.perf_counter() - t0)
        for kind, fig, _ in item.figures:
            t1 = time.perf_counter()
            png = images.figure_bytes(fig)
            draw_s.append(time.perf_counter() - t1)
            rows.append((ind.code, kind, draw_s[-1], len(png)))
    if build_s:
        report_charts(rows, build_s, draw_s)

    # The whole pack as `lacdash export` makes it by default (the saved or default pack
    # definition: no action plan appendix, issue 17), in a fresh Warehouse, Chromium already
    # running: first with no chart drawn yet (a new warehouse version), then again (every
    # chart read from the chart-image cache beside the warehouse). Wall and CPU seconds
    # (this process; LibreOffice's, a child, for the PDF).
    import resource
    from present.pack import load_definition
    images.clear_cache()  # and the cache folder beside the warehouse: nothing drawn yet
    db = Path(config.warehouse_path)
    shutil.rmtree(db.with_name(db.name + ".charts"), ignore_errors=True)
    for run in ("new warehouse version", "charts cached"):
        fresh = Warehouse(config)
        definition = load_definition(config, fresh.catalogue, {"mode": args.mode})
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0, c0 = time.perf_counter(), time.process_time()
        data = build_board_pack_bytes(fresh, as_at, args.format, args.mode,
                                      definition=definition,
                                      adoption_charts=not args.no_adoption_charts)
        total, cpu = time.perf_counter() - t0, time.process_time() - c0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        child = (after.ru_utime + after.ru_stime) - (kids.ru_utime + kids.ru_stime)
        flag = "ok" if total < GOAL_S else "OVER GOAL"
        pages = ""
        if args.format == "pdf":  # issue 17: how many pages the board is sent
            import io
            from pypdf import PdfReader
            pages = f", {len(PdfReader(io.BytesIO(data)).pages)} pages"
        print(f"\nfull board pack ({args.format}, {args.mode}, as at {as_at:%Y-%m}, {run}): "
              f"{total:.1f} s wall, {cpu:.1f} s CPU here + {child:.1f} s CPU in LibreOffice, "
              f"{len(data) / 1024:,.0f} KB{pages}  (goal < {GOAL_S:.0f} s: {flag})")
    images.stop()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
