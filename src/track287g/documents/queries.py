"""Reading the documents stage back: the documents (filtered, or found by full-text search), one document in
full, an agreement's documents, and how many agreements on a list have their MOA on file.

The objects returned are the machine-readable output of ``track287g documents --json`` and of
``/api/v1/documents``: ``sha256``, ``names``, ``kind``, ``text_source``, ``models``, ``state``, ``agency``,
``signed_ice``, ``signed_agency``, ``signers`` (``name``, ``title``, ``party``, ...), ``field_office``,
``agreement_id`` and more, every extracted value also under ``fields`` with its raw text, page, confidence
and rule.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, func, select

from track287g.documents.extract import clause_message
from track287g.documents.link import date_check
from track287g.documents.search import search_pages
from track287g.errors import Track287gError
from track287g.i18n import N_
from track287g.store.schema import agency, agreement, provenance
from track287g.store.schema_documents import (
    document,
    document_link,
)
from track287g.store.sql import Conn, among, rows


class DocumentError(Track287gError):
    """A document that is not in the archive, or a question the documents cannot answer."""


def _names(conn: Connection, shas: list[str] | None = None) -> dict[str, dict[str, list[str]]]:
    query = select(provenance.c.sha256, provenance.c.name, provenance.c.source).order_by(provenance.c.id)
    if shas is not None:
        query = query.where(provenance.c.sha256.in_(shas))
    return _names_of(conn.execute(query))


def _names_of(found: Iterable) -> dict[str, dict[str, list[str]]]:
    """sha256 -> the names and sources a file was archived under, first seen first."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"names": [], "sources": []})
    for sha, name, source in found:
        if name not in out[sha]["names"]:
            out[sha]["names"].append(name)
        if source not in out[sha]["sources"]:
            out[sha]["sources"].append(source)
    return out


# describe's statements, plain SQL (asked for every agency page with a document): {shas} is the IN list's marks
_DOCUMENTS = (
    "SELECT d.sha256, d.kind, d.models, d.state, d.agency, d.signed_ice, d.signed_agency, d.field_office, "
    "d.agreement_id, d.link_rule, r.text_source, r.pages, r.pages_ocr, r.ocr_engine, r.reader "
    "FROM document d JOIN document_read r ON r.sha256 = d.sha256 WHERE d.sha256 IN ({shas})"
)
_PER_DOCUMENT = {
    "names": "SELECT sha256, name, source FROM provenance WHERE sha256 IN ({shas}) ORDER BY id",
    "fields": "SELECT sha256, field, value, raw, page, confidence, rule FROM document_field WHERE sha256 IN ({shas})",
    "signers": "SELECT sha256, name, title, party, signed, block, page, confidence FROM document_signer "
    "WHERE sha256 IN ({shas})",
    "links": "SELECT sha256, agreement_id, rule, via, detail FROM document_link WHERE sha256 IN ({shas})",
    "checks": "SELECT sha256, agreement_id, ice_signed, moa_signed_ice, moa_signed_agency, result, days, note "
    "FROM document_check "
    "WHERE sha256 IN ({shas})",
}


