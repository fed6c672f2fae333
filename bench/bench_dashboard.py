"""The dashboard on the national-scale warehouse: callback server times, time until the
key-points page is drawn in headless Chromium, and memory per gunicorn worker.

    .venv/bin/python -m bench.bench_dashboard [--months 4] [--loads 5] [--skip-browser]

1. Every callback that only reads, posted to `/_dash-update-component` through Flask's test
   client (server time: routing, queries, components, JSON). The page router is timed per
   kind of page (key points, each section, every indicator page) over several as-at months.
   Goal: p95 under 100 ms. Callbacks that write (upload, commit, revert, save key points,
   users) are listed but not timed here.
2. `lacdash serve --workers 2` in a subprocess; headless Chromium opens `/` and the clock
   stops when the page content, every scorecard row and no pending callback are on the page.
   Goal: under 2 s.
3. Resident memory (VmRSS) of each gunicorn worker after every page has been served.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.national import build_national_warehouse
from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import PROJECT_ROOT, Config, load_config

CALLBACK_GOAL_MS = 100.0
DRAW_GOAL_S = 2.0
USER_HEADER = "X-Remote-User"
EDITOR = "bench-editor"
ROUTER = ".._pages_content.children..._pages_store.data.."
WRITES = ("upl-status.children", "upl-result.children@", "upl-revert-confirm.message",
          "upl-revert-result.children@", "adm-status.children", "kp-status.children")
LACDASH = Path(sys.executable).with_name("lacdash")
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def dashboard_config(national: Config) -> Config:
    """The national config plus header sign-in, so the editor's callbacks can be timed."""
    db = national.warehouse_path
    users = db.with_name("bench-users.toml")
    users.write_text(f'[users.{EDITOR}]\nrole = "editor"\n', encoding="utf-8")
    toml = db.with_name(db.stem + "-dashboard.toml")
    toml.write_text(national.config_path.read_text(encoding="utf-8") +
                    f'\n[auth]\nmode = "header"\nheader = "{USER_HEADER}"\n'
                    f'users_file = "{users.name}"\n'
                    # a real authority's app needs a key that is not kept beside the data
                    f'secret_key = "bench-{os.getpid()}"\n', encoding="utf-8")
    return load_config(toml)


def pct(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))]


def summary_line(name, ms, goal=CALLBACK_GOAL_MS) -> str:
    flag = "ok" if pct(ms, 95) < goal else "OVER GOAL"
    return (f"  {name:<34} n={len(ms):<4} p50 {statistics.median(ms):7.1f} ms  "
            f"p95 {pct(ms, 95):7.1f} ms  max {max(ms):7.1f} ms  {flag}")


# ---------------------------------------------------------------- payloads

def _outputs(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for p in parts:
        ident, prop = p.rsplit(".", 1)
        out.append({"id": ident, "property": prop.split("@")[0]})
    return out


def payload(dep: dict, values: dict) -> dict:
    """A `/_dash-update-component` body for a dependency, inputs and state from `values`
    (keyed "id.property"); the first input is the one that changed."""
    outs = _outputs(dep["output"])

    def fill(items):
        return [{"id": i["id"], "property": i["property"],
                 "value": values.get(f"{i['id']}.{i['property']}")} for i in items]
    return {"output": dep["output"], "outputs": outs if len(outs) > 1 else outs[0],
            "inputs": fill(dep["inputs"]), "state": fill(dep.get("state", [])),
            "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"]}


def page_paths(cat) -> dict[str, list[str]]:
    sections = [f"/{s.slug}" for s in cat.sections]
    return {"key points /": ["/"], "section pages": sections,
            "indicator pages": [f"/indicator/{c}" for c in cat.codes]}


def router_values(path: str, month: str | None) -> dict:
    return {"_pages_location.pathname": path,
            "_pages_location.search": f"?as_at={month}" if month else ""}


