"""Counts choose their words in one place."""

from __future__ import annotations

from track287g.plurals import count, ngettext
from track287g.web.i18n import plural


def test_one_is_singular_and_every_other_count_plural():
    assert [count(n, "agency", "agencies") for n in (0, 1, 2, 1234)] == [
        "0 agencies",
        "1 agency",
        "2 agencies",
        "1,234 agencies",
    ]
    assert ngettext("change", "changes", 1) == "change" and ngettext("change", "changes", 0) == "changes"


def test_the_web_translates_the_form_that_fits():
    assert plural("en", "{n} agency matches.", "{n} agencies match.", 1) == "1 agency matches."
    assert plural("es", "{n} agency matches.", "{n} agencies match.", 12345) == "12\u202f345 agencias coinciden."