def describe(conn: Conn, shas: list[str]) -> list[dict]:
    """The full objects for these documents, in the order given."""
    if not shas:
        return []
    marks, params = among("s", shas)
    docs = {d["sha256"]: d for d in rows(conn, _DOCUMENTS.format(shas=marks), params)}
    found: dict[str, dict[str, list[dict]]] = {}
    for what, sql in _PER_DOCUMENT.items():
        found[what] = defaultdict(list)
        for r in rows(conn, sql.format(shas=marks), params):
            found[what][r["sha256"]].append(r)
    names = _names_of((r["sha256"], r["name"], r["source"]) for sha in shas for r in found["names"][sha])
    fields, signers, links, checks = found["fields"], found["signers"], found["links"], found["checks"]
    out = []
    for sha in shas:
        d = docs.get(sha)
        if d is None:
            continue
        out.append(
            {
                "sha256": sha,
                "names": names[sha]["names"],
                # where ICE published it; a file read from a local folder names the builder's disk, not a source
                "sources": [s for s in names[sha]["sources"] if "://" in s],
                "kind": d["kind"],
                "text_source": d["text_source"],
                "pages": d["pages"],
                "pages_ocr": d["pages_ocr"],
                "ocr_engine": d["ocr_engine"],
                "reader": d["reader"],
                "models": json.loads(d["models"]),
                "state": d["state"],
                "agency": d["agency"],
                "signed_ice": d["signed_ice"],
                "signed_agency": d["signed_agency"],
                "signers": [
                    {
                        "name": s["name"],
                        "title": s["title"],
                        "party": s["party"],
                        "signed": s["signed"],
                        "block": s["block"],
                        "page": s["page"],
                        "confidence": s["confidence"],
                    }
                    for s in sorted(signers[sha], key=lambda s: (s["block"], s["party"] != "agency"))
                ],
                "field_office": d["field_office"],
                "agreement_id": d["agreement_id"],
                "link_rule": d["link_rule"],
                "links": [{k: link[k] for k in ("agreement_id", "rule", "via", "detail")} for link in links[sha]],
                "date_checks": [
                    {k: c[k] for k in ("agreement_id", "ice_signed", "result", "days", "note")}
                    # the note as a message, said in a page's language
                    | {"note_message": date_check(c["ice_signed"], c["moa_signed_ice"], c["moa_signed_agency"])[2]}
                    for c in checks[sha]
                ],
                "fields": {
                    f["field"]: {k: f[k] for k in ("value", "raw", "page", "confidence", "rule")}
                    | {"value_message": clause_message(f["rule"], f["value"])}
                    for f in sorted(fields[sha], key=lambda f: f["field"])
                },
                "url": f"/documents/{sha}.pdf",
            }
        )
    return out


def list_documents(
    conn: Connection,
    *,
    search: str | None = None,
    agency_name: str | None = None,
    state: str | None = None,
    agreement_id: str | None = None,
) -> list[dict]:
    """Documents, filtered; with ``search``, only those whose text matches, best first, each with its
    ``matches`` (page and excerpt)."""
    query = (
        select(
            document.c.sha256,
            document.c.agency,
            document.c.state,
            agency.c.name,
            agreement.c.state.label("ag_state"),
            agreement.c.agency_id,
        )
        .outerjoin(agreement, agreement.c.agreement_id == document.c.agreement_id)
        .outerjoin(agency, agency.c.agency_id == agreement.c.agency_id)
        .order_by(document.c.state, document.c.agency, document.c.sha256)
    )
    rows = conn.execute(query).all()
    if state:
        rows = [r for r in rows if state in (r.state, r.ag_state)]
    if agency_name:
        needle = agency_name.lower()
        rows = [r for r in rows if any(needle in (v or "").lower() for v in (r.agency, r.name, r.agency_id))]
    if agreement_id:
        linked = set(
            conn.execute(select(document_link.c.sha256).where(document_link.c.agreement_id == agreement_id)).scalars()
        )
        rows = [r for r in rows if r.sha256 in linked]
    shas = [r.sha256 for r in rows]
    if search is None:
        return describe(conn, shas)
    matches: dict[str, list[dict]] = defaultdict(list)
    for hit in search_pages(conn, search):
        matches[hit["sha256"]].append({"page": hit["page"], "excerpt": hit["excerpt"]})
    allowed = set(shas)
    ordered = [sha for sha in matches if sha in allowed]
    out = describe(conn, ordered)
    for item in out:
        item["matches"] = sorted(matches[item["sha256"]], key=lambda m: m["page"])
    return out


