"""Parse: read one file's bytes into rows as printed, whatever layout ICE used.

``read_publication(data, name)`` guards against hostile zips, finds the header row, detects the layout from
the content (never from the file name), reads hyperlinks, and returns a :class:`ParsedFile`.

The workbook reader loads on first use: the history queries need only ``parse.published`` and must start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from track287g import lazy

if TYPE_CHECKING:
    from track287g.parse.errors import RejectedFile
    from track287g.parse.workbook import ParsedFile, RawRow, read_publication

__all__ = ["ParsedFile", "RawRow", "RejectedFile", "read_publication"]


__getattr__ = lazy.exports(
    __name__, {"errors": ("RejectedFile",), "workbook": ("ParsedFile", "RawRow", "read_publication")}
)
