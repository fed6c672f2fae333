#!/usr/bin/env bash
# Install what the app needs, build the sample warehouse, serve on http://127.0.0.1:8050.
# Safe to run again: the install is incremental and the sample loads idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e .
.venv/bin/lacdash sample
exec .venv/bin/lacdash serve --host 127.0.0.1 --port 8050 "$@"
