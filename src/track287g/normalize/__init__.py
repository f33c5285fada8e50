"""Normalize: turn each row as printed into clean values, keeping the raw value and naming every repair.

Values are repaired only by rules stated in code or in the fix tables under ``track287g/data/fixes``;
anything no rule covers is kept as printed (or left empty) and flagged, never guessed.

The row normalizer (``row``, which reads workbooks' cells) loads on first use: the command line's argument checks
need only the tables (``normalize.tables``), and must start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from track287g import lazy

if TYPE_CHECKING:
    from track287g.normalize.row import NormalizedRow, normalize_row, row_id

__all__ = ["NormalizedRow", "normalize_row", "row_id"]


__getattr__ = lazy.exports(__name__, {"row": ("NormalizedRow", "normalize_row", "row_id")})
