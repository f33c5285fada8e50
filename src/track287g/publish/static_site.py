"""``track287g build-site DIR``: the whole site as files any static host serves as they are (GitHub Pages,
Cloudflare Pages, a plain web server). Every page in both languages, its JSON twin, the API's resources (as
``.json`` and ``.csv``), the feeds, the preview cards, the search index, ``sitemap.xml``, ``robots.txt``, the assets
and the bulk downloads, made by the same app the server runs (handed in by the caller and asked in process, no
network), so the two cannot differ.

Links are root-relative: serve DIR at the address ``base_url`` gives, at a host's root or under the path it
names (``https://example.github.io/track287g``: every link, script and form address begins with ``/track287g``);
canonical links, cards, feeds and the sitemap are absolute, as Open Graph, feed readers and sitemaps require.
One API address is left to the server: a single publication with every row it lists
(``/api/v1/publications/{sha256}``). The moving map reads its frames and shapes from the static
``/api/v1/map.json`` and ``/api/v1/map/shapes.json``. Filters and searches that need the server (query strings)
fall back to the unfiltered page; the search box still works (it reads ``/search.json``). No file is over 25 MB,
the limit of common static hosts.

Rebuilding is incremental. ``.track287g-site.json`` in DIR records what was written from which data version and
code: the same database again writes nothing; after a change, a page whose data (its JSON twin) is unchanged
keeps its files (its HTML in both languages, and for an agency or a state its API file, feed and card), and a file
whose bytes are unchanged is not rewritten.

Preview cards are drawn for the home page, each state and each agency; a county's pages name its state's card.
"""

from __future__ import annotations

import gc
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


def _cards(card: str) -> tuple[tuple[str, str], ...]:
    """A page's preview card in English and in Spanish (each language's pages name their own)."""
    return ((card, card), ("/es" + card, "/es" + card))


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
        page(path, *(_cards("/cards/home.png") if path == "/" else ()))
    for code in tables.states():
        page(
            f"/state/{code}/",
            (f"/api/v1/states/{code}", f"/api/v1/states/{code}.json"),
            (f"/feeds/state/{code}.atom", f"/feeds/state/{code}.atom"),
            (f"/es/feeds/state/{code}.atom", f"/es/feeds/state/{code}.atom"),  # the feeds in English and Spanish
            *_cards(f"/cards/state/{code}.png"),
        )
    for fips in _counties():
        page(f"/county/{fips}/")  # its pages show its state's card
    for a in ids:
        page(
            f"/agency/{a}/",
            (f"/api/v1/agencies/{a}", f"/api/v1/agencies/{a}.json"),
            (f"/feeds/agency/{a}.atom", f"/feeds/agency/{a}.atom"),
            (f"/es/feeds/agency/{a}.atom", f"/es/feeds/agency/{a}.atom"),
            *_cards(f"/cards/agency/{a}.png"),
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
        (p, p)
        for p in (
            "/feeds/changes.atom",
            "/es/feeds/changes.atom",
            "/search.json",
            "/es/search.json",
            "/robots.txt",
            "/sitemap.xml",
        )
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
        self.folders: set[Path] = set()  # folders made (or found) by this writer

    def _folder(self, path: Path) -> None:
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)

    def put(self, name: str, data: bytes) -> None:
        if len(data) > LIMIT:
            self.errors.append(f"{name}: {len(data):,} bytes, over the {LIMIT:,} a static host serves")
            return
        digest = _digest(data)
        path = self.target / name.lstrip("/")
        if self.before.get(name, [None])[0] != digest or not path.is_file():
            self._folder(path)
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
        """Copy a file (an asset, a download) unless the one there has its bytes: compared by digest, as a
        download of a new data version often has the size of the one before (a date moved by a day)."""
        size = source.stat().st_size
        if size > LIMIT:
            self.errors.append(f"{name}: {size:,} bytes, over the {LIMIT:,} a static host serves")
            return
        with source.open("rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()[:24]
        path = self.target / name.lstrip("/")
        if self.before.get(name, [None])[0] != digest or not path.is_file() or path.stat().st_size != size:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
            self.written += 1
        self.files[name] = [digest, size]


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


async def _get(app: Any, address: str) -> tuple[int, bytes]:
    """Ask the ASGI ``app`` for ``address`` as a client asking for it uncompressed would, in this process (no
    HTTP client in between: the app's answer is the bytes a server sends); its status and body."""
    path, _, query = address.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"site.local"), (b"accept-encoding", b"identity")],
        "server": ("site.local", 80),
        "client": ("127.0.0.1", 0),
    }
    status = 0
    body: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(body)


