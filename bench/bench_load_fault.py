"""Load and faults together (issue 14): `lacdash serve --workers 2` on 127.0.0.1 under a
bounded load of page callbacks and downloads, while the command line ingests, reverts and is
killed mid-commit. Prints requests, errors, p50/p95, worker memory and whether any state was
ever half-applied.

    .venv/bin/python -m bench.bench_load_fault [--seconds 60] [--threads 4] [--kills 5]

- The sample warehouse is built in a temporary folder (demo sign-in; the visitors are
  anonymous, so every page goes through the public suppression too).
- Load: `--threads` clients in a loop (no think time) over the key points, section and
  indicator pages (the page router callback), a download, and an anonymous 5 MB POST (must
  be refused before it is read: counted as refused, not as an error).
- Faults, one after another for `--seconds`: ingest file A (every monthly indicator's next
  month = A's value), ingest file B (the same cells = B's value), revert the latest upload,
  and `--kills` times an ingest killed (SIGKILL) at a random moment.
- Half-applied check after every operation, on a fresh read-only connection: the next
  month's values are all A's, all B's or absent (never a mix), every committed upload's
  values are all there, and a killed ingest left the file byte-identical or one complete
  upload further. Leftover `.tmp` copies are counted after the kills and after the next
  commit (which removes them).
- Each whole `lacdash ingest` is timed (wall, and its CPU time), and so is the commit itself
  (from its temp copy appearing to its swap), so a slow command under load can be told
  apart from a slow commit (issue 14).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
from datetime import timedelta
import urllib.request
from pathlib import Path

from bench.bench_dashboard import ROUTER, _rss_mb, page_paths, payload, router_values
from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import PROJECT_ROOT, load_config
from pipelines.store.queries import Warehouse
from pipelines.store.warehouse import open_read_only

LACDASH = Path(sys.executable).with_name("lacdash")
A, B = 41.0, 59.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))] if s else float("nan")


def _children_cpu() -> float:
    """User + system CPU seconds of this process's finished children (an ingest's CPU time
    is the difference around it: nothing else is reaped meanwhile)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class _CommitWatch:
    """Watches, every 5 ms, for the commit's temp copy beside the warehouse: the time from
    when it appears (the writer holds the lock and has started its copy) to when it is gone
    (swapped in) is the commit itself, apart from the command's start-up and checks. A
    stale copy left by a killed ingest (removed by this commit) is not counted."""

    def __init__(self, db: Path):
        self.db, self.first, self.last = db, None, None
        self.pattern = f".{db.name}.*.tmp"
        self.stale = set(db.parent.glob(self.pattern))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.is_set():
            if set(self.db.parent.glob(self.pattern)) - self.stale:
                now = time.perf_counter()
                self.first = self.first or now
                self.last = now
            time.sleep(0.005)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def span(self) -> float | None:
        return None if self.first is None else self.last - self.first + 0.005


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _month_file(codes, month: str, value: float) -> bytes:
    rows = ["indicator_code,period,value"] + [f"{c},{month},{value:g}" for c in codes]
    return ("\n".join(rows) + "\n").encode()


def _state(db: Path, codes, month_end) -> dict:
    """What a reader sees now: the next month's values, and uploads with missing values."""
    con = open_read_only(db)
    try:
        vals = [r[0] for r in con.execute(
            "SELECT value FROM observations WHERE period_end = ? AND breakdown = '' "
            "AND indicator_code IN (SELECT unnest(?))", [month_end, list(codes)]).fetchall()]
        uploads = con.execute("SELECT count(*) FROM uploads").fetchall()[0][0]
        committed_short = con.execute(
            "SELECT u.upload_id FROM uploads u WHERE u.status = 'committed' AND "
            "u.rows_loaded > (SELECT count(*) FROM observations o WHERE o.upload_id = "
            "u.upload_id) + (SELECT count(*) FROM revisions r WHERE r.upload_id = "
            "u.upload_id)").fetchall()
    finally:
        con.close()
    return {"values": vals, "uploads": uploads, "short": [r[0] for r in committed_short]}


