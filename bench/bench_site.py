"""Benchmark: ``track287g build-site`` (full, then again with nothing changed) against asking the running server
for the same addresses, in the same run.

Run: python bench/bench_site.py --db PATH [--connections 2] [--workers 2] [--keep DIR]

The database is copied into a scratch folder (with its bulk downloads written there first, outside the timings).
Three whole-process measurements (bench/measure.py: CPU of the process and every descendant, wall, memory):

- **full**: ``build-site`` into an empty folder (every page, card, feed and API file drawn; the workers it starts
  counted);
- **unchanged**: ``build-site`` into the same folder again, nothing changed (the target: a few seconds);
- **server**: ``track287g serve`` (granian, ``--workers``) started fresh by a client process that asks it, over
  ``--connections`` keep-alive connections, for every address build-site asked (``static_site.addresses``; each
  once, uncompressed), then stops it: the server's and the client's CPU both counted. The static files from the
  bulk downloads and assets are not asked of either side's pages (build-site copies them).

It then reports the folder (files, true size, largest file), the number of preview cards and what one costs
(drawn alone in this process, the median of ``--cards`` real cards). Target (issue 13): full at most 30 s wall on
the 2-core machine.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import measure  # noqa: E402
from bench_web import _fetch, free_port, write_downloads  # noqa: E402

BIN = Path(sys.executable).parent
BASE_URL = "https://bench.example"
TARGET_WALL = 30.0


def _copy(db: Path, to: Path) -> None:
    with sqlite3.connect(db) as source, sqlite3.connect(to) as target:
        source.backup(target)


def _addresses(db: Path, out: Path) -> int:
    code = (
        "import sys; from track287g.publish.static_site import addresses; from track287g.web.site import Site; "
        "print('\\n'.join(sorted({a for a, _ in addresses(Site(sys.argv[1], pinned=True))})))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(db)], check=True, capture_output=True, text=True)
    out.write_text(done.stdout)
    return len(done.stdout.split())


def fetch_all(db: str, addresses: str, connections: int, workers: int) -> int:
    """(The measured client.) Start the server, ask it for every address once, stop it."""
    port = free_port()
    env = os.environ | {"TRACK287G_BASE_URL": BASE_URL}
    cmd = [str(BIN / "track287g"), "--db", db, "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not answer") from None
                time.sleep(0.2)
        paths = Path(addresses).read_text().split()
        errors = asyncio.run(_ask(port, paths, connections))
        print(f"asked {len(paths)} addresses, {errors} not 200")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return 0


async def _ask(port: int, paths: list[str], connections: int) -> int:
    todo = iter(paths)
    errors = 0

    async def worker() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for path in todo:
            status, close = await _fetch(reader, writer, path)
            errors += status != 200 and not path.startswith("/this-page-does-not-exist")
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return errors


def card_cost(db: Path, n: int) -> float:
    """Milliseconds of CPU to draw one real card (the cards build-site draws: agency cards, two in three, and state
    cards, in both languages, in turn)."""
    code = f"""
import sys, time, statistics
from track287g.publish.cards import render_card
from track287g.web import previews
from track287g.web.site import Site
from track287g.publish.static_site import _ids
site = Site(sys.argv[1], pinned=True)
ids = _ids(site)
made = []
for i in range({n}):
    lang = ("en", "es")[i % 2]
    which = i % 3
    if which == 0:
        made.append(previews.agency_card(site, ids[i % len(ids)], lang))
    elif which == 1:
        made.append(previews.agency_card(site, ids[(i * 7) % len(ids)], lang))
    else:
        made.append(previews.state_card(site, ("TX", "FL", "GA", "NY", "CA")[i % 5], lang))
times = []
for card in made:
    start = time.process_time()
    render_card(card)
    times.append(time.process_time() - start)
print(statistics.median(times) * 1000, statistics.mean(times) * 1000)
"""
    done = subprocess.run([sys.executable, "-c", code, str(db)], check=True, capture_output=True, text=True)
    median, mean = map(float, done.stdout.split())
    print(f"one card: median {median:.1f} ms CPU, mean {mean:.1f} ms (of {n} real cards)")
    return mean


def main() -> int:
    if sys.argv[1:2] == ["--fetch"]:
        return fetch_all(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    parser = measure.parser(__doc__)
    parser.add_argument("--db", type=Path, required=True, help="a built database (copied; never written)")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="the server's worker processes")
    parser.add_argument("--cards", type=int, default=300, help="real cards drawn to time one")
    parser.add_argument("--keep", type=Path, help="scratch folder to use and keep (default: a temporary one)")
    args = parser.parse_args()
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-site-"))
    tmp.mkdir(parents=True, exist_ok=True)
    db, site, listing = tmp / "track287g.db", tmp / "site", tmp / "addresses.txt"
    shutil.rmtree(site, ignore_errors=True)
    if not db.exists():
        _copy(args.db, db)
    write_downloads(db)  # build-site writes them when missing: outside the timings here
    count = _addresses(db, listing)
    build = [str(BIN / "track287g"), "--db", str(db), "build-site", str(site), "--base-url", BASE_URL]
    full = measure.run("build-site, full (empty folder)", build)
    again = measure.run("build-site, unchanged", build)
    fetch = [sys.executable, __file__, "--fetch", str(db), str(listing), str(args.connections), str(args.workers)]
    served = measure.run(f"server: the same {count:,} addresses asked", fetch)
    print(f"\n{os.cpu_count()} cores; {count:,} addresses; server {args.workers} workers, {args.connections} conns")
    print(measure.table([("server (baseline)", served), ("build-site full", full), ("build-site unchanged", again)]))
    print("\n" + full.stdout.strip())
    print(again.stdout.strip())
    sizes = {p: p.stat().st_size for p in site.rglob("*") if p.is_file()}
    largest = max(sizes, key=sizes.__getitem__)
    cards = [p for p in sizes if p.suffix == ".png" and "cards" in p.parts]
    print(
        f"folder: {len(sizes):,} files, {sum(sizes.values()) / 1e6:.1f} MB; largest {largest.relative_to(site)} "
        f"({sizes[largest] / 1e6:.1f} MB); {len(cards):,} cards, {sum(sizes[p] for p in cards) / 1e6:.1f} MB"
    )
    cost = card_cost(db, args.cards)
    print(f"cards: {len(cards):,} x {cost:.1f} ms = {len(cards) * cost / 1000:.0f} s of CPU")
    verdict = "met" if full.wall <= TARGET_WALL else "NOT met"
    print(f"target: full at most {TARGET_WALL:.0f} s wall: {full.wall:.1f} s, {verdict} (CPU {full.cpu:.1f} s)")
    print(f"machine load average at the end: {os.getloadavg()[0]:.1f}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
