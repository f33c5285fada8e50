"""The ASGI app: pages in English (``/...``) and Spanish (``/es/...``), each with a JSON twin at
``.../index.json``; the API under ``/api/v1``; Atom feeds under ``/feeds``; local static assets.

Every answer is computed once per data version and kept as bytes with an ETag. Bad input never reaches a 500:
every ``Track287gError`` carries its status (unknown things 404, bad parameters 400), answered as a helpful page
(HTML) or ``{"error", "status"}`` (JSON); any other exception is a bug, logged, and a 500.
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import hashlib
import logging
import os
import pickle
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import orjson
from anyio import CapacityLimiter, to_thread
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, FileSystemLoader, select_autoescape
from jinja2.bccache import Bucket
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from track287g import documents, messages
from track287g.config import VERSION as __version__
from track287g.config import cache_folder
from track287g.enrich.counties import gazetteer
from track287g.errors import Moved, Track287gError
from track287g.history import queries, vocabulary
from track287g.history.state import status as history_status
from track287g.i18n import LANG_NAMES, LANGS, LOCALE_DIR, N_, Language, language
from track287g.normalize import tables
from track287g.publish import cards, downloads, feeds, static_site
from track287g.web import adapters, endpoints, lookups, places, previews, resources, search
from track287g.web.dispatch import Dispatch
from track287g.web.pages import PAGES, Page, api_docs_page
from track287g.web.query_params import parse
from track287g.web.site import Site

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = sorted(p.name for p in (HERE / "templates").glob("*.html"))
log = logging.getLogger("track287g.web")
ERROR_TITLES = {400: N_("Bad request"), 404: N_("Not found"), 503: N_("Not available"), 500: N_("Something went wrong")}
CACHE_CONTROL = "public, max-age=60"
GZIP_LEVEL = 6  # an answer compressed for a client that accepts gzip
VARY = (b"vary", b"Accept-Encoding")  # on every answer: compressed or not as the client accepts gzip
# answers made at once (each in a worker thread): the making is Python, one thread at a time under the GIL, and
# SQLite hands the GIL over at every row; 32 threads making 32 answers at once cost each answer several times
# the CPU it takes alone (the threads pass the GIL to one another at every row), for no answer sooner
MAKERS = 2
# an answer of a kind (one API address's, one page's) whose recent answers in this data version were made in
# less than this many CPU seconds (the median of the last ``RECENT``) is made in the event loop's own thread.
# A worker thread is for the slow kinds only: while the loop is busy, a worker waits for the GIL at every SQLite
# row (up to the interpreter's switch interval, 5 ms, each time), so a half-millisecond agency answer sent to a
# worker under load took 300 ms. The median, in CPU time (not wall time, which counts those waits), keeps one
# slow answer (a garbage collection, a long history) from sending the next ones of its kind to a worker.
QUICK = 0.005
RECENT = 5
# the server's garbage collector: a full collection walks every object the answers cached in memory hold (50 ms
# with every agency asked), stalling every request in flight. Young collections 70 times rarer than the default
# and full ones 140 times rarer (an answer's own garbage is freed by reference counting, not by the collector):
# one agency's answers at 32 connections, p99 90 ms with the default thresholds, 60 ms with these (paired runs)
GC_THRESHOLDS = (50_000, 20, 10)
SECURITY = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def json_bytes(value: Any) -> bytes:
    """``value`` as the site writes JSON (numpy scalars as plain numbers, keys as text)."""
    return orjson.dumps(value, default=_plain, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)


def _plain(value: Any) -> Any:
    """numpy scalars (from the funding model) and anything else with a plain value."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def public(data: Any) -> Any:
    """A page's data without its drawn figures (its top-level keys starting ``_``: ``pages.Page.answer`` adds
    them there, and no resource's data holds such a key), for the JSON twin and the API."""
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not str(k).startswith("_")}
    return data


# set by ``track287g serve`` to the seconds a request may run on after SIGTERM before the server cuts it: the
# workers log the requests in flight when told to stop, and those still running when their time is nearly up
SERVE_ENV = "TRACK287G_SERVING"
_in_flight: dict[int, tuple[str, float]] = {}
_watching = False
_stopping_since: float | None = None  # when this process was told to stop


@contextmanager
def serving(scope: dict) -> Iterator[None]:
    """Count the request among those in flight (named in the log when the server is told to stop)."""
    if not _watching and os.environ.get(SERVE_ENV) and threading.current_thread() is threading.main_thread():
        _watch_stop()
    query = scope.get("query_string") or b""
    what = f"{scope['method']} {scope['path']}" + (f"?{query.decode('latin-1')}" if query else "")
    key = id(scope)
    _in_flight[key] = (what, time.monotonic())
    try:
        yield
    except BaseException as exc:  # cancelled (the server cutting it) or failed
        _in_flight.pop(key, None)
        if _stopping_since is not None:
            log.warning("stopping (pid %d): %s cut (%s)", os.getpid(), what, type(exc).__name__)
        raise
    _in_flight.pop(key, None)
    if _stopping_since is not None:
        log.warning("stopping (pid %d): answered %s after the stop signal", os.getpid(), what)


