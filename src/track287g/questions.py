"""Every question the record answers, asked one way. The command line (``cli/``) prints these answers and the
Python API (``api.py``) returns them as DataFrames: both are thin faces of the functions here, which check what is
asked (``checks``: state codes, dates, choices) before any stage runs, so the two cannot drift.

Each function takes an open read connection first; the answers are plain JSON-ready data.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from track287g import checks
from track287g.errors import InvalidArgument, QueryError
from track287g.history import reads
from track287g.store.sql import NeedsEngine, is_plain, needs_engine

if TYPE_CHECKING:
    from sqlalchemy import Connection

# The stages each answer needs are imported where it is asked: the quick commands (as-of, agency, changes) load
# only the plain-SQL reads of the history (``history.reads``), and no SQLAlchemy on a SQLite file.

# --- the archive ----------------------------------------------------------------------------------------


def summary(conn: Connection) -> dict:
    """What the database holds: files, publications by kind, the latest lists, the history's size."""
    from track287g.archive.summary import summarize
    from track287g.history import state as history_state

    return summarize(conn) | {"history": history_state.in_summary(conn)}


def publications(conn: Connection, kind: str | None = None) -> list[dict]:
    """Every publication, oldest first, optionally of one kind (participating or pending)."""
    from track287g.archive import catalog
    from track287g.history import queries
    from track287g.history import state as history_state

    pubs = catalog.list_publications(conn, checks.choice(kind, checks.KINDS, "--kind"))
    models = queries.printed_models(conn)
    out = []
    for p in pubs:
        item: dict = {}
        for key, value in p.items():
            item[key] = value
            if key == "rows":  # each list's rows per model, beside its rows
                item["models"] = models.get(p["sha256"], {})
        out.append(item)
    return history_state.with_history(conn, out)


def quarantine(conn: Connection) -> list[dict]:
    """The files rejected, with the reason."""
    from track287g.archive import catalog

    return catalog.list_quarantine(conn)


# --- the history ----------------------------------------------------------------------------------------


# The quick questions (as-of, agency, changes) also take the command line's plain sqlite3 connection
# (``store.sql``): what plain SQL cannot answer raises ``NeedsEngine`` there, and the command asks again.


def as_of(conn: Connection, on: str, state: str | None = None, *, items: bool = True) -> dict:
    """Agreements active on a date by ICE's latest list on or before it, and the pending list then
    (``items=False``: the counts, without every agreement, where the history's counts answer)."""
    day, code = checks.day(on), checks.state(state)
    if is_plain(conn):
        answer = reads.as_of(conn, day, code, items=items)
        if answer is None:  # before the record, or no history: the whole program answers or says why
            raise NeedsEngine("a date the history holds no list for")
        return answer
    from track287g.history import queries

    return queries.as_of(conn, day, code, items=items)


def old_lists(conn: Connection) -> dict:
    """The old lists of 2007-2020 (derived): agencies in each, how many resolved to today's agencies and by which
    rules, the merges made, and the task-force record (2009 against ICE's first list of 2021)."""
    from track287g.analyze.old_record import tfm_record
    from track287g.history import old_queries
    from track287g.history import state as history_state

    history_state.require_history(conn)
    return old_queries.summary(conn) | {"task_force": tfm_record(conn)}


def agency(conn: Connection, name: str, state: str | None = None, as_of: str | None = None) -> dict:
    """One agency (any spelling ICE printed, or its id): agreements, spellings, applications, events, the
    roster facts (ORI, officers, population served) when the enrich stage has run, and its state's law on
    287(g) (``law``: None when the state was not researched). ``as_of`` (a date): ``as_of`` says what ICE's
    lists in force that day printed of it (``reads.agency_on``)."""
    code = checks.state(state)
    day = checks.day(as_of) if as_of else None
    _require_history(conn)  # "no agency named" would be wrong when there is no history
    agency_id = reads.find_agency(conn, name, code)
    view = reads.agency_view(conn, agency_id)
    if day is not None:
        then = reads.agency_on(conn, view, day)
        if then is None:
            first = reads.first_published(conn, "participating")
            raise QueryError(
                f"no participating list in the history was published on or before {day} (its lists start {first}; "
                f"`track287g as-of {day}` answers from an old list where one stood)"
            )
        view["as_of"] = then
    return view | _enriched(conn, agency_id, view["state"])


def _require_history(conn: Connection) -> None:
    """Raise QueryError saying why when no list is in the history (on the quick path: ``NeedsEngine``)."""
    if not reads.has_history(conn):
        needs_engine(conn)
        from track287g.history import state as history_state

        history_state.require_history(conn)


def _enriched(conn: Connection, agency_id: str, state: str) -> dict:
    """The enrich stage's facts about an agency and its state's law (none when that stage is not installed)."""
    try:
        from track287g.enrich.facts import agency_facts, state_law_of
    except ImportError:
        return {}
    return (agency_facts(conn, agency_id) or {}) | {"law": state_law_of(conn, state)}


