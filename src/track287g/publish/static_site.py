"""``track287g build-site DIR``: the whole site as files for any static host. Every page in both languages,
its JSON twin, the API's resources (as ``.json`` and ``.csv``), the feeds, the search index and the assets,
made by the same app the server runs (handed in by the caller and asked in process, no network), so the two
cannot differ.

Links are root-relative: serve DIR at the root of a host. One API address is left to the server: a single
publication with every row it lists (``/api/v1/publications/{sha256}``, about 85 MB for the whole archive).
Filters and searches that need the server (query strings) fall back to the unfiltered page; the search box
still works (it reads ``/search.json``).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from track287g.normalize import tables
from track287g.publish.downloads import Versioned, bulk_dir


@dataclass
class SiteReport:
    files: int
    bytes: int
    seconds: float
    errors: list[str]


def addresses(site: Versioned) -> Iterator[tuple[str, str]]:
    """(address to fetch, file to write) for every resource of the static site."""
    with site.db.read() as conn:
        from sqlalchemy import select

        from track287g.store.schema import agency
        from track287g.store.schema_documents import document

        agency_ids = list(conn.execute(select(agency.c.agency_id).order_by(agency.c.agency_id)).scalars())
        document_shas = list(conn.execute(select(document.c.sha256).order_by(document.c.sha256)).scalars())
    pages = [
        "/",
        "/states/",
        "/agencies/",
        "/changes/",
        "/pending/",
        "/publications/",
        "/money/",
        "/claims/",
        "/methodology/",
        "/downloads/",
        "/api/",
        "/documents/",
    ]
    pages += [f"/state/{code}/" for code in tables.states()]
    pages += [f"/agency/{a}/" for a in agency_ids]
    pages += [f"/document/{sha}/" for sha in document_shas]
    for prefix in ("", "/es"):
        for page in pages:
            yield prefix + page, prefix + page + "index.html"
            yield prefix + page + "index.json", prefix + page + "index.json"
    yield "/api/v1/", "/api/v1/index.json"
    yield "/api/v1/openapi.json", "/api/v1/openapi.json"
    full = "?per_page=5000"
    for name in ("publications", "agencies", "agreements", "events", "documents"):
        yield f"/api/v1/{name}{full}", f"/api/v1/{name}.json"
        yield f"/api/v1/{name}.csv", f"/api/v1/{name}.csv"
    for name in ("states", "pending", "stats/publications"):
        yield f"/api/v1/{name}", f"/api/v1/{name}.json"
        yield f"/api/v1/{name}.csv", f"/api/v1/{name}.csv"
    for name in ("stats", "coverage", "funding", "moa-coverage"):
        yield f"/api/v1/{name}", f"/api/v1/{name}.json"
    for code in tables.states():
        yield f"/api/v1/states/{code}", f"/api/v1/states/{code}.json"
    for a in agency_ids:
        yield f"/api/v1/agencies/{a}", f"/api/v1/agencies/{a}.json"
    for sha in document_shas:
        yield f"/api/v1/documents/{sha}", f"/api/v1/documents/{sha}.json"
        yield f"/documents/{sha}.pdf", f"/documents/{sha}.pdf"
    for prefix in ("", "/es"):  # the feeds in English and in Spanish
        feeds = ["changes", *(f"state/{code}" for code in tables.states()), *(f"agency/{a}" for a in agency_ids)]
        for scope in feeds:
            yield f"{prefix}/feeds/{scope}.atom", f"{prefix}/feeds/{scope}.atom"
    yield "/search.json", "/search.json"


def build_site(app: Any, site: Versioned, target: Path, *, static: Path, clean: bool = True) -> SiteReport:
    """Write the static site under ``target`` by asking ``app`` (the server's ASGI app over ``site``) for every
    address, and copy the ``static`` assets; returns what was written and any address that failed."""
    start = time.perf_counter()
    if clean and target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)
    files = size = 0
    errors: list[str] = []
    transport = httpx.ASGITransport(app=app)

    async def run() -> None:
        nonlocal files, size
        async with httpx.AsyncClient(transport=transport, base_url="http://site.local") as client:
            for address, name in addresses(site):
                r = await client.get(address, headers={"accept-encoding": "identity"})
                if r.status_code != 200:
                    errors.append(f"{address}: {r.status_code}")
                    continue
                path = target / name.lstrip("/")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(r.content)
                files += 1
                size += len(r.content)
            missing = await client.get("/this-page-does-not-exist/")
            (target / "404.html").write_bytes(missing.content)

    import anyio

    anyio.run(run)
    shutil.copytree(static, target / "static", dirs_exist_ok=True)
    bulk = bulk_dir(site)
    if bulk.is_dir():
        shutil.copytree(
            bulk, target / "downloads" / "files", dirs_exist_ok=True, ignore=shutil.ignore_patterns(".complete")
        )
    return SiteReport(files=files, bytes=size, seconds=time.perf_counter() - start, errors=errors)
