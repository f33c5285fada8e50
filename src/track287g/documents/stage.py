"""The documents stage: from the pages read out of each archived PDF to the tables the rest of the record uses.

Runs after the history (it needs the agreements), in the same transaction, and from scratch each time: every
field extracted again from the kept pages, every link and date check made again, the search index rebuilt.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Connection, delete, select

from track287g.documents.extract import extract_fields
from track287g.documents.link import Agreements, Links, agency_links, best_link, check_dates, list_links, origins_by_sha
from track287g.documents.search import rebuild_index
from track287g.documents.signatures import Signer, read_signatures
from track287g.documents.store import load_pages
from track287g.store.db import bulk_insert
from track287g.store.schema_documents import (
    document,
    document_check,
    document_field,
    document_link,
    document_read,
    document_signer,
)

DERIVED = (document_check, document_link, document_signer, document_field, document)


def signed_dates(signers: list[Signer]) -> dict[str, tuple[Signer, str]]:
    """party -> (signer, ISO date) from the document's own signature block (block 1)."""
    out = {}
    for s in signers:
        if s.block == 1 and s.signed is not None and s.party not in out:
            out[s.party] = (s, s.signed.value.isoformat())
    return out


def build_documents(conn: Connection) -> dict:
    """Extract, link and check every archived document; rebuild the search index. Counts of what was done."""
    for table in DERIVED:
        conn.execute(delete(table))
    shas = list(conn.execute(select(document_read.c.sha256).order_by(document_read.c.sha256)).scalars())
    links, agreements, origins = Links(conn), Agreements(conn), origins_by_sha(conn)
    counts = {"documents": len(shas), "linked": 0, "differs": 0, "matches": 0, "unknown": 0}
    field_rows, signer_rows, link_rows, check_rows, doc_rows = [], [], [], [], []
    for sha in shas:
        pages = load_pages(conn, sha)
        fields = extract_fields(pages)
        signers = read_signatures(pages)
        dates = signed_dates(signers)
        models = fields["models"].value.split(",") if "models" in fields else []
        values = {
            "agency": fields["agency"].value if "agency" in fields else None,
            "state": fields["state"].value if "state" in fields else None,
            "models": models,
        }
        day_values = [date.fromisoformat(v) for _s, v in dates.values()]
        found = list_links(links, origins.get(sha, [])) or agency_links(agreements, values, day_values)
        best = best_link(found, agreements, day_values)
        for name, f in fields.items():
            field_rows.append((sha, name, f.value, f.raw[:2000], f.page, round(f.confidence, 3), f.rule))
        for party, (s, iso) in dates.items():
            if s.signed is not None:
                signed = (sha, f"signed_{party}", iso, s.signed.raw, s.page, round(s.confidence, 3), s.signed.rule)
                field_rows.append(signed)
        for s in signers:
            signer_rows.append(
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
            )
        for link in found:
            link_rows.append((sha, link.agreement_id, link.rule, link.column, link.detail))
        kind = fields["kind"].value if "kind" in fields else None
        for link in found:
            if kind == "addendum" or link.column == "addendum":
                continue  # an addendum's dates are not the agreement's signing dates
            row = agreements.rows.get(link.agreement_id) or {}
            result, days, note = check_dates(
                row, dates.get("ice", (None, None))[1], dates.get("agency", (None, None))[1]
            )
            counts[result] += 1
            check_rows.append(
                (
                    link.agreement_id,
                    sha,
                    row.get("signed"),
                    dates.get("ice", (None, None))[1],
                    dates.get("agency", (None, None))[1],
                    result,
                    days,
                    note,
                )
            )
        counts["linked"] += bool(found)
        doc_rows.append(
            (
                sha,
                kind,
                json.dumps(models),
                values["state"],
                values["agency"],
                dates.get("ice", (None, None))[1],
                dates.get("agency", (None, None))[1],
                fields["field_office"].value if "field_office" in fields else None,
                best.agreement_id if best else None,
                best.rule if best else None,
            )
        )
    bulk_insert(conn, document, doc_rows)
    bulk_insert(conn, document_field, field_rows)
    bulk_insert(conn, document_signer, _unique(signer_rows, 3))
    bulk_insert(conn, document_link, link_rows)
    bulk_insert(conn, document_check, _unique(check_rows, 2))
    rebuild_index(conn)
    return counts


def _unique(rows: list[tuple], key_len: int) -> list[tuple]:
    seen, out = set(), []
    for row in rows:
        if row[:key_len] not in seen:
            seen.add(row[:key_len])
            out.append(row)
    return out
