"""Parse: read one file's bytes into rows as printed, whatever layout ICE used.

``read_publication(data, name)`` guards against hostile zips, finds the header row, detects the layout from
the content (never from the file name), reads hyperlinks, and returns a :class:`ParsedFile`.

The workbook reader loads on first use: the history queries need only ``parse.published`` and must start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from track287g.parse.errors import RejectedFile
    from track287g.parse.workbook import ParsedFile, RawRow, read_publication

__all__ = ["ParsedFile", "RawRow", "RejectedFile", "read_publication"]


def __getattr__(name: str) -> Any:
    if name == "RejectedFile":
        from track287g.parse import errors

        return errors.RejectedFile
    if name in __all__:
        from track287g.parse import workbook

        return getattr(workbook, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
