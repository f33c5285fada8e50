"""Atom feeds of new publications and their events, with the same filters as webhook subscriptions.

One entry per publication (newest first), its events listed in the entry; ids are stable (the publication's
sha256), so a feed reader shows each publication once however often the feed is rewritten.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from sqlalchemy import Connection, select

from track287g import __version__
from track287g.store.schema import announcement, publication, raw_file
from track287g.watch.notify import matches, publication_events, publication_record

ATOM = "http://www.w3.org/2005/Atom"


def _event_line(e: dict) -> str:
    who = e.get("agency") or e.get("agency_id") or "?"
    what = " ".join(x for x in (e.get("model"), e.get("agreement_id") or e.get("pending_id")) if x)
    return f"{e['type']}: {who} ({e.get('state') or '?'})" + (f", {what}" if what else "")


def atom(
    conn: Connection,
    *,
    state: str | None = None,
    agency_term: str | None = None,
    limit: int = 50,
    self_url: str | None = None,
) -> bytes:
    """The feed as UTF-8 XML bytes."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    title = "ICE 287(g) lists: new publications and their events"
    if state or agency_term:
        title += " (" + ", ".join(x for x in (state, agency_term) if x) + ")"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = "urn:track287g:feed:" + (state or "all") + ":" + (agency_term or "")
    ET.SubElement(feed, f"{{{ATOM}}}generator", version=__version__).text = "track287g"
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "track287g (from ICE's published lists)"
    if self_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    rows = conn.execute(
        select(publication.c.sha256, raw_file.c.first_ingested, announcement.c.announced_at)
        .join(raw_file, raw_file.c.sha256 == publication.c.sha256)
        .outerjoin(announcement, announcement.c.sha256 == publication.c.sha256)
        .where(~publication.c.derived)
        .order_by(publication.c.published.desc(), publication.c.part.desc(), publication.c.sha256)
    ).all()
    entries, updated = [], None
    for sha, ingested, announced in rows:
        if len(entries) >= limit:
            break
        events = [e for e in publication_events(conn, sha) if matches(e, state, agency_term)]
        if (state or agency_term) and not events:
            continue
        entries.append((sha, announced or ingested, events))
        updated = max(updated or "", announced or ingested)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated or "1970-01-01T00:00:00Z"
    for sha, when, events in entries:
        record = publication_record(conn, sha)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        when_part = f"{record['published']} {record['part']}".strip()
        ET.SubElement(
            entry, f"{{{ATOM}}}title"
        ).text = f"ICE {record['kind']} list published {when_part}: {len(events)} events"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:track287g:publication:{sha}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = when
        for source in record["sources"]:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="enclosure", href=source)
        lines = [f"{record['rows']:,} rows; files: {', '.join(record['names'])}; sha256 {sha}"]
        lines += [_event_line(e) for e in events]
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = "\n".join(lines)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
