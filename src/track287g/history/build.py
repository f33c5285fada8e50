"""Build the history: agencies, agreements, their lifecycle, pending applications and events.

The rules, with their thresholds in ``data/rules.yaml``:

- **Agreement**: agency + support model + signing date. Its id is ``<agency id>#<model>#<date>`` from the first
  listing seen (``undated`` when ICE printed no valid date).
- **Re-dated**: when, between one publication and the next of its kind, one date of an agency's model
  disappears and one new date appears, the listing is one agreement re-dated (a ``correction``) if the
  dates are at most ``redate_max_days`` apart or differ by a typing slip (one digit, day and month swapped,
  the year alone by one), or one of them was missing.
- **Suspect publication**: rows fall by more than ``suspect_drop_share`` against the previous publication of
  its kind (when that had at least ``suspect_min_rows``). Suspect publications count for first and last
  listed dates, not for absences.
- **Gap**: a listing absent from at most ``max_gap_publications`` consecutive (non-suspect) publications and
  then listed again was never removed: events ``missing`` then ``reappeared``.
- **Removed**: absent for longer, or absent at the end of the archive (then ``provisional`` until
  ``max_gap_publications`` later publications confirm it). The window is (last listed, first absent].
- **Superseded**: a removed agreement whose agency, in the publication where it disappears, gains a later
  agreement of the same model (renewal) or a model it did not have (model switch).
- **Pending**: an application (agency + model) runs while listed on the pending list (gaps allowed as
  above). It is ``approved`` by the first agreement of the same agency and model first listed between
  ``approval_days_before`` before its first listing and ``approval_days_after`` after its last; it is
  ``withdrawn`` when it left the list without one.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from track287g.history.load import Archive, Pub, Row
from track287g.history.rules import Rules
from track287g.normalize.agency_kind import agency_kind
from track287g.resolve.agencies import Handoff, Resolution, Spelling, resolve_agencies
from track287g.resolve.aliases import Alias

PLUS = ("added", "model-added", "renewed", "model-switch", "moved-from-pending", "reappeared")
MINUS = ("removed", "missing", "superseded")
PENDING_PLUS = ("pending-added", "pending-reappeared")
PENDING_MINUS = ("pending-approved", "pending-withdrawn", "pending-missing")
UNDATED = "undated"
UNKNOWN_MODEL = "UNK"


@dataclass
class Agreement:
    agreement_id: str
    agency_id: str
    state: str
    model: str
    signed: str | None
    positions: list[int] = field(default_factory=list)  # indices of participating publications listing it
    listings: int = 0
    moa_url: str | None = None
    addendum_url: str | None = None
    status: str = "active"
    superseded_by: str | None = None
    supersedes: list[str] = field(default_factory=list)
    removed_after: int | None = None  # index of the last publication listing it, when removed
    removed_by: int | None = None  # index of the first publication without it
    provisional: bool = False
    pending_id: str | None = None


@dataclass
class Application:
    pending_id: str
    agency_id: str
    state: str
    model: str
    positions: list[int] = field(default_factory=list)
    listings: int = 0
    status: str = "pending"
    agreement_id: str | None = None
    days_to_approval: int | None = None


@dataclass
class Event:
    pub: Pub
    prev: Pub | None
    type: str
    agency_id: str | None = None
    agreement_id: str | None = None
    pending_id: str | None = None
    state: str | None = None
    model: str | None = None
    detail: dict = field(default_factory=dict)


@dataclass
class Correction:
    agreement_id: str
    field: str
    old: str
    new: str
    pub: Pub
    rule: str


@dataclass
class History:
    resolution: Resolution
    spellings: list[Spelling]
    participating: list[Pub]
    pending_pubs: list[Pub]
    agreements: dict[str, Agreement]
    applications: dict[str, Application]
    row_agreement: dict[str, str]  # participating row id -> agreement id (a printed row is one agreement)
    listing_application: dict[tuple[int, int], str]  # (pub_id, row number) -> pending application id
    events: list[Event]
    corrections: list[Correction]
    checks: dict[str, dict]  # sha256 -> {suspect, added, removed, net, note}
    unresolved: list[tuple[int, int]]  # listings with no state or agency
    rows: dict[str, Row] = field(default_factory=dict)


def redate_rule(old: str | None, new: str | None, max_days: int) -> str | None:
    """The rule under which one listing's date may change from ``old`` to ``new`` (None: it may not)."""
    if old is None or new is None:
        return "redate-undated"
    a, b = date.fromisoformat(old), date.fromisoformat(new)
    if abs((b - a).days) <= max_days:
        return "redate-near"
    if sum(x != y for x, y in zip(old, new, strict=True)) == 1:
        return "redate-digit"
    if (a.month, a.day) == (b.day, b.month):
        return "redate-day-month"
    if (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1:
        return "redate-year"
    return None


def _spellings(archive: Archive) -> tuple[list[Spelling], list[tuple[int, int]]]:
    row_pubs: dict[str, list[Pub]] = defaultdict(list)
    row_count: dict[str, int] = defaultdict(int)
    unresolved: list[tuple[int, int]] = []
    for pubs in archive.pubs.values():
        for pub in pubs:
            counts = Counter(rid for _, rid in pub.listings)
            for rid, n in counts.items():
                row_pubs[rid].append(pub)
                row_count[rid] += n
    found: dict[tuple[str, str], Spelling] = {}
    for rid, pubs in row_pubs.items():
        row = archive.rows[rid]
        if not row.state or not row.agency:
            unresolved.extend((p.pub_id, n) for p in pubs for n, r in p.listings if r == rid)
            continue
        s = found.get((row.state, row.agency))
        if s is None:
            s = found[(row.state, row.agency)] = Spelling(row.state, row.agency)
        s.rows += row_count[rid]
        s.pubs.update(p.pub_id for p in pubs)
        if row.county:
            s.counties.add(row.county)
        if row.agency_type:
            s.types.add(row.agency_type)
        s.first = min(s.first, min(p.published for p in pubs))
        s.last = max(s.last, max(p.published for p in pubs))
    return sorted(found.values(), key=lambda s: (s.state, s.name)), unresolved


def _handoffs(archive: Archive) -> list[Handoff]:
    """Spellings that replaced one another between consecutive lists, carrying the same agreement.

    Only rows that changed between two lists can make a spelling disappear or appear, so each list is read as
    its difference from the one before (dated rows only: a date identifies a listing).
    """
    info: dict[str, tuple[tuple[str, str], tuple]] = {}
    for rid, row in archive.rows.items():
        if row.state and row.agency and row.signed:
            info[rid] = ((row.state, row.agency), (row.model, row.signed))
    found: dict[tuple[str, str, str], Handoff] = {}
    for pubs in archive.pubs.values():
        previous: set[str] = set()
        present: Counter = Counter()  # spelling -> rows listed now
        for pub in pubs:
            current = {rid for _, rid in pub.listings if rid in info}
            removed, added = previous - current, current - previous
            for rid in removed:
                present[info[rid][0]] -= 1
            before = {info[rid][0] for rid in added if present[info[rid][0]] == 0}
            for rid in added:
                present[info[rid][0]] += 1
            gone: dict[tuple[str, str], set] = defaultdict(set)
            for rid in removed:
                if present[info[rid][0]] == 0:
                    gone[info[rid][0]].add(info[rid][1])
            new: dict[tuple[str, str], set] = defaultdict(set)
            for rid in added:
                if info[rid][0] in before:
                    new[info[rid][0]].add(info[rid][1])
            for g, old_agreements in gone.items():
                for n, new_agreements in new.items():
                    shared = old_agreements & new_agreements if g[0] == n[0] else set()
                    if shared and (g[0], g[1], n[1]) not in found:
                        model, signed = sorted(shared, key=lambda x: (x[0] or "", x[1] or ""))[0]
                        found[(g[0], g[1], n[1])] = Handoff(
                            g[0],
                            g[1],
                            n[1],
                            (
                                f"in the {pub.kind} list of {pub.label} ICE listed the {model} agreement "
                                f"signed {signed} under {n[1]!r} instead of {g[1]!r}"
                            ),
                        )
            previous = current
    return sorted(found.values(), key=lambda h: (h.state, h.gone, h.new))


def _mark_suspects(pubs: list[Pub], share: float, min_rows: int) -> None:
    """A publication is suspect when its rows fall steeply against the one just before it.

    A lasting drop is therefore flagged once: the next publication compares with the suspect one, and its
    absences are then read against the last sound publication as usual.
    """
    for previous, pub in itertools.pairwise(pubs):
        pub.suspect = previous.rows >= min_rows and pub.rows < (1 - share) * previous.rows


def build(archive: Archive, aliases: list[Alias], rules: Rules) -> History:
    spellings, unresolved = _spellings(archive)
    resolution = resolve_agencies(
        spellings,
        aliases,
        min_ratio=rules.typo_min_ratio,
        margin=rules.typo_margin,
        min_length=rules.typo_min_length,
        handoffs=_handoffs(archive),
        handoff_min_ratio=rules.handoff_min_ratio,
    )
    participating = archive.pubs.get("participating", [])
    pending_pubs = archive.pubs.get("pending", [])
    _mark_suspects(participating, rules.suspect_drop_share, rules.suspect_min_rows)
    _mark_suspects(pending_pubs, rules.suspect_drop_share, rules.suspect_min_rows)
    history = History(
        resolution, spellings, participating, pending_pubs, {}, {}, {}, {}, [], [], {}, unresolved, archive.rows
    )
    _agreements(history, archive.rows, rules)
    _applications(history, archive.rows, rules)
    _lifecycle(history, rules)
    _link_pending(history, rules)
    _participating_events(history, archive.rows, rules.max_gap_publications)
    _pending_events(history)
    return history


def _agency(history: History, row: Row) -> str | None:
    if not row.state or not row.agency:
        return None
    return history.resolution.agency_of[(row.state, row.agency)]


def _agreements(history: History, rows: dict[str, Row], rules: Rules) -> None:
    """Assign every participating row to an agreement, following re-dated listings."""
    key_of: dict[str, tuple] = {}
    for pub in history.participating:
        for _, rid in pub.listings:
            if rid not in key_of:
                row = rows[rid]
                agency_id = _agency(history, row)
                key_of[rid] = (agency_id, row.model or UNKNOWN_MODEL, row.signed) if agency_id else None  # type: ignore[assignment]
    key_to_agreement: dict[tuple, str] = {}
    previous_keys: set[tuple] = set()
    printed: dict[str, str | None] = {}  # agreement -> the date the last sound publication printed
    previous_rows: set[str] = set()
    agreements = history.agreements
    for index, pub in enumerate(history.participating):
        corrections_before = len(history.corrections)
        counts = Counter(rid for _, rid in pub.listings if key_of[rid] is not None)
        keys = {key_of[rid] for rid in counts}
        listed_now = {key_to_agreement[k] for k in keys if k in key_to_agreement}
        vanished = defaultdict(list)
        for k in previous_keys - keys:
            if key_to_agreement[k] not in listed_now:
                vanished[k[:2]].append(k)
        for k in sorted((k for k in keys if k not in key_to_agreement), key=lambda k: (k[0], k[1], k[2] or "")):
            options = []
            for old in vanished.get(k[:2], []):
                rule = redate_rule(old[2], k[2], rules.redate_max_days)
                if rule and key_to_agreement[old] not in listed_now:
                    days = abs((date.fromisoformat(k[2]) - date.fromisoformat(old[2])).days) if old[2] and k[2] else 0
                    options.append((days, old[2] or "", old, rule))
            if options:
                _, _, old, rule = min(options)
                agreement_id = key_to_agreement[old]
                key_to_agreement[k] = agreement_id
                listed_now.add(agreement_id)
                vanished[k[:2]].remove(old)
                history.corrections.append(
                    Correction(agreement_id, "signed", old[2] or UNDATED, k[2] or UNDATED, pub, rule)
                )
                continue
            agency_id, model, signed = k
            agreement_id = f"{agency_id}#{model}#{signed or UNDATED}"
            key_to_agreement[k] = agreement_id
            listed_now.add(agreement_id)
            agreements[agreement_id] = Agreement(agreement_id, agency_id, agency_id.split("-", 1)[0], model, signed)
        row_agreement = history.row_agreement
        for rid, n in counts.items():
            agreement_id = row_agreement[rid] = key_to_agreement[key_of[rid]]
            agreements[agreement_id].listings += n
        for agreement_id in {row_agreement[rid] for rid in counts}:
            agreements[agreement_id].positions.append(index)
        for rid in counts.keys() - previous_rows:  # a row's links never change: read each once it appears
            agreement, row = agreements[row_agreement[rid]], rows[rid]
            agreement.moa_url = row.moa_url or agreement.moa_url
            agreement.addendum_url = row.addendum_url or agreement.addendum_url
            if key_of[rid][2] is not None:
                agreement.signed = key_of[rid][2]
        previous_rows = set(counts)
        redated = {c.agreement_id for c in history.corrections[corrections_before:]}
        returned = [k for k in keys if printed.get(key_to_agreement[k], k[2]) != k[2]]
        for k in sorted(returned, key=lambda k: (k[0], k[1], k[2] or "")):
            agreement_id = key_to_agreement[k]
            if agreement_id not in redated:
                was = printed[agreement_id]  # ICE went back to a date it printed before
                rule = redate_rule(was, k[2], rules.redate_max_days) or "redate-returned"
                history.corrections.append(
                    Correction(agreement_id, "signed", was or UNDATED, k[2] or UNDATED, pub, rule)
                )
                redated.add(agreement_id)
        if not pub.suspect:
            printed.update({key_to_agreement[k]: k[2] for k in keys})
        previous_keys = keys if not pub.suspect else previous_keys | keys


def _episodes(positions: list[int], pubs: list[Pub], max_gap: int) -> list[list[int]]:
    """Split a listing's positions into runs, joining runs separated by at most ``max_gap`` absences."""
    sound = [i for i, p in enumerate(pubs) if not p.suspect]
    runs: list[list[int]] = []
    for position in positions:
        if runs:
            last = runs[-1][-1]
            absent = sum(1 for i in sound if last < i < position)
            if absent <= max_gap:
                runs[-1].append(position)
                continue
        runs.append([position])
    return runs


def _applications(history: History, rows: dict[str, Row], rules: Rules) -> None:
    """Group pending listings into applications (agency + model, one per run on the list)."""
    positions: dict[tuple[str, str], list[int]] = defaultdict(list)
    keyed: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)
    for index, pub in enumerate(history.pending_pubs):
        for number, rid in pub.listings:
            row = rows[rid]
            agency_id = _agency(history, row)
            if agency_id is None:
                continue
            key = (agency_id, row.model or UNKNOWN_MODEL)
            if not positions[key] or positions[key][-1] != index:
                positions[key].append(index)
            keyed[key].append((index, pub.pub_id, number))
    for key, where in positions.items():
        agency_id, model = key
        for run in _episodes(where, history.pending_pubs, rules.max_gap_publications):
            first = history.pending_pubs[run[0]]
            pending_id = f"{agency_id}#{model}#pending-{first.published}"
            app = Application(pending_id, agency_id, agency_id.split("-", 1)[0], model, run)
            history.applications[pending_id] = app
            for index, pub_id, number in keyed[key]:
                if run[0] <= index <= run[-1]:
                    history.listing_application[(pub_id, number)] = pending_id
                    app.listings += 1


