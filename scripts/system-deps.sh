#!/usr/bin/env bash
# System packages the tests use, installed from Debian when missing (as root) so the tests run, not skip:
# PostgreSQL (a private cluster on loopback), chromium (the browser tests drive it through Playwright; never
# `playwright install`) and tesseract-ocr (OCR of scanned MOA pages; its English model comes with it).
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} (Debian packages) for the tests"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "note: tests need ${need[*]}; install them (Debian: sudo apt-get update && sudo apt-get install -y ${need[*]})" >&2
  echo "      without them the PostgreSQL and OCR tests skip and the browser tests fail" >&2
fi