def _half_applied(st: dict, n_codes: int) -> str | None:
    vals = set(st["values"])
    if st["values"] and (len(st["values"]) != n_codes or len(vals) != 1 or
                         not vals <= {A, B}):
        return f"next month's values are a mix: {sorted(vals)} over {len(st['values'])} cells"
    if st["short"]:
        return f"committed uploads missing values: {st['short']}"
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--kills", type=int, default=5)
    args = ap.parse_args(argv)
    rng = random.Random(14)

    tmp = Path(tempfile.mkdtemp(prefix="lacdash-loadfault-"))
    cfg_path = tmp / "config.toml"
    cfg_path.write_text((PROJECT_ROOT / "data" / "config.toml").read_text(encoding="utf-8"),
                        encoding="utf-8")
    t0 = time.perf_counter()
    built = subprocess.run([LACDASH, "sample", "--config", str(cfg_path)], capture_output=True,
                           text=True)
    if built.returncode:
        print(built.stdout + built.stderr)
        return 1
    config = load_config(cfg_path)
    db = config.warehouse_path
    print(f"sample warehouse built in {time.perf_counter() - t0:.1f} s: {db} "
          f"({db.stat().st_size / 1e6:.1f} MB)")

    cat = load_catalogue()
    wh = Warehouse(config, cat)
    latest = wh.latest_month()
    nxt = (latest.replace(day=28) + timedelta(days=4)).replace(day=1)
    month = f"{nxt:%Y-%m}"
    month_end = (nxt.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    codes = [i.code for i in cat.indicators if i.frequency == "M" and i.computed is None
             and not i.code.startswith(("A1_", "A2_", "A10_"))][:20]
    files = {}
    for name, v in (("A", A), ("B", B)):
        files[name] = tmp / f"next_{name}.csv"
        files[name].write_bytes(_month_file(codes, month, v))
    wh.close()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp / "server.log", "w")
    server = subprocess.Popen([LACDASH, "serve", "--port", str(port), "--workers", "2",
                               "--config", str(cfg_path)], stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        return _run(args, rng, base, server, db, codes, month, month_end, files, tmp)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        print(f"(server log and files in {tmp})")


def _run(args, rng, base, server, db, codes, month, month_end, files, tmp) -> int:
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        print("the server did not start:\n" + (tmp / "server.log").read_text()[-3000:])
        return 1
    workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(server.pid)],
                                              capture_output=True, text=True).stdout.split()]
    rss_start = {p: _rss_mb(p) for p in workers}

    cat = load_catalogue()
    paths = [p for ps in page_paths(cat).values() for p in ps]
    dep = {"output": ROUTER, "inputs": [{"id": "_pages_location", "property": "pathname"},
                                        {"id": "_pages_location", "property": "search"}]}
    times, errors, refused, rss_max = [], [], [0], dict(rss_start)
    stop = threading.Event()
    lock = threading.Lock()

    def big_body() -> int | str:
        """Announce a 5 MB JSON body, send none of it, and wait for the answer: a server
        that reads bodies before checking who is asking would wait for the body."""
        host, port = base.split("//")[1].split(":")
        with socket.create_connection((host, int(port)), timeout=60) as s:
            s.sendall((f"POST /_dash-update-component HTTP/1.1\r\nHost: {host}:{port}\r\n"
                       "Content-Type: application/json\r\n"
                       f"Content-Length: {5 * 1024 * 1024}\r\n\r\n").encode())
            first = s.makefile("rb").readline().decode(errors="replace").split()
        return int(first[1]) if len(first) > 1 and first[1].isdigit() else repr(first)

    def one(i: int):
        kind = i % 10
        if kind == 9:  # an anonymous large body: must be refused before it is read
            try:
                status = big_body()
            except OSError as exc:
                status = repr(exc)
            with lock:
                if status == 413:
                    refused[0] += 1
                else:
                    errors.append(("5 MB anonymous POST", status))
            return
        elif kind == 8:
            req = urllib.request.Request(f"{base}/export/data/{codes[i % len(codes)]}.csv")
            expect = 200
        else:
            p = paths[i % len(paths)]
            body = json.dumps(payload(dep, router_values(p, None))).encode()
            req = urllib.request.Request(f"{base}/_dash-update-component", data=body,
                                         headers={"Content-Type": "application/json"})
            expect = 200
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                r.read()
                status = r.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            status = repr(exc)
        ms = (time.perf_counter() - t) * 1000
        with lock:
            if status == expect == 413:
                refused[0] += 1
            elif status == expect:
                times.append(ms)
            else:
                errors.append((req.full_url, status))

    def client(k: int):
        i = k
        while not stop.is_set():
            one(i)
            i += args.threads

    def sample_rss():
        while not stop.is_set():
            for p in workers:
                try:
                    rss_max[p] = max(rss_max.get(p, 0), _rss_mb(p))
                except OSError:
                    pass
            time.sleep(1)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.threads)]
    threads.append(threading.Thread(target=sample_rss))
    for t in threads:
        t.start()

    ops = {"ingest": 0, "revert": 0, "killed ingest": 0, "nothing to do": 0}
    half, kill_outcomes, tmp_after_kills, ingest_s, ingest_cpu, commit_s = [], [], 0, [], [], []
    cfg = ["--config", str(db.parent / "config.toml")]
    end = time.time() + args.seconds
    kills_left = args.kills
    step = 0
    try:
        while time.time() < end:
            step += 1
            choice = (0, 1, 0, 2, 0, 3)[step % 6]  # kill, ingest A, kill, ingest B, kill, revert
            if choice == 0 and not kills_left:
                choice = 1 + step % 3
            if choice == 0:
                before_sha, before = _sha(db), _state(db, codes, month_end)
                f = files["A" if rng.random() < 0.5 else "B"]
                p = subprocess.Popen([LACDASH, "ingest", str(f), "--user", "bench", *cfg],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if kills_left % 2:
                    # at a random moment of a typical ingest's run time
                    typical = statistics.median(ingest_s) if ingest_s else 3.0
                    time.sleep(rng.uniform(0.3, 1.1 * typical))
                else:
                    # as soon as the commit's temp copy exists (killed mid-commit)
                    give_up = time.time() + 120
                    while (p.poll() is None and time.time() < give_up and
                           not list(db.parent.glob(f".{db.name}.*.tmp"))):
                        time.sleep(0.005)
                p.send_signal(signal.SIGKILL)
                p.wait()
                kills_left -= 1
                ops["killed ingest"] += 1
                after = _state(db, codes, month_end)
                if _sha(db) == before_sha:
                    kill_outcomes.append("before")
                elif after["uploads"] == before["uploads"] + 1:
                    kill_outcomes.append("after")
                else:
                    kill_outcomes.append("NEITHER")
                tmp_after_kills = max(tmp_after_kills,
                                      len(list(db.parent.glob(f".{db.name}.*.tmp*"))))
            elif choice == 3:
                r = subprocess.run([LACDASH, "history", "--json", *cfg], capture_output=True,
                                   text=True)
                h = [u for u in json.loads(r.stdout) if u["status"] == "committed"
                     and u["user_name"] == "bench"]
                if h:
                    subprocess.run([LACDASH, "revert", str(h[0]["upload_id"]), *cfg],
                                   capture_output=True, text=True)
                    ops["revert"] += 1
            else:
                f = files["A" if choice == 1 else "B"]
                t, cpu = time.perf_counter(), _children_cpu()
                with _CommitWatch(db) as watch:
                    r = subprocess.run([LACDASH, "ingest", str(f), "--user", "bench", *cfg],
                                       capture_output=True, text=True)
                ingest_s.append(time.perf_counter() - t)
                ingest_cpu.append(_children_cpu() - cpu)
                if watch.span is not None:
                    commit_s.append(watch.span)
                ops["ingest" if "loaded as upload" in r.stdout else "nothing to do"] += 1
            problem = _half_applied(_state(db, codes, month_end), len(codes))
            if problem:
                half.append(problem)
    finally:
        stop.set()
        for t in threads:
            t.join()
    # one more commit: stale temp copies left by the kills are removed under the lock
    subprocess.run([LACDASH, "ingest", str(files["A"]), "--again", "--user", "bench", *cfg],
                   capture_output=True, text=True)
    tmp_left = len(list(db.parent.glob(f".{db.name}.*.tmp*")))
    rss_end = {p: _rss_mb(p) for p in workers if Path(f"/proc/{p}").exists()}

    n = len(times)
    print(f"\nload: {args.threads} clients for {args.seconds:.0f} s against 2 workers on "
          f"127.0.0.1 (load average now {os.getloadavg()[0]:.1f})")
    print(f"  requests answered {n + refused[0] + len(errors)}: ok {n}, large anonymous bodies "
          f"refused (413) {refused[0]}, errors {len(errors)}")
    if n:
        print(f"  latency p50 {statistics.median(times):.0f} ms, p95 {_pct(times, 95):.0f} ms, "
              f"max {max(times):.0f} ms")
    for url, status in errors[:10]:
        print(f"    error: {url} -> {status}")
    print("  worker memory (VmRSS MB) start / max / end: " + "; ".join(
        f"{p}: {rss_start[p]:.0f} / {rss_max.get(p, float('nan')):.0f} / "
        f"{rss_end.get(p, float('nan')):.0f}" for p in workers))
    print(f"faults: {ops}")
    if ingest_s:
        print(f"  `lacdash ingest` under load (whole command, start-up included): p50 "
              f"{statistics.median(ingest_s):.1f} s, max {max(ingest_s):.1f} s; its CPU time "
              f"p50 {statistics.median(ingest_cpu):.2f} s, max {max(ingest_cpu):.2f} s")
    if commit_s:
        print(f"  the commit itself (its temp copy made to swapped in, wall): p50 "
              f"{statistics.median(commit_s):.2f} s, max {max(commit_s):.2f} s "
              f"({len(commit_s)} seen)")
    print(f"  killed ingests left the warehouse: {kill_outcomes} "
          "(before = byte-identical, after = one complete upload)")
    print(f"  temp copies left after kills: {tmp_after_kills}; after the next commit: {tmp_left}")
    print(f"half-applied states seen: {len(half)}" + (f" e.g. {half[0]}" if half else ""))
    bad = errors or half or "NEITHER" in kill_outcomes or tmp_left
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