def other_values(month: str) -> dict[str, list[dict]]:
    """Inputs for each read-only callback, by the start of its output key."""
    return {
        "page-header.children": [{"url.pathname": p, "url.search": f"?as_at={month}"}
                                 for p in ("/", "/placements", "/indicator/CL_EET_PCT")],
        "url.search": [{"as-at.value": month, "url.search": ""}],
        "adoption-dots-block.children": [{"adoption-window.value": w,
                                          "adoption-as-at.data": f"{month}-01"}
                                         for w in ("three_year", "single_year",
                                                   "year_to_date", "previous_three_year")],
        "..kp-text.value...kp-versions.data..": [{"kp-month.value": month,
                                                  "kp-section.value": "key-points"}],
        "kp-text.value@": [{"kp-draft.n_clicks": 1, "kp-month.value": month,
                            "kp-section.value": "key-points"}],
        "kp-preview.children": [{"kp-text.value": "**Placements** are stable.\n\n- one\n- two"}],
        "..upl-history.data": [{"upl-version.data": 0}],
        "upl-template.data": [{"upl-template-btn.n_clicks": 1}],
    }


# ---------------------------------------------------------------- 1. callbacks

def time_callbacks(config: Config, months: int) -> list[str]:
    from app import create_app
    cat = load_catalogue()
    t0 = time.perf_counter()
    app = create_app(config)
    client = app.server.test_client()
    client.get("/")  # registers the page router, as the first request does
    startup = time.perf_counter() - t0
    deps = client.get("/_dash-dependencies").get_json()
    from pipelines.store.queries import Warehouse
    all_months = [f"{m:%Y-%m}" for m in Warehouse(config, cat).months()]
    as_ats = all_months[-months:]
    headers = {USER_HEADER: EDITOR, "Content-Type": "application/json"}
    out = [f"app created and first page served in {startup * 1000:.0f} ms",
           "callback server times (Flask test client):"]

    failures: dict[str, str] = {}

    def post(dep, values):
        body = json.dumps(payload(dep, values))
        t = time.perf_counter()
        r = client.post("/_dash-update-component", data=body, headers=headers)
        ms = (time.perf_counter() - t) * 1000
        if r.status_code not in (200, 204):
            failures.setdefault(dep["output"], f"HTTP {r.status_code} for {values}")
        return ms

    by_output = {d["output"]: d for d in deps}
    router = by_output[ROUTER]
    for kind, paths in page_paths(cat).items():
        first, again = [], []
        for month in as_ats:
            for p in paths:
                first.append(post(router, router_values(p, month)))
                again.append(post(router, router_values(p, month)))
        out.append(summary_line(f"page {kind} (first)", first))
        out.append(summary_line(f"page {kind} (again)", again))
    timed, untimed = set(), []
    for start, value_sets in other_values(as_ats[-1]).items():
        matches = [d for d in deps if d["output"].startswith(start)]
        if not matches:
            out.append(f"  {start:<34} not in this app")
            continue
        dep = matches[0]
        timed.add(dep["output"])
        ms = [post(dep, dict(v, **{"url.search": v.get("url.search", "")}))
              for month in as_ats for v in value_sets for _ in range(2)]
        out.append(summary_line(start.strip("."), ms))
    for d in deps:
        if d["output"] not in timed and d["output"] != ROUTER and not d.get("clientside_function"):
            untimed.append(d["output"])
    for output, what in failures.items():
        out.append(f"  FAILED {output.strip('.')}: {what}")
    out.append("  not timed (they write; see bench_upload for the upload check): " +
               ", ".join(sorted(u.strip(".").split("...")[0].split("@")[0] for u in untimed)))
    return out


