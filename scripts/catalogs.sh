#!/usr/bin/env bash
# The site's gettext catalogs (src/track287g/i18n/locale/): extract every string a reader sees from the code and
# the templates into track287g.pot, merge it into each language's .po (where a translator writes, with any .po
# editor), compile the .mo files the site loads. Commit all three.
# Usage: bash scripts/catalogs.sh [extract|update|compile|all]   (default: all, in that order)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
LOCALE=src/track287g/i18n/locale
POT=${POT:-$LOCALE/track287g.pot}  # the template (another path: to compare, as the tests do)
step=${1:-all}

if [ "$step" = extract ] || [ "$step" = all ]; then
  "$PYBABEL" -q extract -F babel.cfg -k NP_:1c,2 -k NN_:1,2 --add-comments=Translators: --add-location=file --sort-output \
    --project=track287g --copyright-holder="track287g contributors" --msgid-bugs-address="" \
    -o "$POT" src/track287g
  echo "extracted $(($(grep -c '^msgid ' "$POT") - 1)) strings from src/track287g into $POT"
fi
if [ "$step" = update ] || [ "$step" = all ]; then
  "$PYBABEL" -q update -i "$POT" -d "$LOCALE" -D track287g --ignore-obsolete
  for po in "$LOCALE"/*/LC_MESSAGES/track287g.po; do
    todo=$("${PYTHON:-.venv/bin/python}" -c "
import sys
from babel.messages.pofile import read_po
cat = read_po(open(sys.argv[1], 'rb'))
print(sum(1 for m in cat if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))))
" "$po")
    echo "updated $po: $todo to translate (new, or fuzzy: a guess from a changed English string)"
  done
fi
if [ "$step" = compile ] || [ "$step" = all ]; then
  "$PYBABEL" compile -d "$LOCALE" -D track287g --statistics
fi
