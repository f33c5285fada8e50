"""What the stored history was built from, and what readers are told about it.

The history is built from the publications stored when it was last refreshed; new lists can be stored before
it is refreshed (a killed ``ingest``, a QA failure). The ``history_state`` row records a digest of the
publications it covers, so that the next command that writes notices the history is behind and finishes
the job; ``publication.seq`` is set for exactly the publications in the history (readers pick lists among
those: ``in_history``); ``publication_hold`` names the lists held out of it and why.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import ColumnElement, Connection, delete, insert, inspect, select, update

from track287g.archive import now_utc
from track287g.config import ALIASES, MISPRINTS, RULES, package_digest
from track287g.errors import QueryError
from track287g.history.reads import has_history
from track287g.store.db import is_stale
from track287g.store.schema import history_state, publication, publication_hold, publication_name
from track287g.store.sql import tuples

KEY = "history"


def in_history() -> ColumnElement[bool]:
    """The publications the stored history covers (a WHERE clause on ``publication``)."""
    return publication.c.seq.is_not(None)


def archive_digest(conn: Connection) -> tuple[str, int]:
    """A digest of the stored publications (their sha256s, sorted) and how many there are."""
    shas = sorted(sha for (sha,) in tuples(conn, "SELECT sha256 FROM publication"))  # thousands: through the driver
    return hashlib.sha256("\n".join(shas).encode()).hexdigest(), len(shas)


def rules_digest() -> str:
    """A digest of the tables people edit that decide the history (rules, aliases, misprints)."""
    h = hashlib.sha256()
    for path in (RULES, ALIASES, MISPRINTS):
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"missing " + str(path).encode())
    return h.hexdigest()


def _has_state(conn: Connection) -> bool:
    """False on a database made before the history's state was recorded (until a command writes to it)."""
    return inspect(conn).has_table(history_state.name)


def _row(conn: Connection):
    if not _has_state(conn):
        return None
    c = history_state.c  # named: a database written by an earlier version may lack the later columns
    wanted = select(c.archive_digest, c.rules_digest, c.held, c.built_at, c.failed_digest, c.failure)
    return conn.execute(wanted.where(c.key == KEY)).first()


def built_here(conn: Connection) -> bool:
    """Whether the stored history was written by this code with these rules, aliases and misprints: then the
    tables it left agree with what this code would write from them, and what no add changes can be kept."""
    if not _has_state(conn) or is_stale(inspect(conn), history_state):
        return False
    c = history_state.c
    row = conn.execute(select(c.code_digest, c.rules_digest).where(c.key == KEY)).first()
    return row is not None and row.code_digest == package_digest() and row.rules_digest == rules_digest()


def needs_refresh(conn: Connection) -> str | None:
    """Why the stored history must be rebuilt before anything else is written (None: it is current).

    Stored publications it does not cover, or lists it holds when the rules, aliases or misprints have changed since;
    but not an attempt that already failed on the same publications and rules (it would fail again)."""
    digest, count = archive_digest(conn)
    row = _row(conn)
    rules = rules_digest()
    if row is not None and row.failed_digest == _attempt(digest, rules):
        return None
    if row is None or row.archive_digest is None:
        return f"no history built from the {count} stored publications yet" if count else None
    if row.archive_digest != digest:
        return "stored publications are newer than the history"
    if row.held and row.rules_digest != rules:
        return "the rules, aliases or misprints changed since publications were held"
    return None


def _attempt(archive: str, rules: str) -> str:
    return hashlib.sha256(f"{archive}:{rules}".encode()).hexdigest()


def record_built(conn: Connection, digest: str, covered: int, holds: dict[str, dict]) -> None:
    """Record a history just written (in its transaction): what it covers, and the lists it holds."""
    now = now_utc()
    conn.execute(delete(publication_hold))
    if holds:
        conn.execute(
            insert(publication_hold),
            [
                {
                    "sha256": sha,
                    "invariant": h["invariant"],
                    "reason": h["reason"],
                    "rows": json.dumps(h["rows"]),
                    "held_at": now,
                }
                for sha, h in sorted(holds.items())
            ],
        )
    if is_stale(inspect(conn), history_state):  # written by a version without a later column: made again
        history_state.drop(conn)
        history_state.create(conn)
    conn.execute(delete(history_state))
    conn.execute(
        insert(history_state).values(
            key=KEY,
            archive_digest=digest,
            rules_digest=rules_digest(),
            code_digest=package_digest(),
            publications=covered,
            held=len(holds),
            built_at=now,
        )
    )


def record_failure(conn: Connection, message: str) -> None:
    """Record a refresh that failed (in a transaction of its own: the history it meant to replace stays).

    The stored lists the history does not cover are marked held with the reason, so that ``publications``
    and the site show them as such."""
    digest, _ = archive_digest(conn)
    now = now_utc()
    values = {"failed_digest": _attempt(digest, rules_digest()), "failed_at": now, "failure": message[:2000]}
    if _row(conn) is None:
        conn.execute(insert(history_state).values(key=KEY, publications=0, held=0, **values))
    else:
        conn.execute(update(history_state).where(history_state.c.key == KEY).values(**values))
    held = set(conn.execute(select(publication_hold.c.sha256)).scalars())
    outside = [
        sha
        for sha in conn.execute(select(publication.c.sha256).where(publication.c.seq.is_(None))).scalars()
        if sha not in held
    ]
    if outside:
        conn.execute(
            insert(publication_hold),
            [
                {"sha256": sha, "invariant": "qa-failed", "reason": message[:2000], "rows": "[]", "held_at": now}
                for sha in outside
            ],
        )


