"""Counts choose their words in one place: gettext's rule, for the command line and the site alike."""

from __future__ import annotations

from track287g.i18n import language
from track287g.messages import localized, message, render
from track287g.plurals import count, ngettext


def test_one_is_singular_and_every_other_count_plural():
    assert [count(n, "agency", "agencies") for n in (0, 1, 2, 1234)] == [
        "0 agencies",
        "1 agency",
        "2 agencies",
        "1,234 agencies",
    ]
    assert ngettext("change", "changes", 1) == "change" and ngettext("change", "changes", 0) == "changes"


def test_the_site_translates_the_form_that_fits():
    en, es = language("en"), language("es")
    assert en.ngettext("{n} agency matches.", "{n} agencies match.", 1) == "1 agency matches."
    assert es.ngettext("{n} agency matches.", "{n} agencies match.", 12345) == "12.345 agencias coinciden."


def test_an_audit_s_unexplained_candidates_are_counted_in_words_that_fit():
    assert render(message("evidence.unexplained", candidates=1)) == "1 candidate unexplained"
    assert render(message("evidence.unexplained", candidates=2)) == "2 candidates unexplained"
    assert localized(message("evidence.unexplained", candidates=1), language("es")) == "1 candidato sin explicar"