def _lifecycle(history: History, rules: Rules) -> None:
    """Status of each agreement: active, removed (with its window) or superseded."""
    pubs = history.participating
    if not pubs:
        return
    last_index = len(pubs) - 1
    sound = [i for i, p in enumerate(pubs) if not p.suspect]
    first_new: dict[tuple[str, int], list[Agreement]] = defaultdict(list)  # (agency, index) -> new agreements
    for a in history.agreements.values():
        first_new[(a.agency_id, a.positions[0])].append(a)
    listed_at: dict[int, set[str]] = defaultdict(set)
    for a in history.agreements.values():
        for i in a.positions:
            listed_at[i].add(a.agreement_id)
    for a in history.agreements.values():
        last = a.positions[-1]
        if last == last_index:
            a.status = "active"
            continue
        after = [i for i in sound if i > last]
        if not after:  # only suspect publications follow: treat as still listed
            a.status = "active"
            continue
        a.status = "removed"
        a.removed_after, a.removed_by = last, after[0]
        a.provisional = len(after) <= rules.max_gap_publications
        models_before = {
            history.agreements[x].model for x in listed_at[last] if history.agreements[x].agency_id == a.agency_id
        }
        successors = [
            b
            for b in first_new.get((a.agency_id, after[0]), [])
            if (b.model == a.model and (b.signed or "") > (a.signed or "")) or b.model not in models_before
        ]
        if successors:
            successor = min(successors, key=lambda b: (b.model != a.model, b.agreement_id))
            a.status = "superseded"
            a.superseded_by = successor.agreement_id
            successor.supersedes.append(a.agreement_id)


