"""One writer at a time per database: a lock the operating system or the server drops when its holder dies.

- SQLite: ``flock`` on a lock file beside the database (``track287g.db.lock``), which also names the holder.
- PostgreSQL: a session advisory lock (``pg_advisory_lock``) on a connection held for as long as the lock;
  the holder is named by that connection's ``application_name``.

Either way a writer killed with SIGKILL loses the lock at once (the kernel closes its file, the server its
session): no expiry to wait for, no stale lock to clear by hand. The lock is re-entrant within one thread
(a command that writes in several steps takes it once) and excludes other threads of the same process.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text

from track287g.errors import Track287gError, Unavailable

POLL_SECONDS = 0.25
# the two int4 keys of the advisory lock: "t287" and "w" (writer); PostgreSQL scopes them to one database
PG_KEYS = (0x74323837, 0x77)


class LockHeld(Unavailable):
    """Another track287g process is writing to this database (``--no-wait``, or the wait ran out)."""

    exit_code = 3

    def __init__(self, location: str, holder: str | None, waited: float | None = None):
        self.holder = holder
        end = f"gave up after waiting {waited:g} s" if waited else "not waiting (--no-wait)"
        super().__init__(f"another track287g ({holder or 'holder unknown'}) is writing to {location}; {end}")


def describe_holder(command: str) -> str:
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{command}, pid {os.getpid()} on {socket.gethostname()}, since {since}"


class _Backend:
    """How one kind of database takes and drops the lock (``try_take`` never blocks)."""

    def try_take(self, holder: str) -> bool:
        raise NotImplementedError

    def release(self) -> None:
        raise NotImplementedError

    def holder(self) -> str | None:
        raise NotImplementedError


class _FileLock(_Backend):
    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def try_take(self, holder: str) -> bool:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, holder.encode("utf-8") + b"\n")
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing the file drops the flock
            self.fd = None

    def holder(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8").strip() or None
        except OSError:
            return None


class _AdvisoryLock(_Backend):
    def __init__(self, engine: Engine):
        self.engine = engine
        self.conn: Connection | None = None

    def try_take(self, holder: str) -> bool:
        conn = self.engine.connect()
        conn.execute(text("SELECT set_config('application_name', :n, false)"), {"n": ("track287g " + holder)[:63]})
        got = conn.execute(text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": PG_KEYS[0], "b": PG_KEYS[1]}).scalar()
        conn.commit()  # the session lock outlives the transaction; no transaction stays open
        if not got:
            conn.close()
            return False
        self.conn = conn
        return True

    def release(self) -> None:
        if self.conn is not None:
            try:
                self.conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"), {"a": PG_KEYS[0], "b": PG_KEYS[1]})
                self.conn.commit()
            finally:
                self.conn.invalidate()  # never hand a session that held the lock back to the pool
                self.conn.close()
                self.conn = None

    def holder(self) -> str | None:
        with self.engine.connect() as conn:
            name = conn.execute(
                text(
                    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :a AND l.objid = :b "
                    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"a": PG_KEYS[0], "b": PG_KEYS[1]},
            ).scalar()
        return name.removeprefix("track287g ") if name else None


class _NoLock(_Backend):
    """An in-memory SQLite database: only this process can write to it (the thread lock is enough)."""

    def try_take(self, holder: str) -> bool:
        return True

    def release(self) -> None:
        pass

    def holder(self) -> str | None:
        return None


class _Slot:
    """The lock of one database within this process: a thread lock, a count, and the backend's hold."""

    def __init__(self) -> None:
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.backend: _Backend | None = None


_slots: dict[str, _Slot] = {}
_slots_guard = threading.Lock()


def _close_in_child() -> None:
    """In a forked child (a worker process): drop the inherited handles of held locks without releasing
    them, so that the lock lives and dies with the process that took it, never with its workers."""
    for slot in _slots.values():
        backend = slot.backend
        try:
            if isinstance(backend, _FileLock) and backend.fd is not None:
                os.close(backend.fd)
            elif isinstance(backend, _AdvisoryLock) and backend.conn is not None:
                raw: Any = backend.conn.connection.dbapi_connection  # psycopg's connection has fileno()
                os.close(raw.fileno())
        except (OSError, AttributeError, ValueError):
            pass
        slot.backend, slot.depth = None, 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def _slot(key: str) -> _Slot:
    with _slots_guard:
        return _slots.setdefault(key, _Slot())


def lock_key(engine: Engine) -> str:
    """What identifies a database for locking: the SQLite file's real path, or the server and database."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return f"sqlite:{Path(url.database).resolve()}" if url.database not in (None, "", ":memory:") else "memory"
    return url.render_as_string(hide_password=True)


def _backend(engine: Engine) -> _Backend:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            return _NoLock()
        db_file = Path(url.database).resolve()
        return _FileLock(db_file.with_name(db_file.name + ".lock"))
    if url.get_backend_name() == "postgresql":
        return _AdvisoryLock(engine)
    raise Track287gError(f"no writer lock for {url.get_backend_name()} databases (SQLite and PostgreSQL only)")


@contextmanager
def writer_lock(
    engine: Engine,
    location: str,
    command: str,
    *,
    wait: bool = True,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the database's writer lock for the block. Waits for another writer unless ``wait`` is False
    (then ``LockHeld`` at once), at most ``timeout`` seconds when given; ``on_wait`` is called once with a
    one-line message when it has to wait."""
    slot = _slot(lock_key(engine))
    give_up = None if timeout is None else time.monotonic() + timeout
    told = False
    if not slot.thread_lock.acquire(blocking=False):  # another thread of this process is writing
        if not wait:
            raise LockHeld(location, "another thread of this process")
        if on_wait:
            on_wait(f"another track287g task of this process is writing to {location}; waiting")
            told = True
        if not slot.thread_lock.acquire(timeout=-1 if give_up is None else max(give_up - time.monotonic(), 0)):
            raise LockHeld(location, "another thread of this process", timeout)
    try:
        if slot.depth == 0:
            backend = _backend(engine)
            holder = describe_holder(command)
            while not backend.try_take(holder):
                if not wait or (give_up is not None and time.monotonic() >= give_up):
                    raise LockHeld(location, backend.holder(), timeout if wait else None)
                if on_wait and not told:
                    on_wait(
                        f"another track287g ({backend.holder() or 'holder unknown'}) is writing to {location}; "
                        "waiting (--no-wait to stop instead)"
                    )
                    told = True
                time.sleep(POLL_SECONDS)
            slot.backend = backend
        slot.depth += 1
        try:
            yield
        finally:
            slot.depth -= 1
            if slot.depth == 0 and slot.backend is not None:
                backend, slot.backend = slot.backend, None
                backend.release()
    finally:
        slot.thread_lock.release()


def held_here(engine: Engine) -> bool:
    """Whether this thread holds the database's writer lock."""
    slot = _slot(lock_key(engine))
    if not slot.thread_lock.acquire(blocking=False):
        return False
    try:
        return slot.depth > 0
    finally:
        slot.thread_lock.release()
