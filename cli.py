"""`lacdash`: the command line of the looked-after children dashboard.

Exit codes: 0 done (or nothing to do), 1 a file has errors (nothing written), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from components.names import comparator_name
from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import ConfigError, load_config
from pipelines.core.periods import parse_as_at
from pipelines.store.queries import Warehouse, show_json
from pipelines.store.warehouse import WarehouseError, history, revert
from pipelines.uploads import check_files, commit_checked, format_report
from pipelines.store.warehouse import current_user, record_step_change, remove_step_change


class UsageError(Exception):
    pass


# _LAZY: the commands that need Dash, Flask, plotly, the sample generator or the SPC
# charts import them inside the command, so `lacdash show`/`ingest`/`history` start without
# loading them (a commit's own time is mostly this start-up: issue 14; the only
# function-local imports of our own modules; tests/test_layering.py allows these).


def _common(p: argparse.ArgumentParser):
    p.add_argument("--db", help="warehouse file (created on first use); default from the config")
    p.add_argument("--config", help="configuration TOML (default: $LACDASH_CONFIG or "
                                    "data/config.toml, the sample)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="lacdash", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="check and load extract files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="check and preview; change nothing")
    p.add_argument("--kind", choices=["long", "wide", "ees", "lginform", "handkeyed",
                                      "adoption", "published", "reference"],
                   help="the file layout (default: detected)")
    p.add_argument("--sheet", help="XLSX sheet to read (default: the first)")
    p.add_argument("--user", help="who is loading (default: your login name)")
    p.add_argument("--again", action="store_true",
                   help="load a file that was loaded before again, as a new upload (to put "
                        "its figures back after a later upload superseded them)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    _common(p)

    p = sub.add_parser("show", help="one indicator as the dashboard reports it")
    p.add_argument("code")
    p.add_argument("--as-at", help="YYYY-MM (default: the latest month)")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("spc", help="an indicator's SPC chart (Making Data Count) as at a month")
    p.add_argument("code")
    p.add_argument("--as-at", help="YYYY-MM (default: the latest month)")
    p.add_argument("--chart", choices=["xmr", "pprime"],
                   help="default: p' for percentages with small or varying denominators, else XmR")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("step-change", help="record (or --remove) an SPC step change: the "
                                           "limits start again from a month")
    p.add_argument("code", nargs="?")
    p.add_argument("--from", dest="month", help="YYYY-MM: the first month of the new baseline")
    p.add_argument("--reason", help="why, e.g. 'new recording system'")
    p.add_argument("--remove", type=int, metavar="STEP_ID", help="withdraw a step change")
    p.add_argument("--user", help="who is recording it (default: your login name)")
    _common(p)

    p = sub.add_parser("history", help="uploads, newest first")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("revert", help="undo an upload")
    p.add_argument("upload_id", type=int)
    p.add_argument("--user")
    _common(p)

    p = sub.add_parser("sample", help="build the sample warehouse from data/sample/")
    p.add_argument("--ssda903", action="store_true",
                   help="take the monthly figures the SSDA903 tables give (and adoption) "
                        "from the sample's generated 903 extract (issue 11; not yet the "
                        "default)")
    _common(p)

    p = sub.add_parser("serve", help="serve the dashboard with a production server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--workers", type=int, default=int(os.environ.get("LACDASH_WORKERS", 3)))
    _common(p)

    p = sub.add_parser("user", help="add a user or change their role (users file)")
    p.add_argument("name")
    p.add_argument("--role", choices=["viewer", "editor", "admin"], required=True)
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input (else you are asked for it "
                        "in local sign-in mode)")
    _common(p)

    p = sub.add_parser("export", help="the board pack as at a month")
    p.add_argument("--as-at", help="YYYY-MM (default: the latest month)")
    p.add_argument("--format", choices=["docx", "pdf", "pptx", "xlsx"], default="docx")
    p.add_argument("--mode", choices=["public", "private"], default=None,
                   help="public (small numbers suppressed; the default) or private")
    p.add_argument("--spc-charts", action="store_true",
                   help="add each monthly indicator's SPC chart after its trend chart")
    p.add_argument("--sections", type=_csv, metavar="SLUG,...",
                   help="the sections to include, in this order (default: all)")
    p.add_argument("--indicators", type=_csv, metavar="CODE,...",
                   help="the indicators to include, in this order within their sections")
    p.add_argument("--leave-out", type=_csv, metavar="CODE,...", help="indicators to leave out")
    p.add_argument("--definitions", action=argparse.BooleanOptionalAction, default=None,
                   help="the definitions appendix (default: included)")
    p.add_argument("--action-plan", action=argparse.BooleanOptionalAction, default=None,
                   help="the action plan and schedule appendix (default: left out)")
    p.add_argument("--orientation", choices=["portrait", "landscape"], default=None,
                   help="A4 portrait (two charts across, the default) or landscape (three)")
    p.add_argument("--adoption-charts", action=argparse.BooleanOptionalAction, default=True,
                   help="the adoption page's child-level charts (default: included)")
    p.add_argument("--save-pack", action="store_true",
                   help="remember these choices (board-pack.toml beside the warehouse) for "
                        "next month's export")
    p.add_argument("--out", required=True)
    _common(p)
    return ap


def main(argv=None) -> int:
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors already
        return int(exc.code or 0)
    try:
        config = load_config(args.config, db=args.db)
        return COMMANDS[args.command](args, config)
    except (ConfigError, UsageError) as exc:
        print(f"lacdash: {exc}", file=sys.stderr)
        return 2


# ------------------------------------------------------------------ ingest

def cmd_ingest(args, config) -> int:
    paths = [Path(f) for f in args.files]
    for p in paths:
        if not p.is_file():
            raise UsageError(f"no such file: {p}")
    checked = check_files([(p.name, p.read_bytes()) for p in paths], config=config,
                          kind=args.kind, sheet=args.sheet, progress=_progress)
    any_errors = any(c.errors for c in checked)
    results = []
    if not any_errors and not args.dry_run:
        results = commit_checked(checked, config=config, user=args.user, progress=_progress,
                                 again=args.again)
    if args.json:
        print(json.dumps(format_report(checked, results, dry_run=args.dry_run, as_json=True),
                         indent=2, default=str))
    else:
        print(format_report(checked, results, dry_run=args.dry_run))
    return 1 if any_errors else 0


def _progress(done: int, total: int, what: str):
    if not sys.stderr.isatty() or total <= 1:
        return
    width = 30
    filled = int(width * done / total)
    sys.stderr.write(f"\r{what[:40]:40} [{'#' * filled}{'.' * (width - filled)}] "
                     f"{done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


# ------------------------------------------------------------------ show

def _indicator_and_month(args, config):
    cat = load_catalogue()
    ind = cat.resolve(args.code)
    if ind is None:
        hint = cat.suggest(args.code)
        raise UsageError(f"unknown indicator code '{args.code}'" +
                         (f": did you mean {', '.join(hint)}?" if hint else ""))
    try:
        as_at = parse_as_at(getattr(args, "as_at", None))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not config.warehouse_path.exists():
        raise UsageError(f"no warehouse at {config.warehouse_path}: run `lacdash sample` or "
                         "`lacdash ingest FILE` first")
    return cat, ind, as_at


def cmd_show(args, config) -> int:
    cat, ind, as_at = _indicator_and_month(args, config)
    wh = Warehouse(config, cat)
    s = wh.summary(ind.code, as_at)
    if args.json:
        print(json.dumps(show_json(s), indent=2, default=str))
        return 0
    print(f"{ind.code}: {ind.title}")
    print(f"  as at {s['as_at']}: {ind.format_value(s['value'])}"
          f" ({s['period']})" + (f", {s['missing_reason']}" if s["missing_reason"] else ""))
    if s["numerator"] is not None and s["denominator"] is not None:
        print(f"  {s['numerator']:g} of {s['denominator']:g}")
    if s["previous"]:
        print(f"  previous ({s['previous']['period']}): {ind.format_value(s['previous']['value'])}")
    if s["outturn"]:
        print(f"  {s['outturn']['year']} out-turn: {ind.format_value(s['outturn']['value'])}")
    if s["target"] is not None:
        print(f"  target: {ind.format_value(s['target'])}")
    if s["rag"]:
        basis = " (compared with England)" if s.get("rag_basis") == "england" else ""
        print(f"  RAG: {s['rag']}{basis}")
    comps = s["comparators"]
    for k in ("region", "statistical_neighbours", "england"):  # west_midlands is the region
        v = comps.get(k)
        if not v:
            continue
        name = v.get("name", "Region") if k == "region" else comparator_name(k)
        extra = ""
        if k == "statistical_neighbours" and v.get("n_neighbours") is not None:
            extra = f" (average of {v['n_neighbours']} neighbours"
            extra += f"; {v['n_without_figure']} without a figure)" if v.get("n_without_figure") else ")"
        print(f"  {name} {v['year']}: {ind.format_value(v['value'])}{extra}")
    rank = s.get("rank")
    if rank and rank.get("england"):
        e, r = rank["england"], rank.get("region")
        line = f"  rank {rank['year']}: {e['rank']} of {e['of']} English authorities (quartile {e['quartile']})"
        if r:
            line += f", {r['rank']} of {r['of']} in {rank['region_name']}"
        print(line + f"; {rank['order']}")
    return 0


# ------------------------------------------------------------------ spc

def cmd_spc(args, config) -> int:
    from present.spc import (ASSURANCE_WORDS, RULE_WORDS, VARIATION_WORDS,  # lazy: see _LAZY
                             spc_json, spc_view)
    cat, ind, as_at = _indicator_and_month(args, config)
    if ind.frequency != "M":
        raise UsageError(f"{ind.code} is an annual indicator: SPC charts are for monthly ones")
    try:
        v = spc_view(Warehouse(config, cat), ind.code, as_at, chart=args.chart)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(spc_json(v), indent=2, default=str))
        return 0
    name = {"xmr": "XmR chart", "pprime": "Laney p' chart"}[v["chart"]]
    print(f"{ind.code}: {ind.title}\n  {name} as at {v['as_at']}")
    if v["baseline"]:
        print(f"  baseline {v['baseline']['from']} to {v['baseline']['to']}")
    for s in v["step_changes"]:
        print(f"  step change from {s['month']}: {s['reason']}")
    if v["mean"] is not None:
        lim = (f"{ind.format_value(v['lower'])} to {ind.format_value(v['upper'])}"
               if v["chart"] == "xmr" else "vary with each month's denominator")
        print(f"  average {ind.format_value(v['mean'])}; process limits {lim}")
    for note in v["notes"]:
        print(f"  note: {note}")
    if v["variation"]:
        print(f"  variation: {VARIATION_WORDS[v['variation']]}")
    if v["assurance"]:
        print(f"  assurance: {ASSURANCE_WORDS[v['assurance']]}")
    for p in v["points"]:
        if p["special_cause"]:
            print(f"  {p['period']} {ind.format_value(p['value'])}: special cause, "
                  + "; ".join(RULE_WORDS[r] for r in p["rules"]))
    return 0


def cmd_step_change(args, config) -> int:
    user = args.user or current_user()
    try:
        if args.remove is not None:
            remove_step_change(config.warehouse_path, args.remove, user)
            print(f"Step change {args.remove} removed.")
            return 0
        if not args.code or not args.month or not args.reason:
            raise UsageError("give CODE, --from YYYY-MM and --reason (or --remove STEP_ID)")
        cat, ind, _ = _indicator_and_month(args, config)
        try:
            month = parse_as_at(args.month)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        sid = record_step_change(config.warehouse_path, ind.code, month, args.reason, user)
    except WarehouseError as exc:
        raise UsageError(str(exc)) from None
    print(f"Step change {sid} recorded: {ind.code} limits start again from {args.month} "
          f"({args.reason.strip()}).")
    return 0


# ------------------------------------------------------------------ history / revert

def cmd_history(args, config) -> int:
    h = history(config.warehouse_path)
    if args.json:
        print(json.dumps(h.to_dict(orient="records"), indent=2, default=str))
        return 0
    if h.empty:
        print("No uploads yet.")
        return 0
    for r in h.itertuples():
        state = "" if r.status == "committed" else f"  [reverted {r.reverted_at} by {r.reverted_by}]"
        print(f"{r.upload_id:>4}  {r.uploaded_at}  {r.user_name:<12} {r.file_name}  "
              f"({r.kind}; {r.values_new} new, {r.values_revised} revised, "
              f"{r.values_unchanged} unchanged){state}")
    return 0


def cmd_revert(args, config) -> int:
    if not config.warehouse_path.exists():
        raise UsageError(f"no warehouse at {config.warehouse_path}")
    try:
        out = revert(config.warehouse_path, args.upload_id, user=args.user)
    except WarehouseError as exc:
        raise UsageError(str(exc)) from None
    print(f"Reverted upload {out['upload_id']} ({out['file_name']}): "
          f"{out['values_removed']} values removed, {out['values_restored']} restored to "
          "their earlier values.")
    return 0


# ------------------------------------------------------------------ sample / serve / export

def cmd_sample(args, config) -> int:
    from tools.sample.build import build_sample  # lazy: see _LAZY
    print(build_sample(config, ssda903=getattr(args, "ssda903", False)))
    return 0


def cmd_serve(args, config) -> int:
    from webapp.serve import serve  # lazy: see _LAZY
    return serve(config, host=args.host, port=args.port, workers=args.workers)


def cmd_export(args, config) -> int:
    from exports.board_pack import export_board_pack  # lazy: see _LAZY
    choice = {"sections": args.sections, "indicators": args.indicators,
              "leave_out": args.leave_out, "definitions": args.definitions,
              "orientation": args.orientation, "action_plan": args.action_plan}
    return export_board_pack(config, as_at=args.as_at, fmt=args.format, mode=args.mode,
                             out=Path(args.out), spc_charts=args.spc_charts, choice=choice,
                             save=args.save_pack, adoption_charts=args.adoption_charts)


def _csv(text: str) -> list[str]:
    """'a, b,c' -> ['a', 'b', 'c'] (an option's comma-separated list)."""
    return [x.strip() for x in text.split(",") if x.strip()]


def cmd_user(args, config) -> int:
    # The users file belongs to the web app's sign-in; this is how the first admin is made.
    from webapp.auth import AuthError, audit, auth_mode, set_user  # lazy: see _LAZY
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif auth_mode(config) == "local":
        import getpass as gp
        password = gp.getpass(f"Password for {args.name} (10 characters or more): ")
    try:
        what = set_user(config, args.name, args.role, password)
    except AuthError as exc:
        raise UsageError(str(exc)) from None
    # every user change is in the audit log, as the admin page's are
    audit(config, current_user(), "user change", f"{what} (lacdash user)")
    print(what)
    return 0


COMMANDS = {"ingest": cmd_ingest, "show": cmd_show, "spc": cmd_spc,
            "step-change": cmd_step_change, "history": cmd_history,
            "revert": cmd_revert, "sample": cmd_sample, "serve": cmd_serve,
            "export": cmd_export, "user": cmd_user}

if __name__ == "__main__":
    sys.exit(main())