def changes(
    conn: Connection,
    since: str | None = None,
    state: str | None = None,
    agency: str | None = None,
    kind: str | None = None,
) -> list[dict]:
    """Events, newest publication first across both lists; ``agency`` (any spelling, an id or a former id) gives
    that agency's whole history, in the order it happened."""
    code, day, chosen = checks.state(state), checks.optional_day(since), checks.choice(kind, checks.KINDS, "--kind")
    _require_history(conn)  # never "0 changes" from a history that is missing
    agency_id = reads.find_agency(conn, agency, code) if agency else None
    return reads.changes(conn, since=day, state=None if agency_id else code, agency_id=agency_id, kind=chosen)


def revisions(conn: Connection, state: str | None = None, agency: str | None = None) -> list[dict]:
    """What rebuilds changed in the changes reported for lists already in the record (withdrawn, added), newest
    first; ``agency``: any spelling, an id or a former id."""
    needs_engine(conn)
    from track287g.history import queries

    code = checks.state(state)
    agency_id = reads.find_agency(conn, agency, code) if agency else None
    return queries.revisions(conn, state=None if agency_id else code, agency_id=agency_id)


def audit(conn: Connection, kind: str | None = None, state: str | None = None) -> list[dict]:
    """Every removal and withdrawal, newest first, with the rows that could have continued it, ranked, each with
    its decision and reason."""
    from track287g.history import queries

    return queries.continuations(
        conn, kind=checks.choice(kind, ("removal", "withdrawal"), "--kind"), state=checks.state(state)
    )


def diff(conn: Connection, pub_a: str, pub_b: str, kind: str | None = None) -> dict:
    """What changed between any two publications of one kind."""
    from track287g.history import queries

    return queries.diff(conn, pub_a, pub_b, checks.choice(kind, checks.KINDS, "--kind"))


def merges(conn: Connection, candidates: bool = False) -> list[dict]:
    """How spellings were merged into agencies (rule, evidence), or the merges the rules declined."""
    from track287g.store.schema import agency_spelling, merge_candidate

    if candidates:
        query = merge_candidate.select().order_by(merge_candidate.c.state, merge_candidate.c.spelling)
    else:
        query = agency_spelling.select().where(agency_spelling.c.rule != "lead").order_by(agency_spelling.c.agency_id)
    found = [dict(r._mapping) for r in conn.execute(query)]
    for r in found:  # a merge's evidence as a message (JSON in the table), beside its English
        if "evidence_message" in r:
            r["evidence_message"] = reads.stored_message(r["evidence_message"])
    return found


# --- statistics and claims ------------------------------------------------------------------------------


def _top(result: dict, top: int | None) -> dict:
    if top:
        result["groups"] = result["groups"][:top]
    return result


def stats_counts(
    conn: Connection, on: str | None = None, by: str | None = None, state: str | None = None, top: int | None = None
) -> dict:
    """Agencies and agreements active on a date (default: the latest list), in total and per group of ``by``."""
    from track287g.analyze import stats

    by = checks.choice(by, stats.GROUPINGS, "--by")
    return _top(stats.counts(conn, checks.optional_day(on), by, checks.state(state)), top)


def top_states(conn: Connection, on: str | None = None, n: int | None = 10, unit: str = "agreements") -> dict:
    """States ranked by agreements (or agencies) on a date; ties share a rank."""
    from track287g.analyze import stats

    return stats.top_states(conn, checks.optional_day(on), n, checks.choice(unit, stats.UNITS, "unit") or unit)


def growth(
    conn: Connection,
    start: str,
    end: str | None = None,
    by: str | None = None,
    state: str | None = None,
    top: int | None = None,
) -> dict:
    """Growth in agencies and agreements between two dates, absolute and percent."""
    from track287g.analyze import stats

    by = checks.choice(by, stats.GROUPINGS, "--by")
    first, last = checks.day(start).isoformat(), checks.optional_day(end)
    _in_order(first, last)
    result = stats.growth(conn, first, last, by, checks.state(state))
    return _top(result, top)


def timeseries(
    conn: Connection,
    every: str = "publication",
    by: str | None = None,
    since: str | None = None,
    until: str | None = None,
    html_era: bool = True,
) -> list[dict]:
    """Active agencies and agreements per publication, week or month."""
    from track287g.analyze import stats

    every = checks.choice(every, stats.EVERY, "--every") or "publication"
    by = checks.choice(by, stats.GROUPINGS, "--by")
    first, last = _in_order(checks.optional_day(since), checks.optional_day(until))
    return stats.timeseries(conn, every, by, first, last, html_era)


def signings(
    conn: Connection, every: str = "week", by: str | None = None, since: str | None = None, until: str | None = None
) -> dict:
    """New agreements per week, month or year by signing date."""
    from track287g.analyze import stats

    every = checks.choice(every, stats.SIGNING_EVERY, "--every") or "week"
    by = checks.choice(by, stats.GROUPINGS, "--by")
    first, last = _in_order(checks.optional_day(since), checks.optional_day(until))
    return stats.signings(conn, every, by, first, last)


