"""One watcher per database: a lock row with an expiry, taken by insert and refreshed while the run goes on.

Taking the lock is one INSERT (two watchers racing: the database lets one in); a lock whose holder died
expires and is taken over by a compare-and-swap UPDATE. Works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from track287g.errors import Unavailable
from track287g.store import Database
from track287g.store.schema import watch_lock

DEFAULT_TTL = 900.0  # seconds a lock outlives its last refresh


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


class LockHeld(Unavailable):
    """Another watcher holds the lock (exit code 3)."""

    exit_code = 3

    def __init__(self, holder: str, acquired_at: str, expires_at: str):
        super().__init__(
            f"another watcher ({holder}) has been running on this database since {acquired_at}; "
            f"its lock expires at {expires_at} if it stops refreshing it. Not running twice."
        )
        self.holder = holder


class LockLost(Exception):
    """Our lock expired and another watcher took it."""


class Lock:
    """A held lock; ``refresh`` pushes its expiry on, ``release`` gives it up."""

    def __init__(self, db: Database, name: str, holder: str, ttl: float):
        self.db, self.name, self.holder, self.ttl = db, name, holder, ttl

    def refresh(self) -> None:
        expires = _stamp(datetime.now(UTC) + timedelta(seconds=self.ttl))
        with self.db.begin() as conn:
            done = conn.execute(
                update(watch_lock)
                .where(watch_lock.c.name == self.name, watch_lock.c.holder == self.holder)
                .values(expires_at=expires)
            ).rowcount
        if done != 1:
            raise LockLost(f"the watch lock expired and was taken by another watcher (ours: {self.holder})")

    def release(self) -> None:
        with self.db.begin() as conn:
            conn.execute(delete(watch_lock).where(watch_lock.c.name == self.name, watch_lock.c.holder == self.holder))

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder_id() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()}, {uuid.uuid4().hex[:8]}"


def _try(db: Database, name: str, holder: str, ttl: float) -> tuple[bool, tuple | None]:
    now = datetime.now(UTC)
    values = {"holder": holder, "acquired_at": _stamp(now), "expires_at": _stamp(now + timedelta(seconds=ttl))}
    try:
        with db.begin() as conn:
            conn.execute(watch_lock.insert().values(name=name, **values))
        return True, None
    except IntegrityError:
        pass
    with db.begin() as conn:
        row = conn.execute(select(watch_lock).where(watch_lock.c.name == name)).first()
        if row is None:
            return False, None  # released in between: try again at once
        if row.expires_at > _stamp(now):
            return False, (row.holder, row.acquired_at, row.expires_at)
        taken = conn.execute(
            update(watch_lock)
            .where(
                watch_lock.c.name == name,
                watch_lock.c.holder == row.holder,
                watch_lock.c.expires_at == row.expires_at,
            )
            .values(**values)
        ).rowcount
    return taken == 1, None


def acquire(
    db: Database, name: str = "watch", *, ttl: float = DEFAULT_TTL, wait: float = 0.0, poll: float = 1.0
) -> Lock:
    """Take the lock, waiting up to ``wait`` seconds for a running watcher to finish; else ``LockHeld``."""
    holder = holder_id()
    give_up = time.monotonic() + wait
    while True:
        ok, held = _try(db, name, holder, ttl)
        if ok:
            return Lock(db, name, holder, ttl)
        if held is not None and time.monotonic() >= give_up:
            raise LockHeld(*held)
        if held is not None:
            time.sleep(min(poll, max(give_up - time.monotonic(), 0.05)))
