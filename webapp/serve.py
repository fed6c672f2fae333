"""`lacdash serve`: the dashboard behind gunicorn (several worker processes).

Workers only ever open the warehouse read-only, and writers swap the file atomically, so
uploads from the command line while it serves never lock or half-show (see warehouse.py).
"""
from __future__ import annotations

import ipaddress
import os
import shutil
import sys

from pipelines.core.config import PROJECT_ROOT
from webapp import auth, security


def gunicorn_argv(config, host: str, port: int, workers: int) -> list[str]:
    exe = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    # Threads in each worker: a slow request (a board pack takes ~20 s) must not hold up
    # the board members' page views behind it. Each thread has its own DuckDB cursor.
    return [exe, "--workers", str(workers), "--worker-class", "gthread", "--threads", "4",
            "--bind", f"{host}:{port}",
            "--chdir", str(PROJECT_ROOT), "--timeout", "120", "--graceful-timeout", "10",
            "--access-logfile", "-", "app:server"]


def preflight(config, host: str = "127.0.0.1") -> tuple[list[str], list[str]]:
    """(problems that stop the start, warnings) about the configuration and the folder, so
    they are said in one plain sentence each rather than as a worker's traceback."""
    problems, warnings = [], []
    try:
        mode = auth.auth_mode(config)
        auth.secret_key(config)
        security.trusted_proxies(config)
    except (auth.AuthError, ValueError) as exc:
        return [str(exc)], warnings
    folder = config.warehouse_path.parent
    if not folder.is_dir():
        problems.append(f"The warehouse folder {folder} does not exist: create it, or run "
                        "`lacdash sample` / `lacdash ingest FILE` first.")
    elif not os.access(folder, os.W_OK | os.X_OK):
        warnings.append(
            f"The warehouse folder {folder} is read-only for this user: the dashboard can be "
            "read, but uploads, reverts, key points, sign-in and the audit log need it "
            "writable (they will say so when tried).")
    if mode == "header" and not _loopback(host):
        _name, secret = security.proxy_secret(config)
        if secret is None:
            warnings.append(
                f"Serving on {host} in header sign-in mode: only requests from "
                f"[auth] trusted_proxies may sign people in; also set [auth] proxy_secret "
                "(or LACDASH_PROXY_SECRET) so only the proxy can.")
    return problems, warnings


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(config, host="127.0.0.1", port=8050, workers=3) -> int:
    problems, warnings = preflight(config, host)
    for w in warnings:
        print(f"lacdash serve: warning: {w}", file=sys.stderr, flush=True)
    if problems:
        for p in problems:
            print(f"lacdash serve: {p}", file=sys.stderr, flush=True)
        return 2
    env = dict(os.environ)
    env["LACDASH_CONFIG"] = str(config.config_path)
    env["LACDASH_DB"] = str(config.warehouse_path)
    argv = gunicorn_argv(config, host, port, workers)
    print(f"Serving {config.name} on http://{host}:{port} with {workers} workers "
          f"(warehouse {config.warehouse_path})", flush=True)
    os.execvpe(argv[0], argv, env)
    return 0  # not reached
