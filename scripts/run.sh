#!/usr/bin/env bash
# The main job on the bundled data: install, build ./track287g.db from the bundled archive (printing what it
# holds), then serve the web site, JSON API and feeds on it (http://127.0.0.1:8287/, Ctrl-C to stop).
# Usage: bash scripts/run.sh [--no-serve] [serve options, e.g. --host 0.0.0.0 --port 8080]
# The database is $TRACK287G_DB when set (a path or a SQLAlchemy URL), else ./track287g.db.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/track287g build
if [ "${1:-}" = "--no-serve" ]; then
  exit 0
fi
exec .venv/bin/track287g serve "$@"
