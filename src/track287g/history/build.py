"""Build the history: agencies, agreements, their lifecycle, pending applications and events.

The rules, with their thresholds in ``data/rules.yaml`` (agencies: ``resolve/agencies.py``; agreements:
``history/agreements.py``; applications: ``history/pending.py``; events: ``history/events.py``):

- **Agreement**: agency + support model + signing date. Its id is ``<agency id>#<model>#<date>`` from the
  latest listing (``undated`` when ICE printed no valid date); every id it carried before stays an alias.
- **Continuations**: a listing whose date ICE changed (re-dated), that ICE printed twice in one list
  (a duplicate row), or that moved to another holder (``transferred``) stays one agreement.
- **Suspect publication**: rows fall by more than ``suspect_drop_share`` against the previous publication of
  its kind (when that had at least ``suspect_min_rows``). Suspect publications count for first and last
  listed dates, not for absences.
- **Gap**: a listing absent from at most ``max_gap_publications`` consecutive (non-suspect) publications, or
  listed again at most ``max_gap_days`` days after the last list that printed it, was never removed: events
  ``missing`` then ``reappeared``.
- **Removed**: absent for longer, or absent at the end of the archive (then ``provisional`` until more than
  ``max_gap_publications`` later publications, the last dated more than ``max_gap_days`` days after it was last
  listed, confirm it). The window is (last listed, first absent].
- **Superseded**: a removed agreement whose agency holds a later agreement of the same model (a renewal) first
  listed no later than ``max_gap_publications`` lists after it left, or gains in the list where it left a model
  it did not have (model switch).
- **Misprint** (a person's decision, ``data/misprints.csv``): a row ICE printed under another agency's name is
  read under its own agency's; a correction of the agreement (field ``agency``) keeps what ICE printed, and the
  id the misprint gave the agreement stays an alias.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from track287g.history import agreements, audit, events, pending
from track287g.history.load import (
    Archive,
    Pub,
    Row,
    Since,
    distinct_rows,
    first_printed,
    link,
    printings,
    steps,
    times_listed,
)
from track287g.history.model import (
    MINUS,
    PENDING_MINUS,
    PENDING_PLUS,
    PLUS,
    UNDATED,
    UNKNOWN_MODEL,
    Agreement,
    Application,
    Correction,
    Event,
    History,
    Neighbours,
    Transfer,
    agency_kind_of,
    agency_of,
    in_place,
    neighbours,
    redate_rule,
    spelled,
)
from track287g.history.rules import Rules
from track287g.messages import message
from track287g.resolve.agencies import (
    Handoff,
    Printed,
    PrintedRows,
    Pubs,
    Spelling,
    handoff_keys,
    handoff_partners,
    resolve_agencies,
)
from track287g.resolve.aliases import Alias, loose
from track287g.resolve.misprints import Misprint, load_misprints

__all__ = [  # the model, for who reads it from here
    "MINUS",
    "PENDING_MINUS",
    "PENDING_PLUS",
    "PLUS",
    "UNDATED",
    "UNKNOWN_MODEL",
    "Agreement",
    "Application",
    "Correction",
    "Event",
    "History",
    "Transfer",
    "agency_kind_of",
    "agency_of",
    "build",
    "in_place",
    "neighbours",
    "redate_rule",
]


def _spellings(archive: Archive, listed: dict[str, Counter]) -> tuple[list[Spelling], list[tuple[int, int]]]:
    """Every spelling with its lists, dates, rows (``listed``: each kind's ``load.times_listed``), counties and
    types; and the listings that name no spelling."""
    found: dict[tuple[str, str], Spelling] = {}
    unresolved = []
    rows = archive.rows
    # a distinct row -> its spelling (None: no state or agency), worked out once however many lists print it;
    # its county and agency type are the spelling's
    name_of: dict[str, tuple[str, str] | None] = {}
    # spelling -> its runs of lists: (the ids of one kind's lists, the first list of the run, the list after it)
    pubs_of: dict[tuple[str, str], list[tuple[array, int, int]]] = defaultdict(list)
    for kind, pubs in archive.pubs.items():  # each kind's lists, by date
        first: dict[tuple[str, str], str] = {}
        last: dict[tuple[str, str], str] = {}
        latest: dict[tuple[str, str], int] = {}  # spelling -> the last of these lists printing it
        lists: dict[tuple[str, str], int] = {}  # spelling -> how many of these lists print it
        # a list is read as its difference from the one before (the rows that came and went), and a spelling's
        # lists are written a run of consecutive lists at a time
        ids = array("l", (pub.pub_id for pub in pubs))
        present: Counter = Counter()  # spelling (None: no state or agency) -> its distinct rows in the list before
        run_from: dict[tuple[str, str] | None, int] = {}  # spelling -> where its current run of lists began
        for index, pub in steps(pubs):
            for rid in pub.came.difference(name_of):
                name_of[rid] = _spelling_of(rows[rid], found)
            went = list(map(name_of.__getitem__, pub.went))
            came = list(map(name_of.__getitem__, pub.came))
            present.subtract(went)
            present.update(came)
            if present[None] > 0:
                unresolved += [(pub.pub_id, n) for n, rid in pub.listings if name_of[rid] is None]
            for name in set(went).union(came):
                if present[name] <= 0 and name in run_from:  # its run ended with the list before
                    if name is not None:
                        pubs_of[name].append((ids, run_from[name], index))
                        last[name] = pubs[index - 1].published
                        lists[name] = lists.get(name, 0) + index - run_from[name]
                        latest[name] = index - 1
                    del run_from[name]
                elif present[name] > 0 and name not in run_from:
                    run_from[name] = index
                    if name is not None:
                        first.setdefault(name, pub.published)
        for name, start in run_from.items():
            if name is not None:
                pubs_of[name].append((ids, start, len(pubs)))
                last[name] = pubs[-1].published
                lists[name] = lists.get(name, 0) + len(pubs) - start
                latest[name] = len(pubs) - 1
        for name, day in first.items():
            s = found[name]
            s.first_in[kind] = day
            s.lists_in[kind] = (pubs[latest[name]].order_key(), lists[name])
            s.first, s.last = min(s.first, day), max(s.last, last[name])
    for counts in listed.values():
        for rid, count in counts.items():
            spelling = name_of[rid]
            if spelling is not None:
                found[spelling].rows += count
    for name, runs in pubs_of.items():  # each list once: a spelling's runs of one kind's lists never overlap
        found[name].pubs = Pubs(runs=runs)
    in_list = _rows_by_spelling(archive, name_of)
    for name, s in found.items():
        s.printed = PrintedRows(name, in_list)
    return sorted(found.values(), key=lambda s: (s.state, s.name)), unresolved


def _rows_by_spelling(
    archive: Archive, name_of: dict[str, tuple[str, str] | None]
) -> Callable[[Any, tuple[str, str]], list[Printed]]:
    """(pub id, spelling) -> the spelling's rows in that list (row number, model, date), read from the list when
    asked (the resolver asks only for lists that print two spellings together)."""
    by_id = {pub.pub_id: pub for pubs in archive.pubs.values() for pub in pubs}
    rows = archive.rows

    @functools.cache
    def rows_of() -> dict[tuple[str, str], set[str]]:
        """Each spelling's distinct rows (made when first asked)."""
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for rid, name in name_of.items():
            if name is not None:
                found[name].add(rid)
        return found

    @functools.cache  # the resolver asks a pair's lists again with the pair reversed; read-only answers
    def in_list(pub_id: Any, name: tuple[str, str]) -> list[Printed]:
        pub = by_id.get(pub_id)
        if pub is None:
            return []
        ids = pub.ids
        at = printings(pub, rows_of().get(name, ()))  # where the list prints the spelling's rows
        numbers = pub.numbers_at(at)
        return [(n, rows[ids[i]].model or UNKNOWN_MODEL, rows[ids[i]].signed) for n, i in zip(numbers, at, strict=True)]

    return in_list


def _spelling_of(row: Row, found: dict[tuple[str, str], Spelling]) -> tuple[str, str] | None:
    """A row's spelling (made when first met, and given the row's county and agency type)."""
    if not row.state or not row.agency:
        return None
    name = (row.state, row.agency)
    s = found.get(name)
    if s is None:
        s = found[name] = Spelling(row.state, row.agency)
    if row.county:
        s.counties.add(row.county)
    if row.agency_type:
        s.types.add(row.agency_type)
    return name


def _handoffs(archive: Archive, key_of: Callable[[tuple[str, str]], str | None]) -> list[Handoff]:
    """Spellings that replaced one another between consecutive lists of a kind carrying the same listing
    (participating: model and date; pending: model), and pending applications that left the pending list as
    an agreement of the same model first appeared under another spelling (``key_of``: ``handoff_keys``).

    Only rows that changed between two lists can make a spelling disappear or appear, so each list is read as
    its difference from the one before.
    """
    found: dict[tuple, Handoff] = {}
    for kind, pubs in archive.pubs.items():
        dated = kind != "pending"
        info: dict[str, tuple[tuple[str, str], tuple[str, str | None]]] = {}
        unusable: set[str] = set()  # rows that name no spelling (or, participating, no date): never in ``info``
        for rid in distinct_rows(pubs):
            row = archive.rows[rid]
            if _usable(row, dated):
                info[rid] = (spelled(row), (row.model or UNKNOWN_MODEL, row.signed if dated else None))
            else:
                unusable.add(rid)
        since = Since()  # the rows that left and came since the last sound list read
        last_pub: Pub | None = None  # the last sound list read
        last_now: Neighbours | None = None  # its neighbours, when they were worked out
        present: Counter = Counter()  # spelling -> rows listed now
        for _, pub in steps(pubs):
            since.add(pub)
            if pub.suspect:  # a list that lost many rows at once says nothing of who replaced whom
                continue
            if last_pub is not None and pub.ids == last_pub.ids:  # the same rows: nothing came or went
                last_pub, last_now = pub, None
                continue
            went, came = since.take()
            removed, added = went - unusable, came - unusable
            for rid in removed:
                present[info[rid][0]] -= 1
            absent_before = {info[rid][0] for rid in added if present[info[rid][0]] == 0}
            for rid in added:
                present[info[rid][0]] += 1
            if not absent_before or not removed:  # no spelling came, or none could have gone: no handoff here
                last_pub, last_now = pub, None
                continue
            gone: dict[tuple[str, str], dict] = defaultdict(dict)
            for rid in sorted(removed):
                if present[info[rid][0]] == 0:
                    gone[info[rid][0]].setdefault(info[rid][1], rid)
            new: dict[tuple[str, str], dict] = defaultdict(dict)
            for rid in sorted(added):
                if info[rid][0] in absent_before:
                    new[info[rid][0]].setdefault(info[rid][1], rid)
            now: Neighbours | dict = neighbours(pub) if gone and new else {}
            before: Neighbours | dict = {}
            if gone and new and last_pub is not None:  # a row's neighbours in the last list, worked out when read
                before = last_now if last_now is not None else (neighbours(last_pub) if dated else {})
            partners = handoff_partners(new, key_of)
            for g, old_items in gone.items():  # each pair once, so the order pairs are found in does not matter
                for n in partners(g):
                    new_items = new[n]
                    shared = old_items.keys() & new_items.keys()
                    if not shared or (g, n) in found:
                        continue
                    item = min(shared, key=lambda x: (x[0] or "", x[1] or ""))
                    found[(g, n)] = Handoff(
                        g,
                        n,
                        message(
                            "handoff.agreement" if dated else "handoff.application",
                            list=pub.label,
                            model=item[0],
                            name=repr(n[1]),
                            state=n[0],
                            other=repr(g[1]),
                            other_state=g[0],
                            **({"signed_date": item[1]} if dated else {}),
                        ),
                        bool(before) and in_place(old_items[item], new_items[item], before, now),
                        dated,
                    )
            last_pub, last_now = pub, (now if isinstance(now, Neighbours) and now else None)
    for h in _approvals(archive, archive.pubs.get("participating", []), key_of):
        found.setdefault((h.gone, h.new), h)
    return sorted(found.values(), key=lambda h: (h.gone, h.new))


def _usable(row: Row, dated: bool) -> bool:
    return bool(row.state and row.agency and (row.signed or not dated))


def _approvals(archive: Archive, part: list[Pub], key_of: Callable[[tuple[str, str]], str | None]) -> list[Handoff]:
    """A pending application that left the pending list in the days a same-model agreement first appeared
    under another spelling (between the last pending list printing it and the first without it): in the same
    state, or in another under the same key (``key_of``: the resolver reads no other)."""
    first_seen: dict[tuple[str, str], tuple[Pub, set[str]]] = {}
    for index, new_rows in first_printed(part).items():
        pub = part[index]
        # a spelling first seen in this list has every row of it here new: only new rows can start one (the
        # order they are read in does not matter: each spelling is first seen in one list)
        for rid in sorted(new_rows):
            row = archive.rows[rid]
            if row.state and row.agency and (row.state, row.agency) not in first_seen:
                first_seen[(row.state, row.agency)] = (pub, set())
            if row.state and row.agency and first_seen[(row.state, row.agency)][0] is pub:
                first_seen[(row.state, row.agency)][1].add(row.model or UNKNOWN_MODEL)
    out = []
    pend = archive.pubs.get("pending", [])
    # first seen in list order, so in date order: the spellings first seen between two dates are one slice
    firsts = list(first_seen.items())
    seen_on = [pub.published for _, (pub, _) in firsts]
    name_of: dict[str, tuple] = {}  # row id -> (state, agency) as printed
    for rid in distinct_rows(pend):
        name_of[rid] = (archive.rows[rid].state, archive.rows[rid].agency)
    # the pending lists read as their differences (a suspect list skipped): a spelling left the list when the
    # last of its rows went, and every row of it on the list before went then
    since = Since()
    present: Counter = Counter()  # (state, agency) as printed -> its distinct rows on the last sound list read
    earlier: Pub | None = None
    for _, later in steps(pend):
        since.add(later)
        if later.suspect:
            continue
        went, came = since.take()
        present.update(map(name_of.__getitem__, came))
        present.subtract(map(name_of.__getitem__, went))
        left = [rid for rid in went if present[name_of[rid]] == 0]
        if earlier is None or not left:  # no spelling left the pending list
            earlier = later
            continue
        models: dict[tuple[str, str], set[str]] = defaultdict(set)
        for rid in left:
            row = archive.rows[rid]
            if row.state and row.agency:
                models[name_of[rid]].add(row.model or UNKNOWN_MODEL)
        between = dict(
            firsts[bisect.bisect_left(seen_on, earlier.published) : bisect.bisect_right(seen_on, later.published)]
        )
        partners = handoff_partners(between, key_of)
        for g, wanted in models.items():  # each pair once in a list, so the order they are found in does not matter
            for n in partners(g):
                if n == g:
                    continue
                pub, carried = between[n]
                shared = wanted & carried or (carried if UNKNOWN_MODEL in wanted else set())
                if shared:
                    out.append(
                        Handoff(
                            g,
                            n,
                            message(
                                "handoff.approval",
                                model=min(shared),
                                other=repr(g[1]),
                                other_state=g[0],
                                list=later.label,
                                name=repr(n[1]),
                                state=n[0],
                                listed=pub.label,
                            ),
                            False,
                            False,
                        )
                    )
        earlier = later
    return out


def _mark_suspects(pubs: list[Pub], share: float, min_rows: int) -> None:
    """A publication is suspect when its rows fall steeply against the one just before it.

    A lasting drop is therefore flagged once: the next publication compares with the suspect one, and its
    absences are then read against the last sound publication as usual.
    """
    for previous, pub in itertools.pairwise(pubs):
        pub.suspect = previous.rows >= min_rows and pub.rows < (1 - share) * previous.rows


def _misprinted(rows: dict[str, Row], misprints: list[Misprint]) -> dict[str, tuple[Row, Misprint, str]]:
    """Row id -> the row as read (under the agency it is), the decision and the agency as printed, for each row
    a misprint names."""
    wanted: dict[tuple, list[Misprint]] = defaultdict(list)
    for m in misprints:
        wanted[(m.state, m.model, m.signed)].append(m)
    found = {}
    for rid, row in rows.items() if wanted else ():
        for m in wanted.get((row.state, row.model, row.signed), ()):
            if loose(row.agency or "") == loose(m.printed):
                found[rid] = (replace(row, agency=m.agency), m, row.agency or "")
    return found


def _misprint_corrections(history: History, misprinted: dict[str, tuple[Row, Misprint, str]]) -> None:
    """Each misprinted row's agreement: a correction of its agency at the first list printing the row, and the
    id the printed name would have given it as an alias (unless an agreement has that id)."""
    if not misprinted:
        return
    firsts = {rid: index for index, rows in first_printed(history.participating).items() for rid in rows}
    for rid, (_, m, printed) in sorted(misprinted.items()):
        agreement_id = history.row_agreement.get(rid)
        if agreement_id is None or rid not in firsts:
            continue
        pub = history.participating[firsts[rid]]
        history.corrections.append(Correction(agreement_id, "agency", printed, m.agency, pub, "misprint", m.note))
        printed_agency_id = history.resolution.agency_of.get((m.state, printed))
        old = f"{printed_agency_id}#{m.model}#{m.signed}"
        if printed_agency_id is not None and old not in history.agreements:
            history.agreement_aliases.setdefault(old, agreement_id)


def build(archive: Archive, aliases: list[Alias], rules: Rules, misprints: list[Misprint] | None = None) -> History:
    """The whole history of an archive, by the rules of this package (checked afterwards by ``qa.check``);
    ``misprints``: the rows people decided ICE misprinted (default: the committed table)."""
    misprinted = _misprinted(archive.rows, load_misprints() if misprints is None else misprints)
    if misprinted:
        archive = replace(archive, rows=archive.rows | {rid: row for rid, (row, *_) in misprinted.items()})
    for pubs in archive.pubs.values():
        link(pubs)
    listed = {kind: times_listed(pubs) for kind, pubs in archive.pubs.items()}  # row -> its listings, per kind
    spellings, unresolved = _spellings(archive, listed)
    all_pubs = [p for pubs in archive.pubs.values() for p in pubs]
    participating = archive.pubs.get("participating", [])
    pending_pubs = archive.pubs.get("pending", [])
    _mark_suspects(participating, rules.suspect_drop_share, rules.suspect_min_rows)
    _mark_suspects(pending_pubs, rules.suspect_drop_share, rules.suspect_min_rows)
    resolution = resolve_agencies(
        spellings,
        aliases,
        min_ratio=rules.typo_min_ratio,
        margin=rules.typo_margin,
        min_length=rules.typo_min_length,
        handoffs=_handoffs(archive, handoff_keys(spellings)),
        handoff_min_ratio=rules.handoff_min_ratio,
        in_place_min_ratio=rules.in_place_min_ratio,
        same_body=list(rules.same_body),
        max_gap=rules.max_gap_publications,
        labels={p.pub_id: f"{p.label} ({p.kind})" for p in all_pubs},
        order={p.pub_id: p.order_key() for p in all_pubs},
        participating={p.pub_id for p in archive.pubs.get("participating", [])},
    )
    history = History(
        resolution, spellings, participating, pending_pubs, {}, {}, {}, {}, [], [], {}, unresolved, archive.rows
    )
    history.rules = rules
    agreements.assign(history, archive.rows, rules, listed.get("participating", Counter()))
    _misprint_corrections(history, misprinted)
    pending.applications(history, archive.rows, rules)
    _lifecycle(history, rules)
    agreements.probable_signings(history, rules)
    pending.link(history, rules)
    events.participating_events(history, archive.rows, rules)
    events.pending_events(history)
    events.id_events(history)
    events.finish(history)
    history.audit = audit.audit(history)
    events.attach_evidence(history)
    return history


def _lifecycle(history: History, rules: Rules) -> None:
    """Status of each agreement: active, removed (with its window) or superseded."""
    pubs = history.participating
    if not pubs:
        return
    last_index = len(pubs) - 1
    sound = [i for i, p in enumerate(pubs) if not p.suspect]
    first_new: dict[tuple[str, int], list[Agreement]] = defaultdict(list)  # (agency, index) -> new agreements
    of_agency: dict[str, list[Agreement]] = defaultdict(list)
    for a in history.agreements.values():
        first_new[(a.agency_id, a.positions[0])].append(a)
        of_agency[a.agency_id].append(a)

    def models_of(index: int, agency_id: str) -> set[str]:
        """The models the agency listed in the list at ``index``."""
        return {b.model for b in of_agency[agency_id] if index in b.positions}

    for a in history.agreements.values():
        last = a.positions[-1]
        if last == last_index:
            a.status = "active"
            continue
        after = sound[bisect.bisect_right(sound, last) :]
        if not after:  # only suspect publications follow: treat as still listed
            a.status = "active"
            continue
        a.status = "removed"
        a.removed_after, a.removed_by = last, after[0]
        days = pubs[last].days_to(pubs[after[-1]])
        a.provisional = rules.is_gap(len(after), days)
        if a.provisional:  # confirmed by more lists leaving it out, the last of them dated late enough
            a.lists_to_confirm = max(0, rules.max_gap_publications + 1 - len(after))
            if days <= rules.max_gap_days:
                confirm_from = date.fromisoformat(pubs[last].published) + timedelta(rules.max_gap_days + 1)
                a.confirm_from = confirm_from.isoformat()
        horizon = after[min(rules.max_gap_publications, len(after) - 1)]
        models_before = models_of(last, a.agency_id)
        renewals = [
            b
            for b in of_agency[a.agency_id]
            if b.model == a.model
            and (b.signed or "") > (a.signed or "")
            and a.positions[0] < b.positions[0] <= horizon  # listed after the one it renews was
            and b.positions[-1] >= after[0]
        ]
        switches = [b for b in first_new.get((a.agency_id, after[0]), []) if b.model not in models_before]
        successors = renewals or switches
        if successors:
            successor = min(successors, key=lambda b: (b.model != a.model, b.positions[0], b.agreement_id))
            a.status = "superseded"
            a.superseded_by = successor.agreement_id
            successor.supersedes.append(a.agreement_id)
