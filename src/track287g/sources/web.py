"""ICE's 287(g) web page: find the list links on it and download them politely.

``find_links`` reads the page's anchors the way ICE writes them (absolute or relative, ``/doclib/...`` or
newer download paths, any case, any date stamp) and keeps those that are the participating or pending list.
``Fetcher`` is an httpx client with a User-Agent naming the project and a contact, conditional requests,
timeouts, bounded retries with backoff, a size limit and a cap on requests per run. Errors are ``FetchError``
with a one-line reason; nothing here touches the database.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import httpx

from track287g.config import CONTACT_ENV, DEFAULT_MAX_BYTES
from track287g.config import VERSION as __version__

SPREADSHEET = re.compile(r"\.(xlsx|xlsm|xls)$", re.IGNORECASE)
KINDS = (("participating", re.compile(r"particip", re.IGNORECASE)), ("pending", re.compile(r"pending", re.IGNORECASE)))
# paths that serve files rather than pages (ICE's /doclib/ and CMS download routes)
DOWNLOAD_PATH = re.compile(r"(/doclib/|download|/sites/[^/]+/files/|/files?/|/documents?/|/media/)", re.IGNORECASE)
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
MAX_BACKOFF = 60.0


class FetchError(Exception):
    """A request that gave nothing usable, with a one-line reason."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def user_agent(contact: str | None) -> str:
    """``track287g/<version> (...; contact: ...)``: who is asking and how to reach them."""
    who = contact or f"unset, see ${CONTACT_ENV}"
    return f"track287g/{__version__} (open record of ICE 287(g) agreements; contact: {who})"


@dataclass
class HttpSettings:
    """How politely and how patiently to fetch."""

    contact: str | None = None
    user_agent: str | None = None  # overrides the one built from ``contact``
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # longest wait for the next bytes
    deadline: float = 300.0  # longest a single download may take in all (a server that trickles bytes)
    retries: int = 3  # further attempts after a failed one (timeouts, 5xx, 429, cut connections)
    backoff: float = 2.0  # seconds before the first retry; doubled each time
    max_bytes: int = DEFAULT_MAX_BYTES
    max_requests: int = 20  # per run, retries included

    def agent(self) -> str:
        return self.user_agent or user_agent(self.contact)


@dataclass
class Fetched:
    """A response: the body (None when 304 Not Modified), its validators and the name it was offered under."""

    url: str
    status: int
    data: bytes | None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    filename: str | None = None  # from Content-Disposition

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def disposition_filename(value: str | None) -> str | None:
    """The file name in a Content-Disposition header (``filename*`` preferred), reduced to its last part."""
    if not value:
        return None
    msg = Message()
    msg["content-disposition"] = value
    name = msg.get_filename()
    if not name:
        return None
    name = PurePosixPath(name.replace("\\", "/")).name.strip()
    return name or None