def _in_order(first: str | None, last: str | None) -> tuple[str | None, str | None]:
    """A period's two dates, refused the wrong way round (a growth read backwards flips every sign; a series
    from a later date to an earlier one has no rows, which would read as "none")."""
    if first is not None and last is not None and first > last:
        raise InvalidArgument(f"the start date {first} is after the end date {last}: give the earlier date first")
    return first, last


def check_claims(conn: Connection, path: str | Path) -> list[dict]:
    """Check a claims file or folder: one result per figure and unit."""
    from track287g.analyze import claims

    return claims.check_path(conn, path)


def chart(
    conn: Connection, name: str, out: str | Path | None = None, since: str | None = None, on: str | None = None
) -> Any:
    """The Altair chart ``name``, or, given ``out`` (.svg, .png, .json), the path it was written to."""
    from track287g.analyze import charts

    if out is not None:
        return charts.write_chart(conn, name, out, since=checks.optional_day(since), on=checks.optional_day(on))
    return charts.chart(conn, name, since=checks.optional_day(since), on=checks.optional_day(on))


def export(conn: Connection, fmt: str, out: str | Path = "export", tables: list[str] | None = None) -> list[Path]:
    """Write tables and a datapackage.json; the paths written."""
    from track287g.publish import export as exports

    return exports.export(conn, fmt, out, tables)


# --- enrich: rosters, coverage, maps --------------------------------------------------------------------


def coverage(conn: Connection, as_of: str | None = None, state: str | None = None) -> dict[str, Any]:
    """Agreements, agencies, counties, sworn officers and people covered, by state and nationally."""
    from track287g.enrich import coverage as cover

    code = checks.state(state)
    figures = cover(conn, checks.optional_day(as_of))
    if code:
        figures["states"] = {k: v for k, v in figures["states"].items() if k == code}
        figures["counties"] = [c for c in figures["counties"] if c["state"] == code]
    return figures


def match_report(conn: Connection, all_agencies: bool = False, as_of: str | None = None) -> dict[str, Any]:
    """Match rates to the FBI rosters by kind, TYPE and state, and the agencies without an ORI."""
    from track287g.enrich import match_report as report

    return report(conn, "all" if all_agencies else "latest", checks.optional_day(as_of))


def county_map(conn: Connection, state: str | None = None, as_of: str | None = None, fmt: str = "svg") -> bytes:
    """Agreements by county for the country or one state, as SVG or PNG bytes."""
    from track287g.enrich import render_map

    return render_map(conn, checks.state(state), checks.optional_day(as_of), fmt.lower())


def place(conn: Connection, query: str, as_of: str | None = None) -> dict[str, Any]:
    """What covers a county, town, ZIP code or state on a date (default: the latest list): one object with
    ``kind``, ``name``, ``state``, ``county_fips``, ``as_of`` (the list used) and ``covered_by`` (empty: no
    agreement covers it), plus what was there before and the pending applications."""
    from track287g.enrich import places

    if not query or not query.strip():
        raise InvalidArgument("name a county, a town or city, a ZIP code or a state")
    return places.answer(conn, query.strip(), checks.day(as_of) if as_of else None)


# --- the signed agreements (MOAs) ------------------------------------------------------------------------


def documents(
    conn: Connection,
    search: str | None = None,
    agency: str | None = None,
    state: str | None = None,
    agreement: str | None = None,
) -> list[dict]:
    """The archived MOAs and addenda, filtered, or found by full-text search (best first, with their matches)."""
    from track287g.documents import list_documents

    return list_documents(conn, search=search, agency_name=agency, state=checks.state(state), agreement_id=agreement)


def document(conn: Connection, ref: str) -> dict:
    """One document in full, by sha256 (or a 6+ character prefix) or a file name it was found under."""
    from track287g.documents import find_document

    return find_document(conn, ref)


def moa_coverage(conn: Connection, as_of: str | None = None) -> dict:
    """How many agreements on ICE's participating list have their MOA on file: nationally, per state and model."""
    from track287g.documents import coverage as covered

    on = checks.optional_day(as_of)
    return covered(conn, checks.day(on) if on else None)


# --- state laws ------------------------------------------------------------------------------------------


def laws(conn: Connection, stance: str | None = None, state: str | None = None) -> list[dict]:
    """Each researched state's law on 287(g) (the bundled table), optionally of one stance or one state."""
    from track287g.enrich import STANCES, state_laws

    code = checks.state(state)
    rows = state_laws(conn, checks.choice(stance, STANCES, "--stance"))
    return [r for r in rows if r["state"] == code] if code else rows


def law_effect(conn: Connection, stance: str = "mandate", as_of: str | None = None) -> dict:
    """Agreements in each state of a stance on ICE's last list before its law's date and on the latest list."""
    from track287g.analyze.laws import law_effect as effect
    from track287g.enrich import STANCES

    return effect(conn, checks.choice(stance, STANCES, "--stance") or "mandate", checks.optional_day(as_of))
