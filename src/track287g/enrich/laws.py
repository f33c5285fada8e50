"""State laws on 287(g): the table ``data/laws/state-laws.csv``, checked on load, written to ``state_law``.

One row per researched state: its stance (mandate, encourage, restrict, ban, none-found), the instrument, the
year and effective date, a summary (and its Spanish translation), the source read and a confidence (verified,
source-says, unverified). An unknown stance or confidence, a bad year or date, a missing source or summary, an
unknown or repeated state is an ``InputError`` naming the file and the line: the build stops rather than publish
a wrong row.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, delete, inspect, select

from track287g.config import PACKAGE_DATA
from track287g.enrich.facts import state_law_of
from track287g.enrich.reference import InputError, read_rows
from track287g.normalize import tables
from track287g.store.db import bulk_insert, is_stale
from track287g.store.schema import state_law

STATE_LAWS = PACKAGE_DATA / "laws" / "state-laws.csv"
STANCES = ("mandate", "encourage", "restrict", "ban", "none-found")
CONFIDENCES = ("verified", "source-says", "unverified")
COLUMNS = ("state", "stance", "instrument", "year", "effective_date", "summary", "source_url", "confidence")


@dataclass(frozen=True)
class StateLaw:
    state: str
    stance: str
    instrument: str
    year: int | None
    effective_date: str | None
    summary: str
    summary_es: str | None  # the summary in Spanish (a translation; None: shown in English)
    source_url: str
    confidence: str
    line: int


def _choice(value: str, allowed: tuple[str, ...], path: Path, line: int, column: str) -> str:
    if value not in allowed:
        raise InputError(f"{path}: line {line}: {column} is {value!r}; use one of {', '.join(allowed)}")
    return value


def _year(value: str, path: Path, line: int) -> int | None:
    if not value:
        return None
    if not (value.isdigit() and len(value) == 4 and 1900 <= int(value) <= 2100):
        raise InputError(f"{path}: line {line}: year is {value!r}, not a year like 2025")
    return int(value)


def _date(value: str, path: Path, line: int) -> str | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{path}: line {line}: effective_date is {value!r}, not a date (YYYY-MM-DD)") from None
    if len(value) != 10:
        raise InputError(f"{path}: line {line}: effective_date is {value!r}; write it as YYYY-MM-DD")
    return day.isoformat()


def load_state_laws(path: Path = STATE_LAWS) -> list[StateLaw]:
    """Read and check the state-law table; every problem is an ``InputError`` naming the file and the line."""
    known = tables.states()
    seen: dict[str, int] = {}
    laws = []
    for line, row in read_rows(path, COLUMNS):
        code = row["state"].upper()
        if code not in known:
            raise InputError(f"{path}: line {line}: state is {row['state']!r}, not a USPS state code")
        if code in seen:
            raise InputError(f"{path}: line {line}: {code} already has a row (line {seen[code]})")
        seen[code] = line
        source = row["source_url"]
        if not source:
            raise InputError(f"{path}: line {line}: source_url is missing; every row must name its source")
        if not source.startswith(("https://", "http://")):
            raise InputError(f"{path}: line {line}: source_url is {source!r}, not an http(s) address")
        if not row["summary"]:
            raise InputError(f"{path}: line {line}: summary is missing")
        laws.append(
            StateLaw(
                state=code,
                stance=_choice(row["stance"], STANCES, path, line, "stance"),
                instrument=row["instrument"],
                year=_year(row["year"], path, line),
                effective_date=_date(row["effective_date"], path, line),
                summary=row["summary"],
                summary_es=row.get("summary_es") or None,
                source_url=source,
                confidence=_choice(row["confidence"], CONFIDENCES, path, line, "confidence"),
                line=line,
            )
        )
    return laws


def write_state_laws(conn: Connection, path: Path = STATE_LAWS) -> int:
    """Replace the ``state_law`` table with the checked file (in the caller's transaction); rows written."""
    laws = load_state_laws(path)
    if is_stale(inspect(conn), state_law):  # a database built before the table or one of its columns existed
        state_law.drop(conn, checkfirst=True)
        state_law.create(conn)
    conn.execute(delete(state_law))
    bulk_insert(conn, state_law, [astuple(law)[:-1] for law in laws])
    return len(laws)


def laws_loaded(conn: Connection) -> bool:
    """Whether this database holds the state-law table with rows (built since it existed)."""
    return inspect(conn).has_table("state_law") and conn.execute(select(state_law.c.state).limit(1)).first() is not None


def state_laws(conn: Connection, stance: str | None = None) -> list[dict]:
    """The ``state_law`` rows (all, or one stance), by state; each with ``unverified`` set when so marked."""
    query = select(state_law).order_by(state_law.c.state)
    if stance:
        query = query.where(state_law.c.stance == stance)
    return [dict(r._mapping) | {"unverified": r.confidence == "unverified"} for r in conn.execute(query)]


def state_law_row(conn: Connection, code: str) -> dict | None:
    """One state's row, or None when the state was not researched."""
    return state_law_of(conn, code)


def law_then(law: dict | None, on: str | None) -> dict | None:
    """What a page as of ``on`` (YYYY-MM-DD) must say of a state's law the table dates later: ``not-in-effect``
    with its ``effective_date``, or, without one, ``dated-later`` with its ``year`` (the year only: a law of the
    year asked is not said to be later). None for no date asked, a law in force by then, or no law found."""
    if not law or not on or law["stance"] == "none-found":
        return None
    if law.get("effective_date"):
        return (
            {"status": "not-in-effect", "on": on, "effective_date": law["effective_date"]}
            if on < law["effective_date"]
            else None
        )
    if law.get("year") and int(on[:4]) < law["year"]:
        return {"status": "dated-later", "on": on, "year": law["year"]}
    return None