# ---------------------------------------------------------------- 2 and 3. served

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, proc, timeout=120.0):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"lacdash serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def _workers(master: int) -> list[int]:
    pids = []
    for task in Path(f"/proc/{master}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return pids


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _warm_up(base: str, months: list[str], rounds: int = 2) -> None:
    """Every page, for a few months, through whichever worker answers."""
    cat = load_catalogue()
    dep = {"output": ROUTER, "inputs": [{"id": "_pages_location", "property": "pathname"},
                                        {"id": "_pages_location", "property": "search"}]}
    for _ in range(rounds):
        for month in months:
            for paths in page_paths(cat).values():
                for p in paths:
                    body = json.dumps(payload(dep, router_values(p, month))).encode()
                    req = urllib.request.Request(f"{base}/_dash-update-component", data=body,
                                                 headers={"Content-Type": "application/json"})
                    with urllib.request.urlopen(req, timeout=60) as r:
                        r.read()


# Installed before the page's own scripts: stamps the first frame painted once the content,
# every scorecard row and no pending callback are on the page (performance.now() counts from
# the start of navigation), so polling from the test cannot slow the page down.
_DRAWN_PROBE = """
window.__lacdashDrawn = null;
(function () {
  var want = %d, armed = false;
  function check() {
    if (armed) return;
    var rows = document.querySelectorAll('.sc-row').length;
    var loading = document.querySelectorAll('[data-dash-is-loading="true"]').length;
    if (rows >= want && loading === 0 && document.getElementById('page-title')) {
      armed = true;
      requestAnimationFrame(function () { setTimeout(function () {
        window.__lacdashDrawn = performance.now(); }, 0); });
    }
  }
  new MutationObserver(check).observe(document, {subtree: true, childList: true,
                                                 attributes: true});
})();
"""


def _draw_times(base: str, loads: int, n_rows: int) -> dict[str, list[float]]:
    """Seconds from navigation to the key points drawn (painted), and until the browser's
    main thread is free again (a script the test runs gets an answer), for the first load
    of a new browser and for loads again in the same browser."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    out = {"drawn, new browser": [], "drawn, same browser again": [],
           "main thread free, new browser": [], "main thread free, same browser again": []}

    def new_driver():
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for a in ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--window-size=1280,1024"):
            opts.add_argument(a)
        d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                          {"source": _DRAWN_PROBE % n_rows})
        return d

    def one(driver, which):
        driver.get("about:blank")
        t0 = time.perf_counter()
        driver.get(base + "/")
        while True:
            drawn = driver.execute_script("return window.__lacdashDrawn")
            if drawn is not None:
                out[f"drawn, {which}"].append(drawn / 1000)
                out[f"main thread free, {which}"].append(time.perf_counter() - t0)
                return
            if time.perf_counter() - t0 > 90:
                raise SystemExit("key points not drawn after 90 s")
            time.sleep(0.25)

    for _ in range(max(1, loads // 2)):
        d = new_driver()
        try:
            one(d, "new browser")
            for _ in range(2):
                one(d, "same browser again")
        finally:
            d.quit()
    return out


def time_served(config: Config, loads: int, months: int, browser: bool) -> list[str]:
    from pipelines.store.queries import Warehouse
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(LACDASH), "serve", "--workers", "2", "--port", str(port),
                             "--config", str(config.config_path)], cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = []
    try:
        _wait_up(base + "/", proc)
        time.sleep(1)
        workers = _workers(proc.pid)
        out.append(f"lacdash serve --workers 2 (gunicorn master {proc.pid}, workers "
                   f"{', '.join(map(str, workers))})")
        out.append("  RSS per worker after start: " +
                   ", ".join(f"{_rss_mb(p):.0f} MB" for p in workers))
        cat = load_catalogue()
        n_rows = len(cat.indicators)
        if browser:
            for name, t in _draw_times(base, loads, n_rows).items():
                flag = "ok" if statistics.median(t) < DRAW_GOAL_S else "OVER GOAL (2 s)"
                out.append(f"  key points in Chromium, {name:<36} n={len(t)} "
                           f"p50 {statistics.median(t):.2f} s  max {max(t):.2f} s  {flag}")
        all_months = [f"{m:%Y-%m}" for m in Warehouse(config, cat).months()]
        _warm_up(base, all_months[-months:])
        out.append("  RSS per worker after every page for "
                   f"{months} months: " + ", ".join(f"{_rss_mb(p):.0f} MB" for p in workers) +
                   f" (master {_rss_mb(proc.pid):.0f} MB)")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--months", type=int, default=4, help="as-at months to draw pages for")
    ap.add_argument("--loads", type=int, default=6, help="browser loads of the key points")
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument("--only", choices=["callbacks", "served"])
    args = ap.parse_args(argv)
    config = dashboard_config(build_national_warehouse())
    print(f"{config.warehouse_path.name}; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores", flush=True)
    if args.only != "served":
        for line in time_callbacks(config, args.months):
            print(line, flush=True)
    if args.only != "callbacks":
        for line in time_served(config, args.loads, args.months, not args.skip_browser):
            print(line, flush=True)
    print(f"load average now {os.getloadavg()[0]:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