def _link_pending(history: History, rules: Rules) -> None:
    """Link each application to the agreement it became, or mark it withdrawn."""
    part, pend = history.participating, history.pending_pubs
    by_agency_model: dict[tuple[str, str], list[Agreement]] = defaultdict(list)
    for a in history.agreements.values():
        by_agency_model[(a.agency_id, a.model)].append(a)
    taken: set[str] = set()
    for app in sorted(history.applications.values(), key=lambda p: (pend[p.positions[0]].published, p.pending_id)):
        first = date.fromisoformat(pend[app.positions[0]].published)
        last = date.fromisoformat(pend[app.positions[-1]].published)
        options = []
        for a in by_agency_model.get((app.agency_id, app.model), []):
            listed = date.fromisoformat(part[a.positions[0]].published)
            if a.agreement_id in taken:
                continue
            if (first - listed).days <= rules.approval_days_before and (
                listed - last
            ).days <= rules.approval_days_after:
                options.append((listed, a))
        on_list = app.positions[-1] == len(pend) - 1
        if options:
            listed, agreement = min(options, key=lambda o: (o[0], o[1].agreement_id))
            app.status, app.agreement_id = "approved", agreement.agreement_id
            app.days_to_approval = (listed - first).days
            agreement.pending_id = app.pending_id
            taken.add(agreement.agreement_id)
        else:
            app.status = "pending" if on_list else "withdrawn"


