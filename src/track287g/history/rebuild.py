"""Rebuilding the history from the stored publications.

``rebuild_history(conn)`` replaces the history tables, in the caller's transaction, by one built from the
stored publications that passes the QA invariants (``qa.problems``):

- a publication with a row that has no state or no agency (a blank STATE cell, a merged cell, a formula with
  no value) is held out of the history from the start: one bad row never blocks the record;
- when an invariant fails and names a publication the current history does not cover yet, that publication
  is held and the history built again without it (up to ``MAX_ROUNDS`` times);
- any other failure raises ``QAError`` naming the invariant, the publications and the rows: nothing is
  written, the history already stored stays (the caller records the failure: ``state.record_failure``).

Held publications stay stored and visible (``publication_hold``), until the rules or aliases resolve them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, select

from track287g.archive.publications import compact, repack
from track287g.history.build import History, build
from track287g.history.load import Archive, load_archive
from track287g.history.old_lists import resolve_old_lists
from track287g.history.qa import Problem, QAError, describe, problems
from track287g.history.revisions import Reported
from track287g.history.rules import load_rules
from track287g.history.state import archive_digest, record_built
from track287g.history.write import write_history
from track287g.normalize.text import squash
from track287g.resolve.aliases import load_aliases
from track287g.resolve.misprints import load_misprints
from track287g.store.packs import delta_ids
from track287g.store.schema import build_info, listing_row, publication_hold
from track287g.store.sql import tuples

__all__ = ["QAError", "covered_publications", "rebuild_history"]

MAX_ROUNDS = 4


def covered_publications(conn: Connection) -> set[str]:
    """The publications the stored history covers now."""
    return {sha for (sha,) in tuples(conn, "SELECT sha256 FROM publication WHERE seq IS NOT NULL")}  # in_history()


def _blank_holds(conn: Connection, archive: Archive) -> dict[str, dict]:
    """Publications with rows no agency can be read from: no state or no agency printed, or a STATE cell that
    names no state (the reason quotes what ICE printed)."""
    bad = {rid for rid, row in archive.rows.items() if not row.state or not row.agency}
    printed: dict[str, str | None] = {}  # row id -> the STATE cell as printed
    if bad:
        cols = select(listing_row.c.row_id, listing_row.c.raw_state)
        ids = sorted(bad)
        for i in range(0, len(ids), 500):
            found = conn.execute(cols.where(listing_row.c.row_id.in_(ids[i : i + 500])))
            printed.update({r.row_id: r.raw_state for r in found})
    holds: dict[str, dict] = {}
    elsewhere = _states_of(archive, printed, bad) if bad else {}
    for pubs in archive.pubs.values() if bad else ():
        for pub in pubs:
            if bad.isdisjoint(pub.ids):  # most lists: no such row, and their row numbers are not unpacked
                continue
            numbers = [n for n, rid in pub.listings if rid in bad]
            if numbers:
                holds[pub.sha256] = {
                    "invariant": "state-and-agency",
                    "reason": _unreadable(
                        archive, printed, [(n, rid) for n, rid in pub.listings if rid in bad], elsewhere
                    ),
                    "rows": numbers,
                }
    return holds


def _unreadable(archive: Archive, printed: dict, bad: list[tuple[int, str]], elsewhere: dict[tuple, set[str]]) -> str:
    """One line: how many rows name no state or agency, why, and which; for a STATE that names no state, the
    state the archive's other rows print the same listing under, when they agree on one (a person's lead;
    ``elsewhere``: ``_states_of``)."""
    cells, names = set(), set()
    for _, rid in bad:
        row, raw_state = archive.rows[rid], (printed.get(rid) or "").strip()
        if not row.state and raw_state:
            names.add(repr(raw_state))
        elif not row.state:
            cells.add("STATE")
        if not row.agency:
            cells.add("LAW ENFORCEMENT AGENCY")
    numbers = [n for n, _ in bad]
    s = "s" if len(numbers) != 1 else ""
    why = []
    if cells:
        why.append(f"no {' or '.join(sorted(cells))} (a blank, merged or formula cell)")
    if names:
        shown = ", ".join(sorted(names)[:3]) + (" ..." if len(names) > 3 else "")
        why.append(f"a STATE that names no state ({shown})")
    line = (
        f"{len(numbers)} row{s} with {'; '.join(why)}: row{s} "
        + ", ".join(map(str, numbers[:10]))
        + (" ..." if len(numbers) > 10 else "")
    )
    leads = _states_elsewhere(archive, printed, [rid for _, rid in bad], elsewhere)
    for raw_state, code in sorted(leads.items())[:3]:
        line += (
            f"; {raw_state!r} is probably {code}: other lists print the same agency, model and signing date under"
            f" {code} (a person who agrees adds the line {squash(raw_state).upper()},{code} to the package's"
            " data/fixes/state_typos.csv and runs track287g rebuild)"
        )
    return line


def _named_nowhere(archive: Archive, printed: dict, bad: Iterable[str]) -> dict[tuple, str]:
    """(agency, model, signing date) -> the STATE printed as a state it names none of, for these rows."""
    keys = {}
    for rid in bad:
        row, raw_state = archive.rows[rid], (printed.get(rid) or "").strip()
        if not row.state and raw_state and row.agency and row.signed:
            keys[(row.agency, row.model, row.signed)] = raw_state
    return keys


def _states_of(archive: Archive, printed: dict, bad: set[str]) -> dict[tuple, set[str]]:
    """The states the archive's readable rows print each listing of a bad row under (one pass over the rows for
    every list holding one)."""
    keys = _named_nowhere(archive, printed, bad)
    found: dict[tuple, set[str]] = {}
    for row in archive.rows.values() if keys else ():
        key = (row.agency, row.model, row.signed)
        if row.state and key in keys:
            found.setdefault(key, set()).add(row.state)
    return found


def _states_elsewhere(archive: Archive, printed: dict, bad: list[str], found: dict[tuple, set[str]]) -> dict[str, str]:
    """Each printed STATE that names no state -> the one state the archive's readable rows print every such
    row's agency, model and signing date under (none when they name two, or none; ``found``: ``_states_of``)."""
    keys = _named_nowhere(archive, printed, bad)
    leads: dict[str, set[str]] = {}
    unknown = set()  # printed states with a row whose listing no readable row prints
    for key, raw_state in keys.items():
        leads.setdefault(raw_state, set()).update(found.get(key, ()))
        if key not in found:
            unknown.add(raw_state)
    return {raw: codes.pop() for raw, codes in leads.items() if len(codes) == 1 and raw not in unknown}


