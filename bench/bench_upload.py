"""Upload page timings: from the drop (the base64 payload the browser sends) to the preview
(checks, report table, preview tables, files staged for Commit), on a copy of the
national-scale warehouse.

    .venv/bin/python -m bench.bench_upload [--runs 5]

1. One month's local extract (every monthly indicator and breakdown, long CSV).
2. A national comparator file in the DfE (EES) layout: every authority (~150), region and
   England, 5 financial years, every comparator indicator.
The browser's own reading and encoding of the file is not included (it is client-side);
nothing here writes to the warehouse (the preview never does).
"""
from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_ingest import comparator_file, local_extract
from bench.national import build_national_warehouse, copy_warehouse
from pipelines.core.catalogue import load_catalogue
from pipelines.uploads import check_files
from webapp import upload_logic as ul


def drop_to_preview(config, name: str, payload: str, catalogue) -> dict:
    """Exactly what the upload callback does between receiving the files and answering."""
    data = ul.decode_contents(payload, name)
    checked = check_files([(name, data)], config=config)
    report = ul.report_rows(checked)
    summary = ul.preview_summary_rows(checked, catalogue)
    values = ul.preview_value_rows(checked)
    status, ok = ul.check_status(checked)
    if ok:
        ul.drop_staged(ul.staging_dir(config), ul.stage_files(ul.staging_dir(config),
                                                               [(name, data)]))
    return {"status": status, "ok": ok, "problems": len(report), "summary_rows": len(summary),
            "value_rows": len(values)}


def time_case(config, name: str, data: bytes, runs: int) -> tuple[list[float], dict]:
    payload = "data:text/csv;base64," + base64.b64encode(data).decode()
    catalogue = load_catalogue()
    times, out = [], {}
    for _ in range(runs):
        t = time.perf_counter()
        out = drop_to_preview(config, name, payload, catalogue)
        times.append(time.perf_counter() - t)
    return times, out


def run(runs: int = 5) -> list[str]:
    national = build_national_warehouse()
    lines = [f"warehouse: {national.warehouse_path.name} (copy); {runs} runs each; "
             "drop -> preview, seconds"]
    with tempfile.TemporaryDirectory() as tmp:
        config = copy_warehouse(national, Path(tmp) / "wh")
        cases = [local_extract(config)]
        name, data, n_codes = comparator_file(config)
        cases.append((name, data))
        for name, data in cases:
            times, out = time_case(config, name, data, runs)
            lines.append(
                f"{name}: {len(data) / 1024:.0f} KB; p50 {statistics.median(times):.2f} s, "
                f"max {max(times):.2f} s; {out['problems']} problems, "
                f"{out['summary_rows']} preview rows, {out['value_rows']} values listed; "
                f"commit {'enabled' if out['ok'] else 'disabled'}: {out['status'][:100]}")
    return lines


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    for line in run(args.runs):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
