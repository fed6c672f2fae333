#!/usr/bin/env bash
# Install what the tests need (Python packages, Debian's chromium and chromedriver for the
# browser tests) and run the whole suite. Safe to run again. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
# Chromium + chromedriver: browser tests and chart images (kaleido); LibreOffice: PDF packs;
# poppler-utils (pdftoppm): the board pack tests draw PDF pages to check they are not blank;
# fonts-liberation2: Liberation Sans has Arial's metrics, so the PDF pack is laid out as Word
# lays it out with Arial (without it LibreOffice falls back to the wider DejaVu Sans).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
   || ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null \
   || [ ! -d /usr/share/fonts/truetype/liberation2 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver libreoffice-writer-nogui poppler-utils fonts-liberation2 >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
# DfE's SSDA903 rules (csc-validator-be-903 pins pandas<2) in their own venv, once.
.venv/bin/python -m pipelines.sources.ssda903_rules --install || \
  echo "warning: csc-validator-be-903 not installed; SSDA903 uploads will say DfE rules were not run"
exec .venv/bin/python -m pytest "$@"
