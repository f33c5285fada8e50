"""Answers made when the data changes, not while a visitor waits: the funding model's national run on the latest
list (seconds of CPU), behind the figure on every state, county and agency page and the nation on ``/money/``.

``make`` computes them with the same code a visit would and returns the bytes that ``publish.downloads`` keeps
among a data version's extras (``funding.json``, beside the bulk exports); ``answer`` reads one back. A data
version without the file (a build with ``--no-exports``) is computed on the first visit, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from track287g.errors import Track287gError
from track287g.publish import downloads

if TYPE_CHECKING:
    from track287g.store import Database
    from track287g.web.site import Site

NAME = "funding.json"
PLACES = "funding_places"  # every agency's, county's and state's central figure and range
NATION = "money_nation"  # the money page's answer for the nation, with no scenario


def answer(site: Site, key: str) -> dict[str, Any] | None:
    """The answer ``key`` made for the site's data version, or None when it was not made."""
    version = site.data_version
    found = site.peek(("precomputed", version))
    if found is None:
        path = downloads.extra_path(site.exports, version, NAME)
        try:
            found = orjson.loads(path.read_bytes()) if path is not None else {}
        except (OSError, ValueError):
            found = {}
        if found.get("version") != version:
            found = {}
        site.put(("precomputed", version), found)
    return found.get(key)


def make(db: Database, exports: Any = None) -> bytes:
    """The answers for the database's current data version, as the bytes of ``funding.json``."""
    from track287g.web import resources
    from track287g.web.app import plain
    from track287g.web.site import Site

    site = Site(db, exports, pinned=True)
    found: dict[str, Any] = {"version": site.data_version}
    try:
        found[PLACES] = resources.funding_places(site, fresh=True)
        found[NATION] = resources.money(site, {}, fresh=True)["funding"]
    except Track287gError:  # no participating list yet: nothing to make, a visit says why
        found = {"version": site.data_version}
    return orjson.dumps(found, default=plain, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)


__all__ = ["NAME", "answer", "make"]
