"""The downloads: the bulk exports (from the export stage, when built) written once per data version, and the
API's CSV variants, which are always there."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from track287g.web import adapters
from track287g.web.site import Site

API_CSV = (
    ("/api/v1/agencies.csv", "Agencies (all, with status and models)"),
    ("/api/v1/agreements.csv", "Agreements (model, signing date, status, first and last listed, MOA)"),
    ("/api/v1/events.csv", "Changes between publications"),
    ("/api/v1/publications.csv", "ICE's publications archived"),
    ("/api/v1/states.csv", "Counts per state, now and at the start of 2025"),
    ("/api/v1/stats/publications.csv", "Counts on every participating list (a time series)"),
    ("/api/v1/pending.csv", "The latest pending list"),
)


def bulk_dir(site: Site) -> Path:
    """Where this data version's bulk exports live while the server runs."""
    return Path(tempfile.gettempdir()) / f"track287g-exports-{site.version}"


def write_bulk(site: Site, target: Path) -> dict[str, Any]:
    """Write the bulk exports under ``target`` (once: an existing complete folder is reused)."""
    done = target / ".complete"
    if done.exists():
        files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file() and p != done)
        return {"available": True, "files": files}
    with site.db.read() as conn:
        result = adapters.write_exports(conn, target)
    if result.get("available"):
        done.write_text("ok\n")
    return result


def listing(site: Site, target: Path | None = None) -> dict[str, Any]:
    bulk = write_bulk(site, target or bulk_dir(site))
    files = []
    base = target or bulk_dir(site)
    for name in bulk.get("files", []):
        files.append({"name": name, "url": f"/downloads/files/{name}", "bytes": (base / name).stat().st_size})
    return {
        "bulk": {k: v for k, v in bulk.items() if k != "files"} | {"files": files},
        "api_csv": [{"url": u, "title": t} for u, t in API_CSV],
    }
