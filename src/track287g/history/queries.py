"""Read-side queries of the history: point in time, agency views, changes and diffs between publications, and
counts over every list (read from each list's difference from the one before, as the history build reads them).

Every answer names the publication(s) it comes from. Shared by the CLI, the Python API and the web. The quick
questions are plain SQL in ``history.reads`` (re-exported here); what needs SQLAlchemy is here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Hashable, Iterator
from datetime import date
from itertools import chain, repeat
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from sqlalchemy import ColumnElement, Connection, func, null, select

from track287g.errors import QueryError
from track287g.history import reads
from track287g.history.reads import (
    PrintedRows,
    agency_on,
    agency_view,
    approved_by_date,
    approved_listed_by,
    changes,
    count,
    current_agency_id,
    current_agreement_id,
    days_after_latest,
    event_item,
    find_agency,
    first_published,
    has_history,
    hold_of,
    latest_on,
    left_out,
    listed_agreements,
    listed_applications,
    no_list_since,
    parse_date,
    printed_rows,
    publication_info,
    publication_ref,
)
from track287g.history.revisions import revisions
from track287g.history.state import no_history_message
from track287g.parse.historical import KIND as HISTORICAL
from track287g.parse.published import PART_RANK
from track287g.store.schema import (
    agency,
    agreement,
    continuation,
    listing,
    listing_row,
    publication,
    publication_name,
    row_agreement,
)
from track287g.store.sql import has_column

if TYPE_CHECKING:
    from track287g.history.load import Pub

# --- publications ---------------------------------------------------------------------------------------

_STAMP = re.compile(r"^(\d{2})(\d{2})(\d{4})\s*(am|pm|mid)?$", re.I)
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(am|pm|mid)?$", re.I)


def probable_signed(conn: Connection) -> ColumnElement:
    """``agreement.signed_probable`` (the date ICE probably meant where its SIGNED is a year typo), or NULL in a
    database built before the column existed (6 Dec 2026)."""
    return agreement.c.signed_probable if has_column(conn, "agreement", "signed_probable") else null()


def find_publication(conn: Connection, ref: str, kind: str | None = None) -> dict:
    """A publication named by sha256 prefix, date (``2026-01-26`` or ``2026-01-26pm``), ICE stamp
    (``01262026pm``) or file name. Raises QueryError when nothing or more than one publication fits."""
    ref = ref.strip()
    query = select(
        publication.c.sha256, publication.c.kind, publication.c.published, publication.c.part, publication.c.seq
    )
    if kind:
        query = query.where(publication.c.kind == kind)
    matches: list = []
    day = part = None
    if m := _DATE.match(ref):
        day, part = m.group(1), m.group(2)
    elif m := _STAMP.match(ref):
        day, part = f"{m.group(3)}-{m.group(1)}-{m.group(2)}", m.group(4)
    if day:
        # a publication is named by its date, or by the date of any name ICE posted the same bytes under
        named = select(publication_name.c.sha256).where(publication_name.c.stamp_date == day)
        if part:
            named = named.where(publication_name.c.part == part.lower())
        matches = list(conn.execute(query.where(publication.c.published == day)))
        if part:
            matches = [r for r in matches if r.part == part.lower()]
        if not matches:
            matches = list(conn.execute(query.where(publication.c.sha256.in_(named))))
    if not matches and re.fullmatch(r"[0-9a-fA-F]{6,64}", ref):
        matches = list(conn.execute(query.where(publication.c.sha256.startswith(ref.lower()))))
    if not matches:
        named = select(publication_name.c.sha256).where(func.lower(publication_name.c.name) == ref.lower())
        matches = list(conn.execute(query.where(publication.c.sha256.in_(named))))
    if not matches:
        raise QueryError(
            f"no publication matches {ref!r} (use a date like 2026-01-26pm, a stamp like "
            "01262026pm, a file name or a sha256 prefix; `track287g publications` lists them)"
        )
    if len(matches) > 1:
        options = ", ".join(f"{r.kind} {r.published} {r.part} {r.sha256[:10]}".replace("  ", " ") for r in matches)
        raise QueryError(
            f"{ref!r} matches {len(matches)} publications ({options}); add --kind, the part of day or a sha256 prefix"
        )
    return publication_info(conn, matches[0].sha256)


# --- point in time, agencies, changes: plain SQL in ``reads`` (the quick path shares it) -----------


def as_of(conn: Connection, on: date | str, state: str | None = None, *, items: bool = True) -> dict:
    """Agencies and agreements active on a date: ICE's latest participating list on or before it (and the
    pending list of the same date); before the record, the old list of that day (``old_queries``).
    ``items=False``: the counts without every agreement where the history's counts answer (``reads.as_of``)."""
    on = parse_date(on)
    answer = reads.as_of(conn, on, state, items=items)
    if answer is not None:
        return answer
    from track287g.history.old_queries import old_as_of

    old = old_as_of(conn, on, state)  # before the record: the old list of that day, or a gap (an error)
    if old is not None:
        return old
    first = first_published(conn, "participating")
    if first is None:  # never 0 agencies from a history that is missing: say why
        raise QueryError(no_history_message(conn, "participating"))
    raise QueryError(f"no participating list was published on or before {on} (the archive starts {first})")


