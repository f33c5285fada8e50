"""The catalogs a translator works in: extracted by Babel from the code and templates, complete in Spanish, with
the same placeholders, compiled; numbers, money, percentages and dates by locale; every stored code has words."""

from __future__ import annotations

import gettext
import os
import string
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import text

from track287g.i18n import LOCALE_DIR, language
from track287g.i18n.labels import LABELS
from track287g.normalize import tables
from track287g.web import lookups

ROOT = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "es" / "LC_MESSAGES" / "track287g.po"
MO = PO.with_suffix(".mo")
RECIPE = "run `bash scripts/catalogs.sh`, translate the new entries of the .po, run it again (README: Translating)"


def read(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def keys(catalog) -> set:
    return {(m.context, m.id) for m in catalog if m.id}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_template_holds_exactly_what_babel_extracts_from_the_code_and_templates(tmp_path):
    fresh = tmp_path / "fresh.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    env = {**os.environ, "POT": str(fresh), "PYBABEL": str(pybabel)}
    subprocess.run(["bash", "scripts/catalogs.sh", "extract"], cwd=ROOT, env=env, check=True, capture_output=True)
    extracted, committed = keys(read(fresh)), keys(read(LOCALE_DIR / "track287g.pot"))
    assert sorted(extracted - committed, key=str) == [], "strings not in the catalog: " + RECIPE
    assert sorted(committed - extracted, key=str) == [], "strings no longer used: " + RECIPE


def test_every_string_has_its_spanish_with_the_same_placeholders():
    po = read(PO)
    assert keys(po) == keys(read(LOCALE_DIR / "track287g.pot")), RECIPE
    for m in po:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings) and not m.fuzzy, f"no (or a fuzzy) Spanish for {m.id!r}: {RECIPE}"
        assert all(fields(s) == fields(ids[-1]) for s in strings), m.id
        assert "%(" not in ids[0], f"placeholders are in braces ({{name}}), not %(name)s: {m.id!r}"


def test_the_compiled_catalog_is_the_po_compiled():
    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    po = {(m.context, plain(m.id)): plain(m.string) for m in read(PO) if m.id}
    with open(MO, "rb") as f:
        mo = {(m.context, plain(m.id)): plain(m.string) for m in read_mo(f) if m.id}
    assert mo == po, "track287g.mo is stale: run `bash scripts/catalogs.sh compile`"
    assert isinstance(gettext.translation("track287g", LOCALE_DIR, ["es"]), gettext.GNUTranslations)


def test_numbers_money_percentages_and_dates_by_locale():
    en, es = language("en"), language("es")
    assert (en.number(1234567), es.number(1234567)) == ("1,234,567", "1.234.567")
    assert (en.number(2398.14), es.number(2398.14)) == ("2,398.1", "2.398,1")
    assert (en.decimal(0.2), es.decimal(0.2)) == ("0.2", "0,2")
    assert en.money(2_398_100_000) == "$2,398.1 million"
    assert es.money(2_398_100_000) == "2.398,1 millones de dólares"
    assert (en.money(45_250), es.money(45_250)) == ("$45,250", "45.250 dólares")
    assert (en.percent(25), es.percent(16.84)) == ("25%", "16,8\xa0%")
    assert (en.date("2026-01-26"), es.date("2026-01-26")) == ("January 26, 2026", "26 de enero de 2026")
    assert (en.number(None), es.money(None)) == ("–", "–")


def test_dollars_are_written_the_same_way_below_a_million_and_above_it():
    es = language("es")
    below, above = es.money(388_123), es.money(1_012_345)
    assert (below, above) == ("388.123 dólares", "1,0 millones de dólares")
    assert "US$" not in below + above
    assert (language("en").money(-5), es.money(-2_500_000)) == ("-$5", "-2,5 millones de dólares")


def test_a_stored_message_about_a_count_takes_the_form_of_its_count():
    from track287g import messages

    es = language("es")
    one = messages.message("size.fallback-kind", sworn=1, n=288, kind="constable", state="PA", minimum=5)
    many = messages.message("size.fallback-kind", sworn=3, n=288, kind="constable", state="PA", minimum=5)
    assert messages.localized(one).startswith("about 1 sworn officer: ")
    assert messages.localized(many).startswith("about 3 sworn officers: ")
    assert messages.localized(one, es).startswith("alrededor de 1 agente juramentado: ")
    assert messages.localized(many, es).startswith("unos 3 agentes juramentados: ")
    roster = messages.message("size.roster", sworn=1, ori="TX0000000", year=2025)
    assert messages.localized(roster, es).startswith("1 agente juramentado (")
    assert messages.localized(messages.message("size.roster", sworn=1.5, ori="X", year=2025)).startswith(
        "1.5 sworn officers"
    )  # a count that is not whole takes the plural
    note = messages.message("funding.note.sizes", counted=1, agencies=1, estimated=0)
    assert "of the 1 agency," in messages.localized(note) and "1 agencies" not in messages.localized(note)


