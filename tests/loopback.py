"""A real HTTP server on loopback that plays a scripted part: ICE's site, or a webhook receiver.

Each path answers with a :class:`Reply` (or the next of a list of them: the last one repeats). Replies can
carry an ETag / Last-Modified (answered with 304 to a matching conditional request), a delay before the
headers (a slow server), a body cut short of its declared length, or a Content-Disposition. Every request
is recorded, bodies included, so tests can check what the client sent.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before answering
    cut_at: int | None = None  # send only this many body bytes, declaring the full length, then close


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int  # the status sent


def xlsx(body: bytes, name: str | None = None, **kw) -> Reply:
    headers = {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    if name:
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Reply(body=body, headers=headers, **kw)


def html(text: str, **kw) -> Reply:
    return Reply(body=text.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"}, **kw)


class Site:
    """The server; ``routes`` may be changed between runs to script the next step."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | list[Reply]] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                reply = site._next(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = reply.status
                fresh = (reply.etag and headers.get("if-none-match") == reply.etag) or (
                    reply.last_modified and headers.get("if-modified-since") == reply.last_modified
                )
                if status == 200 and fresh:
                    status = 304
                with site._lock:
                    site.requests.append(Request(self.command, self.path, headers, body, status))
                if reply.delay:
                    time.sleep(reply.delay)
                payload = b"" if status == 304 or self.command == "HEAD" else reply.body
                try:
                    self.send_response(status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    if reply.etag:
                        self.send_header("ETag", reply.etag)
                    if reply.last_modified:
                        self.send_header("Last-Modified", reply.last_modified)
                    if status != 304:
                        self.send_header("Content-Length", str(len(payload)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(payload if reply.cut_at is None else payload[: reply.cut_at])
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)
                self.close_connection = True

            do_GET = do_POST = do_HEAD = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _next(self, path: str) -> Reply:
        with self._lock:
            reply = self.routes.get(path)
            if isinstance(reply, list):
                reply = reply.pop(0) if len(reply) > 1 else reply[0]
        return reply if reply is not None else Reply(404, b"<html><body>Page Not Found</body></html>")

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> Site:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.routes.clear()
            self.requests.clear()

    def hits(self, path: str, method: str = "GET") -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path and r.method == method]


# --- ICE's site, played from the bundled archive -----------------------------------------------------------

DOCLIB = "/doclib/about/offices/ero/287g/"


def ice_file(name: str) -> bytes:
    """A real ICE list from the bundled archive, by its file name."""
    from track287g.config import bundled_archive

    root = bundled_archive()
    assert root is not None, "the bundled archive (data/archive) is missing"
    kind = "pending" if name.lower().startswith("pending") else "participating"
    return (root / "ice" / kind / name).read_bytes()


def ice_page(*links: tuple[str, str]) -> str:
    """An HTML page shaped like ICE's 287(g) page, linking (href, text) pairs."""
    items = "\n".join(f'<li><a href="{href}" class="usa-link">{text}</a></li>' for href, text in links)
    return (
        "<!DOCTYPE html><html lang='en'><head><title>Delegation of Immigration Authority Section 287(g) | ICE</title>"
        "</head><body><nav><a href='/about-ice'>About ICE</a><a href='/contact'>Contact</a></nav><main>"
        "<h1>Delegation of Immigration Authority Section 287(g) Immigration and Nationality Act</h1>"
        "<p>ICE currently has 287(g) agreements with the following law enforcement agencies:</p>"
        f"<ul>{items}</ul><p><a href='/doclib/about/offices/ero/287g/287gFactSheet.pdf'>Fact sheet</a></p>"
        "</main></body></html>"
    )


# --- databases: each test on SQLite and on PostgreSQL ---------------------------------------------------------

POSTGRES_ENV = "TRACK287G_TEST_POSTGRES"  # a throwaway database to use instead of a private cluster (wiped!)
DATABASES = ["sqlite", "postgresql"]


def fresh_database(request, tmp_path):
    """An empty track287g database: SQLite in tmp_path, or PostgreSQL (``$TRACK287G_TEST_POSTGRES``, else the
    private cluster of ``tests/test_postgres.py``), wiped first."""
    from tests.conftest import wipe_postgres
    from track287g.store import connect

    if request.param == "sqlite":
        return connect(str(tmp_path / "watch.db"))
    url = os.environ.get(POSTGRES_ENV) or request.getfixturevalue("pg_url")
    wipe_postgres(url)
    return connect(url)
