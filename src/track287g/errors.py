"""The base class of every error a user can act on: the command line prints it as one line, no traceback."""


class Track287gError(Exception):
    """A problem with the input, the data files or the question asked (not a bug)."""


class NotFound(Track287gError):
    """A thing the record does not hold (an unknown agency, state, publication or download): a 404."""
