"""Atom feeds of changes: all, per state, per agency, in English (``/feeds/...``) and Spanish (``/es/feeds/...``).
One entry per ICE publication that changed something in the feed's scope, newest publication first whichever list
it is (the order of ``queries.changes``); entry ids are stable (the publication's sha256, the scope and the
language), so a reader shows each change once however often the feed is fetched. Before them, one entry for
each of the latest revisions of the record (``history.revisions``): the changes a rebuild no longer reports, or
reports anew, for lists already in the record, so that no change a subscriber read is withdrawn in silence.
Links are absolute: ``$TRACK287G_SITE_URL`` when set (e.g. for ``watch --feed``), else the site's address as
given (``--base-url``), else the address the feed was fetched from.
"""

from __future__ import annotations

import os
from collections import defaultdict
from xml.etree import ElementTree as ET

from sqlalchemy import Connection

from track287g.config import VERSION as __version__
from track287g.history import queries
from track287g.i18n import Language, language

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ENTRIES = 50
REVISION_ENTRIES = 10  # the latest revisions of the record in the feed's scope, one entry each
SITE_URL_ENV = "TRACK287G_SITE_URL"


def site_url(fallback: str) -> str:
    """The site's absolute address, without a trailing slash."""
    return (os.environ.get(SITE_URL_ENV) or fallback).rstrip("/")


def agency_title(conn: Connection, agency_id: str) -> str:
    """An agency's feed title: its name and state (a former id raises ``Moved``, an unknown one ``NotFound``)."""
    return titled(queries.agency_view(conn, agency_id))


def titled(view: dict) -> str:
    """The feed title of an agency given its view (``queries.agency_view``)."""
    return f"{view['name']} ({view['state']})"


def _text(value: object) -> str:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _line(e: dict, words: Language) -> str:
    who = e.get("agency") or e.get("agency_id") or ""
    bits = [words.label("event", e["type"]), f"{who} ({e.get('state') or ''})", e.get("model") or ""]
    detail = e.get("detail") or {}
    if "from" in detail and "to" in detail:
        bits.append(f"{_text(detail['from'])} -> {_text(detail['to'])}")
    elif "signed" in detail:
        bits.append(words.gettext("signed {date}", date=detail["signed"]))
        if detail.get("signed_probable"):
            bits.append("(" + words.gettext("probably {date}: a year typo", date=detail["signed_probable"]) + ")")
    if detail.get("provisional"):
        bits.append(words.gettext("(provisional: ICE may list it again)"))
    return " ".join(b for b in bits if b)


def _title(words: Language, state: str | None, agency: str | None) -> str:
    if agency:
        return words.gettext("ICE 287(g) lists: changes for {agency}", agency=agency)
    if state:
        return words.gettext("ICE 287(g) lists: changes in {state}", state=words.label("state", state))
    return words.gettext("ICE 287(g) lists: every change")


def _entry_title(words: Language, kind: str, published: str, n: int) -> str:
    if kind == "pending":
        return words.ngettext(
            "ICE pending list {published}: {n} change",
            "ICE pending list {published}: {n} changes",
            n,
            published=published,
            n=n,
        )
    return words.ngettext(
        "ICE participating list {published}: {n} change",
        "ICE participating list {published}: {n} changes",
        n,
        published=published,
        n=n,
    )


def feed(
    conn: Connection,
    *,
    base: str,
    scope: str,
    title: str | None = None,
    state: str | None = None,
    agency_id: str | None = None,
    lang: str = "en",
) -> bytes:
    """The Atom document (UTF-8 bytes) in ``lang``. ``base`` is the site's absolute address; ``title`` replaces
    the feed's own."""
    name = agency_title(conn, agency_id) if agency_id else None  # NotFound, or Moved for a former id
    events = queries.changes(conn, state=state, agency_id=agency_id, newest_first=True)
    revised = queries.revisions(conn, state=state, agency_id=agency_id)
    return document(
        events, revised, base=base, scope=scope, title=title, state=state, agency_id=agency_id, name=name, lang=lang
    )


def document(
    events: list[dict],
    revised: list[dict] | None = None,
    *,
    base: str,
    scope: str,
    title: str | None = None,
    state: str | None = None,
    agency_id: str | None = None,
    name: str | None = None,
    lang: str = "en",
) -> bytes:
    """The feed of ``events`` (``queries.changes``, newest first) in ``lang``, after the latest revisions of the
    record (``revised``: ``queries.revisions``, newest first); ``name``: the agency's feed title
    (``agency_title``). Both languages' feeds of a scope are made from the same events."""
    words = language(lang)
    groups: dict[str, list[dict]] = defaultdict(list)
    for e in events:  # newest first: the groups keep that order
        groups[e["publication"]].append(e)
    order = list(groups)[:ENTRIES]
    revisions: dict[str, list[dict]] = defaultdict(list)
    for r in revised or ():
        revisions[r["revised_at"]].append(r)
    latest = list(revisions)[:REVISION_ENTRIES]  # the times of the latest revisions, newest first
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    prefix = "" if lang == "en" else f"/{lang}"
    own = scope if lang == "en" else f"{lang}/{scope}"  # ids of the Spanish feed differ from the English one's
    ET.SubElement(root, f"{{{ATOM}}}title").text = title or _title(words, state, name)
    ET.SubElement(root, f"{{{ATOM}}}id").text = f"tag:track287g,2025:feed/{own}"
    ET.SubElement(root, f"{{{ATOM}}}generator", version=__version__).text = "track287g"
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=f"{base}{prefix}/feeds/{scope}.atom")
    page = f"/agency/{agency_id}/" if agency_id else f"/state/{state}/" if state else "/changes/"
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base}{prefix}{page}")
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "track287g"
    newest = f"{groups[order[0]][0]['published'][:10]}T00:00:00Z" if order else "2025-01-01T00:00:00Z"
    ET.SubElement(root, f"{{{ATOM}}}updated").text = max([newest, *latest[:1]])
    for at in latest:  # what the record no longer says, or says anew, about lists it already covered
        items = revisions[at]
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = words.ngettext(
            "Record revised {day}: {n} change to lists already reported",
            "Record revised {day}: {n} changes to lists already reported",
            len(items),
            day=at[:10],
            n=len(items),
        )
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"tag:track287g,2025:{own}/revised/{at}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = at
        where = f"/changes/?state={state}#rev-h" if state else "/changes/#rev-h"  # the page that lists them
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base}{prefix}{where}")
        lines = [
            words.gettext(
                "Read again (after a new list, a rule or a person's decision), lists already in the record show "
                "other changes than reported before:"
            )
        ]
        for r in items:
            said = _line({**r, "agency": r["name"]}, words)
            if r["change"] == "withdrawn":
                lines.append(
                    words.gettext("no longer reported: {change} (list of {list})", change=said, list=r["list_label"])
                )
            else:
                lines.append(
                    words.gettext("now reported: {change} (list of {list})", change=said, list=r["list_label"])
                )
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = "\n".join(lines)
    for sha in order:
        items = groups[sha]
        first = items[0]
        day = first["published"][:10]
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _entry_title(
            words, first["list_kind"], first["published"], len(items)
        )
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"tag:track287g,2025:{own}/{sha}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{day}T00:00:00Z"
        link = f"{base}{prefix}/changes/?since={day}"
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = "\n".join(_line(e, words) for e in items)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