def test_a_message_inside_a_message_is_said_in_the_same_language_with_its_codes_in_words():
    from track287g import messages

    why = messages.message("audit.other-kind", kind="police", other_kind="sheriff")
    line = messages.message(
        "audit.candidate.listed",
        publication="2025-03-12",
        list_kind="pending",
        row=14,
        agency="Portage County Sheriff's Office",
        state="OH",
        model="WSO",
        signed_date=None,
        score=2.3,
        decision="declined",
        reason=why,
    )
    assert messages.localized(line) == (
        "2025-03-12 (pending) row 14: Portage County Sheriff's Office (OH) WSO – [2.3] declined: another kind of "
        "body (police / sheriff)"
    )
    es = language("es")
    assert messages.localized(line, es) == (
        f"2025-03-12 ({es.label('list', 'pending')}), fila 14: Portage County Sheriff's Office (OH) WSO – [2,3] "
        f"descartada: otro tipo de organismo ({es.label('kind', 'police')} / {es.label('kind', 'sheriff')})"
    )
    assert es.label("kind", "police") != "police"


def test_every_plural_message_has_its_spanish_forms_with_the_same_placeholders():
    import string

    from track287g import messages

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    es = language("es")
    for code, (singular, plural, counted) in messages.PLURALS.items():
        assert counted in fields(plural), code
        forms = [es.translations.ngettext(singular, plural, n) for n in (1, 2, 1_000_000)]
        assert all(form not in (singular, plural) for form in forms), f"{code}: no Spanish"
        assert all(fields(form) == fields(plural) for form in forms), code


def test_counts_choose_their_form_and_write_the_number_their_way():
    es = language("es")
    assert es.ngettext("{n} agency matches.", "{n} agencies match.", 1) == "1 agencia coincide."
    assert es.ngettext("{n} agency matches.", "{n} agencies match.", 12345) == "12.345 agencias coinciden."
    assert language("en").ngettext("{n} agency", "{n} agencies", 0) == "0 agencies"


def test_a_word_with_two_uses_takes_its_context():
    es = language("es")
    assert (es.label("agency-status", "pending"), es.label("list", "pending")) == ("pendiente", "pendientes")
    assert (es.label("agency-status", "removed"), es.label("agreement-status", "removed")) == ("retirada", "retirado")
    assert (
        es.label("repair", "trim-space+type-typo")
        == "espacios sobrantes eliminados, TYPE mal escrito (tabla de correcciones)"
    )


def test_every_state_has_its_name_in_both_languages():
    assert set(LABELS["state"]) == set(tables.states())
    assert all(LABELS["state"][c] == lookups.state_name(c) for c in tables.states())
    assert language("es").label("state", "NC") == "Carolina del Norte"


def test_every_code_the_record_stores_has_words(built_db):
    with built_db.read() as conn:
        stored = {
            "event": "SELECT DISTINCT type FROM event",
            "kind": "SELECT DISTINCT kind FROM agency",
            "agency-status": "SELECT DISTINCT status FROM agency",
            "agreement-status": "SELECT DISTINCT status FROM agreement",
            "application-status": "SELECT DISTINCT status FROM pending",
            "agency-type": "SELECT DISTINCT agency_type FROM agency WHERE agency_type IS NOT NULL",
            "merge": "SELECT DISTINCT rule FROM agency_spelling",
            "correction": "SELECT DISTINCT rule FROM correction",
            "repair": "SELECT DISTINCT rule FROM repair",
            "field": "SELECT DISTINCT field FROM repair",
            "match": "SELECT DISTINCT method FROM agency_match",
            "document-kind": "SELECT DISTINCT kind FROM document WHERE kind IS NOT NULL",
            "text-source": "SELECT DISTINCT text_source FROM document_read",
            "document-field": "SELECT DISTINCT field FROM document_field",
            "document-link": "SELECT DISTINCT rule FROM document_link",
            "date-check": "SELECT DISTINCT result FROM document_check",
        }
        missing = {
            group: sorted(
                code
                for code in conn.execute(text(query)).scalars()
                if code not in LABELS[group] and any(part not in LABELS[group] for part in code.split("+"))
            )
            for group, query in stored.items()
        }
        rules = conn.execute(text("SELECT value FROM build_info WHERE key = 'rules'")).scalar()
    assert {g: codes for g, codes in missing.items() if codes} == {}
    numeric = {k for k, v in __import__("json").loads(rules).items() if isinstance(v, int | float)}
    assert numeric <= set(LABELS["threshold"])  # same_body rules are shown by their own notes, not as thresholds
