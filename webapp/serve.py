"""`lacdash serve`: the dashboard behind gunicorn (several worker processes).

Workers only ever open the warehouse read-only, and writers swap the file atomically, so
uploads from the command line while it serves never lock or half-show (see warehouse.py).
"""
from __future__ import annotations

import os
import shutil
import sys

from pipelines.core.config import PROJECT_ROOT


def gunicorn_argv(config, host: str, port: int, workers: int) -> list[str]:
    exe = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    # Threads in each worker: a slow request (a board pack takes ~20 s) must not hold up
    # the board members' page views behind it. Each thread has its own DuckDB cursor.
    return [exe, "--workers", str(workers), "--worker-class", "gthread", "--threads", "4",
            "--bind", f"{host}:{port}",
            "--chdir", str(PROJECT_ROOT), "--timeout", "120", "--graceful-timeout", "10",
            "--access-logfile", "-", "app:server"]


def serve(config, host="127.0.0.1", port=8050, workers=3) -> int:
    env = dict(os.environ)
    env["LACDASH_CONFIG"] = str(config.config_path)
    env["LACDASH_DB"] = str(config.warehouse_path)
    argv = gunicorn_argv(config, host, port, workers)
    print(f"Serving {config.name} on http://{host}:{port} with {workers} workers "
          f"(warehouse {config.warehouse_path})", flush=True)
    os.execvpe(argv[0], argv, env)
    return 0  # not reached