def _participating_events(history: History, rows: dict[str, Row], max_gap: int) -> None:
    pubs = history.participating
    agreements = history.agreements
    sound = [i for i, p in enumerate(pubs) if not p.suspect]
    listed: dict[int, set[str]] = defaultdict(set)
    for a in agreements.values():
        for i in a.positions:
            listed[i].add(a.agreement_id)
    agency_model = {a.agreement_id: (a.agency_id, a.model) for a in agreements.values()}
    spelled = {rid: (agreements[aid].agency_id, rows[rid].agency) for rid, aid in history.row_agreement.items()}
    corrections = {(c.agreement_id, c.pub.pub_id): c for c in history.corrections}
    previous: int | None = None
    previous_spelled: set[tuple[str, str | None]] = set()
    for index, pub in enumerate(pubs):
        start = len(history.events)
        prev_pub = pubs[previous] if previous is not None else None
        if pub.suspect:
            _suspect(history, pub, prev_pub)
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
        now = listed[index]
        before = listed[previous] if previous is not None else set()
        pairs_before = {agency_model[x] for x in before}
        agencies_before = {agency for agency, _ in pairs_before}
        for agreement_id in sorted(now - before):
            a = agreements[agreement_id]
            if previous is not None and a.positions[0] <= previous:
                kind = "reappeared"
            elif a.supersedes:
                kind = "renewed" if any(agreements[s].model == a.model for s in a.supersedes) else "model-switch"
            elif a.pending_id:
                kind = "moved-from-pending"
            elif a.agency_id in agencies_before and (a.agency_id, a.model) not in pairs_before:
                kind = "model-added"
            else:
                kind = "added"
            detail: dict = {"signed": a.signed}
            if a.supersedes:
                detail["supersedes"] = a.supersedes
            if a.pending_id:
                detail["pending_id"] = a.pending_id
            history.events.append(
                Event(pub, prev_pub, kind, a.agency_id, agreement_id, a.pending_id, a.state, a.model, detail)
            )
        for agreement_id in sorted(before - now):
            a = agreements[agreement_id]
            later = [p for p in a.positions if p > index]
            absent = sum(1 for i in sound if later and index <= i < later[0])
            if later and absent <= max_gap:
                kind, detail = "missing", {"back_in": pubs[later[0]].label}
            elif later:
                kind, detail = "removed", {"reappears_in": pubs[later[0]].label}
            elif a.status == "superseded":
                kind, detail = "superseded", {"superseded_by": a.superseded_by}
            else:
                last = pubs[a.removed_after].label if a.removed_after is not None else None
                kind, detail = "removed", {"last_listed": last}
                if a.provisional:
                    detail["provisional"] = True
            history.events.append(Event(pub, prev_pub, kind, a.agency_id, agreement_id, None, a.state, a.model, detail))
        for agreement_id in sorted(now & before):
            c = corrections.get((agreement_id, pub.pub_id))
            if c is not None:
                a = agreements[agreement_id]
                history.events.append(
                    Event(
                        pub,
                        prev_pub,
                        "re-dated",
                        a.agency_id,
                        agreement_id,
                        None,
                        a.state,
                        a.model,
                        {"from": c.old, "to": c.new, "rule": c.rule},
                    )
                )
        now_spelled = {spelled[rid] for _, rid in pub.listings if rid in spelled}
        if previous is not None:
            changed = {agency for agency, _ in now_spelled ^ previous_spelled}
            both = {agency for agency, _ in now_spelled} & {agency for agency, _ in previous_spelled}
            for agency_id in sorted(changed & both):
                old = {n for a, n in previous_spelled if a == agency_id}
                new = {n for a, n in now_spelled if a == agency_id}
                if not (old - new and new - old):
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
                        {"from": sorted(old - new), "to": sorted(new - old)},
                    )
                )
        previous_spelled = now_spelled
        _check(history, pub, start, PLUS, MINUS, len(now) - len(before))
        previous = index


