"""The errors a user can act on. Each knows how it ends: the command line prints its message as one line and exits
with ``exit_code``; the web app answers ``http_status`` with the message. Anything else is a bug: a logged 500 on
the web, a one-line "unexpected" error on the command line (``--debug`` shows the traceback).

    Track287gError          the input, the data files or the question asked (exit 2, HTTP 400)
    ├── QueryError          a question the record cannot answer as asked
    │   ├── InvalidArgument a state code, date or choice that is not one
    │   └── NotFound        a thing the record does not hold (HTTP 404)
    └── Unavailable         the database or a lock is not there to be had (HTTP 503)

Stages derive their own errors from these (``StoreError``, ``FundingError``, ``ClaimError``...).
"""

from __future__ import annotations


class Track287gError(Exception):
    """A problem with the input, the data files or the question asked (not a bug)."""

    exit_code: int = 2
    http_status: int = 400


class QueryError(Track287gError):
    """A question the record cannot answer as asked (unknown name, bad date, ambiguous publication)."""


class NotFound(QueryError):
    """A thing the record does not hold (an unknown agency, state, publication or download): a 404."""

    http_status = 404


class InvalidArgument(QueryError):
    """An argument that is not what it must be (a state code, a date, one of a few choices): a 400."""


class Unavailable(Track287gError):
    """Something the command needs is not there to be had (the database, a lock): a 503."""

    http_status = 503