# --- continuations and diffs -----------------------------------------------------------------------


def continuations(conn: Connection, *, kind: str | None = None, state: str | None = None) -> list[dict]:
    """The audit: every removal and withdrawal (newest first) with the rows that could have continued it,
    ranked, each with its decision and reason."""
    types = {"removal": ("removed",), "withdrawal": ("pending-withdrawn",)}.get(
        kind or "", ("removed", "pending-withdrawn")
    )
    items = changes(conn, state=state)
    items = [e for e in items if e["type"] in types]
    hits: dict[int, list] = defaultdict(list)
    for r in conn.execute(select(continuation).order_by(continuation.c.event_id, continuation.c.rank)):
        hits[r.event_id].append({k: v for k, v in r._mapping.items() if k != "event_id"})
    for e in items:
        e["candidates"] = hits.get(e["event_id"], [])
    return items


def diff(conn: Connection, ref_a: str, ref_b: str, kind: str | None = None) -> dict:
    """What changed between any two publications of one kind (not only consecutive ones)."""
    a, b = _pair(conn, ref_a, ref_b, kind)
    for p in (a, b):
        why = hold_of(conn, p["sha256"])
        if why is not None:  # its rows belong to no agreement: a diff would report them all removed
            raise QueryError(f"the {p['kind']} list of {p['label']} is not in the history ({why['reason']})")
    if a["kind"] == "participating":
        before = {i["agreement_id"]: i for i in listed_agreements(conn, a["sha256"])}
        after = {i["agreement_id"]: i for i in listed_agreements(conn, b["sha256"])}
        key, label = "agreement_id", None
    else:
        before = {i["pending_id"]: i for i in listed_applications(conn, a["sha256"])}
        after = {i["pending_id"]: i for i in listed_applications(conn, b["sha256"])}
        key, label = "pending_id", "pending-"
    events = []

    def emit(kind_: str, item: dict, detail: dict | None = None) -> None:
        events.append(
            {
                "type": (label or "") + kind_,
                "publication": b["sha256"],
                "previous": a["sha256"],
                key: item[key],
                "agency_id": item["agency_id"],
                "agency": item["agency"],
                "state": item["state"],
                "model": item["model"],
                "detail": detail or {},
            }
        )

    def dated(item: dict) -> dict:
        return {"signed": item["signed"]} if item.get("signed") else {}

    for k in sorted(after.keys() - before.keys()):
        emit("added", after[k], dated(after[k]))
    for k in sorted(before.keys() - after.keys()):
        emit("removed", before[k], dated(before[k]))
    if key == "agreement_id":
        renamed: dict[str, tuple[set, set]] = defaultdict(lambda: (set(), set()))
        for k in sorted(after.keys() & before.keys()):
            if after[k]["signed"] != before[k]["signed"]:
                emit("re-dated", after[k], {"from": before[k]["signed"], "to": after[k]["signed"]})
            renamed[after[k]["agency_id"]][0].add(before[k]["printed"])
            renamed[after[k]["agency_id"]][1].add(after[k]["printed"])
        for agency_id, (old, new) in sorted(renamed.items()):
            if old != new:
                item = next(i for i in after.values() if i["agency_id"] == agency_id)
                events.append(
                    {
                        "type": "renamed",
                        "publication": b["sha256"],
                        "previous": a["sha256"],
                        "agency_id": agency_id,
                        "agency": item["agency"],
                        "state": item["state"],
                        "model": None,
                        "detail": {"from": sorted(old - new), "to": sorted(new - old)},
                    }
                )
    return {"from": a, "to": b, "events": events, "counts": dict(sorted(count(e["type"] for e in events).items()))}


