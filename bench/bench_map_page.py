"""Benchmark: the home page with its moving map in Debian's chromium, against the state page (no map) as baseline.

Run: python bench/bench_map_page.py --db PATH [--repeat 3]

Starts ``track287g serve`` on a free loopback port, warms both pages and the map's data (the front cache), then
opens each page in a fresh browser context ``--repeat`` times and prints the median first contentful paint, the
median time until the moving map has drawn its first frame (the home page), and the gzip sizes of the map's data.
Targets (issue 14): first render of the home page under 1.5 s; the map's data for all frames under 2 MB
compressed. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import gzip
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=300) as r:
        return r.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a built database")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [str(BIN / "track287g"), "--db", args.db, "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + "/api/v1/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        for path in ("/", "/state/TX/", "/api/v1/map.json", "/api/v1/map/shapes.json", "/search.json"):
            fetch(base + path)
        sizes = {p: len(gzip.compress(fetch(base + p))) for p in ("/api/v1/map.json", "/api/v1/map/shapes.json")}
        paint: dict[str, list[float]] = {"/": [], "/state/TX/": []}
        ready: list[float] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            for _ in range(args.repeat):
                for path in paint:
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(base + path)
                    fcp = page.evaluate(
                        "new Promise(ok => new PerformanceObserver((l, o) => { const e = l.getEntries()"
                        ".find(e => e.name === 'first-contentful-paint'); if (e) ok(e.startTime); })"
                        ".observe({type: 'paint', buffered: true}))"
                    )
                    paint[path].append(fcp / 1000)
                    if path == "/":
                        page.wait_for_selector("[data-map][data-ready=true]", state="attached", timeout=300_000)
                        ready.append(time.perf_counter() - start)
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"first contentful paint, home (moving map): {statistics.median(paint['/']):.2f} s (median of {args.repeat})")
    print(f"first contentful paint, /state/TX/ (baseline): {statistics.median(paint['/state/TX/']):.2f} s")
    print(f"home page until the map's first frame is drawn: {statistics.median(ready):.2f} s")
    total = sum(sizes.values())
    print("map data, gzip: " + ", ".join(f"{p} {n:,} B" for p, n in sizes.items()) + f"; total {total:,} B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