def _ask_groups(app: Any, chosen: list[Group], writer: _Writer, twins_before: dict[str, str]) -> dict[str, Any]:
    """Ask ``app`` for the files of ``chosen`` and write them; returns the twins' digests and the counts."""
    import anyio

    twins: dict[str, str] = {}
    counts = {"asked": 0, "kept": 0}

    async def ask(address: str) -> bytes | None:
        counts["asked"] += 1
        status, content = await _get(app, address)
        if status != 200 and not address.startswith("/this-page-does-not-exist"):
            writer.errors.append(f"{address}: {status}")
            return None
        return content

    async def run() -> None:
        for group in chosen:
            answers: dict[str, bytes | None] = {}
            if group.twin is not None:
                data = answers[group.twin] = await ask(group.twin)
                if data is not None:
                    twins[group.twin] = _digest(data)
                    names = [name for _, name in group.files]
                    if twins_before.get(group.twin) == twins[group.twin] and writer.keep(names):
                        counts["kept"] += 1
                        continue
            for address, name in group.files:
                if address not in answers:
                    answers[address] = await ask(address)
                data = answers[address]
                if data is not None:
                    writer.put(name, data)

    anyio.run(run)
    return {"twins": twins, **counts}


_job: dict[str, Any] = {}  # what a forked worker process builds (set by build_site before the pool starts)
CHUNK = 40  # groups a worker asks for at a time (the pool hands out the next chunk to whichever is free)


def _warm_groups(everything: list[Group]) -> list[Group]:
    """The groups the parent process builds before it forks its workers: the first of each kind of page, so that
    what they share (the agency index, the overview, the funding model's run behind every agency and state page,
    the places) is computed once and inherited by every worker, not once per worker."""
    chosen: list[Group] = []
    seen: set[str] = set()
    for group in everything:
        twin = group.twin or ""
        kind = next((k for k in ("/state/", "/county/", "/agency/") if twin.startswith(k)), twin)
        if twin == "/index.json" or (kind in ("/state/", "/county/", "/agency/") and kind not in seen):
            seen.add(kind)
            chosen.append(group)
    return chosen


def _chunks(groups: list[Group]) -> list[list[Group]]:
    """The work in chunks, the site-wide pages (each slow, each alone) first, then the pages of a kind in runs."""
    single = [[g] for g in groups if not g.twin or not g.twin.startswith(("/state/", "/county/", "/agency/"))]
    many = [g for g in groups if g.twin and g.twin.startswith(("/state/", "/county/", "/agency/"))]
    return single + [many[i : i + CHUNK] for i in range(0, len(many), CHUNK)]


def _run(app: Any, chosen: list[Group], target: Path, before: dict[str, Any], twins_before: dict) -> dict[str, Any]:
    writer = _Writer(target, before)
    found = _ask_groups(app, chosen, writer, twins_before)
    return found | {"files": writer.files, "written": writer.written, "errors": writer.errors}


def _worker(chunk: int) -> dict[str, Any]:
    job = _job
    if not job.get("forked"):  # first chunk in this process: its own connections, not the parent's
        job["forked"] = True
        job["site"].after_fork()
    return _run(job["app"], job["chunks"][chunk], job["target"], job["before"], job["twins_before"])


def _early(order: list[int], taken: Any, stop: Any, out: Any) -> None:
    """(A process forked before the parent makes the shared data.) Build the chunks of ``order`` (county pages,
    which need none of it) one after the other until told to stop; each chunk's result goes to ``out``."""
    job = _job
    job["site"].after_fork()
    job["forked"] = True
    try:
        while not stop.is_set():
            with taken.get_lock():
                if taken.value >= len(order):
                    break
                chunk = order[taken.value]
                taken.value += 1
            out.put((chunk, _worker(chunk)))
    finally:
        out.put(None)


