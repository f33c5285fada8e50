#!/usr/bin/env bash
# Install what the tests need and run them: lint (ruff), the layers (import-linter), the types (mypy, and 98% of
# public functions annotated), then the test suite on the real archive, including the browser tests, which drive
# Debian's chromium through Playwright (no browser download, ever).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh test
.venv/bin/ruff check src tests bench scripts
.venv/bin/lint-imports
.venv/bin/mypy
.venv/bin/python scripts/annotations.py --min 98 | tail -1
.venv/bin/python -m pytest "$@"
