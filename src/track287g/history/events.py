"""Events: what changed in each publication against the previous sound one of its kind.

Participating lists: ``added``, ``model-added``, ``renewed``, ``model-switch``, ``moved-from-pending``,
``reappeared``, ``removed``, ``missing``, ``superseded``, ``re-dated``, ``renamed`` and ``transferred`` (one
agreement, a new holder: the event names both). Pending lists: ``pending-added``, ``pending-reappeared``,
``pending-missing``, ``pending-withdrawn``, ``pending-duplicate`` (a second pending row of one application, which
left the list with it: one approval, not two) and ``pending-approved``, dated by the participating list where the
agreement first appeared (it still counts in the net change of the pending list the application left). An
``id-changed`` event dates each change of an agency's id by the list that caused it; the old id stays an alias.

Events are numbered in the order of their publications across both lists (date, part of day, save time), so
the newest event has the highest number.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from operator import itemgetter

from track287g.history.load import Pub, Row, Since, steps
from track287g.history.model import (
    MINUS,
    PENDING_MINUS,
    PENDING_PLUS,
    PLUS,
    UNDATED,
    Application,
    Correction,
    Event,
    History,
    Runs,
    spelled,
)
from track287g.history.rules import Rules
from track287g.messages import Message, message, render


def participating_events(history: History, rows: dict[str, Row], rules: Rules) -> None:
    pubs = history.participating
    agreements = history.agreements
    sound = [i for i, p in enumerate(pubs) if not p.suspect]
    turns = _Turns({a.agreement_id: a.positions for a in agreements.values()}, len(pubs))
    agency_model = {a.agreement_id: (a.agency_id, a.model) for a in agreements.values()}
    held_before: Counter = Counter()  # agency, and (agency, model) -> its agreements in the last sound list
    printed_as = {
        rid: (history.resolution.agency_of[spelled(rows[rid])], rows[rid].agency or "") for rid in history.row_agreement
    }
    corrections: dict[int, dict[str, Correction]] = defaultdict(dict)  # list -> agreement -> its correction there
    for c in history.corrections:
        if c.field == "signed" and c.rule != "duplicate-row":  # a re-date (a misprinted agency is no event)
            corrections[c.pub.pub_id][c.agreement_id] = c
    redates: dict[str, list[tuple[tuple, str]]] = defaultdict(list)  # agreement -> (list, date it replaced)
    for fix in history.corrections:
        if fix.field == "signed" and fix.rule != "duplicate-row":
            redates[fix.agreement_id].append((fix.pub.order_key(), fix.old))
    moves = _holder_changes(history)
    moved_rows: dict[str, list[str]] = defaultdict(list)  # an agreement that changed holder -> its printed rows
    moved = {agreement_id for _, agreement_id, *_ in moves}
    for rid, agreement_id in history.row_agreement.items():
        if agreement_id in moved:
            moved_rows[agreement_id].append(rid)
    names = {a.agency_id: a.name for a in history.resolution.agencies}
    previous: int | None = None
    printed_names = _NamesPrinted(printed_as)
    for index, pub in steps(pubs):
        turns.step(index)
        prev_pub = pubs[previous] if previous is not None else None
        printed_names.since.add(pub)
        if pub.suspect:
            history.events.append(
                Event(
                    pub,
                    prev_pub,
                    "suspect-publication",
                    detail={
                        "rows": pub.rows,
                        "previous_rows": prev_pub.rows if prev_pub else None,
                        "note": "rows fell by more than the suspect share; not used to declare removals",
                    },
                )
            )
            continue
        went, came = turns.take()  # since the last sound list
        now = turns.now
        for agreement_id in sorted(came):
            a = agreements[agreement_id]
            if previous is not None and a.positions[0] <= previous:
                kind = "reappeared"
            elif a.supersedes:
                kind = "renewed" if any(agreements[s].model == a.model for s in a.supersedes) else "model-switch"
            elif a.pending_id:
                kind = "moved-from-pending"
            else:
                added_model = held_before[a.agency_id] > 0 and held_before[(a.agency_id, a.model)] == 0
                kind = "model-added" if added_model else "added"
            # the date ICE printed in this list: a later re-date says what it was replaced by
            later_redates = sorted(r for r in redates.get(agreement_id, []) if r[0] > pub.order_key())
            signed = later_redates[0][1] if later_redates else a.signed
            detail: dict = {"signed": None if signed == UNDATED else signed}
            if a.signed_probable and signed == a.signed:  # a year typo: the date ICE probably meant
                detail["signed_probable"] = a.signed_probable
            if a.supersedes:
                detail["supersedes"] = a.supersedes
            if a.pending_id:
                detail["pending_id"] = a.pending_id
            history.events.append(
                Event(pub, prev_pub, kind, _holder_at(a, index), agreement_id, a.pending_id, a.state, a.model, detail)
            )
        for agreement_id in sorted(went):
            a = agreements[agreement_id]
            back = bisect.bisect_right(a.positions, index)  # where its next run begins in its positions
            later = a.positions[back] if back < len(a.positions) else None
            absent = bisect.bisect_left(sound, later) - bisect.bisect_left(sound, index) if later is not None else 0
            if later is not None and rules.is_gap(absent, pubs[a.positions[back - 1]].days_to(pubs[later])):
                kind, detail = "missing", {"back_in": pubs[later].label}
            elif later is not None:
                kind, detail = "removed", {"reappears_in": pubs[later].label}
            elif a.status == "superseded":
                kind, detail = "superseded", {"superseded_by": a.superseded_by}
            else:
                last = pubs[a.removed_after].label if a.removed_after is not None else None
                kind, detail = "removed", {"last_listed": last}
                if a.provisional:  # a list printing it again before it is confirmed makes this a gap
                    detail["provisional"] = True
                    detail["lists_to_confirm"] = a.lists_to_confirm
                    if a.confirm_from:
                        detail["confirm_from"] = a.confirm_from
            holder = _holder_at(a, previous)
            history.events.append(Event(pub, prev_pub, kind, holder, agreement_id, None, a.state, a.model, detail))
        fixed_here = corrections.get(pub.pub_id, {})
        for agreement_id in sorted(x for x in fixed_here if x in now and x not in came):  # listed in both
            c, a = fixed_here[agreement_id], agreements[agreement_id]
            detail = {"from": c.old, "to": c.new, "rule": c.rule}
            history.events.append(
                Event(pub, prev_pub, "re-dated", _holder_at(a, index), agreement_id, None, a.state, a.model, detail)
            )
        while moves and moves[0][0] <= index:
            _, agreement_id, old, new, evidence = moves.pop(0)
            a = agreements[agreement_id]
            kind = "transferred" if old.split("-", 1)[0] == new.split("-", 1)[0] else "state-corrected"
            detail = {
                "from_agency_id": old,
                "from": names.get(old, old),
                "to_agency_id": new,
                "to": names.get(new, new),
                "signed": a.signed,
                "evidence": render(evidence),  # said in English (the command line, the JSON); and as a message
                "evidence_message": evidence,
            }
            links: list[set[str]] = [
                {url for r in moved_rows[agreement_id] if printed_as[r][0] == holder and (url := rows[r].moa_url)}
                for holder in (old, new)
            ]
            same = sorted(links[0] & links[1])
            if same:  # the document did not change hands: the name on the row may have been corrected
                note = message("transfer.same-moa", url=same[0])
                detail["note"], detail["note_message"] = render(note), note
            history.events.append(
                Event(pub, prev_pub, kind, new, agreement_id, None, a.state, a.model, detail, other_agency_id=old)
            )
        dropped, gained, kept = printed_names.read()
        if previous is not None:
            for agency_id in sorted(kept):
                was_only = {n for a, n in dropped if a == agency_id}  # its spellings the list before printed only
                now_only = {n for a, n in gained if a == agency_id}
                if not (was_only and now_only):
                    continue  # a spelling added beside the old one (or dropped) is not a rename
                history.events.append(
                    Event(
                        pub,
                        prev_pub,
                        "renamed",
                        agency_id,
                        None,
                        None,
                        agency_id.split("-", 1)[0],
                        None,
                        {"from": sorted(was_only), "to": sorted(now_only)},
                    )
                )
        history.nets[pub.sha256] = len(came) - len(went)
        for ids, step in ((went, -1), (came, 1)):
            for agreement_id in ids:
                agency_id, model = agency_model[agreement_id]
                held_before[agency_id] += step
                held_before[(agency_id, model)] += step
        previous = index


class _NamesPrinted:
    """The (agency, name as printed) pairs of each list read, from the rows that came and went since the list
    read before it."""

    def __init__(self, printed_as: dict[str, tuple[str, str]]) -> None:
        self.printed_as = printed_as
        self.since = Since()  # the rows that came and went since the list read last
        self.listed: Counter = Counter()  # (agency, name) -> its distinct rows in that list
        self.names: Counter = Counter()  # agency -> its names in that list

    def read(self) -> tuple[set[tuple[str, str]], set[tuple[str, str]], set[str]]:
        """(names dropped, names gained, agencies listed in both lists whose names changed) of the list whose
        rows ``since`` holds up to, against the list read before."""
        was: dict[tuple[str, str], bool] = {}  # a name whose rows changed -> whether the list before printed it
        for rows, step in zip(self.since.take(), (-1, 1), strict=True):
            for rid in rows:
                name = self.printed_as.get(rid)
                if name is not None:
                    was.setdefault(name, self.listed[name] > 0)
                    self.listed[name] += step
        dropped = {name for name, there in was.items() if there and not self.listed[name]}
        gained = {name for name, there in was.items() if not there and self.listed[name]}
        agencies = set(map(itemgetter(0), dropped | gained))
        before = {agency for agency in agencies if self.names[agency]}
        self.names.update(map(itemgetter(0), gained))
        self.names.subtract(map(itemgetter(0), dropped))
        return dropped, gained, {agency for agency in before if self.names[agency]}


class _Turns:
    """The ids each list lists in turn (``now``), from each id's sorted positions: a run of consecutive lists
    starts and ends once, instead of an id added to a set for every list listing it; and what went and came
    since the list taken last (the suspect lists passed by on the way added up)."""

    def __init__(self, positions: dict[str, Runs], count: int) -> None:
        self.starts: list[list[str]] = [[] for _ in range(count + 1)]
        self.ends: list[list[str]] = [[] for _ in range(count + 1)]
        for key, where in positions.items():
            for first, last in where.runs():
                self.starts[first].append(key)
                self.ends[last + 1].append(key)
        self.now: set[str] = set()
        self.since = Since()

    def step(self, index: int) -> None:
        """Move on to the list at ``index`` (the lists in turn, from 0)."""
        went, came = self.ends[index], self.starts[index]
        self.now.difference_update(went)
        self.now.update(came)
        self.since.add_change(went, came)

    def take(self) -> tuple[set[str], set[str]]:
        """(went, came) since the list taken last: ``before - now`` and ``now - before``."""
        return self.since.take()


def _holder_changes(history: History) -> list[tuple[int, str, str, str, Message]]:
    """(index, agreement, old holder, new holder, evidence) for every change of holder, in list order."""
    recorded = {(t.agreement_id, t.index): t.evidence for t in history.transfers}
    pubs = history.participating
    out = []
    for a in history.agreements.values():
        for (_, old), (at, new) in zip(a.holders, a.holders[1:], strict=False):
            evidence = recorded.get((a.agreement_id, at)) or message("transfer.again", list=pubs[at].label)
            out.append((at, a.agreement_id, old, new, evidence))
    return sorted(out, key=lambda change: change[:4])


def _holder_at(a, index: int | None) -> str:
    """The agency that held an agreement in a given list (its latest holder when no list is given)."""
    holder = a.agency_id
    for at, agency_id in a.holders if index is not None else ():
        if at <= index:
            holder = agency_id
    return holder


def pending_events(history: History) -> None:
    pubs = history.pending_pubs
    part = history.participating
    apps = history.applications
    turns = _Turns({app.pending_id: app.positions for app in apps.values()}, len(pubs))
    previous: int | None = None
    for index, pub in enumerate(pubs):
        turns.step(index)
        if pub.suspect:
            continue
        went, came = turns.take()  # since the last sound list
        prev_pub: Pub | None = pubs[previous] if previous is not None else None
        for pending_id in sorted(came):
            app = apps[pending_id]
            first = app.positions[0]
            seen_before = previous is not None and first <= previous
            kind = "pending-reappeared" if seen_before else "pending-added"
            # first printed by a suspect list since the last sound one: dated by it, counted in this list's change
            on, counted = (pubs[first], pub) if not seen_before and first < index else (pub, None)
            history.events.append(
                Event(on, prev_pub, kind, app.agency_id, None, pending_id, app.state, app.model, {}, counted_in=counted)
            )
        for pending_id in sorted(went):
            app = apps[pending_id]
            on, on_prev, counted = pub, prev_pub, None
            detail: dict[str, object]
            if app.positions[-1] > index:  # listed again later
                kind, detail = "pending-missing", {}
            elif app.status == "approved" and app.duplicate_of:
                # a second pending row of one application (an "UNK" row, a repeat): one approval, not two
                kind = "pending-duplicate"
                detail = {"agreement_id": app.agreement_id, "duplicate_of": app.duplicate_of, "how": app.approval}
            elif app.status == "approved":
                kind = "pending-approved"
                detail, at = _approval(history, app)
                if at is not None:
                    on, on_prev, counted = part[at], part[at - 1] if at else None, pub
                    detail["left_pending_list"] = pub.label
            else:
                kind, detail = "pending-withdrawn", {"last_listed": pubs[app.positions[-1]].label}
                if app.note:  # in English, and as a message for the web pages to say in their language
                    detail["note"] = render(app.note)
                    detail["note_message"] = app.note
            history.events.append(
                Event(
                    on,
                    on_prev,
                    kind,
                    app.agency_id,
                    app.agreement_id,
                    pending_id,
                    app.state,
                    app.model,
                    detail,
                    counted_in=counted,
                )
            )
        history.nets[pub.sha256] = len(came) - len(went)
        previous = index
    _approved_while_listed(history)


def _approved_while_listed(history: History) -> None:
    """``pending-approved`` for the applications still on the last pending list whose agreement reached the
    participating list after it (ICE posted no pending list since): dated by the participating list where the
    agreement first appeared, counted in no pending list's net change (none left it)."""
    pubs, part = history.pending_pubs, history.participating
    for app in sorted(history.applications.values(), key=lambda app: app.pending_id):
        if app.status != "approved" or app.duplicate_of or not pubs or app.positions[-1] != len(pubs) - 1:
            continue
        detail, at = _approval(history, app)
        if at is None:
            continue  # its agreement was listed before it: nothing happened after the last pending list
        detail["still_on_pending_list"] = pubs[-1].label
        previous = part[at - 1] if at else None
        history.events.append(
            Event(
                part[at],
                previous,
                "pending-approved",
                app.agency_id,
                app.agreement_id,
                app.pending_id,
                app.state,
                app.model,
                detail,
            )
        )