def _while_warming(warm: Callable[[], dict[str, Any]], chunks: list[list[Group]]) -> tuple[dict, dict[int, dict]]:
    """Run ``warm`` here while a forked process builds county chunks; stop it when ``warm`` is done. Returns
    ``warm``'s result and the chunks the other process built (by index)."""
    import queue

    context = multiprocessing.get_context("fork")
    order = [i for i, chunk in enumerate(chunks) if chunk[0].twin and chunk[0].twin.startswith("/county/")]
    taken, stop, out = context.Value("i", 0), context.Event(), context.Queue()
    helper = context.Process(target=_early, args=(order, taken, stop, out), daemon=True)
    gc.freeze()  # what the parent holds now is never collected in the forked process: its pages stay shared
    helper.start()
    try:
        warmed = warm()
    finally:
        stop.set()
    done: dict[int, dict] = {}
    while True:
        try:
            item = out.get(timeout=1)
        except queue.Empty:
            if not helper.is_alive():
                break
            continue
        if item is None:
            break
        done[item[0]] = item[1]
    helper.join()
    return warmed, done


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
    core) forked once the pages every other page shares are made; copy the ``static`` assets and this data
    version's bulk downloads. ``code`` names the templates and code that render the pages: when it changes,
    every page is drawn again."""
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
    app = make_app()
    warm = _warm_groups(everything)
    chunks = _chunks([g for g in everything if not any(g is w for w in warm)])
    if count > 1 and "fork" in multiprocessing.get_all_start_methods():
        _job.update(
            app=app, site=_site_of(app), target=target, before=kept_before, twins_before=twins_before, chunks=chunks
        )
        try:  # the shared data made here while one process starts on the counties, then every process at work
            warmed, early = _while_warming(lambda: _run(app, warm, target, kept_before, twins_before), chunks)
            results = [warmed, *early.values()]
            context = multiprocessing.get_context("fork")
            gc.freeze()  # the shared data, made by the warm-up, left out of the workers' garbage collection
            with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
                results += list(pool.map(_worker, [i for i in range(len(chunks)) if i not in early]))
        finally:
            _job.clear()
            gc.unfreeze()
    else:
        results = [_run(app, chunk, target, kept_before, twins_before) for chunk in [warm, *chunks]]
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
        path = target / name.lstrip("/")
        path.unlink(missing_ok=True)
        _prune(path.parent, target)
    manifest = stamp | {"files": writer.files, "twins": twins}
    (target / MANIFEST).write_text(json.dumps(manifest, sort_keys=True) + "\n", encoding="utf-8")
    report = _report(target, writer.files, start, writer.errors)
    report.written, report.asked, report.kept = writer.written, asked, kept
    return report


def _prune(folder: Path, root: Path) -> None:
    """Remove ``folder`` and the folders above it, up to ``root``, while they are empty (a site built before the
    county cards went leaves no empty ``cards/county/``)."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone)
            return
        folder = folder.parent


def _site_of(app: Any) -> Any:
    """The ``Site`` behind the web app (its ``after_fork`` gives a worker process its own connections)."""
    inner = getattr(app, "app", app)
    return inner.state.site


def _bulk_files(site: Served) -> list[str]:
    listing = downloads.listing(site.exports, site.data_version)["bulk"]
    return [f["name"] for f in listing["files"]]


def _sizes(folder: Path, prefix: str = "") -> Iterator[tuple[str, int]]:
    """("/a/b.html", size) for every file under ``folder`` (os.scandir: a pathlib walk took a second of a build)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                yield from _sizes(Path(entry.path), f"{prefix}/{entry.name}")
            elif entry.is_file():
                yield f"{prefix}/{entry.name}", entry.stat().st_size


def _report(
    target: Path, files: dict[str, list], start: float, errors: list[str], unchanged: bool = False
) -> SiteReport:
    """What the folder holds, measured on disk (every file in it, not only those this build wrote)."""
    sizes = dict(_sizes(target))
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
