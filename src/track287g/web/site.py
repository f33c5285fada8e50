"""The database behind the web site: its data version and a cache of answers keyed on it.

ICE's lists change every few days and the server only reads, so every answer (a page's data, a rendered page,
serialized JSON) is computed once per data version and kept. The version is a hash of the publications' sha256s
and the build information; it is checked at most once a second, so a rebuild in another process is picked up
(a pinned site, the static site's snapshot, reads it once).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, select
from sqlalchemy.exc import SQLAlchemyError

from track287g.publish import downloads
from track287g.store import Database, connect
from track287g.store.schema import watch_run
from track287g.store.version import data_version

CACHE_ENTRIES = 4096  # rendered answers (bytes), least recently used dropped first
DATA_ENTRIES = (
    20000  # computed data (agency index, snapshots, one agency's view...), kept apart so pages never evict it
)
CHECK_EVERY = 1.0
ANSWERS = "answers.json"  # a data version's answers made when the data changed (``web.precomputed``), by key:
PLACES = "funding_places"  # every agency's, county's and state's funding figure and range on the latest list
NATION = "money_nation"  # the money page's answer for the nation, with no scenario
CLAIMS = "claims"  # the published claims checked against the record
MAP = "map_frames"  # every participating list since 2021 as a frame of the moving map


def last_check(db: Database) -> Row | None:
    """The watcher's last run (run_id, started_at, finished_at, page_status, report), read from the private state
    where the watcher keeps it; None when the watcher never ran here."""
    private = db.existing_private()
    if private is None:
        return None
    try:
        with private.read() as conn:
            return conn.execute(select(watch_run).order_by(watch_run.c.run_id.desc()).limit(1)).first()
    except SQLAlchemyError:  # a private state from before the watcher kept its runs
        return None


def freshness_key(db: Database) -> str:
    """What the freshness line of every page depends on besides the data: today's date (a list's age in days) and
    the watcher's last run (when ICE's page was last checked)."""
    last = last_check(db)
    return f"{date.today().isoformat()}/{last.run_id if last is not None else None}"


class Site:
    """An open database plus the per-version cache every page and API answer goes through."""

    def __init__(
        self, db: Database | str | None = None, exports: str | Path | None = None, *, pinned: bool = False
    ) -> None:
        """``pinned``: read the version once and keep it (a static copy is one snapshot; reading the version
        takes tens of milliseconds, once a second of a long build)."""
        self.pinned = pinned
        self.db = db if isinstance(db, Database) else connect(db, create=False)
        self.exports = downloads.exports_root(self.db.location, exports)  # the bulk files' folder
        self._version = ""
        self._data_version = ""
        self._checked = 0.0
        self._marker: int | None = None  # the database's commit marker when the data version was last read
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._data: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple, threading.RLock] = {}  # a lock per key being computed (see ``cached``)

    @property
    def version(self) -> str:
        """The version every cached answer is keyed on: the data version and the freshness key (re-read from the
        database at most once a second). ``data_version`` alone is what citations name."""
        now = time.monotonic()
        if now - self._checked > CHECK_EVERY and not (self.pinned and self._version):
            # the data version is read again only after a commit (a few ms with thousands of lists, in the
            # event loop); on SQLite the marker says whether anyone committed since the last look
            marker = self.db.commit_marker()
            if marker is None or marker != self._marker or not self._data_version:
                with self.db.read() as conn:
                    self._data_version = data_version(conn)
                self._marker = marker
            fresh = hashlib.sha256(freshness_key(self.db).encode()).hexdigest()[:4]
            version = f"{self._data_version}-{fresh}"
            self._checked = now
            if version != self._version:
                with self._lock:
                    self._cache.clear()
                    self._data.clear()
                    self._version = version
        return self._version

    @property
    def data_version(self) -> str:
        """The data version alone (what citations and the bulk files' folder name), current as ``version``."""
        return self.version and self._data_version

    def _store(self, key: tuple) -> tuple[OrderedDict, int]:
        return (self._cache, CACHE_ENTRIES) if key and key[0] == "bytes" else (self._data, DATA_ENTRIES)

    def peek(self, key: tuple) -> Any:
        """A cached answer for this version, or None."""
        full = (self.version, *key)
        store, _ = self._store(key)
        with self._lock:
            value = store.get(full)
            if value is not None:
                store.move_to_end(full)
            return value

    def put(self, key: tuple, value: Any) -> Any:
        store, limit = self._store(key)
        with self._lock:
            store[(self._version, *key)] = value
            while len(store) > limit:
                store.popitem(last=False)
        return value

    def cached(self, key: tuple, compute: Callable[[Connection], Any]) -> Any:
        """The answer for ``key`` in this data version, computed with a read connection when missing: by one
        thread at a time, the others asking for the same key wait for its answer instead of computing it too
        (32 requests arriving together at a cold server compute the funding model once, not 32 times)."""
        value = self.peek(key)
        if value is not None:
            return value
        gate_key = (self.version, *key)
        with self._lock:
            gate = self._computing.setdefault(gate_key, threading.RLock())
        try:
            with gate:
                value = self.peek(key)
                if value is None:
                    with self.db.read() as conn:
                        value = compute(conn)
                    self.put(key, value)
        finally:
            with self._lock:
                if self._computing.get(gate_key) is gate:
                    del self._computing[gate_key]
        return value

    def made(self, key: str) -> Any:
        """The answer ``key`` made for this data version when the data changed (``web.precomputed``), or None
        when it was not made."""
        version = self.data_version
        found = self.peek(("made",))
        if found is None:
            path = downloads.extra_path(self.exports, version, ANSWERS)
            try:
                found = json.loads(path.read_bytes()) if path is not None else {}
            except (OSError, ValueError):
                found = {}
            if found.get("version") != version:
                found = {}
            self.put(("made",), found)
        return found.get(key)

    def after_fork(self) -> None:
        """In a process forked from the one that opened the database: open connections of its own (the parent's,
        inherited, are left to the parent), keeping every cached answer."""
        self.db.after_fork()

    def close(self) -> None:
        self.db.dispose()
