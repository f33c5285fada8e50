"""The committed misprint table: human decisions about rows ICE printed under another agency's name.

``data/misprints.csv`` has columns ``state,printed,model,signed,agency,note``: a participating row of ``state``
whose agency is printed ``printed`` (compared ignoring case, spacing and quote style), with support model
``model`` and signing date ``signed``, is the agreement of ``agency`` (a spelling ICE printed for it), misprinted.
The history reads such a row under ``agency`` and records the repair as a correction of the agreement (rule
``misprint``), keeping what ICE printed; ``note`` says why a person decided so. A row that is not in the archive
changes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from track287g.config import MISPRINTS
from track287g.errors import Track287gError
from track287g.resolve.aliases import loose

COLUMNS = ("state", "printed", "model", "signed", "agency")


class MisprintError(Track287gError):
    """The misprint table cannot be applied (a missing column or value, a bad date, a row decided twice)."""


@dataclass(frozen=True)
class Misprint:
    line: int
    state: str
    printed: str
    model: str
    signed: str
    agency: str
    note: str

    def key(self) -> tuple[str, str, str, str]:
        """What a row must print to be this misprint: state, agency (compared loosely), model, signing date."""
        return (self.state, loose(self.printed), self.model, self.signed)


def load_misprints(path: Path = MISPRINTS) -> list[Misprint]:
    """Read and validate the misprint table. Raises MisprintError naming the file and line."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = set(COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise MisprintError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        found: dict[tuple, Misprint] = {}
        for line, row in enumerate(reader, start=2):
            state, printed, model, signed, agency = (row.get(k, "").strip() for k in COLUMNS)
            if not all((state, printed, model, signed, agency)):
                raise MisprintError(f"{path}:{line}: state, printed, model, signed and agency are required")
            try:
                date.fromisoformat(signed)
            except ValueError:
                raise MisprintError(f"{path}:{line}: signed must be a date as YYYY-MM-DD, not {signed!r}") from None
            if loose(printed) == loose(agency):
                raise MisprintError(f"{path}:{line}: printed and agency are the same name")
            m = Misprint(line, state.upper(), printed, model.upper(), signed, agency, (row.get("note") or "").strip())
            if m.key() in found:
                raise MisprintError(f"{path}: lines {found[m.key()].line} and {line} decide the same row")
            found[m.key()] = m
    return list(found.values())
