"""What a person asks, checked once: state codes, dates, choices and numbers. The command line, the Python API and
the web all read arguments through these, so a bad one gets the same message everywhere (an ``InvalidArgument``:
exit 2 on the command line, a 400 on the web).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from track287g.errors import InvalidArgument
from track287g.i18n import N_
from track287g.normalize import tables

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


def state(value: str | None) -> str | None:
    """A USPS code of a state, DC or territory, upper-cased (None stays None); anything else is an error."""
    if value is None:
        return None
    code = value.strip().upper()
    if code not in tables.states():
        raise InvalidArgument(N_("unknown state {value!r} (use a USPS code such as FL, DC or GU)"), value=value)
    return code


def day(value: str | date) -> date:
    """An ISO date (``YYYY-MM-DD``) between 2000 and 2100 (a ``date`` is taken as it is)."""
    if isinstance(value, date):
        return value
    try:
        found = date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidArgument(N_("not a date: {value!r} (use YYYY-MM-DD)"), value=value) from None
    if not FIRST_DAY <= found <= LAST_DAY:
        raise InvalidArgument(
            N_("date {value!r} is out of range ({first} to {last})"), value=value, first=FIRST_DAY, last=LAST_DAY
        )
    return found


def optional_day(value: str | date | None) -> str | None:
    """An optional date as ISO text (None stays None)."""
    return None if value is None else day(value).isoformat()


def choice(value: str | None, options: Iterable[str], what: str) -> str | None:
    """One of ``options`` (None stays None); ``what`` names the argument in the message (``--by``, ``kind``)."""
    if value is None:
        return None
    allowed = tuple(options)
    if value not in allowed:
        raise InvalidArgument(
            N_("{what} must be one of {allowed}, not {value!r}"), what=what, allowed=", ".join(allowed), value=value
        )
    return value


def whole_number(value: str | int, low: int, high: int, what: str) -> int:
    """A whole number from ``low`` to ``high``."""
    try:
        n = int(str(value).strip())
    except ValueError:
        raise InvalidArgument(N_("{what} must be a whole number, not {value!r}"), what=what, value=value) from None
    if not low <= n <= high:
        raise InvalidArgument(
            N_("{what} must be between {low} and {high}, not {n}"), what=what, low=low, high=high, n=n
        )
    return n


KINDS = ("participating", "pending")


def kind(value: str | None) -> str | None:
    """A list kind: participating or pending (None: both)."""
    return choice(value, KINDS, "kind")
