"""Answers made when the data changes, not while a visitor waits: those that take seconds of CPU and are the same
for every visitor of a data version. The funding model's national run on the latest list (behind the figure on
every state, county and agency page, and the nation on ``/money/``), the claim checks (``/claims/``) and the
moving map's frames (``/api/v1/map.json``).

``make`` computes them with the code a visit would run and returns the bytes that ``publish.downloads`` keeps
among a data version's extras (``answers.json``, beside the bulk exports); the site reads one back with
``Site.made``. A data version without the file (a build with ``--no-exports``) is computed on the first visit,
as before.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any

from track287g.errors import Track287gError
from track287g.web import resources
from track287g.web.app import json_bytes
from track287g.web.site import ANSWERS, CLAIMS, MAP, NATION, PLACES, Site

if TYPE_CHECKING:
    from track287g.store import Database


def make(db: Database, exports: Any = None) -> bytes:
    """The answers for the database's current data version, as the bytes of ``answers.json`` (made by the web's
    own resources over a site whose version has no answers yet)."""
    site = Site(db, exports, pinned=True)
    found: dict[str, Any] = {"version": site.data_version}
    for key, compute in (
        (PLACES, lambda: resources.funding_places(site)),
        (NATION, lambda: resources.money(site, {})["funding"]),
        (CLAIMS, lambda: resources.claims(site, {})["claims"]),
        (MAP, lambda: resources.map_frames(site, {})),
    ):
        with suppress(Track287gError):  # no participating list yet: nothing to make, a visit says why
            found[key] = compute()
    return json_bytes(found)


__all__ = ["ANSWERS", "make"]
