"""Pending applications: runs of an agency and model on ICE's pending list, and the agreements they became.

- An **application** (agency + model) runs while listed on the pending list (gaps of at most
  ``max_gap_publications`` lists allowed). A row of unknown model ("UNK") is an application of any model.
- It is **approved** by the first agreement of the same agency and model first listed between
  ``approval_days_before`` before its first listing and ``approval_days_after`` after its last (any model for
  an unknown one); a second pending row of an application approved that way is approved by the same agreement.
- It is **withdrawn** when it left the list without one (saying so when the agency held an agreement of that
  model on the participating list all along), unless an application of the agency for another model first
  appeared in the list it left and was approved: then ICE printed its model anew, and it is approved with that one.
  Beside a withdrawal the record says what else it holds: the agency's agreement of that model listed later, one
  of that model of another agency of the same county, or one of the agency's of another model that no
  application became, listed within the window of an approval.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from itertools import repeat
from typing import cast

from track287g.history.load import Pub, Row, steps
from track287g.history.model import UNKNOWN_MODEL, Agreement, Application, History, Runs, agency_of
from track287g.history.rules import Rules
from track287g.messages import message


def sound_before(pubs: list[Pub]) -> list[int]:
    """For each index (and one past the end), how many sound (not suspect) publications come before it."""
    out = [0]
    for p in pubs:
        out.append(out[-1] + (not p.suspect))
    return out


def episodes(
    spans: list[tuple[int, int]], pubs: list[Pub], max_gap: int, counted: list[int] | None = None
) -> list[list[tuple[int, int]]]:
    """Join an agency and model's spans of consecutive lists (first, last; in order) into runs on the list: a span
    joins the run before it when at most ``max_gap`` sound lists lie between them.

    ``counted``: ``sound_before(pubs)``, when the caller joins the spans of many on the same publications."""
    counted = counted or sound_before(pubs)
    runs: list[list[tuple[int, int]]] = []
    for first, last in spans:
        if runs and max(0, counted[first] - counted[runs[-1][-1][1] + 1]) <= max_gap:  # sound lists between
            runs[-1].append((first, last))
        else:
            runs.append([(first, last)])
    return runs


def applications(history: History, rows: dict[str, Row], rules: Rules) -> None:
    """Group pending listings into applications (agency + model, one per run on the list).

    The lists are read as their differences from the one before (``load.link``): an agency and model is listed
    from the list where its first row came to the one before the list where its last row went, so its spans of
    lists, and the runs they join into, are found from the rows that came and went; each listing is then mapped
    to its application a list at a time (a row keeps its application while it stays listed: its agency and
    model are listed all along, so no run ends)."""
    pubs = history.pending_pubs
    key_of: dict[str, tuple[str, str] | None] = {}  # a printed row -> (its agency, its model)
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)  # spans of consecutive lists
    present: Counter = Counter()  # agency and model -> its distinct rows in the list before
    since: dict[tuple[str, str], int] = {}  # agency and model -> where its current span began
    for index, pub in steps(pubs):
        for rid in pub.came:
            if rid not in key_of:
                agency_id = agency_of(history, rows[rid])
                key_of[rid] = None if agency_id is None else (agency_id, rows[rid].model or UNKNOWN_MODEL)
        went = [key for key in map(key_of.__getitem__, pub.went) if key is not None]
        came = [key for key in map(key_of.__getitem__, pub.came) if key is not None]
        present.subtract(went)
        present.update(came)
        for key in {*went, *came}:
            if present[key] > 0:
                since.setdefault(key, index)
            elif key in since:
                spans[key].append((since.pop(key), index - 1))
    for key, first in since.items():
        spans[key].append((first, len(pubs) - 1))
    counted = sound_before(pubs)
    runs_of: dict[tuple[str, str], tuple[list[int], list[str]]] = {}  # key -> its runs' first lists and ids
    order = {key: rank for rank, key in enumerate(sorted(spans, key=_first_printed(pubs, spans, key_of)))}
    for key in order:
        agency_id, model = key
        firsts, ids = runs_of[key] = ([], [])
        for run in episodes(spans[key], pubs, rules.max_gap_publications, counted):
            positions = Runs()
            for first, last in run:
                positions.add_run(first, last)
            pending_id = f"{agency_id}#{model}#pending-{pubs[run[0][0]].published}"
            history.applications[pending_id] = Application(
                pending_id, agency_id, agency_id.split("-", 1)[0], model, positions
            )
            firsts.append(run[0][0])
            ids.append(pending_id)
    _map_listings(history, key_of, runs_of, order)


def _first_printed(
    pubs: list[Pub], spans: dict[tuple[str, str], list[tuple[int, int]]], key_of: dict[str, tuple[str, str] | None]
) -> Callable[[tuple[str, str]], tuple[int, int]]:
    """The order in which a walk over every listing meets each agency and model: by the first list printing it,
    then by where that list first prints it (the applications keep that order)."""
    starting: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for key, found in spans.items():
        starting[found[0][0]].add(key)
    where: dict[tuple[str, str], tuple[int, int]] = {}
    for index, keys in starting.items():
        if len(keys) == 1:  # the one agency and model first printed there: where in the list does not matter
            where[keys.pop()] = (index, 0)
            continue
        for at, rid in enumerate(pubs[index].ids):
            if (met := key_of.get(rid)) in keys:
                where[met] = (index, at)
                keys.discard(met)
                if not keys:
                    break
    return where.__getitem__


def _map_listings(
    history: History,
    key_of: dict[str, tuple[str, str] | None],
    runs_of: dict[tuple[str, str], tuple[list[int], list[str]]],
    order: dict[tuple[str, str], int],
) -> None:
    """Map each pending listing to its application (``History.listing_application``) and count each
    application's listings, a list at a time: each row that came takes the application of its agency and
    model's run holding the list, until it goes."""
    pubs, apps, mapped = history.pending_pubs, history.applications, history.listing_application
    application: dict[str, str] = {}  # a row listed now -> its application
    since: dict[str, int] = {}  # a row listed now -> where its current run of lists began
    unmapped = 0  # distinct rows listed now of no agency
    for index, pub in steps(pubs):
        for rid in pub.went:
            if (pending_id := application.pop(rid, None)) is not None:
                apps[pending_id].listings += index - since.pop(rid)
            else:
                unmapped -= 1
        for rid in pub.came:
            if (key := key_of[rid]) is None:
                unmapped += 1
                continue
            firsts, pending_ids = runs_of[key]
            application[rid] = pending_ids[bisect_right(firsts, index) - 1]
            since[rid] = index
        ids = pub.ids
        listed = list(map(application.get, ids))
        if len(ids) > pub.distinct:  # a row printed twice: each further printing is a listing too
            for pending_id in filter(None, listed):
                apps[pending_id].listings += 1
            for rid in set(ids):
                if (pending_id := application.get(rid)) is not None:
                    apps[pending_id].listings -= 1
        keys = zip(repeat(pub.pub_id), pub.numbers)
        if unmapped == 0 and (pub.in_order or len(set(pub.numbers)) == len(ids)):
            mapped.update(zip(keys, cast("list[str]", listed), strict=True))  # no listing of no application
        else:
            _map_one_by_one(mapped, list(keys), listed, [order[k] if k else None for k in map(key_of.__getitem__, ids)])
    for rid, first in since.items():
        apps[application[rid]].listings += len(pubs) - first


