"""The reports the claims quote: outlet, title, date as best known, where their text is kept, who made the
figures and through whom (``data/claims/sources.yaml``, the texts under ``data/claims/sources/``).

A source entry::

    nbc-news:
      kind: news                        # news (an outlet) | blog (its name unknown) | brief (outlet unknown)
      outlet: NBC News
      title: null                       # null where the saved text does not carry it, with title_note saying so
      published: 2026-02                # as precisely as known (YYYY, YYYY-MM or YYYY-MM-DD), or null
      published_note: "how the date is known"
      address: null                     # the web address, when recorded
      text: sources/nbc-news-report.txt # the saved text, relative to the claims folder
      sha256: ...                       # of that text
      figures_by: FWD.us                # who made the figures
      via: NBC News                     # who printed them
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from track287g.analyze.claims.counts import ClaimError

KINDS = ("news", "blog", "brief")
FIELDS = (
    "kind",
    "outlet",
    "title",
    "title_note",
    "published",
    "published_note",
    "address",
    "text",
    "sha256",
    "figures_by",
    "via",
    "note",
)
SOURCES_FILE = "sources.yaml"


def load_sources(folder: str | Path) -> dict[str, dict[str, Any]]:
    """Source id -> its record, from ``sources.yaml`` in a claims folder ({} when there is none). The saved
    text of each must exist and match its sha256."""
    folder = Path(folder)
    path = folder / SOURCES_FILE if folder.is_dir() else folder.parent / SOURCES_FILE
    if not path.exists():
        return {}
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        raise ClaimError(f"{path}: not valid YAML") from None
    raw = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(raw, dict):
        raise ClaimError(f"{path}: expected a mapping with a `sources:` mapping")
    out = {}
    for sid, entry in raw.items():
        if not isinstance(entry, dict) or entry.get("kind") not in KINDS:
            raise ClaimError(f"{path}: source {sid}: needs a kind ({', '.join(KINDS)})")
        if entry["kind"] == "news" and not entry.get("outlet"):
            raise ClaimError(f"{path}: source {sid}: a news source needs its outlet")
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown:
            raise ClaimError(f"{path}: source {sid}: unknown field {unknown[0]!r}")
        record = {f: entry.get(f) for f in FIELDS}
        record["published"] = None if entry.get("published") is None else str(entry["published"])
        if record["text"]:
            text_path = path.parent / str(record["text"])
            if not text_path.exists():
                raise ClaimError(f"{path}: source {sid}: no saved text at {record['text']}")
            digest = hashlib.sha256(text_path.read_bytes()).hexdigest()
            if record["sha256"] and record["sha256"] != digest:
                raise ClaimError(f"{path}: source {sid}: {record['text']} does not match its sha256")
            record["sha256"] = digest
        out[str(sid)] = {"id": str(sid), **record}
    return out
