"""DfE's own SSDA903 validation rules, from the `csc-validator-be-903` package (MIT, D2I).

That package pins pandas<2 and numpy<1.25, so it cannot live in our environment (pandas 3).
It runs in a small virtual environment of its own (default `<project>/.venv-903`, or the
python named by $LACDASH_903_VALIDATOR), made once by
`python -m pipelines.sources.ssda903_rules --install` (scripts/serve.sh and scripts/test.sh
do it; after that it works offline). Each collection year's tables are written as UTF-8 CSV
to a private temporary folder, the validator runs on them (the previous year's tables as
"previous year"), and every failing row comes back as a data-quality row: rule code and
message, the child (pseudonymised here), the file and row as Excel numbers it, and the
indicators and months the table feeds. The rules are not written again by hand: when the
validator cannot run, the report says so and why.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from pipelines.sources.readers import ROW
from pipelines.sources.ssda903 import detect_table, pseudonymise, year_label

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_VENV = PROJECT_ROOT / ".venv-903"
RUNNER = PROJECT_ROOT / "tools" / "ssda903_rules" / "run_validator.py"
PACKAGE = "csc-validator-be-903"
# The validator's rule sets by collection year; older years use the oldest it has.
RULESETS = {2023: "lac2022_23", 2024: "lac2023_24", 2025: "lac2024_25", 2026: "lac2025_26",
            2027: "lac2026_27"}
TIMEOUT = 600
# The validator's table names -> ours, and what each of our tables feeds.
TABLE_NAMES = {"episodes": "episodes", "header": "header", "uasc": "uasc",
               "reviews": "reviews", "missing": "missing", "oc2": "oc2", "oc3": "oc3",
               "ad1": "ad1", "placedadoption": "placed_for_adoption",
               "prevperm": "previous_permanence", "swepisodes": "sw_episodes"}
FEEDS = {
    "episodes": "CLA_NUMBER, CLA_RATE, CLA_STARTS_RATE, CLA_ENDS_RATE, PLACEMENT_TYPE, "
                "PLACED_INHOUSE_FOSTER_PCT, STABILITY_FEWER_3_PCT, STABILITY_LONG_TERM_PCT, "
                "REVIEWS_ON_TIME_PCT, REVIEWS_ON_TIME_12M_PCT, adoption",
    "header": "CLA_FEMALE_PCT, CLA_BME_PCT, STABILITY_LONG_TERM_PCT",
    "uasc": "ASYLUM_PCT, UASC_NUMBER",
    "reviews": "REVIEWS_ON_TIME_PCT, REVIEWS_ON_TIME_12M_PCT, REVIEW_PARTICIPATION_PCT",
    "missing": "MISSING_12M_PCT",
    "oc2": "HEALTH_CHECKS_PCT, DENTAL_CHECKS_PCT, IMMUNISATIONS_PCT",
    "oc3": "CL_EET_PCT, CL_SUITABLE_ACCOM_PCT",
    "ad1": "adoption (A1, A2, A10)", "placed_for_adoption": "adoption (A2)",
    "previous_permanence": "", "sw_episodes": "SW_3PLUS_PCT",
}


def ruleset(year_end: int) -> str:
    """The rule set for the year ending 31 March `year_end` (the nearest one it has)."""
    return RULESETS[min(max(year_end, min(RULESETS)), max(RULESETS))]


def validator_python() -> Path:
    env = os.environ.get("LACDASH_903_VALIDATOR")
    if env:
        return Path(env)
    return DEFAULT_VENV / "bin" / "python"


def install(venv: Path = DEFAULT_VENV) -> None:
    """Make the validator's environment (needs the package index once)."""
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", PACKAGE],
                   check=True)


def _info(message: str) -> dict:
    return {"severity": "info", "kind": "dfe rules", "rule": "not run", "child": "",
            "file": "", "rows": "", "message": message, "indicators": "", "months": ""}


