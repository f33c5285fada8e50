"""Local files and folders: find the spreadsheets and PDFs to ingest and any MANIFEST.csv provenance beside them."""

from __future__ import annotations

import csv
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}  # .csv: the old lists of 2007-2020 (parse.historical)
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
    read: set[Path] = set()  # each manifest is read once, however many of the files it describes are named

    def use(manifest: Path) -> None:
        if manifest not in read:
            read.add(manifest)
            manifests.update(_read_manifest(manifest))

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
                    use(parent / MANIFEST_NAME)
            for sub in sorted(path.rglob(MANIFEST_NAME)):
                use(sub.resolve())
            for file in sorted(p for p in path.rglob("*") if p.is_symlink() or not p.is_dir()):
                if file.name.startswith(".") or file.name in SIDECARS:
                    continue
                if file.suffix.lower() in SPREADSHEET_SUFFIXES | DOCUMENT_SUFFIXES:  # special files: rejected when read
                    if file not in seen:
                        seen.add(file)
                        _add(found, Candidate(file, file.name))
                else:
                    found.ignored.append(file)
        else:
            for parent in path.resolve().parents:
                if (parent / MANIFEST_NAME).is_file():
                    use(parent / MANIFEST_NAME)
                    break
            if path not in seen:
                seen.add(path)
                _add(found, Candidate(path, path.name))
    for candidate in found.files + found.documents:
        candidate.manifest = manifests.get(str(candidate.path.resolve()))
    return found


def _add(found: Found, candidate: Candidate) -> None:
    (found.documents if candidate.path.suffix.lower() in DOCUMENT_SUFFIXES else found.files).append(candidate)


class Unreadable(Exception):
    """A file that is not read: not a regular file, over the size limit, or an OS error. ``size`` if known."""

    def __init__(self, reason: str, size: int | None = None):
        super().__init__(reason)
        self.reason, self.size = reason, size


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ``Unreadable``.

    A symbolic link is resolved first and must lead to a regular file with a spreadsheet's or a PDF's name; FIFOs,
    devices and sockets are refused before they are opened (opened without blocking, then checked again on
    the open file); the limit applies to the bytes read, not only to what ``stat`` said."""
    try:
        target = path
        if path.is_symlink():
            target = path.resolve(strict=True)
            readable = SPREADSHEET_SUFFIXES | DOCUMENT_SUFFIXES
            if target.suffix.lower() not in readable and stat.S_ISREG(target.stat().st_mode):
                raise Unreadable(f"a symbolic link to {target}, which is not a spreadsheet or PDF file: not read")
        mode = target.stat().st_mode
        where = f" (a symbolic link to {target})" if target != path else ""
        if not stat.S_ISREG(mode):
            raise Unreadable(f"not a regular file: {_kind(mode)}{where}; not read")
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise Unreadable("cannot read file (a broken symbolic link, or it vanished)") from None
    except OSError as exc:
        raise Unreadable(f"cannot read file ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # swapped between the check and the open
            raise Unreadable(f"not a regular file: {_kind(info.st_mode)}; not read")
        if info.st_size > limit:
            raise Unreadable(f"file is {info.st_size:,} bytes, over the size limit of {limit:,} bytes", info.st_size)
        chunks, got = [], 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:
            raise Unreadable(f"file grew past the size limit of {limit:,} bytes while it was read", got)
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot read file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
