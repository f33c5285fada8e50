"""The audit of every removal and withdrawal: which rows could have been its continuation, and why not.

For a **removal**, the candidates are the rows new in the list where the agreement disappeared, or in the
``max_gap_publications`` lists after it, with the same model and signing date; for a **withdrawal**, the
pending rows new where the application left the list (or within the gap) and the agreements first listed
between its last listing and then, with the same model (any, for an unknown one), under a name alike or in the
same county. Many agencies share a signing date, so candidates are ranked (same state, same county, the same
place in the list, alike names), not just matched.

(A new row of an agreement listed before is no candidate.) Each candidate is ``declined`` with its reason
(ICE printed the two side by side, so they are two bodies; another state and another name; no shared county,
place or name), or
``unexplained``: the evidence the identity rules act on (the same name in another state, a shared county or
place for a holder change, names that agree word for word for an application) is there, yet nothing merged,
transferred or declined it. An unexplained candidate fails the history QA.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from track287g.history.agreements import transfer_evidence
from track287g.history.load import Pub, Row, Since, first_printed, printings, steps
from track287g.history.model import UNKNOWN_MODEL, Event, History, Neighbours, in_place, neighbours, spelled
from track287g.messages import Message, message, quotes_english, render
from track287g.normalize.agency_kind import agency_kind, comparable
from track287g.resolve.names import county_states, distinctive, name_key

SHOWN = 5  # candidates listed per removal or withdrawal (the rest are counted)


@dataclass
class Hit:
    publication: str
    row_number: int
    state: str
    agency: str
    model: str
    signed: str | None
    county: str | None
    score: float
    decision: str  # declined | unexplained
    why: Message  # the reason (``messages``: audit.*)
    list_kind: str = ""  # a withdrawal's candidate: the kind and label of the list printing it (``publication``
    list_label: str = ""  # says both, in English)

    @property
    def reason(self) -> str:
        return render(self.why)

    def line(self) -> str:
        return (
            f"{self.publication} row {self.row_number}: {self.agency} ({self.state}) {self.model} "
            f"{self.signed or ''}".rstrip()
            + f" [{self.score:.1f}] {self.decision}: {self.reason}"
        )

    def said(self) -> Message | None:
        """The line as a message, for the web pages to say in their language (ICE's row quoted as printed); None
        when its reason quotes English prose (``messages.quotes_english``: the line is then quoted as written)."""
        if quotes_english(self.why):
            return None
        row = {
            "row": self.row_number,
            "agency": self.agency,
            "state": self.state,
            "model": self.model,
            "signed_date": self.signed,
            "score": self.score,
            "decision": self.decision,
            "reason": self.why,
        }
        if self.list_kind:
            return message("audit.candidate.listed", publication=self.list_label, list_kind=self.list_kind, **row)
        return message("audit.candidate", publication=self.publication, **row)


@dataclass
class Item:
    event: Event
    kind: str  # removal | withdrawal
    subject: str  # agreement or application id
    agency_id: str
    last_listed: str
    first_absent: str
    checked_from: str = ""  # the first and last list the audit read for candidates
    checked_until: str = ""
    hits: list[Hit] = field(default_factory=list)
    others: int = 0  # candidates of a low rank, not listed

    @property
    def unexplained(self) -> list[Hit]:
        return [h for h in self.hits if h.decision == "unexplained"]

    def evidence(self) -> dict:
        """What the audit found: ``checked`` and the candidates' lines in English, and as messages
        (``checked_message``, ``candidates_messages``) for the web pages to say in their language."""
        if self.unexplained:
            said = message("evidence.unexplained", candidates=len(self.unexplained))
        elif self.hits:
            n = len(self.hits) + self.others
            said = message("evidence.declined.one") if n == 1 else message("evidence.declined.many", rows=n)
        else:  # only the lists it read: a later list may still print one (a note on the event says what)
            if self.checked_from == self.checked_until:  # one list (or one date's lists) read
                said = message(f"evidence.{self.kind}.none.one", first=self.checked_from)
            else:
                said = message(f"evidence.{self.kind}.none", first=self.checked_from, until=self.checked_until)
        return {
            "last_listed": self.last_listed,
            "first_absent": self.first_absent,
            "checked": render(said),
            "checked_message": said,
            "candidates": [h.line() for h in self.hits],
            "candidates_messages": [h.said() for h in self.hits],
        }


def _words(row: Row) -> str:
    return " ".join(sorted(distinctive(name_key(row.agency or "", row.state or "")[0])))


def _score(old: Row, new: Row, placed: bool) -> float:
    score = fuzz.ratio(_words(old), _words(new)) / 100 * 3
    if old.state == new.state:
        score += 3
    if old.county and old.county == new.county:
        score += 2
    if placed:
        score += 2
    return round(score, 1)


class _Lists:
    """Read-only helpers over one kind of list: sound predecessors, new rows, who prints beside whom."""

    def __init__(self, history: History, pubs: list[Pub]) -> None:
        self.history = history
        self.pubs = pubs
        self.sound = [i for i, p in enumerate(pubs) if not p.suspect]
        self._rows: dict[int, set[str]] = {}
        self._neighbours: dict[int, Neighbours] = {}
        self._first: dict[tuple[str | None, str | None], int] | None = None  # spelling -> the first list printing it
        self._fresh: dict[int, set[str]] = {}  # list -> the rows it was the first to print
        self._first_rows: dict[int, list[tuple[str, int]]] = {}  # list -> ``first_spelled``
        self.published = [p.published for p in pubs]  # in order (lists are ordered by date first)
        self._new: dict[int, set[str]] = {}
        self._of_agreement: dict[str, list[str]] | None = None

    # what a list holds, worked out when first asked and kept for the few lists read last (events come in list
    # order, and one list's removals read the same lists)
    KEPT = 8

    def _kept(self, store: dict, index: int, make: Callable[[Pub], Any]) -> Any:
        if index not in store:
            if len(store) >= self.KEPT:
                del store[next(iter(store))]
            store[index] = make(self.pubs[index])
        return store[index]

    def rows_at(self, index: int) -> set[str]:
        """The row ids of the list at ``index``."""
        return self._kept(self._rows, index, lambda pub: set(pub.row_ids()))

    def number_of(self, index: int, rid: str) -> int:
        """The row number of a row the list at ``index`` prints (its last printing there): found in the list
        (a few rows are asked of a list, not each of its rows)."""
        pub = self.pubs[index]
        return pub.number_at(printings(pub, (rid,))[-1])

    def neighbours(self, index: int) -> Neighbours:
        """``model.neighbours`` of the list at ``index``."""
        return self._kept(self._neighbours, index, neighbours)

    def previous(self, index: int) -> int | None:
        """The last sound list before ``index``."""
        at = bisect.bisect_left(self.sound, index)
        return self.sound[at - 1] if at else None

    def window(self, index: int, gap: int) -> list[int]:
        """The first ``gap`` + 1 sound lists from ``index`` on."""
        at = bisect.bisect_left(self.sound, index)
        return self.sound[at : at + gap + 1]

    def first_spelled(self, index: int) -> list[tuple[str, int]]:
        """The rows of the spellings this list was the first of its kind to print, in list order (a row printed
        twice, twice), each with its row number (that of its last printing in the list)."""
        if self._first is None:  # each spelling's first list, from the rows each list was the first to print
            self._first = {}
            self._fresh = first_printed(self.pubs)
            for i, fresh in self._fresh.items():
                for rid in fresh:
                    row = self.history.rows[rid]
                    self._first.setdefault((row.state, row.agency), i)
        if index not in self._first_rows:
            fresh, first, rows = self._fresh.get(index, set()), self._first, self.history.rows
            pub = self.pubs[index]
            wanted = [rid for rid in fresh if first[(rows[rid].state, rows[rid].agency)] == index]  # a few
            at = printings(pub, wanted)
            # a later printing's number replaces an earlier's
            number = dict(zip(map(pub.ids.__getitem__, at), pub.numbers_at(at), strict=True))
            self._first_rows[index] = [(pub.ids[i], number[pub.ids[i]]) for i in at]
        return self._first_rows[index]

    def between(self, since: str, until: str) -> range:
        """The lists published from ``since`` to ``until`` (both included)."""
        return range(bisect.bisect_left(self.published, since), bisect.bisect_right(self.published, until))

    def new_rows(self, index: int) -> set[str]:
        """The rows of the list at ``index`` that the sound list before it did not print."""

        def make(_pub: Pub) -> set[str]:
            prev = self.previous(index)
            if prev is None:
                return self.rows_at(index)
            since = Since()  # the lists' differences from prev on (``link``): the rows that came since prev
            for k, pub in steps(self.pubs, prev + 1):
                since.add(pub)
                if k == index:
                    break
            return since.came

        return self._kept(self._new, index, make)

    def agreement_rows(self, index: int, agreement_id: str) -> list[str]:
        """The rows of an agreement in the list at ``index``, in list order."""
        if self._of_agreement is None:
            self._of_agreement = defaultdict(list)
            for rid, of in self.history.row_agreement.items():
                self._of_agreement[of].append(rid)
        listed = self.rows_at(index)
        mine = [rid for rid in self._of_agreement.get(agreement_id, []) if rid in listed]
        if len(mine) > 1:
            order = list(self.pubs[index].row_ids())
            mine.sort(key=order.index)
        return mine


def _beside(history: History, a: str, b: str) -> Message | None:
    """That ICE prints both agencies (by their spellings) side by side, naming the first such list (kind, then
    date), or None."""
    pubs_of: dict[str, set[int]] = defaultdict(set)
    for agency_id in (a, b):
        agency = history.agencies_by_id.get(agency_id)
        for m in agency.members if agency is not None else ():
            pubs_of[agency_id].update(m.spelling.pubs)
    both = pubs_of[a] & pubs_of[b]
    if not both:
        return None
    pubs = history.lists_by_id
    kind, label = min((pubs[p].kind, pubs[p].label) for p in both)
    return message(f"audit.two-bodies.{kind}", list=label)


def _declined_pair(history: History, a: Row, b: Row) -> Message | None:
    for c in history.resolution.candidates:
        if c.state in (a.state, b.state) and {c.spelling, c.other} == {a.agency, b.agency}:
            return message("audit.identity-declined", reason=c.reason)
    return None


def audit(history: History) -> list[Item]:
    items = []
    part = _Lists(history, history.participating)
    pend = _Lists(history, history.pending_pubs)
    index_of = {p.pub_id: i for i, p in enumerate(history.participating)}
    pend_index = {p.pub_id: i for i, p in enumerate(history.pending_pubs)}
    gap = history.rules.max_gap_publications if history.rules else 2
    for e in history.events:
        if e.type == "removed" and e.agreement_id:
            items.append(_removal(history, part, e, index_of[e.pub.pub_id], gap))
        elif e.type == "pending-withdrawn":
            items.append(_withdrawal(history, pend, part, e, pend_index[e.pub.pub_id], gap))
    return items


def _removal(history: History, part: _Lists, e: Event, index: int, gap: int) -> Item:
    rows = history.rows
    prev = part.previous(index)
    assert prev is not None  # a removal has a list before it
    mine = part.agreement_rows(prev, e.agreement_id or "")
    item = Item(e, "removal", e.agreement_id or "", e.agency_id or "", part.pubs[prev].label, e.pub.label)
    window = part.window(index, gap)
    item.checked_from, item.checked_until = e.pub.label, part.pubs[window[-1] if window else index].label
    if not mine:
        return item
    old = rows[mine[0]]
    hits = []
    for j in window:
        for rid in part.new_rows(j):
            new = rows[rid]
            if new.model != old.model or new.signed != old.signed or not new.signed:
                continue
            other = history.agreements.get(history.row_agreement.get(rid, ""))
            if other is not None and other.positions[0] < j:  # a new row of an agreement listed before
                continue
            placed = j == index and in_place(mine[0], rid, part.neighbours(prev), part.neighbours(j))
            decision, reason = _judge_removal(history, e, old, new, placed)
            hits.append(
                Hit(
                    part.pubs[j].label,
                    part.number_of(j, rid),
                    new.state or "",
                    new.agency or "",
                    new.model or UNKNOWN_MODEL,
                    new.signed,
                    new.county,
                    _score(old, new, placed),
                    decision,
                    reason,
                )
            )
    _rank(item, hits)
    return item


def _holder_of(history: History, e: Event, new: Row) -> tuple[str | None, Message | None]:
    """The agency a candidate row belongs to, and why it is another body when ICE prints the two side by side."""
    holder = history.resolution.agency_of.get(spelled(new))
    return holder, _beside(history, e.agency_id or "", holder) if holder and holder != e.agency_id else None


def _judge_removal(history: History, e: Event, old: Row, new: Row, placed: bool) -> tuple[str, Message]:
    holder, two_bodies = _holder_of(history, e, new)
    if holder == e.agency_id:
        return "unexplained", message("audit.same-agency")
    if two_bodies:
        return "declined", two_bodies
    why = transfer_evidence(old, new, placed)
    if why:  # what the transfer rule acts on
        return "unexplained", message("audit.no-transfer", why=why)
    if old.state != new.state:
        return "declined", message("audit.other-state", state=new.state)
    return "declined", message("audit.another-body")


def _withdrawal(history: History, pend: _Lists, part: _Lists, e: Event, index: int, gap: int) -> Item:
    rows = history.rows
    app = history.applications[e.pending_id or ""]
    prev = pend.previous(index)
    assert prev is not None  # a withdrawal has a list before it
    mine = [
        rid
        for n, rid in pend.pubs[prev].listings
        if history.listing_application.get((pend.pubs[prev].pub_id, n)) == e.pending_id
    ]
    item = Item(e, "withdrawal", e.pending_id or "", e.agency_id or "", pend.pubs[prev].label, e.pub.label)
    window = pend.window(index, gap)
    last = pend.pubs[window[-1] if window else index]  # the last list read
    item.checked_from, item.checked_until = pend.pubs[prev].label, last.label
    if not mine:
        return item
    old = rows[mine[0]]
    until = last.published
    since = pend.pubs[prev].published
    found: list[tuple[Pub, int, str, bool]] = []
    for j in window:
        found.extend((pend.pubs[j], pend.number_of(j, rid), rid, j == index) for rid in pend.new_rows(j))
    for j in part.between(since, until):
        pub = part.pubs[j]
        at_once = pub.published <= e.pub.published
        if first := part.first_spelled(j):
            found.extend((pub, number, rid, at_once) for rid, number in first)
    hits = []
    seen = set()
    for pub, number, rid, at_once in found:
        new = rows[rid]
        if not new.agency or not new.state or (new.state, new.agency, pub.kind) in seen:
            continue
        if app.model not in (new.model, UNKNOWN_MODEL) and new.model != UNKNOWN_MODEL:
            continue
        score = _score(old, new, False)
        same_county = bool(old.county and old.county == new.county)
        if fuzz.ratio(_words(old), _words(new)) < 70 and not same_county:
            continue
        seen.add((new.state, new.agency, pub.kind))
        decision, reason = _judge_withdrawal(history, e, old, new, pub, at_once)
        hits.append(
            Hit(
                f"{pub.label} ({pub.kind})",
                number,
                new.state,
                new.agency,
                new.model or UNKNOWN_MODEL,
                new.signed,
                new.county,
                score,
                decision,
                reason,
                list_kind=pub.kind,
                list_label=pub.label,
            )
        )
    _rank(item, hits)
    return item


def _judge_withdrawal(history: History, e: Event, old: Row, new: Row, pub: Pub, at_once: bool) -> tuple[str, Message]:
    """``at_once``: the candidate first appeared in the list where the application left (or, on the
    participating list, between its last pending listing and that list): what the handoff rules read."""
    holder, two_bodies = _holder_of(history, e, new)
    if holder == e.agency_id:
        return "declined", message("audit.own-listing")
    if two_bodies:
        return "declined", two_bodies
    declined = _declined_pair(history, old, new)
    if declined:
        return "declined", declined
    key_old = name_key(old.agency or "", old.state or "")[0]
    key_new = name_key(new.agency or "", new.state or "")[0]
    if old.state != new.state:
        if key_old != key_new:
            return "declined", message("audit.other-state", state=new.state)
        homes = county_states(old.agency or "", old.state or "")
        if homes and new.state in homes:
            return "unexplained", message("audit.no-such-county", old_state=old.state, new_state=new.state)
        if at_once:
            return "unexplained", message("audit.other-state-at-once")
        return "declined", message("audit.other-state-elsewhere", state=new.state)
    if not at_once:
        return "declined", message("audit.not-where-it-left")
    kinds = (agency_kind(old.agency or "", old.agency_type), agency_kind(new.agency or "", new.agency_type))
    if not comparable(*kinds):
        kind, other_kind = sorted(set(kinds))
        return "declined", message("audit.other-kind", kind=kind, other_kind=other_kind)
    if _words(old) == _words(new):
        return "unexplained", message("audit.word-for-word")
    return "declined", message("audit.not-word-for-word")


def _rank(item: Item, hits: list[Hit]) -> None:
    hits.sort(key=lambda h: (h.decision != "unexplained", -h.score, h.publication, h.row_number))
    shown = [h for h in hits if h.decision == "unexplained"] + [h for h in hits if h.decision != "unexplained"]
    item.hits = shown[: max(SHOWN, len([h for h in hits if h.decision == "unexplained"]))]
    item.others = len(hits) - len(item.hits)