def _pending_events(history: History) -> None:
    pubs = history.pending_pubs
    apps = history.applications
    listed: dict[int, set[str]] = defaultdict(set)
    for app in apps.values():
        for i in app.positions:
            listed[i].add(app.pending_id)
    previous: int | None = None
    for index, pub in enumerate(pubs):
        start = len(history.events)
        if pub.suspect:
            _suspect(history, pub, pubs[previous] if previous is not None else None)
            continue
        now: set[str] = listed[index]
        before: set[str] = listed[previous] if previous is not None else set()
        prev_pub = pubs[previous] if previous is not None else None
        for pending_id in sorted(now - before):
            app = apps[pending_id]
            seen_before = previous is not None and app.positions[0] <= previous
            kind = "pending-reappeared" if seen_before else "pending-added"
            history.events.append(Event(pub, prev_pub, kind, app.agency_id, None, pending_id, app.state, app.model, {}))
        for pending_id in sorted(before - now):
            app = apps[pending_id]
            if any(p > index for p in app.positions):
                kind, detail = "pending-missing", {}
            elif app.status == "approved":
                kind, detail = "pending-approved", {"agreement_id": app.agreement_id, "days": app.days_to_approval}
            else:
                kind, detail = "pending-withdrawn", {}
            history.events.append(
                Event(pub, prev_pub, kind, app.agency_id, app.agreement_id, pending_id, app.state, app.model, detail)
            )
        _check(history, pub, start, PENDING_PLUS, PENDING_MINUS, len(now) - len(before))
        previous = index


def _suspect(history: History, pub: Pub, previous: Pub | None) -> None:
    """A suspect publication's check: no additions or removals are read from it."""
    note = f"rows fell from {previous.rows if previous else 0} to {pub.rows}"
    history.checks[pub.sha256] = {"suspect": True, "added": 0, "removed": 0, "net": 0, "note": note}


def _check(history: History, pub: Pub, start: int, plus: tuple, minus: tuple, net: int) -> None:
    mine = history.events[start:]
    history.checks[pub.sha256] = {
        "suspect": False,
        "added": sum(1 for e in mine if e.type in plus),
        "removed": sum(1 for e in mine if e.type in minus),
        "net": net,
        "note": "",
    }


def agency_kind_of(spellings: list[Spelling]) -> str:
    latest = max(spellings, key=lambda s: (s.last, s.rows))
    return agency_kind(latest.name, next(iter(sorted(latest.types)), None))