class Fetcher:
    """GET and POST over one httpx client, counting requests against the per-run cap."""

    def __init__(self, settings: HttpSettings | None = None):
        self.settings = settings or HttpSettings()
        self.requests = 0
        s = self.settings
        self.client = httpx.Client(
            headers={"User-Agent": s.agent()},
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            follow_redirects=True,
            max_redirects=5,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def _count(self) -> None:
        if self.requests >= self.settings.max_requests:
            raise FetchError(f"request cap of {self.settings.max_requests} per run reached; left for the next run")
        self.requests += 1

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """Fetch ``url`` (conditionally when validators are given), retrying passing faults with backoff."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = max_bytes or self.settings.max_bytes
        attempts = self.settings.retries + 1
        reason = "no attempt made"
        for attempt in range(attempts):
            self._count()
            wait = None
            try:
                return self._get_once(url, headers, limit)
            except _Retry as exc:
                reason, wait = exc.reason, exc.wait
            if attempt + 1 < attempts:
                delay = min(self.settings.backoff * 2**attempt, MAX_BACKOFF)
                time.sleep(max(delay, min(wait or 0, MAX_BACKOFF)))
        more = f" (after {attempts} attempts)" if attempts > 1 else ""
        raise FetchError(reason + more)

    def _get_once(self, url: str, headers: dict[str, str], limit: int) -> Fetched:
        s = self.settings
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                if resp.status_code == 304:
                    validators = resp.headers.get("etag"), resp.headers.get("last-modified")
                    return Fetched(str(resp.url), 304, None, *validators)
                if resp.status_code in RETRY_STATUSES:
                    raise _Retry(_status_text(resp), _retry_after(resp.headers.get("retry-after")))
                if resp.status_code >= 400:
                    raise FetchError(_status_text(resp), resp.status_code)
                declared = _int(resp.headers.get("content-length"))
                if declared is not None and declared > limit and not resp.headers.get("content-encoding"):
                    raise FetchError(f"response is {declared:,} bytes, over the size limit of {limit:,} bytes")
                started, chunks, size = time.monotonic(), [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(f"response is over the size limit of {limit:,} bytes; download stopped")
                    if time.monotonic() - started > s.deadline:
                        raise _Retry(f"download too slow: {size:,} bytes in {s.deadline:g} s")
                    chunks.append(chunk)
                data = b"".join(chunks)
                if declared is not None and not resp.headers.get("content-encoding") and len(data) < declared:
                    raise _Retry(f"download incomplete: {len(data):,} of {declared:,} bytes")
                return Fetched(
                    str(resp.url),
                    resp.status_code,
                    data,
                    resp.headers.get("etag"),
                    resp.headers.get("last-modified"),
                    resp.headers.get("content-type"),
                    disposition_filename(resp.headers.get("content-disposition")),
                )
        except httpx.TimeoutException as exc:
            raise _Retry(f"timed out ({_timeout_kind(exc)}, limit {_limit_of(exc, s):g} s)") from None
        except httpx.RemoteProtocolError as exc:
            raise _Retry(_cut_short(exc)) from None
        except httpx.ConnectError as exc:
            raise _Retry(f"cannot connect ({_first_line(exc)})") from None
        except httpx.TooManyRedirects:
            raise FetchError("too many redirects") from None
        except httpx.HTTPError as exc:
            raise _Retry(f"request failed ({type(exc).__name__}: {_first_line(exc)})") from None

    def post(
        self, url: str, body: bytes, headers: dict[str, str], timeout: float, *, address: str | None = None
    ) -> int:
        """One POST without redirects or retries (the caller schedules retries); the status, or FetchError.

        ``address``: connect to this IP address (checked by the caller) instead of resolving the host again;
        the Host header, and for https the TLS server name and certificate check, stay the URL's host."""
        extensions: dict = {}
        if address is not None:
            parts = httpx.URL(url)
            headers = {**headers, "Host": parts.netloc.decode("ascii")}
            if parts.scheme == "https":
                extensions["sni_hostname"] = parts.host
            url = str(parts.copy_with(host=address))
        try:
            resp = self.client.post(
                url,
                content=body,
                headers=headers,
                timeout=httpx.Timeout(timeout, connect=min(timeout, self.settings.connect_timeout)),
                follow_redirects=False,
                extensions=extensions,
            )
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"request failed ({type(exc).__name__}: {_first_line(exc)})") from None
        return resp.status_code


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


def _status_text(resp: httpx.Response) -> str:
    return f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip()


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _retry_after(value: str | None) -> float | None:
    seconds = _int(value.strip()) if value else None
    return float(seconds) if seconds is not None and seconds >= 0 else None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _cut_short(exc: httpx.RemoteProtocolError) -> str:
    m = re.search(r"received (\d+) bytes, expected (\d+)", str(exc))
    if m:
        got, declared = int(m.group(1)), int(m.group(2))
        return f"download incomplete: {got:,} of {declared:,} bytes before the server closed the connection"
    return f"download incomplete: the server broke off ({_first_line(exc)})"


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    return {
        httpx.ConnectTimeout: "connecting",
        httpx.ReadTimeout: "waiting for data",
        httpx.WriteTimeout: "sending",
        httpx.PoolTimeout: "waiting for a connection",
    }.get(type(exc), "timeout")


