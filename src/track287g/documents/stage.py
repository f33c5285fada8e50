"""The documents stage: from the pages read out of each archived PDF to the tables the rest of the record uses.

Runs after the history (it needs the agreements), in the same transaction: every link and date check made
again, the search index rebuilt. A document's fields and signers come from its pages alone: those of a document
read as at the last run, by the same code and package data, are kept (``build_info`` key ``documents``); the
others are extracted again from the kept pages.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, insert, select

from track287g.config import package_digest
from track287g.documents.link import Agreements, Links, agency_links, best_link, check_dates, list_links, origins_by_sha
from track287g.documents.search import has_index, rebuild_index
from track287g.documents.store import load_pages
from track287g.store.db import bulk_insert
from track287g.store.schema import build_info
from track287g.store.schema_documents import (
    document,
    document_check,
    document_field,
    document_link,
    document_read,
    document_signer,
)

if TYPE_CHECKING:
    from track287g.documents.signatures import Signer

DERIVED = (document_check, document_link, document_signer, document_field, document)


def signed_dates(signers: list[Signer]) -> dict[str, tuple[Signer, str]]:
    """party -> (signer, ISO date) from the document's own signature block (block 1)."""
    out = {}
    for s in signers:
        if s.block == 1 and s.signed is not None and s.party not in out:
            out[s.party] = (s, s.signed.value.isoformat())
    return out


def build_documents(conn: Connection, *, previous: str | None = None) -> dict:
    """Extract (or keep), link and check every archived document; rebuild the search index. Counts of what was
    done. ``previous``: the ``build_info`` summary of the run that wrote the tables now stored (its documents'
    fields and signers are kept where the code and their reading are the same)."""
    reads = dict(conn.execute(select(document_read.c.sha256, document_read.c.read_at)).all())
    code = package_digest()  # the package: its code and data
    summary = _summary(previous)
    kept_fields, kept_signers = _kept(conn, summary, code, reads)
    for table in DERIVED:
        conn.execute(delete(table))
    shas = sorted(reads)
    if shas:  # no document, nothing to link: the agreements and the lists' links are not read
        links, agreements, origins = Links(conn), Agreements(conn), origins_by_sha(conn, shas)
    counts = {"documents": len(shas), "linked": 0, "differs": 0, "matches": 0, "unknown": 0}
    field_rows, signer_rows, link_rows, check_rows, doc_rows = [], [], [], [], []
    for sha in shas:
        if sha in kept_fields:
            its_fields, its_signers = kept_fields[sha], kept_signers.get(sha, [])
        else:
            its_fields, its_signers = _extracted(conn, sha)
        field_rows += its_fields
        signer_rows += its_signers
        fields = {row[1]: row[2] for row in its_fields}  # field -> value
        dates = {party: fields[f"signed_{party}"] for party in ("ice", "agency") if f"signed_{party}" in fields}
        models = fields["models"].split(",") if "models" in fields else []
        values = {"agency": fields.get("agency"), "state": fields.get("state"), "models": models}
        day_values = [date.fromisoformat(v) for v in dates.values()]
        found = list_links(links, origins.get(sha, [])) or agency_links(agreements, values, day_values)
        best = best_link(found, agreements, day_values)
        for link in found:
            link_rows.append((sha, link.agreement_id, link.rule, link.column, link.detail))
        kind = fields.get("kind")
        for link in found:
            if kind == "addendum" or link.column == "addendum":
                continue  # an addendum's dates are not the agreement's signing dates
            row = agreements.rows.get(link.agreement_id) or {}
            result, days, note = check_dates(row, dates.get("ice"), dates.get("agency"))
            counts[result] += 1
            check_rows.append(
                (link.agreement_id, sha, row.get("signed"), dates.get("ice"), dates.get("agency"), result, days, note)
            )
        counts["linked"] += bool(found)
        doc_rows.append(
            (
                sha,
                kind,
                json.dumps(models),
                values["state"],
                values["agency"],
                dates.get("ice"),
                dates.get("agency"),
                fields.get("field_office"),
                best.agreement_id if best else None,
                best.rule if best else None,
            )
        )
    bulk_insert(conn, document, doc_rows)
    bulk_insert(conn, document_field, field_rows)
    bulk_insert(conn, document_signer, _unique(signer_rows, 3))
    bulk_insert(conn, document_link, link_rows)
    bulk_insert(conn, document_check, _unique(check_rows, 2))
    if summary.get("code") != code or summary.get("read") != reads or not has_index(conn):
        rebuild_index(conn)  # else the pages it indexes are those the last run indexed, by the same code
    conn.execute(delete(build_info).where(build_info.c.key == "documents"))
    conn.execute(insert(build_info).values(key="documents", value=json.dumps({"code": code, "read": reads})))
    return counts


def _extracted(conn: Connection, sha: str) -> tuple[list[tuple], list[tuple]]:
    """A document's field rows (with its signing dates) and signer rows, extracted from its kept pages."""
    from track287g.documents.extract import extract_fields  # not at every add: most documents' rows are kept
    from track287g.documents.signatures import read_signatures

    pages = load_pages(conn, sha)
    fields = extract_fields(pages)
    signers = read_signatures(pages)
    rows = [(sha, name, f.value, f.raw[:2000], f.page, round(f.confidence, 3), f.rule) for name, f in fields.items()]
    for party, (s, iso) in signed_dates(signers).items():
        if s.signed is not None:
            rows.append((sha, f"signed_{party}", iso, s.signed.raw, s.page, round(s.confidence, 3), s.signed.rule))
    signer_rows = [
        (
            sha,
            s.block,
            s.party,
            s.name,
            s.title,
            s.signed.value.isoformat() if s.signed else None,
            s.raw,
            s.page,
            round(s.confidence, 3),
        )
        for s in signers
    ]
    return rows, _unique(signer_rows, 3)


def _summary(previous: str | None) -> dict:
    """The ``build_info`` summary of the run that wrote the tables now stored (empty when there is none)."""
    try:
        summary = json.loads(previous) if previous else {}
    except ValueError:
        return {}
    return summary if isinstance(summary, dict) else {}


def _kept(conn: Connection, summary: dict, code: str, reads: dict[str, str]) -> tuple[dict, dict]:
    """The field and signer rows of the documents the last run (its ``summary``) extracted with this code, from
    pages read as they are now (sha256 -> rows); none when the code, the package data or a document's reading
    changed."""
    if summary.get("code") != code or not isinstance(summary.get("read"), dict):
        return {}, {}
    same = {sha for sha, read_at in summary["read"].items() if reads.get(sha) == read_at}
    fields: dict[str, list] = defaultdict(list)
    signers: dict[str, list] = defaultdict(list)
    for row in conn.execute(select(document_field)):
        if row[0] in same:
            fields[row[0]].append(tuple(row))
    for row in conn.execute(select(document_signer)):
        if row[0] in same:
            signers[row[0]].append(tuple(row))
    return dict(fields), dict(signers)


def _unique(rows: list[tuple], key_len: int) -> list[tuple]:
    seen, out = set(), []
    for row in rows:
        if row[:key_len] not in seen:
            seen.add(row[:key_len])
            out.append(row)
    return out