def _pair(conn: Connection, ref_a: str, ref_b: str, kind: str | None) -> tuple[dict, dict]:
    for k in [kind] if kind else ["participating", "pending", None]:
        try:
            a, b = find_publication(conn, ref_a, k), find_publication(conn, ref_b, k)
        except QueryError:
            if k is None or kind:
                raise
            continue
        if a["kind"] != b["kind"]:
            raise QueryError(
                f"{ref_a!r} is a {a['kind']} list and {ref_b!r} a {b['kind']} list; compare lists of one kind"
            )
        if (a["published"], PART_RANK.get(a["part"], 2), a["seq"]) > (
            b["published"],
            PART_RANK.get(b["part"], 2),
            b["seq"],
        ):
            a, b = b, a
        return a, b
    raise QueryError("no publications to compare")


class Listed(NamedTuple):
    """What a printed row counts toward: its agreement, the agency holding it and that agency's state, the
    agreement's model, the TYPE ICE printed on the row ("unknown" when none) and the holder's kind."""

    agreement_id: str
    agency_id: str
    state: str
    model: str
    agency_type: str
    kind: str | None


Group = TypeVar("Group", bound=Hashable)


def _linked_lists(conn: Connection) -> dict[str, list[Pub]]:
    """Each kind's lists (participating, pending) in the order the history reads them, each with the rows that came
    and went since the list before it (``history.load``: read from the lists' packs, a list mostly as its change)."""
    from track287g.history.load import link, load_archive  # the build's reader: not for the quick commands

    lists = load_archive(conn).pubs
    for pubs in lists.values():
        link(pubs)
    return lists


def printed_models(conn: Connection) -> dict[str, dict[str, int]]:
    """Each publication's rows as printed per model (MODEL as read, "unknown" where none; a row printed twice
    counted twice), by sha256. The lists of 2021 on are counted from each list's difference from the one before
    (``history.load``), not from every listing (9.9 s at ten years of daily lists); the old lists from theirs."""
    from track287g.history.load import steps

    model_of = {
        rid: model or "unknown" for rid, model in conn.execute(select(listing_row.c.row_id, listing_row.c.model))
    }
    out: dict[str, dict[str, int]] = {}
    for pubs in _linked_lists(conn).values():
        printed: Counter = Counter()
        for _, pub in steps(pubs):
            printed.subtract(model_of[rid] for rid in pub.went)
            printed.update(model_of[rid] for rid in pub.came)
            now = +printed
            if len(pub.ids) > pub.distinct:  # rows printed more than once
                now.update(model_of[rid] for rid, n in Counter(pub.ids).items() for _ in range(n - 1))
            out[pub.sha256] = dict(now)
    old_lists = conn.execute(
        select(publication.c.sha256, listing_row.c.model, func.count())
        .select_from(listing)
        .join(publication, publication.c.pub_id == listing.c.pub_id)
        .join(listing_row, listing_row.c.row_id == listing.c.row_id)
        .where(publication.c.kind == HISTORICAL)
        .group_by(publication.c.sha256, listing_row.c.model)
    )
    for sha, model, n in old_lists:
        out.setdefault(sha, {})[model or "unknown"] = n
    return {sha: dict(sorted(models.items())) for sha, models in out.items()}


