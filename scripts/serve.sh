#!/usr/bin/env bash
# Serve the web site, JSON API and feeds on the bundled data: install, build ./track287g.db when it is missing,
# then `track287g serve`. Extra arguments go to serve (e.g. --host 0.0.0.0 --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
db=${TRACK287G_DB:-track287g.db}
if [ ! -e "$db" ]; then
  .venv/bin/track287g --db "$db" build
fi
exec .venv/bin/track287g --db "$db" serve "$@"
