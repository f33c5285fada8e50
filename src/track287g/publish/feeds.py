"""Atom feeds of changes: all, per state, per agency. One entry per ICE publication that changed something in
the feed's scope, newest first; entry ids are stable (the publication's sha256 and the scope), so a reader shows
each change once however often the feed is fetched.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from sqlalchemy import Connection

from track287g.config import VERSION as __version__
from track287g.errors import NotFound
from track287g.history import queries
from track287g.plurals import ngettext

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50


def _line(e: dict) -> str:
    who = e.get("agency") or e.get("agency_id") or ""
    bits = [e["type"], f"{who} ({e.get('state') or ''})", e.get("model") or ""]
    detail = e.get("detail") or {}
    if "from" in detail and "to" in detail:
        bits.append(f"{detail['from']} -> {detail['to']}")
    elif "signed" in detail:
        bits.append(f"signed {detail['signed']}")
    return " ".join(b for b in bits if b)


def feed(
    conn: Connection, *, base: str, scope: str, title: str, state: str | None = None, agency_id: str | None = None
) -> bytes:
    """The Atom document (UTF-8 bytes). ``base`` is the site's address ("" for root-relative links)."""
    if agency_id:
        try:
            queries.agency_view(conn, agency_id)
        except queries.QueryError as exc:
            raise NotFound(str(exc)) from None
    events = queries.changes(conn, state=state, agency_id=agency_id)
    groups: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        groups[e["publication"]].append(e)
    order = sorted(groups, key=lambda sha: groups[sha][0]["event_id"], reverse=True)[:ENTRIES]
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}title").text = title
    ET.SubElement(root, f"{{{ATOM}}}id").text = f"tag:track287g,2025:feed/{scope}"
    ET.SubElement(root, f"{{{ATOM}}}generator", version=__version__).text = "track287g"
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=f"{base}/feeds/{scope}.atom")
    page = f"/agency/{agency_id}/" if agency_id else f"/state/{state}/" if state else "/changes/"
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base}{page}")
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "track287g"
    newest = groups[order[0]][0]["published"][:10] if order else "2025-01-01"
    ET.SubElement(root, f"{{{ATOM}}}updated").text = f"{newest}T00:00:00Z"
    for sha in order:
        items = groups[sha]
        first = items[0]
        day = first["published"][:10]
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        changes = f"{len(items)} {ngettext('change', 'changes', len(items))}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"ICE {first['kind']} list {first['published']}: {changes}"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"tag:track287g,2025:{scope}/{sha}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{day}T00:00:00Z"
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base}/changes/?since={day}")
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = "\n".join(_line(e) for e in items)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