def printed_runs(conn: Connection, wanted: Container[str]) -> tuple[list[Pub], dict[str, list[list[int]]]]:
    """The participating lists in order (``Pub``: sha256, published, part, derived), and for each row in ``wanted``
    that any of them printed, the runs of consecutive lists printing it, as ``[first, last]`` positions in that
    order. Read from the lists' differences, not from every listing (4.6 million at ten years of daily lists)."""
    from track287g.history.load import steps

    pubs = participating_lists(conn)
    runs: dict[str, list[list[int]]] = {}
    for index, pub in steps(pubs):
        for rid in pub.went:
            if rid in runs:
                runs[rid][-1][1] = index - 1
        for rid in pub.came:
            if rid in wanted:
                runs.setdefault(rid, []).append([index, len(pubs) - 1])  # until it goes
    return pubs, runs


def participating_lists(conn: Connection) -> list[Pub]:
    """The participating lists in the order the history reads them, each with its difference from the one before:
    what ``listed_counts`` reads, loaded once for several of its questions (0.3 s at ten years of daily lists)."""
    return _linked_lists(conn).get("participating", [])


def listed_counts(
    conn: Connection, group: Callable[[Listed], Group | None], lists: list[Pub] | None = None
) -> Iterator[tuple[str, dict[Group, tuple[int, int]]]]:
    """For each participating list in order, its sha256 and, per group its rows fall in (``group`` of each row's
    ``Listed``; None: not counted), the distinct agreements and agencies those rows name: ``{group: (agreements,
    agencies)}``, groups with none left out.

    Counted from each list's difference from the one before (the rows that came and went, as the history build
    reads them), not from every listing: at ten years of daily lists, grouping 4.6 million listings in SQL took
    6.6 s a question (14 s for every state's timeline); reading the differences takes under half a second.
    ``lists``: ``participating_lists(conn)`` read before, for several questions (read here when not given)."""
    from track287g.history.load import steps

    keyed: dict[str, tuple[Group, str, str]] = {}  # printed row -> (its group, its agreement, its holder)
    for rid, *facts in conn.execute(
        select(
            row_agreement.c.row_id,
            row_agreement.c.agreement_id,
            row_agreement.c.agency_id,
            agency.c.state,
            agreement.c.model,
            func.coalesce(listing_row.c.agency_type, "unknown"),
            agency.c.kind,
        )
        .join(agreement, agreement.c.agreement_id == row_agreement.c.agreement_id)
        .join(agency, agency.c.agency_id == row_agreement.c.agency_id)
        .join(listing_row, listing_row.c.row_id == row_agreement.c.row_id)
    ):
        listed = Listed(*facts)
        if (key := group(listed)) is not None:
            keyed[rid] = (key, listed.agreement_id, listed.agency_id)
    pubs = lists if lists is not None else participating_lists(conn)
    rows_of: tuple[Counter, Counter] = (Counter(), Counter())  # (agreement, group), (agency, group) -> rows listed
    totals: tuple[Counter, Counter] = (Counter(), Counter())  # group -> agreements, agencies listed
    for _, pub in steps(pubs):
        for rid, step in chain(zip(pub.went, repeat(-1)), zip(pub.came, repeat(1))):
            if (found := keyed.get(rid)) is None:
                continue
            key = found[0]
            for held, who, total in zip(rows_of, found[1:], totals, strict=True):
                held[who, key] += step
                if held[who, key] == (step > 0):  # its first row came or its last went
                    total[key] += step
        yield pub.sha256, {key: (n, totals[1][key]) for key, n in totals[0].items() if n}


__all__ = [
    "PrintedRows",
    "QueryError",
    "agency_on",
    "agency_view",
    "approved_by_date",
    "approved_listed_by",
    "as_of",
    "changes",
    "continuations",
    "count",
    "current_agency_id",
    "current_agreement_id",
    "days_after_latest",
    "diff",
    "event_item",
    "find_agency",
    "find_publication",
    "first_published",
    "has_history",
    "hold_of",
    "latest_on",
    "left_out",
    "listed_agreements",
    "listed_applications",
    "listed_counts",
    "no_list_since",
    "parse_date",
    "participating_lists",
    "printed_models",
    "printed_rows",
    "probable_signed",
    "publication_info",
    "publication_ref",
    "revisions",
]
