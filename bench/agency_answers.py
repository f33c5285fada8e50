"""Time one agency's API answer in one process, for every agency in turn (shuffled, seeded): what the server's
event loop spends making each (``web.resources.agency_page``, uncached), without HTTP.

``--through-app`` asks ``/api/v1/agencies/{id}`` of the whole app instead (ASGI, in this process: the front
cache, Starlette's middleware and routing, the answer's JSON, ETag and caching; no server, no sockets), each
address once, so the app's own share of an answer is the difference between the two. ``--address`` asks
another address of each agency through the app (``/es/agency/{id}/`` asks its Spanish page, as HTML).

Run: python bench/agency_answers.py DB [--seed 1] [--slowest 8] [--through-app] [--address '/es/agency/{id}/']
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import time
from urllib.parse import quote

from track287g.web import resources
from track287g.web.site import Site

API = "/api/v1/agencies/{id}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slowest", type=int, default=8)
    parser.add_argument("--through-app", action="store_true", help="ask the whole app (ASGI) for each agency")
    parser.add_argument("--address", default=API, help="through the app: the address asked ({id}: the agency's)")
    args = parser.parse_args()
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as con:
        ids = [r[0] for r in con.execute("SELECT agency_id FROM agency ORDER BY agency_id")]
    random.Random(args.seed).shuffle(ids)
    if args.through_app or args.address != API:
        times = asyncio.run(_through_app(args.db, ids, args.address))
        _report(times, args.slowest)
        return
    site = Site(args.db)
    try:  # what a server process makes before its first request (code from before it had this: nothing)
        from track287g.web.app import prepare
    except ImportError:
        pass
    else:
        prepare(site)
    resources.agency_page(site, {}, ids[0])  # the first answer: what every later one shares
    times = []
    for agency_id in ids[1:]:
        start = time.perf_counter()
        resources.agency_page(site, {}, agency_id)
        times.append(((time.perf_counter() - start) * 1000, agency_id))
    _report(times, args.slowest)


async def _through_app(db: str, ids: list[str], address: str) -> list[tuple[float, str]]:
    """Each agency's address asked of the app once, in process, as a server's event loop would ask it."""
    from track287g.web.app import create_app, prepare

    app = create_app(db)
    prepare(app.site)

    async def ask(agency_id: str) -> None:
        path = address.replace("{id}", quote(agency_id))
        scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [(b"accept", b"text/html" if path.endswith("/") else b"application/json"), (b"host", b"bench")],
            "scheme": "http",
            "server": ("bench", 80),
            "client": ("bench", 1),
            "root_path": "",
            "http_version": "1.1",
        }
        status = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)
        if status != [200]:
            raise SystemExit(f"{path}: {status}")

    await ask(ids[0])  # the first answer: what every later one shares
    times = []
    for agency_id in ids[1:]:
        start = time.perf_counter()
        await ask(agency_id)
        times.append(((time.perf_counter() - start) * 1000, agency_id))
    return times


def _report(times: list[tuple[float, str]], slowest: int) -> None:
    ms = sorted(t for t, _ in times)
    print(
        f"{len(ms)} agencies: median {ms[len(ms) // 2]:.2f} ms, p99 {ms[int(0.99 * len(ms))]:.2f} ms, "
        f"all {sum(ms):,.0f} ms"
    )
    for took, agency_id in sorted(times, reverse=True)[:slowest]:
        print(f"{took:8.2f} ms  {agency_id}")


if __name__ == "__main__":
    main()
