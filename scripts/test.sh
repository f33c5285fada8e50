#!/usr/bin/env bash
# Install what the tests need and run them: lint (ruff) and the test suite on the real archive, including the
# browser tests, which drive Debian's chromium through Playwright (no browser download, ever).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "installing Debian's chromium for the browser tests ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium > /dev/null
  else
    echo "error: the browser tests need Debian's chromium at /usr/bin/chromium:" >&2
    echo "       sudo apt-get update && sudo apt-get install -y chromium   (then run this again)" >&2
    exit 2
  fi
fi
.venv/bin/ruff check src tests bench
.venv/bin/python -m pytest "$@"
