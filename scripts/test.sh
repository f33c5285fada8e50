#!/usr/bin/env bash
# Install what the tests need and run them: lint (ruff) and the test suite on the real archive, including the
# browser tests, which drive Debian's chromium through Playwright (no browser download, ever).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh test
.venv/bin/ruff check src tests bench
.venv/bin/python -m pytest "$@"