def _map_one_by_one(
    mapped: dict[tuple[int, int], str],
    keys: list[tuple[int, int]],
    listed: list[str | None],
    ranks: list[int | None],
) -> None:
    """Map a list's listings one by one: some map to no application, or a row number is printed twice (the
    number takes the application of its last listing of the agency and model met last, as a walk over every
    listing would write them)."""
    best: dict[tuple[int, int], tuple[tuple[int, int], str]] = {}
    for at, (key, pending_id, of_key) in enumerate(zip(keys, listed, ranks, strict=True)):
        if pending_id is None or of_key is None:
            continue
        rank = (of_key, at)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, pending_id)
    mapped.update((key, pending_id) for key, (_, pending_id) in best.items())


def link(history: History, rules: Rules) -> None:
    """Link each application to the agreement it became, or mark it withdrawn. Applications of a known model
    go first, so that a row of unknown model never takes the agreement its own agency's application became."""
    part, pend = history.participating, history.pending_pubs
    by_agency: dict[str, list[Agreement]] = defaultdict(list)
    for a in history.agreements.values():
        for agency_id in {h for _, h in a.holders}:
            by_agency[agency_id].append(a)
    taken: dict[str, Application] = {}
    apps = sorted(
        history.applications.values(),
        key=lambda p: (p.model == UNKNOWN_MODEL, pend[p.positions[0]].published, p.pending_id),
    )
    for app in apps:
        first = date.fromisoformat(pend[app.positions[0]].published)
        last = date.fromisoformat(pend[app.positions[-1]].published)
        fits = [a for a in by_agency.get(app.agency_id, []) if app.model in (a.model, UNKNOWN_MODEL)]
        free, shared = [], []
        for a in fits:
            listed = date.fromisoformat(part[a.positions[0]].published)
            if not rules.approves(first, last, listed):
                continue
            owner = taken.get(a.agreement_id)
            if owner is None:
                free.append((listed, a))
            elif owner.agency_id == app.agency_id:
                shared.append((listed, a))
        on_list = app.positions[-1] == len(pend) - 1
        if free or shared:
            listed, agreement = min(free or shared, key=lambda o: (o[0], o[1].agreement_id))
            app.status, app.agreement_id = "approved", agreement.agreement_id
            days = (listed - first).days
            app.days_to_approval = days if days >= 0 else None  # a row ICE printed again after the agreement
            if free:
                app.approval = f"the first {agreement.model} agreement of the agency listed from {listed} on"
                agreement.pending_id = app.pending_id
                taken[agreement.agreement_id] = app
            else:
                other = taken[agreement.agreement_id]
                app.approval = f"another pending row of the application {other.pending_id}"
                app.duplicate_of = other.pending_id
            continue
        already = [
            a
            for a in fits
            if part[a.positions[0]].published <= pend[app.positions[0]].published <= part[a.positions[-1]].published
        ]
        app.status = "pending" if on_list else "withdrawn"
        if already:  # said beside the withdrawal: the list printed an application for an agreement in force
            agreement = min(already, key=lambda a: (part[a.positions[0]].published, a.agreement_id))
            app.note = message(
                "withdrawal.already",
                model=agreement.model,
                agreement=agreement.agreement_id,
                since=part[agreement.positions[0]].label,
            )
    _retyped(apps, history)
    for app in apps:
        if app.status == "withdrawn" and app.note is None:
            app.note = _later(app, by_agency.get(app.agency_id, []), taken, history, rules)
    _other_agency(apps, history, rules)  # the same model under another name of the county before another model
    _other_model(apps, history, rules)


