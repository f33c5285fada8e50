"""Which agreement each participating row is: one agreement through re-dates, duplicate rows and new holders.

The participating lists are read in order. A row's key is (agency, model, signing date); a key seen before
keeps its agreement. A new key continues an agreement by the first rule that holds:

1. **re-dated** (a ``correction`` of SIGNED): one date of the agency's model left as this one appeared, and the
   dates are at most ``redate_max_days`` apart or differ by a typing slip (``redate-near``, ``-digit``,
   ``-day-month``, ``-year``); or, whatever the distance, by evidence (``redate-evidence``): it is the only
   change of that agency in the list (one date of the model gone, one new, every other row of the agency as
   before) and the MOA link did not change to another document (a renewal comes with a new MOA);
2. **duplicate row** (``duplicate-row``): the agency's same model is printed in the same list with a date one
   typing slip away (one digit or one day, day and month swapped, the year alone);
3. **transferred**: the same model and signing date left another holder in the same state in this list, or at
   most ``max_gap_publications`` lists before, and the two holders share a county (ICE's COUNTY column or the
   county in their names), or the new row took the old row's place in the list, or their names are alike
   (the words of one all among the other's). The agreement keeps its history; its holder changes.

Otherwise the key is a new agreement. Ids are assigned at the end from the latest listing (holder, model,
date); every id the agreement carried at an earlier list stays an alias.

**Probable year typo** (``signed_probable``): ICE's SIGNED date, as last printed, falls a year, to within
``year_typo_max_days``, before the ICE list that first printed the agreement, and ICE published lists of its own
after that date had passed by ``year_typo_max_days`` that left the agreement out, and no list printed the agency
with that date before: the date ICE probably meant is the same day a year later. The agreement keeps ICE's date
(and its id); the probable one stands beside it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from track287g.history.load import Pub, Row, steps
from track287g.history.model import (
    UNDATED,
    UNKNOWN_MODEL,
    Agreement,
    Correction,
    History,
    Neighbours,
    Transfer,
    agency_of,
    in_place,
    neighbours,
    redate_rule,
)
from track287g.history.rules import Rules
from track287g.messages import Message, message
from track287g.normalize.dates import typing_slip
from track287g.resolve.names import distinctive, name_key

Key = tuple[str, str, str | None]  # (agency id, model, signed)


def _county_of(row: Row) -> str | None:
    key = name_key(row.agency or "", row.state or "")[0]
    words = key.split()
    for i, w in enumerate(words):
        if w in ("county", "parish", "borough") and i:
            return words[i - 1]
    return None


def transfer_evidence(old: Row, new: Row, placed: bool) -> Message | None:
    """Why a row under one holder continues another holder's row of the same model and date (None: no reason
    to think so): both of one state, or the same name under another state (ICE corrected the row's state)."""
    if old.model != new.model or old.signed != new.signed or not old.signed:
        return None
    if old.state != new.state:
        same = name_key(old.agency or "", old.state or "")[0] == name_key(new.agency or "", new.state or "")[0]
        return message("transfer.why.other-state", old_state=old.state, new_state=new.state) if same else None
    if old.county and new.county and old.county == new.county:
        return message("transfer.why.county-column", county=old.county)
    ca, cb = _county_of(old), _county_of(new)
    if ca and cb and ca == cb:
        return message("transfer.why.county-name", county=ca.title())
    if placed:
        return message("transfer.why.placed")
    a = set(distinctive(name_key(old.agency or "", old.state or "")[0]))
    b = set(distinctive(name_key(new.agency or "", new.state or "")[0]))
    if a and b and (a <= b or b <= a):
        return message("transfer.why.words")
    return None


def assign(history: History, rows: dict[str, Row], rules: Rules, listings: Counter) -> None:
    """Assign every participating row to an agreement, following re-dates, duplicates and transfers; an
    agreement's listings are its rows' (``listings``: ``load.times_listed`` of the participating lists).

    Each list is read as its difference from the one before (``_Keys``): only keys that appeared or left can
    start, continue or change an agreement, and only they change which agreements the list prints."""
    part = history.participating
    state = _State()
    agreements = history.agreements
    keys = _Keys(history, rows)
    listed = _Listed()
    listed_now = listed.now
    run_from: dict[str, int] = {}  # agreement -> where its current run of consecutive lists began
    for index, pub in steps(part):
        added, gone, came = keys.read(pub)
        listed.start()
        for k in gone:
            listed.count(state.key_to[k], -1)
        for k in added:
            if k in state.key_to:
                listed.count(state.key_to[k], 1)
        previous_keys = state.previous_keys
        if previous_keys is None:  # the list before was sound: its keys are those the difference started from
            disappeared, appeared = gone, added
        else:
            disappeared, appeared = previous_keys - keys.first.keys(), keys.first.keys() - previous_keys
        vanished = [k for k in disappeared if state.key_to[k] not in listed_now]
        for k in vanished:
            state.pool.setdefault(k, state.sound)
        new_keys = sorted((k for k in added if k not in state.key_to), key=lambda k: (k[0], k[1], k[2] or ""))
        changed = defaultdict(set)
        for k in appeared | disappeared:
            changed[k[0]].add(k)
        redated: set[str] = set()
        state.now = pub
        first = keys.first
        for k in new_keys:
            found = (
                _redate(history, state, k, first, vanished, changed, rows, rules, pub)
                or _duplicate(history, state, k, first, pub)
                or _transfer(history, state, k, first, rows, rules, index)
            )
            if found:
                agreement_id, how = found
                if how == "redate":
                    redated.add(agreement_id)
            else:
                agency_id, model, signed = k
                agreement_id = f"{agency_id}#{model}#{signed or UNDATED}"
                while agreement_id in agreements:
                    agreement_id += "+"
                agreements[agreement_id] = Agreement(agreement_id, agency_id, agency_id.split("-", 1)[0], model, signed)
            state.key_to[k] = agreement_id
            state.by_pair[k[:2]].add(k)
            listed.count(agreement_id, 1)
            state.pool.pop(k, None)
        for rid in sorted(came):  # a row's agreement never changes (by id: the address kept is not a set's order)
            key = keys.key_of[rid]
            if key is not None:
                history.row_agreement[rid] = state.key_to[key]
                a = agreements[history.row_agreement[rid]]
                a.moa_url = rows[rid].moa_url or a.moa_url
                a.addendum_url = rows[rid].addendum_url or a.addendum_url
        touched = {state.key_to[k] for k in added | gone}
        for k in added:
            state.live[state.key_to[k]].add(k)
            agreements[state.key_to[k]].printed.setdefault((k[0], k[2]), index)
        for k in gone:
            state.live[state.key_to[k]].discard(k)
        for agreement_id, there in listed.was.items():
            if there and agreement_id not in listed_now:  # a run of lists ends: its positions at once
                agreements[agreement_id].positions.extend(range(run_from.pop(agreement_id), index))
            elif not there and agreement_id in listed_now:
                run_from[agreement_id] = index
        _holders(agreements, state, touched, first, rows, index)
        state.touched |= touched
        _returned(history, state, redated, pub, rules)
        if not pub.suspect:
            for agreement_id in state.touched:
                state.printed[agreement_id] = frozenset(k[2] for k in state.live[agreement_id])
            state.touched = set()
            state.sound += 1
            state.before = pub
            state.previous_keys = None
        else:  # the keys of the last sound list and of every suspect one after it
            state.previous_keys = (keys.before if previous_keys is None else previous_keys) | first.keys()
        state.pool = {
            k: at
            for k, at in state.pool.items()
            if state.sound - at <= rules.max_gap_publications and state.key_to[k] not in listed_now
        }
    for agreement_id, start in run_from.items():
        agreements[agreement_id].positions.extend(range(start, len(part)))
    for rid, agreement_id in history.row_agreement.items():
        agreements[agreement_id].listings += listings[rid]
    _final_ids(history)


class _Listed:
    """The agreements the list being read prints, kept up to date as their keys come and go."""

    def __init__(self) -> None:
        self.now: set[str] = set()
        self.keys: Counter = Counter()  # agreement -> its keys in the list
        self.was: dict[str, bool] = {}  # an agreement whose keys changed -> whether the list before printed it

    def start(self) -> None:
        """A new list is read: no agreement's keys changed yet."""
        self.was = {}

    def count(self, agreement_id: str, step: int) -> None:
        self.was.setdefault(agreement_id, agreement_id in self.now)
        self.keys[agreement_id] += step
        if self.keys[agreement_id]:
            self.now.add(agreement_id)
        else:
            self.now.discard(agreement_id)


class _Keys:
    """The keys each participating list prints, each with its first row in the list, read from the rows that
    came and went since the list before (a key printed by two rows is looked up in the list, the rest are not)."""

    def __init__(self, history: History, rows: dict[str, Row]) -> None:
        self.history, self.rows = history, rows
        self.key_of: dict[str, Key | None] = {}  # row -> its key (None: a row of no agency)
        self.first: dict[Key, str] = {}  # key -> its first row in the list read last
        self.before: set[Key] = set()  # the keys of the list before that one (made only when asked)
        self._of: dict[Key, set[str]] = {}  # key -> its distinct rows in that list
        self._twice: set[Key] = set()  # keys with two rows or more in it

    def read(self, pub: Pub) -> tuple[set[Key], set[Key], set[str]]:
        """Read the next list: (keys it added, keys it lost, rows new to the list)."""
        came, went = pub.came, pub.went
        if pub.suspect:  # the caller may need the keys this list replaces
            self.before = set(self.first)
        for rid in came.difference(self.key_of):
            agency_id = agency_of(self.history, self.rows[rid])
            row = self.rows[rid]
            self.key_of[rid] = (agency_id, row.model or UNKNOWN_MODEL, row.signed) if agency_id else None
        gone: set[Key] = set()
        added: set[Key] = set()
        changed: set[Key] = set()
        for rid in went:
            k = self.key_of[rid]
            if k is not None:
                mine = self._of[k]
                mine.discard(rid)
                changed.add(k)
                if not mine:
                    del self._of[k]
                    gone.add(k)
        for rid in came:
            k = self.key_of[rid]
            if k is not None:
                changed.add(k)
                if k in self._of:
                    self._of[k].add(rid)
                else:
                    self._of[k] = {rid}
                    if k in gone:  # its rows were replaced: still printed
                        gone.discard(k)
                    else:
                        added.add(k)
        for k in gone:
            del self.first[k]
            self._twice.discard(k)
        for k in changed - gone:
            mine = self._of[k]
            if len(mine) == 1:
                self.first[k] = next(iter(mine))
                self._twice.discard(k)
            else:
                self._twice.add(k)
        if self._twice:  # the first of several rows depends on the order, which can change with no row changing
            listed = list(pub.row_ids())
            for k in self._twice:
                self.first[k] = min(self._of[k], key=listed.index)
        return added, gone, came


class _State:
    def __init__(self) -> None:
        self.key_to: dict[Key, str] = {}
        self.previous_keys: set[Key] | None = None  # keys of the last sound list and any suspect after it
        # (None: the list just read was sound, its keys are the ones to compare with)
        self.pool: dict[Key, int] = {}  # keys that left, -> the count of sound lists read when they left
        self.printed: dict[str, frozenset] = {}  # agreement -> the dates the last sound list printed
        self.last_row: dict[Key, str] = {}  # key -> the row that printed it last
        self.sound = 0
        self.before: Pub | None = None  # the last sound list
        self.now: Pub | None = None  # the list being read
        self.by_pair: dict[tuple[str, str], set[Key]] = defaultdict(set)  # (agency, model) -> its keys
        self.live: dict[str, set[Key]] = defaultdict(set)  # agreement -> its keys in the list just read
        self.touched: set[str] = set()  # agreements whose keys changed since the last sound list
        self._neighbours: dict[int, Neighbours] = {}

    def neighbours(self, pub) -> Neighbours | dict:
        """The neighbours of each row of a list (``build.neighbours``), kept for the two lists compared."""
        if pub is None:
            return {}
        if pub.pub_id not in self._neighbours:
            keep = {getattr(self.before, "pub_id", None), getattr(self.now, "pub_id", None)}
            self._neighbours = {k: v for k, v in self._neighbours.items() if k in keep}
            self._neighbours[pub.pub_id] = neighbours(pub)
        return self._neighbours[pub.pub_id]


def _holders(agreements, state, touched, keys, rows, index) -> None:
    """Holder and date of each agreement whose keys changed: the agencies and dates the list prints now."""
    for agreement_id in touched:
        live = state.live[agreement_id]  # its keys in this list (a key's agreement never changes)
        for k in live:
            state.last_row[k] = keys[k]
        if not live:
            continue
        a = agreements[agreement_id]
        agencies = {k[0] for k in live}
        holder = a.holders[-1][1] if a.holders else None
        if holder not in agencies:
            a.holders.append((index, min(agencies)))
        a.agency_id = a.holders[-1][1]
        a.state = a.agency_id.split("-", 1)[0]
        dated = sorted((rows[state.last_row[k]].moa_url is None, k[2]) for k in live if k[2])
        if dated:
            a.signed = dated[0][1]


def _redate(history, state, k, keys, vanished, changed, rows, rules, pub):
    options = []
    for old in vanished:
        if old[:2] != k[:2] or old not in state.pool:
            continue
        rule = redate_rule(old[2], k[2], rules.redate_max_days)
        evidence = None
        if rule is None:
            evidence = _sole_change(k, old, changed, rows, state, keys)
            rule = "redate-evidence" if evidence else None
        if rule:
            days = abs(_days(old[2], k[2]))
            options.append((evidence is not None, days, old[2] or "", old, rule))
    if not options:
        return None
    _, _, _, old, rule = min(options)
    agreement_id = state.key_to[old]
    state.pool.pop(old, None)
    history.corrections.append(Correction(agreement_id, "signed", old[2] or UNDATED, k[2] or UNDATED, pub, rule))
    return agreement_id, "redate"


def _days(a: str | None, b: str | None) -> int:
    from datetime import date

    return (date.fromisoformat(b) - date.fromisoformat(a)).days if a and b else 0


def _sole_change(k, old, changed, rows, state, keys) -> str | None:
    """The evidence that a new date re-dates an old one: the agency's only change in this list."""
    if changed.get(k[0], set()) != {k, old}:
        return None
    before, after = rows.get(state.last_row.get(old, "")), rows.get(keys[k])
    if before and after and before.moa_url and after.moa_url and before.moa_url != after.moa_url:
        return None
    return f"the only change of the agency in this list: {k[1]} {old[2]} gone, {k[2]} new, every other row as before"


def _duplicate(history, state, k, keys, pub):
    same = sorted((x for x in state.by_pair.get(k[:2], ()) if x in keys), key=lambda x: x[2] or "")
    for other in same:
        if other == k or other not in state.key_to or not (other[2] and k[2]):
            continue
        if typing_slip(other[2], k[2]):
            agreement_id = state.key_to[other]
            history.corrections.append(Correction(agreement_id, "signed", other[2], k[2], pub, "duplicate-row"))
            return agreement_id, "duplicate"
    return None


def _transfer(history, state, k, keys, rows, rules, index):
    new_row = rows[keys[k]]
    options = []
    for old, at in state.pool.items():
        if old[0] == k[0] or old[1:] != k[1:] or not k[2]:
            continue
        if (old[0], *k[1:]) in keys:  # the old holder still prints it
            continue
        old_rid = state.last_row.get(old)
        if old_rid is None:
            continue
        placed = in_place(old_rid, keys[k], state.neighbours(state.before), state.neighbours(state.now))
        why = transfer_evidence(rows[old_rid], new_row, placed)
        if why:
            options.append((state.sound - at, not placed, old, why, old_rid))
    if not options:
        return None
    _, _, old, why, old_rid = min(options)
    agreement_id = state.key_to[old]
    state.pool.pop(old, None)
    pub = history.participating[index]
    history.transfers.append(
        Transfer(
            agreement_id,
            old[0],
            k[0],
            index,
            message(
                "transfer.evidence",
                list=pub.label,
                model=k[1],
                signed_date=k[2],
                old=repr(rows[old_rid].agency),
                new=repr(new_row.agency),
                why=why,
            ),
        )
    )
    return agreement_id, "transfer"


def _returned(history, state, redated, pub, rules) -> None:
    """ICE went back to a date it printed before for an agreement listed in the last sound list."""
    for agreement_id in sorted(state.touched):
        before = state.printed.get(agreement_id)
        dates = frozenset(k[2] for k in state.live[agreement_id])
        if agreement_id in redated or not dates or before is None or dates == before:
            continue
        if len(dates) != 1 or len(before) != 1:
            continue
        (old,), (new,) = before, dates
        rule = redate_rule(old, new, rules.redate_max_days) or "redate-returned"
        history.corrections.append(Correction(agreement_id, "signed", old or UNDATED, new or UNDATED, pub, rule))


def _final_ids(history: History) -> None:
    """Ids from the latest listing (holder, model, date); every id the agreement could have carried before
    (any id of a holder it was printed under, with any date printed there) is an alias."""
    former: dict[str, set[str]] = defaultdict(set)
    for old, agency_id in history.resolution.aliases.items():
        former[agency_id].add(old)
    for c in history.resolution.id_changes:
        former[c.agency_id].add(c.old)
    final: dict[str, str] = {}
    taken: set[str] = set()
    for internal, a in sorted(history.agreements.items(), key=lambda kv: (kv[1].positions[0], kv[0])):
        wanted = f"{a.agency_id}#{a.model}#{a.signed or UNDATED}"
        if wanted in taken:
            wanted = internal if internal not in taken else internal + "+"
        taken.add(wanted)
        final[internal] = wanted
    aliases: dict[str, str] = {}
    for internal, a in sorted(history.agreements.items()):
        aliases.setdefault(internal, final[internal])
        for agency_id, signed in sorted(a.printed, key=lambda x: (x[0], x[1] or "")):
            for old in sorted(former.get(agency_id, set()) | {agency_id}):
                aliases.setdefault(f"{old}#{a.model}#{signed or UNDATED}", final[internal])
    history.agreement_aliases = {old: new for old, new in aliases.items() if old != new and old not in taken}
    renamed = {}
    for internal, a in history.agreements.items():
        a.agreement_id = final[internal]
        renamed[a.agreement_id] = a
    history.agreements = renamed
    history.row_agreement = {rid: final[a] for rid, a in history.row_agreement.items()}
    for fix in history.corrections:
        fix.agreement_id = final[fix.agreement_id]
    for t in history.transfers:
        t.agreement_id = final[t.agreement_id]


def probable_signings(history: History, rules: Rules) -> None:
    """Give each agreement whose SIGNED date is probably a year typo the date ICE meant (``signed_probable``,
    see the module's docstring)."""
    part = history.participating
    limit = rules.year_typo_max_days
    dated: dict[tuple[str, str], int] = {}  # (agency, signing date) -> the first list printing one of its agreements
    for a in history.agreements.values():
        for (agency_id, day), index in a.printed.items():
            if day:
                dated[(agency_id, day)] = min(index, dated.get((agency_id, day), index))
    for a in history.agreements.values():
        if not a.signed or a.signed == UNDATED or not a.positions:
            continue
        first = part[a.positions[0]]
        signed = date.fromisoformat(a.signed)
        try:
            meant = signed.replace(year=signed.year + 1)
        except ValueError:  # 29 February: no same day a year later
            continue
        if first.derived or not 0 <= (date.fromisoformat(first.published) - meant).days <= limit:
            continue
        if dated.get((a.agency_id, a.signed), a.positions[0]) < a.positions[0]:
            continue  # the agency's agreement of another model, or another row of it, was printed with that date before
        due = (signed + timedelta(limit)).isoformat()  # by then ICE lists an agreement signed that day
        if any(not p.derived and p.published > due for p in part[: a.positions[0]]):
            a.signed_probable = meant.isoformat()
