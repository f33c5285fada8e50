"""The errors a user can act on. Each knows how it ends: the command line prints its message as one line and exits
with ``exit_code``; the web app answers ``http_status`` with the message. Anything else is a bug: a logged 500 on
the web, a one-line "unexpected" error on the command line (``--debug`` shows the traceback).

    Track287gError          the input, the data files or the question asked (exit 2, HTTP 400)
    ├── QueryError          a question the record cannot answer as asked
    │   ├── InvalidArgument a state code, date or choice that is not one
    │   └── NotFound        a thing the record does not hold (HTTP 404)
    │       └── Moved       an id the record held before: the web redirects to the one it carries now (301)
    └── Unavailable         the database or a lock is not there to be had (HTTP 503)

Stages derive their own errors from these (``StoreError``, ``FundingError``, ``ClaimError``...). An error raised as a
template and its values (``NotFound(N_("no agency with id {agency_id!r}"), agency_id=x)``, the template marked for
the catalogs) is shown in the reader's language on the web site; one raised as finished text is shown as it is.
"""

from __future__ import annotations


class Track287gError(Exception):
    """A problem with the input, the data files or the question asked (not a bug)."""

    exit_code: int = 2
    http_status: int = 400

    def __init__(self, message: str = "", **values: object) -> None:
        super().__init__(message.format(**values) if values else message)
        self.template = message
        self.values = values


class QueryError(Track287gError):
    """A question the record cannot answer as asked (unknown name, bad date, ambiguous publication)."""


class NotFound(QueryError):
    """A thing the record does not hold (an unknown agency, state, publication or download): a 404."""

    http_status = 404


class Moved(NotFound):
    """An id the record held before (an agency's former id): the thing now lives under ``new_id``."""

    http_status = 301

    def __init__(self, old_id: str, new_id: str) -> None:
        super().__init__(f"{old_id} is now {new_id}")
        self.old_id, self.new_id = old_id, new_id


class InvalidArgument(QueryError):
    """An argument that is not what it must be (a state code, a date, one of a few choices): a 400."""


class Unavailable(Track287gError):
    """Something the command needs is not there to be had (the database, a lock): a 503."""

    http_status = 503
