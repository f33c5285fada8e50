"""``track287g build-site DIR``: the whole site as files any static host serves as they are (GitHub Pages,
Cloudflare Pages, a plain web server). Every page in both languages, its JSON twin, the API's resources (as
``.json`` and ``.csv``), the feeds, the preview cards, the search index, ``sitemap.xml``, ``robots.txt``, the assets
and the bulk downloads, made by the same app the server runs (handed in by the caller and asked in process, no
network), so the two cannot differ.

Links are root-relative: serve DIR at the root of the host whose address ``base_url`` gives (canonical links,
cards and the sitemap are absolute, as Open Graph and sitemaps require). One API address is left to the server:
a single publication with every row it lists (``/api/v1/publications/{sha256}``). The moving map reads its frames
and shapes from the static ``/api/v1/map.json`` and ``/api/v1/map/shapes.json``. Filters and searches that need
the server (query strings) fall back to the unfiltered page; the search box still works (it reads
``/search.json``). No file is over 25 MB, the limit of common static hosts.

Rebuilding is incremental. ``.track287g-site.json`` in DIR records what was written from which data version and
code: the same database again writes nothing; after a change, a page whose data (its JSON twin) is unchanged
keeps its files (its HTML in both languages, and for an agency or a state its API file, feed and card, for a
county its card), and a file whose bytes are unchanged is not rewritten.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from xml.sax.saxutils import escape

from track287g.enrich.counties import gazetteer
from track287g.normalize import tables
from track287g.publish import downloads

MANIFEST = ".track287g-site.json"
LIMIT = downloads.STATIC_LIMIT
PAGES = (
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
    "/leaderboards/",
    "/compare/",
    "/place/",
)


class Served(Protocol):
    """What the site is built from (the web's ``Site`` is one): the database, its data version, the exports."""

    @property
    def db(self) -> Any: ...

    @property
    def version(self) -> str: ...  # what every answer depends on (the data, and the day for freshness lines)

    @property
    def data_version(self) -> str: ...  # the data alone (names the bulk downloads' folder)

    @property
    def exports(self) -> Path: ...


@dataclass
class Group:
    """A page and the files made from its data alone: the JSON twin (asked first: unchanged data, nothing
    else to ask), the page in both languages, and for a state or an agency its API file, feed and card."""

    twin: str | None  # the twin's address; None: always asked
    files: list[tuple[str, str]] = field(default_factory=list)  # (address, file)


@dataclass
class SiteReport:
    files: int  # files the site holds
    bytes: int  # their size on disk
    seconds: float
    errors: list[str]
    written: int = 0  # files whose bytes changed
    asked: int = 0  # addresses asked of the app
    kept: int = 0  # pages (with their files) kept because their data did not change
    unchanged: bool = False  # the same data and code as the last build: nothing was asked
    largest: tuple[str, int] = ("", 0)


def _counties() -> list[str]:
    """Every county's 5-digit FIPS code (the county pages)."""
    return sorted(gazetteer().by_fips)


def _ids(site: Served) -> list[str]:
    from sqlalchemy import select

    from track287g.store.schema import agency

    with site.db.read() as conn:
        return list(conn.execute(select(agency.c.agency_id).order_by(agency.c.agency_id)).scalars())


def _document_shas(site: Served) -> list[str]:
    from sqlalchemy import select

    from track287g.store.schema_documents import document

    with site.db.read() as conn:
        return list(conn.execute(select(document.c.sha256).order_by(document.c.sha256)).scalars())


def page_addresses(site: Served, agency_ids: list[str] | None = None) -> list[str]:
    """Every HTML page of the site, in both languages (what ``sitemap.xml`` lists)."""
    ids = _ids(site) if agency_ids is None else agency_ids
    pages = [
        *PAGES,
        *(f"/state/{c}/" for c in tables.states()),
        *(f"/county/{fips}/" for fips in _counties()),
        *(f"/agency/{a}/" for a in ids),
        *(f"/document/{sha}/" for sha in _document_shas(site)),
    ]
    return [prefix + page for page in pages for prefix in ("", "/es")]


def sitemap(pages: list[str], base: str) -> bytes:
    """The sitemap of ``pages`` under the site address ``base``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(base + page)}</loc></url>" for page in pages]
    return ("\n".join([*lines, "</urlset>"]) + "\n").encode()


def groups(site: Served) -> list[Group]:
    """Every address of the static site, grouped by the page whose data makes them."""
    ids = _ids(site)
    found: list[Group] = []

    def page(path: str, *extra: tuple[str, str]) -> None:
        twin = path + "index.json"
        found.append(
            Group(
                twin,
                [
                    (twin, twin),
                    (twin, "/es" + twin),  # the twins of both languages hold the same data
                    (path, path + "index.html"),
                    ("/es" + path, "/es" + path + "index.html"),
                    *extra,
                ],
            )
        )

    for path in PAGES:
        page(path, *([("/cards/home.png", "/cards/home.png")] if path == "/" else []))
    for code in tables.states():
        page(
            f"/state/{code}/",
            (f"/api/v1/states/{code}", f"/api/v1/states/{code}.json"),
            (f"/feeds/state/{code}.atom", f"/feeds/state/{code}.atom"),
            (f"/es/feeds/state/{code}.atom", f"/es/feeds/state/{code}.atom"),  # the feeds in English and Spanish
            (f"/cards/state/{code}.png", f"/cards/state/{code}.png"),
        )
    for fips in _counties():
        page(f"/county/{fips}/", (f"/cards/county/{fips}.png", f"/cards/county/{fips}.png"))
    for a in ids:
        page(
            f"/agency/{a}/",
            (f"/api/v1/agencies/{a}", f"/api/v1/agencies/{a}.json"),
            (f"/feeds/agency/{a}.atom", f"/feeds/agency/{a}.atom"),
            (f"/es/feeds/agency/{a}.atom", f"/es/feeds/agency/{a}.atom"),
            (f"/cards/agency/{a}.png", f"/cards/agency/{a}.png"),
        )
    for sha in _document_shas(site):
        page(
            f"/document/{sha}/",
            (f"/api/v1/documents/{sha}", f"/api/v1/documents/{sha}.json"),
            (f"/documents/{sha}.pdf", f"/documents/{sha}.pdf"),
        )
    rest = Group(None, [("/api/v1/", "/api/v1/index.json"), ("/api/v1/openapi.json", "/api/v1/openapi.json")])
    full = "?per_page=5000"
    for name in ("publications", "agencies", "agreements", "events", "documents"):
        rest.files += [
            (f"/api/v1/{name}{full}", f"/api/v1/{name}.json"),
            (f"/api/v1/{name}.csv", f"/api/v1/{name}.csv"),
        ]
    for name in ("states", "pending", "stats/publications"):
        rest.files += [(f"/api/v1/{name}", f"/api/v1/{name}.json"), (f"/api/v1/{name}.csv", f"/api/v1/{name}.csv")]
    rest.files += [
        (f"/api/v1/{name}", f"/api/v1/{name}.json") for name in ("stats", "coverage", "funding", "moa-coverage")
    ]
    for name in ("leaderboards", "map", "map/shapes"):  # the moving map's data: kept when unchanged, like a page
        found.append(Group(f"/api/v1/{name}", [(f"/api/v1/{name}", f"/api/v1/{name}.json")]))
    rest.files += [
        (p, p) for p in ("/feeds/changes.atom", "/es/feeds/changes.atom", "/search.json", "/robots.txt", "/sitemap.xml")
    ]
    rest.files.append(("/this-page-does-not-exist/", "/404.html"))
    return [*found, rest]


def addresses(site: Served) -> Iterator[tuple[str, str]]:
    """(address to ask, file to write) for every resource of the static site."""
    for group in groups(site):
        yield from group.files


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:24]


class _Writer:
    """Writes files under the target, only when their bytes changed, and keeps the manifest's entries."""

    def __init__(self, target: Path, before: dict[str, Any]) -> None:
        self.target = target
        self.before = before.get("files", {})
        self.files: dict[str, list] = {}  # file -> [digest, bytes]
        self.written = 0
        self.errors: list[str] = []

    def put(self, name: str, data: bytes) -> None:
        if len(data) > LIMIT:
            self.errors.append(f"{name}: {len(data):,} bytes, over the {LIMIT:,} a static host serves")
            return
        digest = _digest(data)
        path = self.target / name.lstrip("/")
        if self.before.get(name, [None])[0] != digest or not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            self.written += 1
        self.files[name] = [digest, len(data)]

    def keep(self, names: list[str]) -> bool:
        """Keep these files as they are, if they all are there as last written."""
        entries = [self.before.get(n) for n in names]
        for name, entry in zip(names, entries, strict=True):
            path = self.target / name.lstrip("/")
            if entry is None or not path.is_file() or path.stat().st_size != entry[1]:
                return False
        self.files.update({n: e for n, e in zip(names, entries, strict=True) if e is not None})
        return True

    def copy(self, name: str, source: Path) -> None:
        size = source.stat().st_size
        if size > LIMIT:
            self.errors.append(f"{name}: {size:,} bytes, over the {LIMIT:,} a static host serves")
            return
        path = self.target / name.lstrip("/")
        entry = self.before.get(name)
        if entry is None or entry[1] != size or not path.is_file() or path.stat().st_size != size:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
            self.written += 1
        self.files[name] = [f"{source.parent.name}:{size}", size]


def _load(target: Path) -> dict[str, Any]:
    try:
        return json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _whole(target: Path, before: dict[str, Any]) -> bool:
    """Every file the last build wrote is there, at its size."""
    for name, (_, size) in before.get("files", {}).items():
        path = target / name.lstrip("/")
        if not path.is_file() or path.stat().st_size != size:
            return False
    return bool(before.get("files"))


def _ask_groups(app: Any, chosen: list[Group], writer: _Writer, twins_before: dict[str, str]) -> dict[str, Any]:
    """Ask ``app`` for the files of ``chosen`` and write them; returns the twins' digests and the counts."""
    import anyio
    import httpx

    twins: dict[str, str] = {}
    counts = {"asked": 0, "kept": 0}
    transport = httpx.ASGITransport(app=app)

    async def ask(client: httpx.AsyncClient, address: str) -> bytes | None:
        counts["asked"] += 1
        r = await client.get(address, headers={"accept-encoding": "identity"})
        if r.status_code != 200 and not address.startswith("/this-page-does-not-exist"):
            writer.errors.append(f"{address}: {r.status_code}")
            return None
        return r.content

    async def run() -> None:
        async with httpx.AsyncClient(transport=transport, base_url="http://site.local") as client:
            for group in chosen:
                answers: dict[str, bytes | None] = {}
                if group.twin is not None:
                    data = answers[group.twin] = await ask(client, group.twin)
                    if data is not None:
                        twins[group.twin] = _digest(data)
                        names = [name for _, name in group.files]
                        if twins_before.get(group.twin) == twins[group.twin] and writer.keep(names):
                            counts["kept"] += 1
                            continue
                for address, name in group.files:
                    if address not in answers:
                        answers[address] = await ask(client, address)
                    data = answers[address]
                    if data is not None:
                        writer.put(name, data)

    anyio.run(run)
    return {"twins": twins, **counts}


_job: dict[str, Any] = {}  # what a forked worker process builds (set by build_site before the pool starts)


def _worker(part: int) -> dict[str, Any]:
    job = _job
    writer = _Writer(job["target"], job["before"])
    found = _ask_groups(job["make_app"](), job["parts"][part], writer, job["twins_before"])
    return found | {"files": writer.files, "written": writer.written, "errors": writer.errors}


def build_site(
    make_app: Callable[[], Any],
    site: Served,
    target: Path,
    *,
    static: Path,
    base_url: str,
    code: str = "",
    workers: int | None = None,
) -> SiteReport:
    """Write (or bring up to date) the static site under ``target`` by asking the server's ASGI app (made by
    ``make_app`` over ``site``, with ``base_url``) for every address, in ``workers`` processes (default: one per
    core); copy the ``static`` assets and this data version's bulk downloads. ``code`` names the templates and
    code that render the pages: when it changes, every page is drawn again."""
    start = time.perf_counter()
    target.mkdir(parents=True, exist_ok=True)
    before = _load(target)
    stamp = {"version": site.version, "code": code, "base_url": base_url}
    same_code = all(before.get(k) == v for k, v in stamp.items() if k != "version")
    if same_code and before.get("version") == site.version and _whole(target, before):
        return _report(target, before["files"], start, [], unchanged=True)
    kept_before = before if same_code else {"files": before.get("files", {})}
    twins_before = before.get("twins", {}) if same_code else {}
    everything = groups(site)
    count = max(1, min(workers or os.cpu_count() or 1, 8))
    parts = [everything[i::count] for i in range(count)]
    results: list[dict[str, Any]] = []
    methods = multiprocessing.get_all_start_methods()
    if count > 1 and "fork" in methods:
        _job.update(make_app=make_app, target=target, before=kept_before, twins_before=twins_before, parts=parts)
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
                results = list(pool.map(_worker, range(count)))
        finally:
            _job.clear()
    else:
        writer = _Writer(target, kept_before)
        found = _ask_groups(make_app(), everything, writer, twins_before)
        results = [found | {"files": writer.files, "written": writer.written, "errors": writer.errors}]
    writer = _Writer(target, kept_before)
    twins: dict[str, str] = {}
    asked = kept = 0
    for r in results:
        writer.files.update(r["files"])
        writer.written += r["written"]
        writer.errors += r["errors"]
        twins.update(r["twins"])
        asked, kept = asked + r["asked"], kept + r["kept"]
    for path in sorted(p for p in static.rglob("*") if p.is_file()):
        writer.copy("/static/" + path.relative_to(static).as_posix(), path)
    for name in _bulk_files(site):
        writer.copy(f"/downloads/files/{name}", site.exports / site.data_version / name)
    for name in set(before.get("files", {})) - set(writer.files):  # no longer part of the site
        (target / name.lstrip("/")).unlink(missing_ok=True)
    manifest = stamp | {"files": writer.files, "twins": twins}
    (target / MANIFEST).write_text(json.dumps(manifest, sort_keys=True) + "\n", encoding="utf-8")
    report = _report(target, writer.files, start, writer.errors)
    report.written, report.asked, report.kept = writer.written, asked, kept
    return report


def _bulk_files(site: Served) -> list[str]:
    listing = downloads.listing(site.exports, site.data_version)["bulk"]
    return [f["name"] for f in listing["files"]]


def _report(
    target: Path, files: dict[str, list], start: float, errors: list[str], unchanged: bool = False
) -> SiteReport:
    """What the folder holds, measured on disk (every file in it, not only those this build wrote)."""
    sizes = {"/" + p.relative_to(target).as_posix(): p.stat().st_size for p in target.rglob("*") if p.is_file()}
    largest = max(sizes.items(), key=lambda kv: kv[1], default=("", 0))
    return SiteReport(
        files=len(sizes),
        bytes=sum(sizes.values()),
        seconds=time.perf_counter() - start,
        errors=errors,
        unchanged=unchanged,
        largest=largest,
    )


__all__ = ["SiteReport", "addresses", "build_site", "groups", "page_addresses", "sitemap"]
