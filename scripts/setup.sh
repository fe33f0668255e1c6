#!/usr/bin/env bash
# Set up briefing for building sites: a virtual environment in .venv with the
# package installed in editable mode. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${BRIEFING_EXTRAS:-}"