def _retyped(apps: list[Application], history: History) -> None:
    """An application that left the pending list in the very list where one of the agency's for another model
    first appeared, which was approved, is that application with its model printed anew (Morris County, TX:
    WSO on the list of 2025-11-25 am, TFM from 2025-11-25 pm, approved 2025-12-02): approved with it, not
    withdrawn."""
    pend = history.pending_pubs
    of_agency: dict[str, list[Application]] = defaultdict(list)
    for app in apps:
        of_agency[app.agency_id].append(app)
    for app in apps:
        if app.status != "withdrawn" or app.model == UNKNOWN_MODEL:
            continue
        left = app.positions[-1] + 1
        after = [
            other
            for other in of_agency[app.agency_id]
            if other.positions[0] == left and other.model not in (app.model, UNKNOWN_MODEL)
        ]
        if len(after) != 1 or after[0].status != "approved" or left >= len(pend):
            continue
        other = after[0]
        app.status, app.agreement_id, app.duplicate_of = "approved", other.agreement_id, other.pending_id
        first = history.participating[history.agreements[other.agreement_id or ""].positions[0]]
        listed = date.fromisoformat(first.published)
        app.days_to_approval = (listed - date.fromisoformat(pend[app.positions[0]].published)).days
        app.approval = (
            f"the application {other.pending_id} with its model printed anew: {app.model} until the pending list "
            f"of {pend[app.positions[-1]].label}, {other.model} from {pend[left].label}"
        )


def _other_model(apps: list[Application], history: History, rules: Rules) -> None:
    """Said beside a withdrawal with nothing else to say: the agency's first agreement of another model, that no
    application became, first listed within the window of an approval (Wilbarger County, TX: a TFM application
    on the pending lists of 2025-09-11 to 2025-09-23, then a WSO agreement signed 2025-09-22 and listed from
    2025-09-24): ICE may have approved the application as that model, or printed its model wrong."""
    part, pend = history.participating, history.pending_pubs
    silent = [app for app in apps if app.status == "withdrawn" and app.note is None and app.model != UNKNOWN_MODEL]
    if not silent:
        return
    unclaimed: dict[str, list[Agreement]] = defaultdict(list)  # agency -> its agreements no application became
    for a in history.agreements.values():
        if a.pending_id is None:
            unclaimed[a.agency_id].append(a)
    for app in silent:
        first = date.fromisoformat(pend[app.positions[0]].published)
        last = date.fromisoformat(pend[app.positions[-1]].published)
        found = [
            (listed, a)
            for a in unclaimed.get(app.agency_id, [])
            if a.model != app.model
            and rules.approves(first, last, listed := date.fromisoformat(part[a.positions[0]].published))
        ]
        if found:
            listed, a = min(found, key=lambda f: (f[0], f[1].agreement_id))
            app.note = message(
                "withdrawal.other-model",
                model=a.model,
                agreement=a.agreement_id,
                listed_date=listed.isoformat(),
                applied=app.model,
            )


