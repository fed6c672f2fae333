#!/usr/bin/env bash
# Install what the app needs, build the sample warehouse, serve on http://127.0.0.1:8050.
# Safe to run again: the install is incremental and the sample loads idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."
# Chart images need Chromium (kaleido) and PDF packs LibreOffice: installed when we can
# (root or sudo); without them the dashboard works and those exports say what is missing.
# fonts-liberation2: Arial's metrics for the PDF pack (LibreOffice).
if ! command -v chromium >/dev/null || ! command -v soffice >/dev/null \
   || [ ! -d /usr/share/fonts/truetype/liberation2 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" != none ] && command -v apt-get >/dev/null; then
    $SUDO apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      chromium libreoffice-writer-nogui fonts-liberation2 >/dev/null || echo "Could not install chromium/libreoffice: image and PDF exports will say so."
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e .
# DfE's SSDA903 rules (csc-validator-be-903 pins pandas<2) in their own venv, once.
.venv/bin/python -m pipelines.sources.ssda903_rules --install || \
  echo "warning: csc-validator-be-903 not installed; SSDA903 uploads will say DfE rules were not run"
# Compiled bytecode makes every start (workers, `lacdash` commands) seconds faster.
.venv/bin/python -m compileall -q -j 0 .venv/lib >/dev/null 2>&1 || true
.venv/bin/lacdash sample
exec .venv/bin/lacdash serve --host 127.0.0.1 --port 8050 "$@"
