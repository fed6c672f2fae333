"""`lacdash serve`: a production server with several workers, which keeps serving (no lock
errors, no half uploads) while `lacdash ingest` commits from another process."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.reference_report.test_january_2018 import FILES

LACDASH = str(Path(sys.executable).parent / "lacdash")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout=30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.fixture
def served(wolves_config, tmp_path):
    cfg = str(wolves_config.config_path)
    done = subprocess.run([LACDASH, "ingest", str(FILES / "wolverhampton_local_extract.csv"),
                           str(FILES / "wolverhampton_comparators.csv"), "--config", cfg],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    port = free_port()
    proc = subprocess.Popen([LACDASH, "serve", "--port", str(port), "--workers", "2",
                             "--config", cfg], stdout=open(tmp_path / "server.log", "w"),
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            # a real authority's key comes from the config or environment
                            env=dict(os.environ, LACDASH_SECRET_KEY="test-serving-key"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if get(base + "/", timeout=5)[0] == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail("the server did not start: " + (tmp_path / "server.log").read_text())
    yield base, proc, cfg
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def test_serves_with_several_workers_and_survives_uploads(served, tmp_path):
    base, proc, cfg = served
    workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True)
    assert len(workers.stdout.split()) == 2            # gunicorn master + 2 workers
    status, body = get(base + "/export/data/CL_EET_PCT.csv?as_at=2018-01")
    assert status == 200 and b"61" in body

    failures: list = []
    stop = threading.Event()

    def hammer():
        while not stop.is_set():
            for path in ("/", "/_dash-layout", "/export/data/HEALTH_CHECKS_PCT.csv"):
                try:
                    code, text = get(base + path)
                    if code != 200:
                        failures.append((path, code, text[:200]))
                except OSError as exc:
                    failures.append((path, repr(exc), time.strftime("%X")))
    readers = [threading.Thread(target=hammer) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        for month, value in (("Feb-18", 62), ("Mar-18", 63), ("Apr-18", 64)):
            f = tmp_path / f"{month}.csv"
            f.write_text(f"Indicator Code,Month,Value\nCL_EET_PCT,{month},{value}%\n")
            done = subprocess.run([LACDASH, "ingest", str(f), "--config", cfg],
                                  capture_output=True, text=True)
            assert done.returncode == 0, done.stdout + done.stderr
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert failures == [], (tmp_path / "server.log").read_text()[-3000:]
    # Every worker now serves the new months (no restart).
    for _ in range(4):
        status, body = get(base + "/export/data/CL_EET_PCT.csv?as_at=2018-04")
        assert status == 200 and b"Apr 2018" in body and b"64" in body
