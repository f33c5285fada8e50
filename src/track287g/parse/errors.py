"""The one error a reader raises: a file that cannot be a publication, with a reason a person can act on."""


class RejectedFile(Exception):
    """Bad input: the file is kept in quarantine and the reason is shown as one line."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
