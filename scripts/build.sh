#!/usr/bin/env bash
# The main job: install, build the database from the bundled archive, print what it holds.
# Usage: bash scripts/build.sh [--db PATH_OR_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/track287g "$@" build