def _grace() -> float:
    """How long the server lets a request run on after SIGTERM (``SERVE_ENV``; 1 s when it says only "1")."""
    try:
        return max(float(os.environ.get(SERVE_ENV) or 1), 0.1)
    except ValueError:
        return 1.0


def _log_cut() -> None:
    """Name the requests still running as the grace ends: the server cuts them (their clients get no answer)."""
    if _stopping_since is None:
        return
    now = time.monotonic()
    busy = sorted(_in_flight.values(), key=lambda item: item[1])
    if busy:
        lines = "; ".join(f"{what} (running {now - since:.1f} s)" for what, since in busy)
        log.warning(
            "stopping (pid %d): cutting %d request(s) still running %.1f s after the stop signal: %s",
            os.getpid(),
            len(busy),
            now - _stopping_since,
            lines,
        )


def _watch_stop() -> None:
    """On SIGTERM or SIGINT, log what this process was serving, then let the server's own handler stop it (its
    handler runs too: asyncio's through the loop's wake-up, uvicorn's called from here)."""
    global _watching
    _watching = True
    for number in (signal.SIGTERM, signal.SIGINT):
        before = signal.getsignal(number)

        def on_stop(signum: int, frame: Any, before: Any = before) -> None:
            global _stopping_since
            now = time.monotonic()
            busy = sorted(_in_flight.values(), key=lambda item: item[1])
            if busy:
                lines = "; ".join(f"{what} for {now - since:.1f} s" for what, since in busy)
                log.warning("stopping (pid %d): was serving %d request(s): %s", os.getpid(), len(busy), lines)
                if _stopping_since is None:  # just before the server cuts what is still running, name it
                    grace = _grace()
                    timer = threading.Timer(max(grace - 0.1, grace * 0.8), _log_cut)
                    timer.daemon = True
                    timer.start()
            else:
                log.warning("stopping (pid %d): no request in flight", os.getpid())
            if _stopping_since is None:
                _stopping_since = now
            if callable(before):
                before(signum, frame)

        signal.signal(number, on_stop)