def _approval(history: History, app: Application) -> tuple[dict[str, object], int | None]:
    """An approval's detail, and the participating list that dates it: the one where its agreement first
    appeared, when no earlier than the application (None: the pending list the application left dates it)."""
    detail: dict[str, object] = {"agreement_id": app.agreement_id, "days": app.days_to_approval, "how": app.approval}
    at = history.agreements[app.agreement_id or ""].positions[0]
    listed_after = history.participating[at].order_key() >= history.pending_pubs[app.positions[0]].order_key()
    return detail, at if listed_after else None


def id_events(history: History) -> None:
    for c in history.resolution.id_changes:
        pub = history.lists_by_id[c.pub_id]
        history.events.append(
            Event(
                pub,
                None,
                "id-changed",
                c.agency_id,
                state=c.agency_id.split("-", 1)[0],
                detail={"from": c.old, "to": c.new, "reason": c.reason, "note": f"{c.old} stays an alias of {c.new}"},
            )
        )


_KIND_RANK = {"participating": 0, "pending": 1}


def finish(history: History) -> None:
    """Order events by publication across both lists and fill each publication's check."""
    ranked = sorted(
        enumerate(history.events), key=lambda ie: (ie[1].pub.order_key(), _KIND_RANK.get(ie[1].pub.kind, 2), ie[0])
    )
    history.events[:] = [e for _, e in ranked]
    counted: dict[str, list[Event]] = defaultdict(list)
    for e in history.events:
        counted[(e.counted_in or e.pub).sha256].append(e)
    for kind_pubs, plus, minus in (
        (history.participating, PLUS, MINUS),
        (history.pending_pubs, PENDING_PLUS, PENDING_MINUS),
    ):
        previous: Pub | None = None
        for pub in kind_pubs:
            if pub.suspect:
                note = f"rows fell from {previous.rows if previous else 0} to {pub.rows}"
                history.checks[pub.sha256] = {"suspect": True, "added": 0, "removed": 0, "net": 0, "note": note}
                continue
            mine = counted.get(pub.sha256, [])
            history.checks[pub.sha256] = {
                "suspect": False,
                "added": sum(1 for e in mine if e.type in plus),
                "removed": sum(1 for e in mine if e.type in minus),
                "net": history.nets.get(pub.sha256, 0),
                "note": "",
            }
            previous = pub


def attach_evidence(history: History) -> None:
    """Every removal and withdrawal names the last list that printed it, the first without it, and what the
    audit found: the rows that could have continued it, each declined with its reason."""
    by_event = {id(item.event): item for item in history.audit}
    for e in history.events:
        item = by_event.get(id(e))
        if item is None:
            continue
        e.detail["evidence"] = item.evidence()