def _blame(found: list[Problem], previous: set[str] | None) -> dict[str, dict] | None:
    """The publications to hold for these problems, or None when a problem has no publication to blame that
    the current history does not already cover (then the history must not change)."""
    holds: dict[str, dict] = {}
    for p in found:
        if p.sha256 is None or (previous is not None and p.sha256 in previous):
            return None
        h = holds.setdefault(p.sha256, {"invariant": p.invariant, "reason": [], "rows": []})
        h["reason"].append(p.message)
        h["rows"].extend(p.rows)
    for h in holds.values():
        h["reason"] = "history QA: " + "; ".join(h["reason"][:3])
        h["rows"] = sorted(set(h["rows"]))
    return holds


def rebuild_history(
    conn: Connection, *, previous: set[str] | None = None, reported: Reported | None = None, emptied: bool = False
) -> dict:
    """Rebuild every history table inside the caller's transaction; return counts (and ``held``, ``revised``).

    ``previous``: the publications the history being replaced covers (default: read from the tables); only
    publications outside it may be held. ``emptied``: the tables were emptied before (a rebuild of everything);
    then ``reported`` is what that history reported, read before, the base of the revisions (None: nothing to
    compare). Raises QAError when the history cannot pass its invariants."""
    rules = load_rules()
    aliases = load_aliases()
    misprints = load_misprints()  # read once, like the aliases: a bad table stops the rebuild before it starts
    if previous is None:
        previous = covered_publications(conn)
    digest, _ = archive_digest(conn)
    archive = load_archive(conn)
    if archive.to_repack:  # read from the listing table, or packed before the runs: packed now, for the next rebuild
        repack(conn, {pub.pub_id: pub.listings for pub in archive.to_repack})
    compact(conn, {pub.pub_id: delta_ids(base.pub_id, base.ids, pub.ids) for pub, base in archive.to_compact})
    holds = _blank_holds(conn, archive)
    history: History | None = None
    for _ in range(MAX_ROUNDS):
        history = build(archive.without(set(holds)), aliases, rules, misprints)
        found = problems(history)
        if not found:
            break
        more = _blame(found, previous)
        if more is None or set(more) <= set(holds):
            raise QAError("history QA failed: " + describe(found), found)
        holds.update(more)
    else:
        raise QAError(f"history QA failed after holding {len(holds)} publications: " + describe(found), found)
    before = set(conn.execute(select(publication_hold.c.sha256)).scalars())
    counts = write_history(conn, history, previous, reported, emptied=emptied)
    revised = counts.pop("revisions")  # of this rebuild, not of the history: not in build_info
    info = {
        "rules": json.dumps(rules.as_dict(), sort_keys=True),
        "aliases_unused": json.dumps([a.line for a in history.resolution.unused_aliases]),
        "counts": json.dumps(counts, sort_keys=True),
    }
    # its own keys only: the later stages' (enrich, documents) say what their tables hold until they run again
    conn.execute(build_info.delete().where(build_info.c.key.in_(info)))
    conn.execute(build_info.insert(), [{"key": key, "value": value} for key, value in info.items()])
    counts["old_lists"] = resolve_old_lists(conn, history, aliases, rules)
    covered = len(history.participating) + len(history.pending_pubs)
    record_built(conn, digest, covered, holds)
    counts["held"] = {sha: h["reason"] for sha, h in sorted(holds.items())}
    counts["newly_held"] = sorted(set(holds) - before)
    counts["revised"] = revised
    return counts
