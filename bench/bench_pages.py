"""Issue 15's table: pages drawn in headless Chromium against `lacdash serve` (one worker)
on the sample warehouse, first view (a month no worker has drawn) and later views.

    .venv/bin/python -m bench.bench_pages [--loads 3] [--month 2026-05]
    .venv/bin/python -m bench.bench_pages --cpu [MONTH ...]   # worker CPU only, in process

A probe installed before the page's scripts stamps the first frame painted once the page
title and every figures table are on the page and no callback is pending (performance.now() counts from the start of
navigation); it also counts the page-router requests each view sends (Dash's page router
answers `_pages_content`), and the size of their answers. The worker's CPU time per view
(from /proc) is printed beside the wall time, since a loaded machine inflates wall times.
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.bench_dashboard import CHROMEDRIVER, CHROMIUM, LACDASH, _free_port, _wait_up, _workers
from app import WATCH_SECONDS
from pipelines.core.config import PROJECT_ROOT
from pipelines.store.warehouse import save_commentary

PAGES = ("/?as_at={m}", "/placements?as_at={m}", "/indicator/REVIEWS_ON_TIME_PCT?as_at={m}")

_PROBE = """
window.__drawn = null; window.__routes = 0; window.__routeBytes = 0;
(function () {
  var f = window.fetch, pending = 0;
  window.fetch = function (url, opts) {
    var body = opts && typeof opts.body === 'string' ? opts.body : '';
    var route = body.indexOf('_pages_content') >= 0;
    if (route) { window.__routes++; }
    pending++;
    return f.apply(this, arguments).then(function (r) {
      pending--;
      if (route) { r.clone().text().then(function (t) { window.__routeBytes += t.length; }); }
      return r;
    }, function (e) { pending--; throw e; });
  };
  var armed = false;
  function check() {
    if (armed) return;
    var loading = document.querySelectorAll('[data-dash-is-loading="true"]').length;
    var title = document.getElementById('page-title');
    // a figures table drawn from static HTML arrives with Dash's lazy Markdown chunk
    var waiting = document.querySelectorAll('.table-wrap:empty').length;
    if (title && loading === 0 && pending === 0 && waiting === 0) {
      armed = true;
      requestAnimationFrame(function () { setTimeout(function () {
        window.__drawn = performance.now(); }, 0); });
    }
  }
  new MutationObserver(check).observe(document, {subtree: true, childList: true,
                                                 attributes: true});
})();
"""


def _latest(db: str):
    from pipelines.core.config import load_config
    from pipelines.store.queries import Warehouse
    return Warehouse(load_config(None).with_warehouse(Path(db))).latest_month()


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless", "--no-sandbox", "--disable-gpu",
              "--disable-background-networking", "--window-size=1280,1024"):
        opts.add_argument(a)
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _PROBE})
    return d


def _main_thread_s(driver) -> float:
    """Chromium's busy time on the page's main thread (tasks: script, style, layout, paint)."""
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def _view(driver, url: str, worker: int) -> dict:
    driver.get("about:blank")
    driver.execute_cdp_cmd("Performance.enable", {})
    busy0, cpu0, t0 = _main_thread_s(driver), _cpu_s(worker), time.perf_counter()
    driver.get(url)
    while (drawn := driver.execute_script("return window.__drawn")) is None:
        if time.perf_counter() - t0 > 90:
            raise SystemExit(f"{url} not drawn after 90 s")
        time.sleep(0.05)
    time.sleep(0.3)  # let a late second router request show itself
    routes, size = driver.execute_script("return [window.__routes, window.__routeBytes]")
    return {"drawn": drawn / 1000, "cpu": _cpu_s(worker) - cpu0, "routes": routes,
            "kb": size / 1024, "browser": _main_thread_s(driver) - busy0}


def _building_after_commit(worker: int, quiet: float = 1.5, limit: float = 120.0) -> float:
    """Seconds the worker spends building after a commit: it notices the new file within
    app.WATCH_SECONDS, then works until it has used no CPU for `quiet` seconds."""
    def busy_for(seconds):
        cpu = _cpu_s(worker)
        time.sleep(seconds)
        return _cpu_s(worker) - cpu > 0.02
    t0 = time.perf_counter()
    while not busy_for(0.25):
        if time.perf_counter() - t0 > WATCH_SECONDS + 3:
            return 0.0  # never started
    started = time.perf_counter()
    last_busy = started
    while time.perf_counter() - last_busy < quiet and time.perf_counter() - t0 < limit:
        if busy_for(0.25):
            last_busy = time.perf_counter()
    return last_busy - started


def cpu_in_process(db: str, months: list[str]) -> None:
    """The worker's share without a server or browser: CPU seconds (this process) to build
    and serialise a past month's first view of each page for an anonymous reader, after the
    latest month's pages were built for both audiences (what app.keep_warm does), so a busy
    machine inflates them far less than wall times."""
    import json

    import dash
    from plotly.utils import PlotlyJSONEncoder

    from app import create_app
    from pipelines.core.config import load_config
    from webapp import context
    from webapp.audience import FULL, PUBLIC
    app = create_app(load_config(None).with_warehouse(Path(db)))
    pages = {p.get("path_template") or p["path"]: p for p in dash.page_registry.values()}

    def view(path, audience, **kw):
        with app.server.test_request_context("/"):
            wh = context.get_warehouse()
            with wh.building_for(audience):
                t = time.process_time()
                text = json.dumps(pages[path]["layout"](**kw), cls=PlotlyJSONEncoder)
                return time.process_time() - t, len(text) / 1024
    t = time.process_time()
    for audience in (FULL, PUBLIC):
        for path in ["/"] + [f"/{s.slug}" for s in context.get_catalogue().sections]:
            view(path, audience)
    print(f"latest month's pages for both audiences: {time.process_time() - t:.2f} s CPU")
    print("| page, public reader | month | first view CPU | layout sent |")
    print("|---|---|---|---|")
    for month in months:
        for path, kw in (("/", {}), ("/placements", {}),
                         ("/indicator/<code>", {"code": "REVIEWS_ON_TIME_PCT"})):
            cpu, kb = view(path, PUBLIC, as_at=month, **kw)
            print(f"| `{path.replace('<code>', kw.get('code', ''))}` | {month} | {cpu:.2f} s | "
                  f"{kb:.0f} KB |", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loads", type=int, default=3, help="later views of each page")
    ap.add_argument("--month", default="2026-05")
    ap.add_argument("--db", help="warehouse (default: a sample built in a temporary folder)")
    ap.add_argument("--cpu", nargs="*", metavar="MONTH",
                    help="only the worker's CPU per first view of these months, in process "
                         "(default: --month and six months before it)")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="lacdash-pages-")
    db = args.db or str(Path(tmp.name) / "sample.duckdb")
    if not args.db:
        subprocess.run([str(LACDASH), "sample", "--db", db], cwd=PROJECT_ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    if args.cpu is not None:
        earlier = (datetime.strptime(args.month, "%Y-%m") - timedelta(days=180)).strftime("%Y-%m")
        cpu_in_process(db, args.cpu or [args.month, earlier])
        tmp.cleanup()
        return 0
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(LACDASH), "serve", "--workers", "1", "--port", str(port),
                             "--db", db], cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    try:
        _wait_up(base + "/login", proc)
        worker = _workers(proc.pid)[0]
        driver = _driver()
        try:
            _view(driver, base + "/?as_at=2020-01", worker)  # scripts cached, month not this one
            print("| page | first view drawn (worker CPU, browser main thread) | later views "
                  "drawn p50, max (worker CPU, browser main thread p50) | router requests a "
                  "view | router answer |")
            print("|---|---|---|---|---|")
            for page in PAGES:
                url = base + page.format(m=args.month)
                first = _view(driver, url, worker)
                later = [_view(driver, url, worker) for _ in range(args.loads)]
                d = [v["drawn"] for v in later]
                print(f"| `{page.format(m=args.month)}` | {first['drawn']:.2f} s "
                      f"({first['cpu']:.2f} s, {first['browser']:.2f} s) | "
                      f"{statistics.median(d):.2f}, {max(d):.2f} s "
                      f"({statistics.median(v['cpu'] for v in later):.2f} s, "
                      f"{statistics.median(v['browser'] for v in later):.2f} s) | "
                      f"{first['routes']} | {first['kb']:.0f} KB |", flush=True)
            # the board's case: an upload publishes the month, then the first reader opens it
            save_commentary(Path(db), _latest(db), "key-points", "Bench: after a commit.",
                            "bench")
            built = _building_after_commit(worker)
            print(f"| after a commit (worker busy {built:.1f} s building in the background), "
                  "latest month: | first view | | | |")
            for page in ("/", "/placements"):
                v = _view(driver, base + page, worker)
                print(f"| `{page}` | {v['drawn']:.2f} s ({v['cpu']:.2f} s, {v['browser']:.2f} s) "
                      f"| | {v['routes']} | {v['kb']:.0f} KB |", flush=True)
        finally:
            driver.quit()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        tmp.cleanup()
    print(f"load average now {os.getloadavg()[0]:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
