"""Write a built history to its tables (after clearing them): one transaction with the rest of the rebuild."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from sqlalchemy import Connection, update

from track287g.history.build import History, agency_kind_of
from track287g.store.db import bulk_insert
from track287g.store.schema import (
    agency,
    agency_spelling,
    agreement,
    correction,
    event,
    merge_candidate,
    pending,
    pending_listing,
    publication,
    publication_check,
    publication_count,
    row_agreement,
)

HISTORY_TABLES = (
    event,
    publication_check,
    publication_count,
    pending_listing,
    pending,
    correction,
    row_agreement,
    agreement,
    merge_candidate,
    agency_spelling,
    agency,
)


def write_history(conn: Connection, history: History) -> dict:
    for table in HISTORY_TABLES:
        conn.execute(table.delete())
    part, pend = history.participating, history.pending_pubs
    conn.execute(update(publication).values(seq=None))  # a publication outside this history has none
    for pubs in (part, pend):
        for pub in pubs:
            conn.execute(update(publication).where(publication.c.pub_id == pub.pub_id).values(seq=pub.seq))

    def date_at(pubs, index):
        return pubs[index].published if index is not None else None

    agreements_of: dict[str, list] = defaultdict(list)
    for a in history.agreements.values():
        agreements_of[a.agency_id].append(a)
    apps_of: dict[str, list] = defaultdict(list)
    for app in history.applications.values():
        apps_of[app.agency_id].append(app)

    members_of = {ag.agency_id: ag for ag in history.resolution.agencies}
    agency_rows, spelling_rows = [], []
    for agency_id, resolved in sorted(members_of.items()):
        spellings = [m.spelling for m in resolved.members]
        latest = max(spellings, key=lambda s: (s.last, s.rows, s.name))
        mine, apps = agreements_of.get(agency_id, []), apps_of.get(agency_id, [])
        firsts = [part[a.positions[0]].published for a in mine] + [pend[p.positions[0]].published for p in apps]
        lasts = [part[a.positions[-1]].published for a in mine] + [pend[p.positions[-1]].published for p in apps]
        if any(a.status == "active" for a in mine):
            status = "active"
        elif any(p.status == "pending" for p in apps):
            status = "pending"
        elif mine:
            status = "removed"
        else:
            status = "withdrawn"
        types = [t for s in sorted(spellings, key=lambda s: s.last, reverse=True) for t in sorted(s.types)]
        counties = [c for s in sorted(spellings, key=lambda s: s.last, reverse=True) for c in sorted(s.counties)]
        agency_rows.append(
            (
                agency_id,
                resolved.state,
                latest.name,
                agency_kind_of(spellings),
                types[0] if types else None,
                counties[0] if counties else None,
                min(firsts) if firsts else None,
                max(lasts) if lasts else None,
                status,
            )
        )
        for m in resolved.members:
            s = m.spelling
            spelling_rows.append((agency_id, s.name, m.rule, m.evidence, s.first, s.last, s.rows))
    bulk_insert(conn, agency, agency_rows)
    bulk_insert(conn, agency_spelling, spelling_rows)
    bulk_insert(
        conn,
        merge_candidate,
        sorted({(c.state, c.spelling, c.other, c.score, c.reason) for c in history.resolution.candidates}),
    )

    agreement_rows = []
    for a in sorted(history.agreements.values(), key=lambda a: a.agreement_id):
        agreement_rows.append(
            (
                a.agreement_id,
                a.agency_id,
                a.state,
                a.model,
                a.signed,
                a.status,
                part[a.positions[0]].sha256,
                part[a.positions[-1]].sha256,
                part[a.positions[0]].published,
                part[a.positions[-1]].published,
                date_at(part, a.removed_after),
                date_at(part, a.removed_by),
                a.superseded_by,
                a.moa_url,
                a.addendum_url,
                part[a.positions[0]].derived,
                a.listings,
            )
        )
    bulk_insert(conn, agreement, agreement_rows)
    bulk_insert(conn, row_agreement, sorted(history.row_agreement.items()))
    bulk_insert(
        conn,
        correction,
        sorted({(c.agreement_id, c.field, c.pub.sha256, c.old, c.new, c.rule) for c in history.corrections}),
    )
    pending_rows = []
    for p in sorted(history.applications.values(), key=lambda p: p.pending_id):
        pending_rows.append(
            (
                p.pending_id,
                p.agency_id,
                p.state,
                p.model,
                pend[p.positions[0]].sha256,
                pend[p.positions[-1]].sha256,
                pend[p.positions[0]].published,
                pend[p.positions[-1]].published,
                p.status,
                p.agreement_id,
                p.days_to_approval,
                p.listings,
            )
        )
    bulk_insert(conn, pending, pending_rows)
    bulk_insert(
        conn,
        pending_listing,
        sorted((pub_id, number, pid) for (pub_id, number), pid in history.listing_application.items()),
    )
    event_rows = []
    for i, e in enumerate(history.events, start=1):
        event_rows.append(
            (
                i,
                e.pub.sha256,
                e.prev.sha256 if e.prev else None,
                e.pub.published,
                e.pub.kind,
                e.type,
                e.agency_id,
                e.agreement_id,
                e.pending_id,
                e.state,
                e.model,
                json.dumps(e.detail, sort_keys=True),
            )
        )
    bulk_insert(conn, event, event_rows)
    bulk_insert(
        conn,
        publication_check,
        sorted((sha, c["suspect"], c["added"], c["removed"], c["net"], c["note"]) for sha, c in history.checks.items()),
    )
    bulk_insert(conn, publication_count, _counts(history))
    return {
        "agencies": len(agency_rows),
        "agreements": len(agreement_rows),
        "pending_applications": len(pending_rows),
        "events": len(event_rows),
        "corrections": len(history.corrections),
        "merge_candidates": len(history.resolution.candidates),
    }


def _counts(history: History) -> list[tuple]:
    """Agencies and agreements listed by each publication, per model and in total ("*")."""
    out = []
    for kind_pubs, items in (
        (history.participating, history.agreements.values()),
        (history.pending_pubs, history.applications.values()),
    ):
        at: dict[int, list[tuple[str, str]]] = defaultdict(list)  # index -> (model, agency) per item listed
        for item in items:
            pair = (item.model, item.agency_id)
            for index in item.positions:
                at[index].append(pair)
        for index, pub in enumerate(kind_pubs):
            pairs = at.get(index, [])
            agreements = Counter(model for model, _ in pairs)
            agencies = Counter(model for model, _ in set(pairs))
            total = (pub.sha256, "*", len({agency for _, agency in pairs}), len(pairs))
            out.extend([total] if pairs else [])
            out.extend((pub.sha256, model, agencies[model], agreements[model]) for model in sorted(agreements))
    return out
