"""The archive: every file ICE published, byte for byte, and the publications read from them.

- ``files``: raw bytes addressed by sha256, every name and place a file was found under, quarantine.
- ``publications``: a file read and normalized (``prepare``), written as a publication with its rows (``write``).
- ``catalog``: the read side: every publication with its names, rows and flags; the quarantine.
- ``summary``: what a database holds, in counts (``track287g summary``).

The raw-file functions are re-exported here (``archive.store_file``, ``archive.Origin``, ...).
"""

from track287g.archive.files import (
    Origin,
    add_origin,
    has_file,
    now_utc,
    origins,
    quarantine_file,
    read_file,
    sha256_of,
    store_file,
)

__all__ = [
    "Origin",
    "add_origin",
    "has_file",
    "now_utc",
    "origins",
    "quarantine_file",
    "read_file",
    "sha256_of",
    "store_file",
]