def run(tables, extract, key: bytes, la: str = "") -> list[dict]:
    """Data-quality rows from DfE's rules for every collection year in the extract.
    `tables`: [(file name, bytes, raw frame)]; `extract.tables` knows each file's year; `la`
    the authority's ONS code (rules on placements outside the authority use it)."""
    if os.environ.get("LACDASH_903_RULES", "on").lower() in ("off", "0", "no"):
        return [_info("DfE validation rules were not run (LACDASH_903_RULES=off).")]
    python = validator_python()
    if not python.exists():
        return [_info(f"DfE validation rules were not run: the validator ({PACKAGE}) is not "
                      f"installed at {python.parent.parent}. Install it once with "
                      "`python -m pipelines.sources.ssda903_rules --install`.")]
    raw_by_name = {name: raw for name, _, raw in tables}
    by_year: dict = {}
    for t in extract.tables:
        if t.year_end is not None:
            by_year.setdefault(t.year_end, []).append(t.file_name)
    years = sorted(by_year)
    out: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="lacdash-903-") as tmp:
        jobs = []
        for y in years:
            prev = [n for n in by_year.get(y.replace(year=y.year - 1), [])]
            jobs.append((y, by_year[y], prev))

        def one(job):
            y, names, prev = job
            folder = Path(tmp) / str(y.year)
            paths = {}
            for group, group_names in (("this", names), ("prev", prev)):
                (folder / group).mkdir(parents=True, exist_ok=True)
                for n in group_names:
                    p = folder / group / f"{Path(n).stem}.csv"
                    raw_by_name[n].drop(columns=[ROW]).to_csv(p, index=False)
                    paths.setdefault(group, []).append(str(p))
            req = {"this_year": paths.get("this", []), "prev_year": paths.get("prev", []),
                   "collection_year": f"{y.year - 1}/{y.year % 100:02d}",
                   "la": la, "ruleset": ruleset(y.year)}
            try:
                res = subprocess.run([str(python), str(RUNNER)], input=json.dumps(req),
                                     capture_output=True, text=True, timeout=TIMEOUT)
            except (OSError, subprocess.TimeoutExpired) as exc:
                return y, names, None, f"{type(exc).__name__}: {exc}"
            if res.returncode != 0:
                tail = (res.stderr or "").strip().splitlines()[-1:] or ["no message"]
                return y, names, None, tail[0]
            try:
                return y, names, json.loads(res.stdout), None
            except json.JSONDecodeError:
                return y, names, None, "the validator's output was not JSON"

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(one, jobs))
    for y, names, result, error in results:
        label = year_label(y)
        if result is None:
            out.append(_info(f"DfE validation rules could not run on {label}: {error}"))
            continue
        out.append(_info(f"DfE rules ({result['ruleset']}, {result['rules_run']} rules) run "
                         f"on {label}" + (f"; rules that failed to run: "
                                          f"{', '.join(result['failed_rules'])}"
                                          if result["failed_rules"] else "")))
        out[-1]["rule"] = "run"
        files = {}
        for n in names:
            t = detect_table(raw_by_name[n].columns)
            files[t] = n
        issues = pd.DataFrame(result["issues"], columns=["code", "message", "table", "row",
                                                         "child"])
        if issues.empty:
            continue
        issues["ours"] = issues["table"].str.lower().map(TABLE_NAMES)
        issues["child"] = pseudonymise(issues["child"], key)
        for (code, ours), g in issues.groupby(["code", "ours"], sort=True):
            fname = files.get(ours, "")
            raw = raw_by_name.get(fname)
            for child, gc in g.groupby("child"):
                rows = [int(raw[ROW].iloc[r]) if raw is not None and r < len(raw) else r + 2
                        for r in gc["row"]]
                out.append({"severity": "warning", "kind": "dfe rule", "rule": str(code),
                            "child": child, "file": fname,
                            "rows": ", ".join(str(r) for r in sorted(rows)),
                            "message": gc["message"].iloc[0],
                            "indicators": FEEDS.get(ours, ""), "months": label})
    return out


if __name__ == "__main__":
    if "--install" in sys.argv:
        target = Path(os.environ.get("LACDASH_903_VENV", DEFAULT_VENV))
        python = target / "bin" / "python"
        # an install cut short leaves the python without the package: check the import
        if python.exists() and subprocess.run([str(python), "-c", "import lac_validator"],
                                              capture_output=True).returncode == 0:
            print(f"{PACKAGE} already installed in {target}")
        else:
            install(target)
            print(f"{PACKAGE} installed in {target}")
