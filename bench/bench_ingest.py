"""Ingest timings on a copy of the national-scale warehouse.

    .venv/bin/python -m bench.bench_ingest [--runs 5]

1. One month's local extract (every monthly indicator and breakdown, long CSV) for the month
   after the warehouse's latest: in process (`check_files` + `commit_checked`) and as
   `lacdash ingest` in a subprocess (Python start-up included). Goal: under 1 s.
2. A national comparator file in the DfE (EES) layout: every authority, region and England,
   every financial-year indicator with comparators, 5 years (4 republished unchanged, the
   latest revised), against plain DuckDB `read_csv` of the same file into a table of a copy
   of the same warehouse. Goal: under 3 times it.
Every run starts from a fresh copy of the warehouse (copying is not timed).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bench.national import build_national_warehouse, copy_warehouse
from pipelines.core.areas import ENGLAND, load_areas
from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import PROJECT_ROOT, Config
from pipelines.uploads import check_files, commit_checked
from pipelines.core.periods import financial_year_code
from pipelines.core.periods import month as month_period
from pipelines.store.warehouse import open_read_only

BREAKDOWN_COLS = ["placement_type", "check_type", "placed", "ofsted_rating"]
LACDASH = Path(sys.executable).with_name("lacdash")


def _read(config: Config, sql: str, params=None) -> pd.DataFrame:
    con = open_read_only(config.warehouse_path)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def next_month(config: Config):
    last = _read(config, "SELECT max(period_end) AS m FROM observations WHERE area_code = ? "
                         "AND period_type = 'month'", [config.code]).m.iloc[0]
    last = pd.Timestamp(last)
    y, m = (last.year, last.month + 1) if last.month < 12 else (last.year + 1, 1)
    return month_period(y, m)


def local_extract(config: Config, seed: int = 11) -> tuple[str, bytes]:
    """Next month's long extract: last month's figures moved a little."""
    period = next_month(config)
    cur = _read(config, """
        SELECT indicator_code, breakdown, value, numerator, denominator FROM observations
        WHERE area_code = ? AND period_type = 'month' AND period_end = (
          SELECT max(period_end) FROM observations WHERE area_code = ? AND period_type = 'month')
        ORDER BY indicator_code, breakdown""", [config.code, config.code])
    cat = load_catalogue()
    rng = np.random.default_rng(seed)
    rows = []
    for r in cur.itertuples():
        unit = cat.get(r.indicator_code).unit
        rec = {"indicator_code": r.indicator_code, "period": f"{period.start:%Y-%m}"}
        for c in BREAKDOWN_COLS:
            rec[c] = ""
        if r.breakdown:
            dim, cat_value = r.breakdown.split("=", 1)
            rec[dim] = cat_value
        value, num, den = r.value, r.numerator, r.denominator
        if pd.notna(den):
            den = max(5.0, den + rng.integers(-3, 4))
            num = min(den, max(0.0, num + rng.integers(-2, 3)))
            value = round(100 * num / den, 1)
        elif pd.notna(value):
            value = value * (1 + rng.normal(0, 0.01))
            value = round(value) if unit == "count" else round(value, 2)
        rec["value"] = "" if pd.isna(value) else value
        rec["numerator"] = "" if pd.isna(num) else int(num)
        rec["denominator"] = "" if pd.isna(den) else int(den)
        rows.append(rec)
    df = pd.DataFrame(rows)
    return f"extract_{period.start:%Y_%m}.csv", df.to_csv(index=False).encode()


def comparator_file(config: Config, years: int = 5) -> tuple[str, bytes, int]:
    """EES layout, every loaded area: measures are the financial-year comparator indicators."""
    cat = load_catalogue()
    codes = [i.code for i in cat.indicators
             if i.comparators and i.year_type == "financial"]
    d = _read(config, """
        SELECT o.indicator_code, o.area_code, a.area_type, a.name, o.period_start, o.value
        FROM observations o JOIN areas a ON a.code = o.area_code
        WHERE o.period_type = 'year' AND o.breakdown = ''
          AND o.indicator_code IN (SELECT unnest(?))
          AND o.area_code NOT IN ('SN')""", [codes])
    starts = sorted(d.period_start.unique())[-years:]
    d = d[d.period_start.isin(starts)].copy()
    latest = d.period_start == starts[-1]
    d.loc[latest, "value"] = (d.loc[latest, "value"] * 0.99).round(1)  # a revised release
    wide = d.pivot_table(index=["area_code", "area_type", "name", "period_start"],
                         columns="indicator_code", values="value", aggfunc="first").reset_index()
    areas = load_areas().set_index("code")
    out = pd.DataFrame()
    ps = pd.to_datetime(wide.period_start)
    out["time_period"] = [financial_year_code(y) for y in ps.dt.year]
    out["time_identifier"] = "Financial year"
    level = wide.area_type.map(lambda t: {"england": "National", "region": "Regional"}
                               .get(t, "Local authority"))
    out["geographic_level"] = level
    out["country_code"] = ENGLAND
    out["country_name"] = "England"
    region_code = [c if lv == "Regional" else
                   (areas.loc[c, "region_code"] if lv == "Local authority" else "")
                   for c, lv in zip(wide.area_code, level)]
    out["region_code"] = region_code
    out["region_name"] = [areas.loc[r, "name"] if r else "" for r in region_code]
    out["old_la_code"] = [("" if lv != "Local authority" or pd.isna(areas.loc[c, "dfe_number"])
                           else int(areas.loc[c, "dfe_number"]))
                          for c, lv in zip(wide.area_code, level)]
    out["new_la_code"] = [c if lv == "Local authority" else "" for c, lv in zip(wide.area_code, level)]
    out["la_name"] = [n if lv == "Local authority" else "" for n, lv in zip(wide.name, level)]
    for c in codes:
        out[c] = wide[c].map(lambda v: "x" if pd.isna(v) else f"{v:g}")
    out = out.sort_values(["time_period", "geographic_level", "new_la_code"])
    return "ees_national_comparators.csv", out.to_csv(index=False).encode(), len(codes)


def _fresh(config: Config, tmp: Path, i: int) -> Config:
    return copy_warehouse(config, tmp / f"run{i}")


def time_in_process(config, tmp, name, data, runs) -> tuple[list[float], str]:
    times, msg = [], ""
    for i in range(runs):
        c = _fresh(config, tmp, f"ip-{name}-{i}")
        t0, c0 = time.perf_counter(), time.process_time()
        checked = check_files([(name, data)], config=c)
        if checked[0].errors:
            raise SystemExit("\n".join(p.message for p in checked[0].errors[:10]))
        res = commit_checked(checked, config=c, user="bench")
        times.append((time.perf_counter() - t0, time.process_time() - c0))
        msg = res[0].message
    return times, msg


def time_cli(config, tmp, name, data, runs) -> list[float]:
    times = []
    for i in range(runs):
        c = _fresh(config, tmp, f"cli-{name}-{i}")
        f = c.warehouse_path.parent / name
        f.write_bytes(data)
        t0, c0 = time.perf_counter(), _child_cpu()
        r = subprocess.run([str(LACDASH), "ingest", str(f), "--config", str(c.config_path),
                            "--user", "bench"], capture_output=True, text=True,
                           cwd=PROJECT_ROOT)
        times.append((time.perf_counter() - t0, _child_cpu() - c0))
        if r.returncode != 0:
            raise SystemExit(f"lacdash ingest failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return times


def time_plain_duckdb(config, tmp, name, data, runs) -> tuple[list[float], list[float]]:
    """read_csv into a table of a copy of the warehouse (opened, loaded, checkpointed,
    closed), and read_csv into an in-memory table."""
    on_file, in_memory = [], []
    for i in range(runs):
        c = _fresh(config, tmp, f"duck-{i}")
        f = c.warehouse_path.parent / name
        f.write_bytes(data)
        t0, c0 = time.perf_counter(), time.process_time()
        con = duckdb.connect(str(c.warehouse_path))
        con.execute(f"CREATE TABLE ees_plain AS SELECT * FROM read_csv('{f}')")
        con.execute("CHECKPOINT")
        con.close()
        on_file.append((time.perf_counter() - t0, time.process_time() - c0))
        t0, c0 = time.perf_counter(), time.process_time()
        mem = duckdb.connect()
        mem.execute(f"CREATE TABLE ees_plain AS SELECT * FROM read_csv('{f}')")
        mem.close()
        in_memory.append((time.perf_counter() - t0, time.process_time() - c0))
    return on_file, in_memory


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def p50(times, i=0) -> float:
    return statistics.median(t[i] for t in times)


def stats(times: list[tuple[float, float]]) -> str:
    """Wall time, and CPU time (all threads; the machine may be shared, so both)."""
    w = sorted(t[0] for t in times)
    return (f"wall p50 {p50(times) * 1000:6.0f} ms (min {w[0] * 1000:6.0f}, max "
            f"{w[-1] * 1000:6.0f})  cpu p50 {p50(times, 1) * 1000:6.0f} ms  n={len(w)}")


class _Printer(list):
    """Print each line as it is measured (the runs are long), and keep it."""
    def append(self, text):
        print(text, flush=True)
        super().append(text)


def run(runs: int = 5) -> list[str]:
    config = build_national_warehouse()
    out = _Printer()
    out.append(f"{config.warehouse_path.name}; load average {os.getloadavg()[0]:.1f} on "
               f"{os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="lacdash-bench-") as tmpd:
        tmp = Path(tmpd)
        name, data = local_extract(config)
        n_rows = data.count(b"\n") - 1
        # A first untimed run loads the modules and the catalogue, as a serving process has.
        time_in_process(config, tmp, name, data, 1)
        t, msg = time_in_process(config, tmp, name, data, runs)
        out.append(f"local extract {name}: {n_rows} rows, {len(data) / 1024:.0f} KiB ({msg})")
        flag = "ok" if p50(t) < 1 else "OVER GOAL (1 s)"
        out.append(f"  in process (check_files + commit_checked)  {stats(t)}  {flag}")
        t = time_cli(config, tmp, name, data, runs)
        flag = "ok" if p50(t) < 1 else "OVER GOAL (1 s)"
        out.append(f"  lacdash ingest (subprocess)                {stats(t)}  {flag}")

        name, data, n_measures = comparator_file(config)
        n_rows = data.count(b"\n") - 1
        t, msg = time_in_process(config, tmp, name, data, runs)
        out.append(f"national comparator file {name}: {n_rows} rows x {n_measures} measures, "
                   f"{len(data) / 1024:.0f} KiB ({msg})")
        out.append(f"  in process (check_files + commit_checked)  {stats(t)}")
        tc = time_cli(config, tmp, name, data, runs)
        out.append(f"  lacdash ingest (subprocess)                {stats(tc)}")
        on_file, in_memory = time_plain_duckdb(config, tmp, name, data, runs)
        out.append(f"  plain DuckDB read_csv into the warehouse   {stats(on_file)}")
        out.append(f"  plain DuckDB read_csv in memory            {stats(in_memory)}")
        ratio, cpu_ratio = p50(t) / p50(on_file), p50(t, 1) / p50(on_file, 1)
        flag = "ok" if ratio < 3 else "OVER GOAL (3x)"
        out.append(f"  ratio in-process ingest / plain read_csv into the warehouse: "
                   f"wall {ratio:.1f}x, cpu {cpu_ratio:.1f}x  {flag}")
        out.append(f"  load average now {os.getloadavg()[0]:.1f}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    run(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