@dataclass
class Status:
    """What a reader is told about the history: is there one, which lists it leaves out, and why."""

    state: str  # current | behind | failed | missing
    publications: int = 0  # publications in the history
    built_at: str | None = None
    held: list[dict] = field(default_factory=list)  # {sha256, kind, label, names, invariant, reason, rows}
    waiting: int = 0  # stored, not in the history, not held (a refresh is due)
    failure: str | None = None

    @property
    def missing(self) -> bool:
        return self.state == "missing"

    def as_json(self) -> dict:
        return asdict(self)

    def explain(self) -> str:
        """One line for a reader: why there is no history, or what it leaves out."""
        parts = []
        if self.missing:
            parts.append("no history has been built from the stored lists")
        if self.failure:
            parts.append(f"the last rebuild failed: {self.failure}")
        if self.held:
            shown = "; ".join(f"{h['kind']} list {h['label']}: {h['reason']}" for h in self.held[:3])
            more = f" (+{len(self.held) - 3} more)" if len(self.held) > 3 else ""
            lists = f"{len(self.held)} list{'s' if len(self.held) != 1 else ''}"
            parts.append(f"{lists} held out of the history ({shown}{more})")
        if self.waiting:
            parts.append(f"{self.waiting} stored list{'s' if self.waiting != 1 else ''} not yet in the history")
        return "; ".join(parts)


def status(conn: Connection) -> Status:
    row = _row(conn)
    covered = conn.execute(select(publication.c.sha256).where(in_history())).scalars().all()
    holds = {h.sha256: h for h in conn.execute(select(publication_hold))} if _has_state(conn) else {}
    pubs = {p.sha256: p for p in conn.execute(select(publication.c.sha256, publication.c.kind, publication.c.published,
                                                      publication.c.part, publication.c.seq))}  # fmt: skip
    names: dict[str, list[str]] = {}
    for sha, name in conn.execute(select(publication_name.c.sha256, publication_name.c.name)):
        names.setdefault(sha, []).append(name)
    held = [
        {
            "sha256": sha,
            "kind": pubs[sha].kind,
            "label": f"{pubs[sha].published} {pubs[sha].part}".strip(),
            "names": sorted(names.get(sha, [])),
            "invariant": h.invariant,
            "reason": h.reason,
            "rows": json.loads(h.rows),
        }
        for sha, h in sorted(holds.items(), key=lambda kv: (pubs[kv[0]].published, kv[0]) if kv[0] in pubs else ("",))
        if sha in pubs
    ]
    waiting = sum(1 for sha, p in pubs.items() if p.seq is None and sha not in holds)
    failure = row.failure if row is not None and row.failed_digest else None
    if not covered:
        state = "missing"
    elif failure:
        state = "failed"
    elif waiting:
        state = "behind"
    else:
        state = "current"
    return Status(
        state,
        len(covered),
        row.built_at if row is not None else None,
        held,
        waiting,
        failure,
    )


def in_summary(conn: Connection) -> dict:
    """The history's part of a database summary: its state, how many lists it covers, held, and a note."""
    s = status(conn)
    return {"state": s.state, "publications": s.publications, "held": len(s.held), "note": s.explain() or None}


def with_history(conn: Connection, pubs: list[dict]) -> list[dict]:
    """Publications (``archive.catalog.list_publications``) with where each stands in the history: ``history`` is
    in (part of it), held (left out until the rules or aliases resolve it; ``held_reason``, ``held_rows``) or
    waiting (stored after the history was last built; the next command that writes adds it)."""
    held = {h["sha256"]: h for h in status(conn).held}
    for p in pubs:
        hold = held.get(p["sha256"])
        p["history"] = "in" if p["seq"] is not None else ("held" if hold else "waiting")
        p["held_reason"] = hold["reason"] if hold else None
        p["held_rows"] = hold["rows"] if hold else []
    return pubs


def no_history_message(conn: Connection, kind: str = "participating") -> str:
    """Why there is no list of a kind to answer from: none stored, or the history missing or held."""
    stored = conn.execute(select(publication.c.sha256).where(publication.c.kind == kind).limit(1)).first()
    if stored is None:
        return f"the database holds no {kind} list (run `track287g build` or `track287g ingest` first)"
    s = status(conn)
    return f"no history to answer from: {s.explain() or 'no ' + kind + ' list is in the history'}"


def require_history(conn: Connection) -> None:
    """Raise QueryError saying why when no list is in the history (an empty answer would read as "nothing")."""
    if not has_history(conn):
        raise QueryError(no_history_message(conn, "participating"))
