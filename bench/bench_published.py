"""Loading every DfE file of ../shared/published/ (about 70,000 rows) in one command, against
plain DuckDB `read_csv` of the same files into tables.

    .venv/bin/python -m bench.bench_published [--runs 3]

1. In process: `check_files` + `commit_checked` of all 14 files into a fresh warehouse for a
   configuration naming only Wolverhampton (what `lacdash ingest FILE...` and the upload page
   do), split into checking (read, recognise, map, validate, plan) and committing.
2. `lacdash ingest ../shared/published/*.csv` in a subprocess (Python start-up included).
3. Plain DuckDB: `CREATE TABLE t AS SELECT * FROM read_csv(file)` for each file, in one
   new database file.
Goals (issue 10): the load under 3 times plain DuckDB, and under 10 s in all.
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

from pipelines.core.config import PROJECT_ROOT, load_config
from pipelines.uploads import check_files, commit_checked

PUBLISHED = PROJECT_ROOT.parent / "shared" / "published"
LACDASH = Path(sys.executable).with_name("lacdash")
CONFIG = '[authority]\ncode = "E08000031"\n\n[warehouse]\npath = "warehouse.duckdb"\n'


def _files():
    return sorted(PUBLISHED.glob("*.csv"))


def _config(folder: Path):
    p = folder / "config.toml"
    p.write_text(CONFIG)
    return load_config(p)


def in_process() -> tuple[float, float, int, float]:
    with tempfile.TemporaryDirectory() as d:
        config = _config(Path(d))
        files = [(p.name, p.read_bytes()) for p in _files()]
        c0 = time.process_time()
        t0 = time.perf_counter()
        checked = check_files(files, config=config)
        t1 = time.perf_counter()
        errors = [p.message for c in checked for p in c.errors]
        if errors:
            raise SystemExit("errors: " + "; ".join(errors[:5]))
        commit_checked(checked, config=config, user="bench")
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1, sum(c.rows_read for c in checked), time.process_time() - c0


def subprocess_cli() -> tuple[float, float]:
    """(wall, CPU) seconds of `lacdash ingest` (CPU: user + system of the child, start-up
    and imports included)."""
    with tempfile.TemporaryDirectory() as d:
        _config(Path(d))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([str(LACDASH), "ingest", "--config", str(Path(d) / "config.toml"),
                        *map(str, _files())], check=True, capture_output=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def plain_duckdb() -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as d:
        c0 = time.process_time()
        t0 = time.perf_counter()
        con = duckdb.connect(os.path.join(d, "plain.duckdb"))
        for i, p in enumerate(_files()):
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, all_varchar = true)", [str(p)])
        con.close()
        return time.perf_counter() - t0, time.process_time() - c0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    if not PUBLISHED.is_dir():
        raise SystemExit(f"no published files at {PUBLISHED}")
    checks, commits, clis, plains, rows, cpu, plain_cpu, cli_cpu = [], [], [], [], 0, [], [], []
    for _ in range(args.runs):
        c, m, rows, u = in_process()
        checks.append(c)
        commits.append(m)
        cpu.append(u)
        w, u = subprocess_cli()
        clis.append(w)
        cli_cpu.append(u)
        w, u = plain_duckdb()
        plains.append(w)
        plain_cpu.append(u)
    med = statistics.median
    total = med([c + m for c, m in zip(checks, commits)])
    print(f"{len(_files())} files, {rows:,} rows; median of {args.runs} runs")
    print(f"  in process: check {med(checks):.2f} s + commit {med(commits):.2f} s = {total:.2f} s")
    print(f"  lacdash ingest (subprocess, start-up included): {med(clis):.2f} s")
    print(f"  plain DuckDB read_csv of the same files: {med(plains):.2f} s")
    print(f"  ratio in process / plain: {total / med(plains):.1f}x (goal < 3x); "
          f"whole command {med(clis):.2f} s (goal < 10 s)")
    print(f"  CPU seconds (less sensitive to a busy machine): in process {med(cpu):.2f} s, "
          f"plain DuckDB {med(plain_cpu):.2f} s (all its threads), ratio {med(cpu) / med(plain_cpu):.1f}x; "
          f"lacdash ingest {med(cli_cpu):.2f} s")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  peak memory (this process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