class FrontCache:
    """In front of the app: a GET whose exact address was answered before in this data version is served from
    memory without routing, parameter checks or rendering (gzip-compressed once, when the client accepts it)."""

    LIMIT = 20000

    def __init__(self, app: Any, site: Site, root: str = "", compressed: Any = None) -> None:
        """``app`` answers as is; ``compressed`` (the same app behind gzip) answers a client that accepts gzip."""
        self.app = app
        self.compressed = compressed or app
        self.site = site
        self.root = root  # the path the site is published under (``Web.root``); asked with it or without
        self.version = ""
        self.entries: dict[tuple[str, bytes], list] = {}

    def store(self, path: str, query: bytes, body: bytes, media: str, etag: str, headers: dict[str, str]) -> None:
        if self.version != self.site.version:
            self.entries = {}
            self.version = self.site.version
        if len(self.entries) < self.LIMIT:
            raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
            self.entries[(path, query)] = [body, None, media.encode(), etag.encode(), raw]

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.compressed(scope, receive, send)
        if self.root:
            scope = unrooted(scope, self.root)
        with serving(scope):
            await self.answer(scope, receive, send)

    async def answer(self, scope: dict, receive: Callable, send: Callable) -> None:
        accept = b""
        match = b""
        for k, v in scope["headers"]:
            if k == b"accept-encoding":
                accept = v
            elif k == b"if-none-match":
                match = v
        hit = None
        if scope["method"] == "GET" and self.version == self.site.version:
            hit = self.entries.get((scope["path"], scope["query_string"]))
        if hit is None:
            if b"gzip" in accept:
                return await self.compressed(scope, receive, send)
            return await self.app(scope, receive, partial(_varied, send))  # no gzip middleware to pass through
        body, gz, media, etag, raw = hit
        headers = [*raw, (b"etag", etag), VARY]
        if match and etag in match:
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        if b"gzip" in accept and len(body) > 1024:
            if gz is None:
                gz = hit[1] = gzip.compress(body, GZIP_LEVEL)
            body = gz
            headers.append((b"content-encoding", b"gzip"))
        headers += [(b"content-type", media), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _varied(send: Callable, message: dict) -> None:
    """Send ``message``, an answer's start saying that it would be compressed for a client that accepts gzip."""
    if message["type"] == "http.response.start":
        message["headers"] = [*message.get("headers", ()), VARY]
    await send(message)


def unrooted(scope: dict, root: str) -> dict:
    """The request as the app's routes name it: a path under ``root`` (a proxy that passed the site's path on)
    without it; any other path as it came (a proxy that took it off)."""
    path = scope["path"]
    if path != root and not path.startswith(root + "/"):
        return scope
    found = scope | {"path": path[len(root) :] or "/"}
    raw, rooted = scope.get("raw_path") or b"", root.encode()
    if raw.startswith(rooted):
        found["raw_path"] = raw[len(rooted) :] or b"/"
    else:  # spelled otherwise (percent-encoded): the path alone says it
        found.pop("raw_path", None)
    return found


# a root-relative address in an attribute of a page (not ``//host``): what ``Web.render`` puts the root before
_ROOT_RELATIVE = re.compile(r'(?<=\s)(href|src|action)="/(?!/)')

_DICT_NAMES = frozenset(dir(dict))


class _Templates(Environment):
    """Jinja2's environment, reading ``data.name`` of a dict as its key straight away (Jinja2 first asks for an
    attribute, which a dict never has but its methods, and pays for the error on every such lookup)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class _CompiledTemplates(FileSystemBytecodeCache):
    """The templates compiled to Python bytecode, kept in the cache folder (``config.cache_folder``): compiled once
    for both languages and for every later process (about 0.3 s a language, paid by a page's first visitors),
    compiled again when a template's text changes. A folder that cannot be read or written only costs the
    compiling."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):  # damaged: compiled and written anew
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates() -> BytecodeCache | None:
    """The cache of compiled templates, in the cache folder; None when there is none or it cannot be made."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        (folder / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(str(folder / "templates"))


class Web:
    """The site's rendering: templates, the language helpers, cached answers as bytes with ETags.

    ``base_url`` (``https://example.org``) makes the canonical links and the preview cards' addresses absolute,
    as Open Graph and sitemaps require; without it they use the address each request came to. A ``base_url``
    with a path (``https://example.github.io/track287g``) publishes the site under that path (``root``): every
    address a page links, loads or sends a form to, and every redirect, begins with it. ``inline``: make
    answers in the event loop's own thread (a caller asking one address at a time, as the static site does),
    not in a worker thread."""

    def __init__(self, site: Site, base_url: str | None = None, inline: bool = False) -> None:
        self.site = site
        self.base_url = base_url.rstrip("/") if base_url else None
        # as a page names it: percent-encoded, so it can stand in an attribute as it is
        self.root = quote(urlsplit(self.base_url).path, safe="/%") if self.base_url else ""
        self.inline = inline
        self.front: FrontCache | None = None
        self.makers = CapacityLimiter(MAKERS)
        self.probes: dict[Any, asyncio.Event] = {}  # kind -> its answer in a worker, while not known quick
        self.recent: dict[Any, tuple[float, ...]] = {}  # kind -> CPU seconds of its last answers, this version
        self.recent_version = ""
        # a server picks up an edited template; a static build renders every page from the templates it started
        # with (their fingerprint names the build), without looking at their files again for each page
        compiled = compiled_templates()
        self.envs = {
            code: self.environment(Language(code, markup=True), reload=not inline, compiled=compiled) for code in LANGS
        }

    @staticmethod
    def environment(lang: Language, reload: bool = True, compiled: BytecodeCache | None = None) -> Environment:
        """The templates in one language: Jinja2's i18n extension with that language's catalog (``_``,
        ``gettext``, ``ngettext``, ``pgettext``; placeholders in braces, values escaped) and its formats.
        ``reload``: a template whose file changed is read again. ``compiled``: where compiled templates are kept
        (the languages' templates are the same code: the words come from the globals when a page is drawn)."""
        env = _Templates(
            loader=FileSystemLoader(HERE / "templates"),
            auto_reload=reload,
            bytecode_cache=compiled,
            autoescape=select_autoescape(["html", "xml"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
        )
        env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=lang.gettext, ngettext=lang.ngettext, pgettext=lang.pgettext, newstyle=False
        )
        env.globals.update(
            _=lang.gettext,  # the extension's ``_`` looks ``gettext`` up and calls it on every use: the same, direct
            version=__version__,
            state_name=lambda code: lang.label("state", code),
            states=tables.states,
            models=lookups.MODELS,
            event_types=vocabulary.EVENT_TYPES,
            agency_statuses=vocabulary.AGENCY_STATUSES,
            langs=LANG_NAMES,
            label=lang.label,
            translated=lang.translated,  # whether the catalog says a stored English text in this language
            n=lang.number,
            dec=lang.decimal,
            pct=lang.percent,
            money=lang.money,
            day=lang.date,
            msg=lambda m: messages.localized(m, language(lang.code)),
        )
        env.filters["combine"] = lambda d, **kw: {**d, **kw}
        # words for a script (a data- attribute's JSON): the text itself, not HTML ("ICE's", not "ICE&#39;s")
        env.filters["plain"] = lambda d: {k: Markup(v).unescape() for k, v in d.items()}
        return env

    # --- bytes with ETags -------------------------------------------------------------------------------

    def respond(
        self,
        request: Request,
        body: bytes,
        media: str,
        status: int = 200,
        etag: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> Response:
        headers = dict(SECURITY) | (extra or {})
        if status == 200:
            headers.setdefault("Cache-Control", CACHE_CONTROL)
            if etag:
                headers["ETag"] = etag
                if etag in request.headers.get("if-none-match", ""):
                    return Response(status_code=304, headers=headers)
        else:
            headers["Cache-Control"] = "no-store"
        return Response(body, status_code=status, media_type=media, headers=headers)

    async def cached(
        self,
        request: Request,
        key: tuple,
        make: Callable[[], tuple[bytes, str]],
        extra: dict[str, str] | None = None,
        front: bool = True,
        kind: Any = None,
    ) -> Response:
        """Serve ``key``'s bytes for this data version, made when missing (in a worker thread, or at once when
        answers of its ``kind`` are quick to make: ``QUICK``); ``extra`` headers (a ``Link``) go with them.
        ``front``: the answer may be served again without routing (the front cache); not for a page whose answer
        depends on more than the data version."""
        hit = self.site.peek(("bytes", *key))
        if hit is None:
            body, media = make() if self.inline else await self.make(make, kind)
            tag = hashlib.sha1(body).hexdigest()[:16]
            hit = self.site.put(("bytes", *key), (body, media, f'W/"{self.site.version}-{tag}"'))
        body, media, etag = hit
        if self.front is not None and front and not self.inline:  # one caller asking each address once
            headers = self.headers() | (extra or {})
            # the key the front cache looks an address up by (``request.url`` would build a URL object for it)
            self.front.store(request.scope["path"], request.scope["query_string"], body, media, etag, headers)
        return self.respond(request, body, media, etag=etag, extra=extra)

    async def make(self, make: Callable[[], tuple[bytes, str]], kind: Any) -> tuple[bytes, str]:
        """``make()``, in this thread when the recent answers of its ``kind`` (None: none) in this data version
        took less than ``QUICK`` of CPU (their median), else in a worker thread (``MAKERS`` at a time); what it
        took is kept for the next, in the site's cache of this data version."""

        def timed() -> tuple[tuple[bytes, str], float]:
            start = time.thread_time()
            made = make()
            return made, time.thread_time() - start

        if kind is None:
            return (await to_thread.run_sync(timed, limiter=self.makers))[0]
        # while a kind is not known to be quick, one of its answers at a time is made in a worker (the probe) and
        # the others wait for it, then choose again: 32 asked at once by a fresh server would otherwise all go to
        # workers before the first said what one costs
        while not self._quick(kind):
            probe = self.probes.get(kind)
            if probe is None:
                self.probes[kind] = done = asyncio.Event()
                try:
                    made, took = await to_thread.run_sync(timed, limiter=self.makers)
                finally:
                    del self.probes[kind]
                    done.set()
                self._took(kind, took)
                return made
            await probe.wait()
        made, took = timed()
        self._took(kind, took)
        return made

    def _recent(self) -> dict[Any, tuple[float, ...]]:
        """What the answers of each kind took in this data version (forgotten when it changes)."""
        if self.recent_version != self.site.version:
            self.recent, self.recent_version = {}, self.site.version
        return self.recent

    def _took(self, kind: Any, took: float) -> None:
        recent = self._recent()
        recent[kind] = (*recent.get(kind, ())[-RECENT + 1 :], took)

    def _quick(self, kind: Any) -> bool:
        """Whether the recent answers of ``kind`` in this data version took less than ``QUICK`` (their median)."""
        recent = self._recent().get(kind, ())
        return bool(recent) and sorted(recent)[len(recent) // 2] < QUICK

    @staticmethod
    def headers() -> dict[str, str]:
        return dict(SECURITY) | {"Cache-Control": CACHE_CONTROL}

    # --- pages ------------------------------------------------------------------------------------------

    def context(self, lang: str, request_path: str, query: str, base: str = "") -> dict[str, Any]:
        other = "es" if lang == "en" else "en"
        bare = request_path.removeprefix("/es") or "/"
        base = self.base_url or base

        def url(path: str, **params: Any) -> str:
            clean = {k: v for k, v in params.items() if v not in (None, "")}
            prefix = "/es" if lang == "es" and not path.startswith(("/api/", "/static/", "/downloads/files")) else ""
            return prefix + path + (("?" + urlencode(clean)) if clean else "")

        switch = ("/es" if other == "es" else "") + bare + (f"?{query}" if query else "")
        fresh = self.freshness()
        return {
            "lang": lang,
            "other_lang": other,
            "switch_url": switch,
            "path": bare,
            "url": url,
            "svg": Markup,
            "fresh": fresh,
            "after_latest": after_latest(query, fresh),
            "json_url": (bare.rstrip("/") + "/index.json" if bare != "/" else "/index.json")
            + (f"?{query}" if query else ""),
            "data_version": self.site.data_version,
            "canonical": base + request_path,
            "card_url": base + previews.card_path(bare, lang),
            "og_locale": "es_US" if lang == "es" else "en_US",
            "root": self.root,
            "history": self.site.cached(("history_status",), lambda c: history_status(c).as_json()),
        }

    def freshness(self) -> dict | None:
        """Which lists are the latest, how old, when ICE's page was last checked (None: no list yet)."""
        try:
            found = places.freshness(self.site)
        except Track287gError:
            return None
        return found | {"checked_text": places.checked_text(found["checked"])}

    def render(self, template: str, lang: str, path: str, query: str, base: str = "", **values: Any) -> bytes:
        ctx = self.context(lang, path, query, base) | values
        page = self.envs[lang].get_template(template).render(**ctx)
        if self.root:  # one place for every address of the page: the templates', the maps', the data's
            page = _ROOT_RELATIVE.sub(lambda m: f'{m[1]}="{self.root}/', page)
        return page.encode("utf-8")

    def page_data(self, page: Page, lang: str, params: dict, path_params: dict, drawn: bool = True) -> dict:
        return page.answer(self.site, lang, params, path_params, drawn=drawn)

    def error_page(
        self,
        request: Request,
        status: int,
        template: str,
        values: dict,
        lang: str,
        links: list[tuple[str, str]] | None = None,
        extra: dict[str, str] | None = None,
    ) -> Response:
        """The error as a page in ``lang``: its message translated when the catalog has it (raised as a template
        and values), else as it was raised, marked as English; ``links`` (label, address) are the nearest things
        that are there ("Did you mean:")."""
        words = language(lang)
        message = (
            words.gettext(template, **values)
            if words.translated(template)
            else (template.format(**values) if values else template)
        )
        body = self.render(
            "error.html",
            lang,
            request.url.path,
            "",
            _base(request),
            status=status,
            title=ERROR_TITLES.get(status, ERROR_TITLES[500]),
            message=message,
            message_lang=lang if words.translated(template) else "en",
            links=links or [],
            data={},
            # no twin to offer: the other language's home page, and no JSON (a static host serves one error page
            # for every missing address, whose twins are missing too)
            switch_url="/es/" if lang == "en" else "/",
            json_url=None,
        )
        return self.respond(request, body, "text/html; charset=utf-8", status=status, extra=extra)


def _base(request: Request) -> str:
    """The address the request came to, without a trailing slash (``http://127.0.0.1:8287``)."""
    return str(request.base_url).rstrip("/")


def _lang(request: Request) -> str:
    path = request.url.path
    return "es" if path == "/es" or path.startswith("/es/") else "en"


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(("/api/", "/feeds/", "/es/feeds/")) or path.endswith(".json")


def alternate(path: str, query: str, twin: bool) -> str:
    """The ``Link`` header from a page to its JSON twin (``.../index.json``), or from the twin back to the page."""
    suffix = f"?{query}" if query else ""
    if twin:
        return f'<{path.removesuffix("index.json")}{suffix}>; rel="alternate"; type="text/html"'
    return f'<{path.rstrip("/")}/index.json{suffix}>; rel="alternate"; type="application/json"'


def create_app(db: str | Site | None = None, base_url: str | None = None, *, inline: bool = False) -> FrontCache:
    """The ASGI application over a built database (path or URL; default as for the CLI). ``base_url``: the
    site's public address, for canonical links and preview cards (default: the address each request came to).
    ``inline``: answers are made in the event loop's thread (for a caller that asks one address at a time)."""
    site = db if isinstance(db, Site) else Site(db)
    web = Web(site, base_url, inline)

    def page_route(page: Page, lang: str, twin: bool) -> Callable:
        async def endpoint(request: Request) -> Response:
            params = parse(request.query_params, page.params)
            path_params = dict(request.path_params)
            state = page.state(site) if page.state else None
            key = (
                "page",
                page.name,
                lang if not twin else "json",
                tuple(sorted(path_params.items())),
                tuple(sorted(params.items())),
                state,
            )
            extra = {"Link": alternate(request.url.path, request.url.query, twin)}
            if state not in (None, "ready"):  # no files yet: nothing cached on the way, and when to come back
                extra["Cache-Control"] = "no-cache"
                if state == "preparing":
                    extra["Retry-After"] = str(downloads.retry_after(site.exports))

            if page.redirect is not None and not twin:
                data = (
                    page.data(site, params, **path_params)
                    if web.inline
                    else await run_in_threadpool(page.data, site, params, **path_params)
                )
                target = page.redirect(data)
                if target:
                    return RedirectResponse(("/es" if lang == "es" else "") + target, 303)

            def make() -> tuple[bytes, str]:
                data = web.page_data(page, lang, params, path_params, drawn=not twin)
                if twin:
                    return json_bytes(public(data)), "application/json"
                query = request.url.query
                return web.render(
                    page.template, lang, request.url.path, query, _base(request), data=data, params=params
                ), "text/html; charset=utf-8"

            return await web.cached(request, key, make, extra, front=page.state is None, kind=("page", page.name, twin))

        return endpoint

    def api_route(endpoint_spec: endpoints.Endpoint, csv: bool) -> Callable:
        async def endpoint(request: Request) -> Response:
            allowed = endpoint_spec.params
            if csv:
                allowed = {k: v for k, v in allowed.items() if k not in endpoints.PAGING}
            params = parse(request.query_params, allowed, empty_is_absent=False)
            path_params = {k: v for k, v in request.path_params.items()}
            key = ("api", endpoint_spec.name, csv, tuple(sorted(path_params.items())), tuple(sorted(params.items())))

            def make() -> tuple[bytes, str]:
                data = public(endpoint_spec.answer(site, params, **path_params, csv=csv))
                if csv:
                    return endpoints.to_csv(data[endpoint_spec.csv_rows]), "text/csv; charset=utf-8"
                return json_bytes(data), "application/json"

            return await web.cached(request, key, make, kind=("api", endpoint_spec.path, csv))

        return endpoint

    async def openapi(request: Request) -> Response:
        return await web.cached(request, ("openapi",), lambda: (json_bytes(endpoints.openapi()), "application/json"))

    def feed_route(scope_of: Callable[[dict], tuple[str, dict]], lang: str) -> Callable:
        async def endpoint(request: Request) -> Response:
            parse(request.query_params, {})
            scope, filters = scope_of(dict(request.path_params))
            # the site's address as given (``--base-url``; a static copy's feeds), else the one asked
            base = feeds.site_url(web.base_url or _base(request))

            def make() -> tuple[bytes, str]:  # the events and the title are shared by both languages' feeds
                agency_id = filters.get("agency_id")
                events = site.cached(("feed-events", scope), lambda c: queries.changes(c, newest_first=True, **filters))
                revised = site.cached(("feed-revisions", scope), lambda c: queries.revisions(c, **filters))
                name = agency_title(agency_id) if agency_id else None
                body = feeds.document(events, revised, base=base, scope=scope, lang=lang, name=name, **filters)
                return body, "application/atom+xml"

            return await web.cached(request, ("feed", lang, scope, base), make)

        return endpoint

    def all_scope(_: dict) -> tuple[str, dict]:
        return "changes", {}

    def state_scope(pp: dict) -> tuple[str, dict]:
        code = lookups.check_state(pp["code"])
        return f"state/{code}", {"state": code}

    def agency_title(agency_id: str) -> str:
        return site.cached(("agency-title", agency_id), lambda c: feeds.agency_title(c, agency_id))

    def agency_scope(pp: dict) -> tuple[str, dict]:
        agency_id = pp["agency_id"]
        agency_title(agency_id)  # NotFound, or Moved for a former id (redirected)
        return f"agency/{agency_id}", {"agency_id": agency_id}

    async def bulk_file(request: Request) -> Response:
        name = request.path_params["name"]
        target = downloads.file_path(site.exports, site.data_version, name)
        if target is None:
            raise lookups.NotFound(N_("no download named {name!r} in this data version (see /downloads/)"), name=name)
        return FileResponse(target, headers=dict(SECURITY) | {"Cache-Control": CACHE_CONTROL})

    async def archived_pdf(request: Request) -> Response:
        """An archived MOA or addendum, byte for byte, from the archive (never fetched from ICE)."""
        sha = request.path_params["sha256"].lower()
        with site.db.read() as conn:
            data = documents.document_bytes(conn, sha)
        if data is None:
            raise lookups.NotFound(N_("no archived document {sha!r}"), sha=sha)
        headers = {"Cache-Control": "public, max-age=31536000, immutable", "ETag": f'"{sha}"'}
        return Response(data, media_type="application/pdf", headers=headers)

    def search_index(lang: str) -> Callable:
        """The search box's index: every agency (a status other than active in ``lang``'s words), and the counties
        and states with states named in ``lang``."""
        words = language(lang)

        async def endpoint(request: Request) -> Response:
            parse(request.query_params, {})

            def make() -> tuple[bytes, str]:
                rows = site.cached(("index",), lookups.agency_index)
                items = [
                    {
                        "id": a["agency_id"],
                        "name": a["name"],
                        "state": a["state"],
                        "status": a["status"],
                        "hay": search.haystack(a),
                    }
                    | ({"shown": words.label("agency-status", a["status"])} if a["status"] != "active" else {})
                    for a in rows
                ]
                return json_bytes({"agencies": items, "places": places.search_places(lang)}), "application/json"

            return await web.cached(request, ("search", lang), make)

        return endpoint

    def card_route(lang: str, make_card: Callable[[dict, str], Any]) -> Callable:
        async def endpoint(request: Request) -> Response:
            parse(request.query_params, {})
            path_params = dict(request.path_params)

            def make() -> tuple[bytes, str]:
                return cards.render_card(make_card(path_params, lang)), "image/png"

            return await web.cached(request, ("card", lang, tuple(sorted(path_params.items()))), make)

        return endpoint

    async def robots(request: Request) -> Response:
        parse(request.query_params, {})
        base = web.base_url or _base(request)
        body = f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode()
        return web.respond(request, body, "text/plain; charset=utf-8")

    async def sitemap(request: Request) -> Response:
        parse(request.query_params, {})
        base = web.base_url or _base(request)

        def make() -> tuple[bytes, str]:
            return static_site.sitemap(static_site.page_addresses(site), base), "application/xml"

        return await web.cached(request, ("sitemap", base), make)

    async def slash(request: Request) -> Response:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(web.root + request.url.path + "/" + query, 308)

    # in the order Starlette would try them; ``Dispatch`` tries only those whose leading words begin the address,
    # so the order matters only between routes that can match the same address (a suffixed one before its bare one)
    routes: list = []
    for lang, prefix in (("en", ""), ("es", "/es")):
        routes += [
            Route(prefix + "/cards/home.png", card_route(lang, lambda _, lang: previews.home_card(site, lang))),
            Route(
                prefix + "/cards/state/{code}.png",
                card_route(lang, lambda pp, lang: previews.state_card(site, lookups.check_state(pp["code"]), lang)),
            ),
            Route(
                prefix + "/cards/agency/{agency_id}.png",
                card_route(lang, lambda pp, lang: previews.agency_card(site, pp["agency_id"], lang)),
            ),
            Route(
                prefix + "/cards/county/{fips}.png",
                card_route(lang, lambda pp, lang: previews.county_card(site, pp["fips"], lang)),
            ),
            Route(prefix + "/feeds/changes.atom", feed_route(all_scope, lang)),
            Route(prefix + "/feeds/state/{code}.atom", feed_route(state_scope, lang)),
            Route(prefix + "/feeds/agency/{agency_id}.atom", feed_route(agency_scope, lang)),
        ]
    routes.append(Route("/api/v1/openapi.json", openapi))
    for e in endpoints.ENDPOINTS:
        # the suffixed addresses first: "{date}" would otherwise swallow "2025-12-31.csv"
        if e.csv_rows:
            routes.append(Route(e.path + ".csv", api_route(e, csv=True)))
        if e.path == "/api/v1/":
            routes.append(Route("/api/v1", slash))
            routes.append(Route("/api/v1/index.json", api_route(e, csv=False)))
        else:
            routes.append(Route(e.path + ".json", api_route(e, csv=False)))
        routes.append(Route(e.path, api_route(e, csv=False)))
    for lang, prefix in (("en", ""), ("es", "/es")):
        for page in [*PAGES, api_docs_page(endpoints.ENDPOINTS)]:
            path = prefix + page.path
            routes.append(Route(path, page_route(page, lang, twin=False)))
            twin = path + "index.json"
            routes.append(Route(twin, page_route(page, lang, twin=True)))
            if page.path != "/":
                routes.append(Route(path.rstrip("/"), slash))
    routes.append(Route("/es", slash))
    routes += [
        Route("/downloads/files/{name:path}", bulk_file),
        Route("/search.json", search_index("en")),
        Route("/es/search.json", search_index("es")),
        Route("/documents/{sha256:str}.pdf", archived_pdf),
        Route("/robots.txt", robots),
        Route("/sitemap.xml", sitemap),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    async def on_error(request: Request, exc: Exception) -> Response:
        """The one handler: an error a user can act on answers its own status; anything else is a logged 500."""
        if isinstance(exc, Moved):  # a former id: the same address with the id it carries now
            target = web.root + request.url.path.replace(exc.old_id, exc.new_id)
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(target + query, 301)
        extra: dict[str, str] = {}
        values: dict[str, Any] = {}
        if isinstance(exc, HTTPException):
            status, template = exc.status_code, exc.detail or "Not found"
            extra = dict(exc.headers or {})  # a 405 says which methods the address takes (Allow)
            if status == 404:
                template, values = N_("nothing at {path}"), {"path": request.url.path}
        elif isinstance(exc, Track287gError):
            status, template, values = exc.http_status, exc.template, exc.values
        else:  # a bug, whatever its type (a ValueError too): logged with its traceback, never shown
            log.exception("unexpected error on %s", request.url.path)
            status, template = 500, N_("an unexpected error; it has been logged")
        if _wants_json(request):
            message = template.format(**values) if values else template
            body = json_bytes({"error": message, "status": status})
            return web.respond(request, body, "application/json", status=status, extra=extra)
        links = None
        if isinstance(exc, search.NotFoundNear):  # the page lists the nearest as links under the error's own words
            (template, values), links = exc.shown, exc.links
        return web.error_page(request, status, template, values, _lang(request), links, extra)

    handlers = {HTTPException: on_error, Track287gError: on_error, Exception: on_error}
    inner = Starlette(  # the routes tried only where the address's leading words allow (web.dispatch)
        routes=[Dispatch(routes)],
        exception_handlers=handlers,
    )
    inner.state.site = site
    inner.state.web = web
    # for the clients that accept gzip; at the front cache's level (on agency answers of about 6 KB, level 9,
    # Starlette's default, gives the same size in the same time)
    compressed = GZipMiddleware(inner, minimum_size=1024, compresslevel=GZIP_LEVEL)
    web.front = FrontCache(inner, site, unquote(web.root), compressed)  # as a request's path says it
    return web.front


BASE_URL_ENV = "TRACK287G_BASE_URL"


def code_version() -> str:
    """A fingerprint of what renders the pages (the package version, the templates, the assets, the Spanish
    catalog, the cards' drawing): the static site redraws every page when it changes."""
    digest = hashlib.sha256(f"{__version__}\0{cards.RENDERER}".encode())
    catalogs = sorted(LOCALE_DIR.rglob("*.mo"))
    for path in sorted([*(HERE / "templates").glob("*"), *STATIC.rglob("*")]) + catalogs:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def app_from_env() -> FrontCache:
    """For servers that import an app factory (granian, ``uvicorn --factory``): the database from $TRACK287G_DB,
    the public address from $TRACK287G_BASE_URL, the exports folder from $TRACK287G_EXPORTS; the garbage
    collector's thresholds set for a server (``GC_THRESHOLDS``) and what the first answers would make made
    before the first request (``prepare``)."""
    gc.set_threshold(*GC_THRESHOLDS)
    app = create_app(None, os.environ.get(BASE_URL_ENV) or None)
    prepare(app.site, app.app.state.web)
    gc.collect()
    gc.freeze()  # what the process made to start is never walked again by a collection
    return app


def prepare(site: Site, web: Web | None = None) -> None:
    """Make, before the first request, what the first answers would otherwise make while the answers behind them
    wait (tens of milliseconds each, once a process): the data version, the modules the answers import when
    first asked, the county names, the gazetteer, the agency index, the agreements, what every list's rows say,
    each state's timeline and the latest list's funding figures (on every agency's page), and ``web``'s templates
    in every language, compiled.
    A failure here is left to the first answer that needs the same, which reports it."""
    steps: list[Callable[[], Any]] = [
        *(partial(env.get_template, name) for env in (web.envs.values() if web else ()) for name in TEMPLATES),
        lambda: site.version,
        lambda: language("es").number(1234),  # Babel's locale data, read when a number is first written
        lambda: language("es").label("status", "active"),  # the codes' labels, imported when first asked
        adapters.prepare,
        gazetteer,  # the counties' names and populations, on every page of an agency, county or state
        lambda: resources.agency_index(site),
        lambda: resources.agreement_rows(site),
        lambda: places.printed_rows(site),  # what every list's rows say, for the agreements of a list
        lambda: resources.state_timelines(site),
        lambda: resources.funding_places(site),
    ]
    for step in steps:
        try:
            step()
        except Exception:  # the first request asking the same reports it
            continue


def after_latest(query: str, fresh: dict | None) -> dict | None:
    """A page asked ``as_of`` a date after the record's latest list: that date and how many days after the list it
    is (the banner says so: what ICE listed since is not known); None otherwise."""
    try:
        asked = date.fromisoformat(parse_qs(query).get("as_of", [""])[-1])
    except ValueError:
        return None
    if not fresh:
        return None
    days = (asked - date.fromisoformat(fresh["participating"]["published"])).days
    return {"date": asked.isoformat(), "days": days} if days > 0 else None