def find_document(conn: Connection, ref: str) -> dict:
    """One document by sha256 (or a unique prefix of at least 6 characters) or by a file name it was found under."""
    ref = ref.strip()
    shas = list(conn.execute(select(document.c.sha256).where(document.c.sha256.like(f"{ref.lower()}%"))).scalars())
    if len(ref) < 6 or not shas:
        shas = sorted(
            set(
                conn.execute(
                    select(provenance.c.sha256).where(
                        func.lower(provenance.c.name) == ref.lower(), provenance.c.sha256.in_(select(document.c.sha256))
                    )
                ).scalars()
            )
        )
    if not shas:
        raise DocumentError(N_("no document {ref!r} in the archive (give a sha256 prefix or a file name)"), ref=ref)
    if len(shas) > 1:
        raise DocumentError(N_("{ref!r} matches {n} documents; give more of the sha256"), ref=ref, n=len(shas))
    return describe(conn, shas)[0]


def coverage(conn: Connection, on: date | None = None) -> dict:
    """How many agreements on ICE's participating list (the latest, or the one in force on ``on``) have their
    MOA on file: nationally, per state and per model."""
    from track287g.history.queries import latest_on, listed_agreements

    pub = latest_on(conn, "participating", on or date.max)
    if pub is None:
        raise DocumentError(N_("no participating list in the database (run `track287g build` first)"))
    listed = listed_agreements(conn, pub["sha256"])
    on_file = set(
        conn.execute(
            select(document_link.c.agreement_id)
            .join(document, document.c.sha256 == document_link.c.sha256)
            .where(document.c.kind == "moa", document_link.c.via != "addendum")
        ).scalars()
    )

    def tally(items: list[dict]) -> dict:
        n = sum(a["agreement_id"] in on_file for a in items)
        return {"with_moa": n, "agreements": len(items), "share": round(n / len(items), 4) if items else None}

    by_state: dict[str, list[dict]] = defaultdict(list)
    by_model: dict[str, list[dict]] = defaultdict(list)
    for a in listed:
        by_state[a["state"]].append(a)
        by_model[a["model"]].append(a)
    return {
        "publication": {k: pub.get(k) for k in ("sha256", "published", "part", "names")},
        "national": tally(listed),
        "by_state": {s: tally(v) for s, v in sorted(by_state.items())},
        "by_model": {m: tally(v) for m, v in sorted(by_model.items())},
        "documents": conn.execute(select(func.count()).select_from(document)).scalar_one(),
    }


def document_bytes(conn: Connection, sha256: str) -> bytes | None:
    """The archived PDF's bytes (only for a sha256 that is a document)."""
    from track287g.store.schema import raw_file

    row = conn.execute(
        select(raw_file.c.content).where(raw_file.c.sha256 == sha256, raw_file.c.sha256.in_(select(document.c.sha256)))
    ).first()
    return bytes(row[0]) if row else None


def agreement_documents(conn: Conn, agreement_ids: list[str]) -> dict[str, list[dict]]:
    """agreement_id -> the documents linked to it (the MOA first), each with the date check for that agreement."""
    if not agreement_ids:
        return {}
    marks, params = among("a", agreement_ids)  # one statement, plain SQL: asked per agency
    links = rows(
        conn,
        f"SELECT agreement_id, sha256, rule, via FROM document_link WHERE agreement_id IN ({marks}) "
        "ORDER BY agreement_id, sha256",
        params,
    )
    if not links:
        return {}
    docs = {d["sha256"]: d for d in describe(conn, sorted({link["sha256"] for link in links}))}
    out: dict[str, list[dict]] = defaultdict(list)
    for link in links:
        d = docs.get(link["sha256"])
        if d is None:
            continue
        check = next((c for c in d["date_checks"] if c["agreement_id"] == link["agreement_id"]), None)
        link_of = {"rule": link["rule"], "via": link["via"]}
        out[link["agreement_id"]].append(d | {"link": link_of, "date_check": check})
    for items in out.values():
        items.sort(key=lambda d: (d["kind"] != "moa", d["link"]["via"] != "moa", d["names"][0]))
    return dict(out)
