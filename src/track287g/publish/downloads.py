"""The downloads: the bulk exports (``export``) of one data version, written once into a folder, and the API's CSV
variants, which are always there."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Protocol

from track287g.i18n import N_
from track287g.publish.export import export
from track287g.store import Database

API_CSV = (
    ("/api/v1/agencies.csv", N_("Agencies (all, with status and models)")),
    ("/api/v1/agreements.csv", N_("Agreements (model, signing date, status, first and last listed, MOA)")),
    ("/api/v1/events.csv", N_("Changes between publications")),
    ("/api/v1/publications.csv", N_("ICE's publications archived")),
    ("/api/v1/states.csv", N_("Counts per state, now and at the start of 2025")),
    ("/api/v1/stats/publications.csv", N_("Counts on every participating list (a time series)")),
    ("/api/v1/pending.csv", N_("The latest pending list")),
)
FORMATS = ("csv", "json", "xlsx", "parquet")


class Versioned(Protocol):
    """A database and the version of the data it holds (the web's ``Site`` is one)."""

    @property
    def db(self) -> Database: ...

    @property
    def version(self) -> str: ...


def bulk_dir(site: Versioned) -> Path:
    """Where this data version's bulk exports live."""
    return Path(tempfile.gettempdir()) / f"track287g-exports-{site.version}"


def write_exports(db: Database, target: Path) -> dict[str, Any]:
    """Write the bulk exports (CSV, Parquet, XLSX, JSON + datapackage.json) under ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    try:
        with db.read() as conn:
            for fmt in FORMATS:
                export(conn, fmt, target / fmt)
    except Exception as exc:
        reason = f"not yet available in this build ({type(exc).__name__}: {exc})"
        return {"available": False, "stage": "export", "reason": reason}
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    return {"available": True, "files": files}


def write_bulk(site: Versioned, target: Path) -> dict[str, Any]:
    """Write the bulk exports under ``target`` (once: an existing complete folder is reused)."""
    done = target / ".complete"
    if done.exists():
        files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file() and p != done)
        return {"available": True, "files": files}
    result = write_exports(site.db, target)
    if result.get("available"):
        done.write_text("ok\n")
    return result


def listing(site: Versioned, target: Path | None = None) -> dict[str, Any]:
    """The bulk files (written first when missing) and the API's CSV addresses, for the downloads page."""
    bulk = write_bulk(site, target or bulk_dir(site))
    files = []
    base = target or bulk_dir(site)
    for name in bulk.get("files", []):
        files.append({"name": name, "url": f"/downloads/files/{name}", "bytes": (base / name).stat().st_size})
    return {
        "bulk": {k: v for k, v in bulk.items() if k != "files"} | {"files": files},
        "api_csv": [{"url": u, "title": t} for u, t in API_CSV],
    }