_COUNTY_IN_NAME = re.compile(r"([A-Za-z][A-Za-z .'-]*?) (County|Parish)\b")


def _county_key(row: Row) -> str | None:
    """The county a printed row names: its COUNTY cell, else the county in the agency's name (lower case)."""
    if row.county:
        return row.county.lower()
    found = _COUNTY_IN_NAME.search(row.agency or "")
    return f"{found.group(1)} {found.group(2)}".lower() if found else None


def _other_agency(apps: list[Application], history: History, rules: Rules) -> None:
    """Said beside a withdrawal with nothing else to say: the first agreement of the application's model, of
    another agency of the same county, that no application of its own became, first listed within the window
    of an approval (Orange County, FL: the sheriff's WSO application of 2025-02-20, then the WSO of the county's
    Corrections Department listed 2025-02-26): ICE may have approved it under that name."""
    part, pend, rows = history.participating, history.pending_pubs, history.rows
    silent = [app for app in apps if app.status == "withdrawn" and app.note is None]
    if not silent:
        return
    free: dict[tuple[str, str], list[tuple[date, Agreement]]] = defaultdict(list)  # (state, model) -> agreements
    for a in history.agreements.values():
        if a.pending_id is None:
            free[(a.state, a.model)].append((date.fromisoformat(part[a.positions[0]].published), a))
    near: dict[str, list[tuple[date, Agreement]]] = {}  # a silent application -> the agreements in its window
    for app in silent:
        first = date.fromisoformat(pend[app.positions[0]].published)
        last = date.fromisoformat(pend[app.positions[-1]].published)
        near[app.pending_id] = [
            (listed, a)
            for listed, a in free.get((app.state, app.model), [])
            if a.agency_id != app.agency_id and rules.approves(first, last, listed)
        ]
    wanted = {a.agreement_id for found in near.values() for _, a in found}
    asking = {pending_id for pending_id, found in near.items() if found}
    if not wanted:
        return
    rows_of: dict[str, set[str]] = defaultdict(set)  # an application or agreement asked about -> its printed rows
    for rid, agreement_id in history.row_agreement.items():
        if agreement_id in wanted:
            rows_of[agreement_id].add(rid)
    for pending_id in asking:  # a few applications: the rows that came to the lists printing each
        rows_of[pending_id] = _rows_of(history.applications[pending_id], history)
    counties_of = {  # the counties its rows name
        key: {county for rid in rids if (county := _county_key(rows[rid]))} for key, rids in rows_of.items()
    }
    for app in silent:
        if app.pending_id not in asking:
            continue
        found = [
            (listed, a)
            for listed, a in near[app.pending_id]
            if counties_of.get(a.agreement_id, set()) & counties_of.get(app.pending_id, set())
        ]
        if found:
            listed, a = min(found, key=lambda f: (f[0], f[1].agreement_id))
            county = min(counties_of[a.agreement_id] & counties_of[app.pending_id])
            app.note = message(
                "withdrawal.other-agency",
                model=a.model,
                agreement=a.agreement_id,
                listed_date=listed.isoformat(),
                county=county.title(),
            )


def _rows_of(app: Application, history: History) -> set[str]:
    """The distinct rows printing an application (its listings'), read from the rows that came to the lists of
    its run: the lists just before its run do not print its agency and model (the run would hold them), so each
    of its rows came in the first list of the run printing it."""
    rows, pend = history.rows, history.pending_pubs
    return {
        rid
        for index in app.positions
        for rid in pend[index].came
        if (rows[rid].model or UNKNOWN_MODEL) == app.model and agency_of(history, rows[rid]) == app.agency_id
    }


def _later(
    app: Application, held: list[Agreement], taken: dict[str, Application], history: History, rules: Rules
) -> dict | None:
    """Said beside a withdrawal: the agency's first agreement of the application's model listed after the
    application left the pending list (too late to count as its approval, or the approval of a later
    application), so that a reader of "withdrawn" learns the agency holds one now."""
    part, pend = history.participating, history.pending_pubs
    last = pend[app.positions[-1]].published
    later = [a for a in held if app.model in (a.model, UNKNOWN_MODEL) and part[a.positions[0]].published > last]
    if not later:
        return None
    agreement = min(later, key=lambda a: (part[a.positions[0]].published, a.agreement_id))
    listed = part[agreement.positions[0]].published
    values = {"model": agreement.model, "agreement": agreement.agreement_id, "listed_date": listed}
    other = taken.get(agreement.agreement_id)
    if other is not None and other is not app:
        return message("withdrawal.later.again", pending=other.pending_id, **values)
    days = (date.fromisoformat(listed) - date.fromisoformat(last)).days
    return message("withdrawal.later", days=days, window=rules.approval_days_after, **values)
