"""Normalize: turn each row as printed into clean values, keeping the raw value and naming every repair.

Values are repaired only by rules stated in code or in the fix tables under ``track287g/data/fixes``;
anything no rule covers is kept as printed (or left empty) and flagged, never guessed.
"""

from track287g.normalize.row import NormalizedRow, normalize_row, row_id

__all__ = ["NormalizedRow", "normalize_row", "row_id"]
