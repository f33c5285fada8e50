"""Which agreement each document belongs to, and what its signature dates say about ICE's SIGNED date.

Links, strongest first (each is a row of ``document_link`` with its rule and evidence):

- ``list-link-url``: the PDF was fetched from an address a list links in its MOA or ADDENDUM column (the
  address as ICE wrote it, or unwrapped from an Outlook "safelinks" wrapper; ``http``/``https`` and case
  aside);
- ``list-link-name``: a name the PDF was archived under is the file name of such an address;
- ``agency-model-date``: no list links it, but its agency (read from the document, matched by the same
  keys that merge ICE's spellings), its state and model name exactly one agreement, signed within
  ``DATE_WINDOW_DAYS`` of a date the document was signed (or the only agreement of that agency and model
  when the document's dates could not be read).

The agreement a document is shown under is its best link: the list's own link first, then an agreement still
listed, then the one whose SIGNED date is nearest the document's dates. ICE's SIGNED is never changed: a
document whose signature dates both differ from it is a row of ``document_check`` with result ``differs``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from sqlalchemy import Connection, select

from track287g.memo import memoized
from track287g.messages import Message, message, render
from track287g.plurals import count
from track287g.resolve.names import name_key
from track287g.store.schema import provenance
from track287g.store.sql import rows as sql_rows
from track287g.store.sql import tuples

DATE_WINDOW_DAYS = 60
RULE_ORDER = {"list-link-url": 0, "list-link-name": 1, "agency-model-date": 2, "agency-model": 3}


@dataclass
class Link:
    agreement_id: str
    rule: str
    detail: str
    column: str  # moa | addendum | none (found by agency, model and date)


@memoized
def normal_url(url: str) -> str:
    """An address compared loosely: scheme, host case, a leading ``www.`` and a trailing slash do not matter;
    a browser-extension prefix (``chrome-extension://.../https:/www.ice.gov/...``) is dropped."""
    text = unquote(url.strip())
    m = re.search(r"(https?:)/+(www\.)?ice\.gov/", text, re.I)
    if m:
        text = "https://www.ice.gov/" + text[m.end() :]
    parts = urlsplit(text)
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


@memoized
def file_name(url: str) -> str | None:
    name = PurePosixPath(urlsplit(unquote(url)).path).name
    return name.lower() if name.lower().endswith(".pdf") else None


class Links:
    """The list links (MOA and ADDENDUM addresses) of every printed row, by address and by file name."""

    def __init__(self, conn: Connection):
        rows = tuples(  # through the driver: every printed row with a link, at every add
            conn,
            "SELECT listing_row.moa_url, listing_row.addendum_url, row_agreement.agreement_id FROM listing_row "
            "JOIN row_agreement ON row_agreement.row_id = listing_row.row_id "
            "WHERE listing_row.moa_url IS NOT NULL OR listing_row.addendum_url IS NOT NULL",
        )
        self.by_url: dict[str, set[tuple[str, str]]] = {}
        self.by_name: dict[str, set[tuple[str, str]]] = {}
        for moa, addendum, agreement_id in rows:
            for column, url in (("moa", moa), ("addendum", addendum)):
                if url:
                    self.by_url.setdefault(normal_url(url), set()).add((agreement_id, column))
                    name = file_name(url)
                    if name:
                        self.by_name.setdefault(name, set()).add((agreement_id, column))


def list_links(links: Links, origins: list[dict]) -> list[Link]:
    found: dict[str, Link] = {}
    for origin in origins:
        source = origin["source"] or ""
        if source.startswith(("http://", "https://")):
            for agreement_id, column in sorted(links.by_url.get(normal_url(source), ())):
                found.setdefault(agreement_id, Link(agreement_id, "list-link-url", source, column))
    for origin in origins:
        name = (origin["name"] or "").lower()
        for agreement_id, column in sorted(links.by_name.get(name, ())):
            found.setdefault(agreement_id, Link(agreement_id, "list-link-name", origin["name"], column))
    return list(found.values())


def origins_by_sha(conn: Connection, shas: list[str]) -> dict[str, list[dict]]:
    """Where each of these files was read from (its ``provenance`` rows, in the order they were recorded); the
    lists' own rows are not read (an archive holds thousands of lists and a few documents)."""
    out: dict[str, list[dict]] = {}
    for start in range(0, len(shas), 500):  # a few hundred at a time: SQLite's limit on a statement's values
        wanted = select(provenance).where(provenance.c.sha256.in_(shas[start : start + 500]))
        for row in conn.execute(wanted).mappings():
            out.setdefault(row["sha256"], []).append(dict(row))
    for found in out.values():
        found.sort(key=lambda row: row["id"])
    return out


class Agreements:
    """Agreements by agency, and agencies by matching key and state, for links by agency, model and date."""

    def __init__(self, conn: Connection):
        self.rows = {r["agreement_id"]: r for r in sql_rows(conn, "SELECT * FROM agreement")}
        self.by_key: dict[tuple[str, str], set[str]] = {}
        for agency_id, state, spelling in tuples(
            conn,
            "SELECT DISTINCT agency_spelling.agency_id, agreement.state, agency_spelling.spelling "
            "FROM agency_spelling JOIN agreement ON agreement.agency_id = agency_spelling.agency_id",
        ):
            self.by_key.setdefault((state, name_key(spelling, state)[0]), set()).add(agency_id)

    def by_agency_model(self, state: str, agency: str, models: list[str]) -> list[dict]:
        agencies = self.by_key.get((state, name_key(agency, state)[0]), set())
        return [a for a in self.rows.values() if a["agency_id"] in agencies and a["model"] in models]


def agency_links(agreements: Agreements, doc: dict, dates: list[date]) -> list[Link]:
    """Links by the document's own agency, state, model and dates (when no list links it)."""
    if not (doc.get("state") and doc.get("agency") and doc.get("models")):
        return []
    candidates = agreements.by_agency_model(doc["state"], doc["agency"], doc["models"])
    if dates:
        near = []
        for a in candidates:
            if a["signed"]:
                gap = min(abs((date.fromisoformat(a["signed"]) - d).days) for d in dates)
                if gap <= DATE_WINDOW_DAYS:
                    near.append((gap, a))
        near.sort(key=lambda pair: (pair[0], pair[1]["agreement_id"]))
        if near and (len(near) == 1 or near[0][0] < near[1][0]):
            gap, best = near[0]
            apart = count(gap, "day", "days")
            who = f"{doc['agency']} ({doc['state']}), {best['model']}"
            detail = f"{who}, SIGNED {best['signed']} is {apart} from the MOA"
            return [Link(best["agreement_id"], "agency-model-date", detail, "none")]
        return []
    if len(candidates) == 1:
        a = candidates[0]
        detail = f"{doc['agency']} ({doc['state']}), {a['model']}: the only such agreement; the MOA's dates are unread"
        return [Link(a["agreement_id"], "agency-model", detail, "none")]
    return []


def best_link(links: list[Link], agreements: Agreements, dates: list[date]) -> Link | None:
    def rank(link: Link) -> tuple:
        a = agreements.rows.get(link.agreement_id) or {}
        gap = 10**6
        if a.get("signed") and dates:
            gap = min(abs((date.fromisoformat(a["signed"]) - d).days) for d in dates)
        return (
            RULE_ORDER.get(link.rule, 9),
            link.column != "moa",
            a.get("status") != "active",
            gap,
            -(a.get("listings") or 0),
            link.agreement_id,
        )

    return min(links, key=rank) if links else None


def check_dates(agreement_row: dict, signed_ice: str | None, signed_agency: str | None) -> tuple[str, int | None, str]:
    """(result, days, note): ICE's SIGNED against the document's signature dates, the note in English (the
    sentence :func:`date_check` gives as a stored message)."""
    result, days, note = date_check(agreement_row.get("signed"), signed_ice, signed_agency)
    return result, days, render(note)


def date_check(
    printed: str | None, signed_ice: str | None, signed_agency: str | None
) -> tuple[str, int | None, Message]:
    """(result, days, note): ICE's SIGNED (``printed``) against the document's signature dates, the note a
    message (``messages``) that a page says in its reader's language.

    ICE signs last and the agreement takes effect then, so ICE's SIGNED is checked against the date ICE signed:
    ``matches`` or ``differs``. When only the agency's date could be read, a SIGNED date before it is impossible
    (``differs``); one on or after it cannot be checked (``unknown``, the gap said in the note).
    """
    if not printed:
        return "unknown", None, message("date-check.no-signed")
    day = date.fromisoformat(printed)
    if signed_ice:
        days = (day - date.fromisoformat(signed_ice)).days
        if days == 0:
            return "matches", 0, message("date-check.ice", printed_date=printed)
        if signed_agency == printed:
            return "matches", 0, message("date-check.agency", printed_date=printed, ice_date=signed_ice)
        gap = {"printed_date": printed, "ice_date": signed_ice, "sign": "+" if days > 0 else "-", "days": abs(days)}
        if signed_agency:
            return "differs", days, message("date-check.differs.agency", **gap, agency_date=signed_agency)
        return "differs", days, message("date-check.differs", **gap)
    if signed_agency:
        days = (day - date.fromisoformat(signed_agency)).days
        if days < 0:
            return (
                "differs",
                days,
                message("date-check.before-agency", printed_date=printed, days=-days, agency_date=signed_agency),
            )
        return "unknown", None, message("date-check.ice-unread", agency_date=signed_agency, days=days)
    return "unknown", None, message("date-check.unread")
