"""Local files and folders: find the spreadsheets and PDFs to ingest and any MANIFEST.csv provenance beside them."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
DOCUMENT_SUFFIXES = {".pdf"}  # MOAs and addenda: read by the documents stage
MANIFEST_NAME = "MANIFEST.csv"
SIDECARS = {MANIFEST_NAME, "OCR-TRANSCRIPTS.jsonl"}  # files that describe the files beside them


@dataclass
class Candidate:
    """One file to ingest: where it is, what it is called, and what a manifest says of it."""

    path: Path
    name: str
    manifest: dict[str, str] | None = None


@dataclass
class Found:
    files: list[Candidate] = field(default_factory=list)
    documents: list[Candidate] = field(default_factory=list)  # PDFs
    ignored: list[Path] = field(default_factory=list)  # files in folders that are neither
    missing: list[str] = field(default_factory=list)  # paths that do not exist


def _read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Manifest rows keyed by resolved file path (the manifest's ``file`` column is relative to it)."""
    rows: dict[str, dict[str, str]] = {}
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row.get("file"):
                    rows[str((path.parent / row["file"]).resolve())] = row
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    return rows


def find(paths: list[str]) -> Found:
    """Expand files and folders (recursively, in sorted order) into the files to ingest."""
    found = Found()
    manifests: dict[str, dict[str, str]] = {}
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            found.missing.append(given)
            continue
        if path.is_dir():
            # manifests in the folder or any folder above it describe the files below
            for parent in [path.resolve(), *path.resolve().parents]:
                if (parent / MANIFEST_NAME).is_file():
                    manifests.update(_read_manifest(parent / MANIFEST_NAME))
            for sub in sorted(path.rglob(MANIFEST_NAME)):
                manifests.update(_read_manifest(sub))
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.name.startswith(".") or file.name in SIDECARS:
                    continue
                if file.suffix.lower() in SPREADSHEET_SUFFIXES | DOCUMENT_SUFFIXES:
                    if file not in seen:
                        seen.add(file)
                        _add(found, Candidate(file, file.name))
                else:
                    found.ignored.append(file)
        else:
            for parent in path.resolve().parents:
                if (parent / MANIFEST_NAME).is_file():
                    manifests.update(_read_manifest(parent / MANIFEST_NAME))
                    break
            if path not in seen:
                seen.add(path)
                _add(found, Candidate(path, path.name))
    for candidate in found.files + found.documents:
        candidate.manifest = manifests.get(str(candidate.path.resolve()))
    return found


def _add(found: Found, candidate: Candidate) -> None:
    (found.documents if candidate.path.suffix.lower() in DOCUMENT_SUFFIXES else found.files).append(candidate)