def _limit_of(exc: httpx.TimeoutException, s: HttpSettings) -> float:
    return s.connect_timeout if isinstance(exc, httpx.ConnectTimeout) else s.read_timeout


# --- link discovery ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A list link on the page: where it points, the file name it gives (if any), and which list it is."""

    url: str
    name: str | None  # from the address; None when only a download's Content-Disposition will tell
    kind: str  # participating | pending (what the link claims; the content decides what the file is)
    text: str  # the link text as shown
    how: str  # file-name | link-text: what told the kind

    def as_json(self) -> dict:
        return {"url": self.url, "name": self.name, "kind": self.kind, "text": self.text, "how": self.how}


@dataclass
class _Anchor:
    href: str
    text: list[str] = field(default_factory=list)


class _Anchors(HTMLParser):
    """Every ``<a href>`` with its visible text, and the page's ``<base href>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[_Anchor] = []
        self.base: str | None = None
        self._open: _Anchor | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v for k, v in attrs if v is not None}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"].strip()
        elif tag == "a" and values.get("href"):
            self._open = _Anchor(values["href"].strip())
            for key in ("title", "aria-label"):
                if values.get(key):
                    self._open.text.append(values[key])
            self.anchors.append(self._open)
        elif tag == "img" and self._open is not None and values.get("alt"):
            self._open.text.append(values["alt"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.text.append(data)


def _kind_of(text: str) -> str | None:
    found = [kind for kind, pattern in KINDS if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def _file_name(url: str) -> str | None:
    """The spreadsheet file name an address carries, in its path or in a query parameter."""
    parts = urlsplit(url)
    last = unquote(PurePosixPath(parts.path).name)
    if SPREADSHEET.search(last):
        return last
    for _key, value in parse_qsl(parts.query):
        candidate = PurePosixPath(unquote(value).replace("\\", "/")).name
        if SPREADSHEET.search(candidate):
            return candidate
    return None


def find_links(html: str, page_url: str) -> list[Link]:
    """The participating and pending list links on the page, in page order, each address once.

    A link counts when it points at a spreadsheet (by its file name) or at a download path, and its file
    name or, failing that, its text says which list it is.
    """
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    base = urljoin(page_url, parser.base) if parser.base else page_url
    links: dict[str, Link] = {}
    for anchor in parser.anchors:
        url = urljoin(base, anchor.href).split("#", 1)[0]
        if urlsplit(url).scheme not in ("http", "https") or url in links:
            continue
        text = " ".join(" ".join(anchor.text).split())
        name = _file_name(url)
        if name is None and not DOWNLOAD_PATH.search(urlsplit(url).path):
            continue
        kind, how = (_kind_of(name), "file-name") if name else (None, "")
        if kind is None:
            kind, how = _kind_of(text), "link-text"
        if kind is None and name is None:
            kind, how = _kind_of(unquote(urlsplit(url).path)), "file-name"
        if kind is None:
            continue
        links[url] = Link(url, name, kind, text, how)
    return list(links.values())


def page_text(data: bytes, content_type: str | None) -> str:
    """The page's bytes as text (the charset it declares, else UTF-8), never failing."""
    charset = None
    if content_type:
        m = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
        charset = m.group(1) if m else None
    try:
        return data.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def fallback_name(link: Link) -> str:
    """A file name for a download that offered none: the link text (or the list kind), as a spreadsheet."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", link.text).strip("-.") or f"{link.kind}Agencies"
    return f"{stem[:80]}.xlsx"
