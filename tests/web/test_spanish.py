"""Spanish without English left in: every page type, the error pages and the feeds, read as a reader meets them
(``english.py`` says what counts as English)."""

from __future__ import annotations

import hashlib
from html import unescape
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import text

from tests.pdfs import MOA_FOLDER
from tests.web.english import english_in, texts
from track287g.web.pages import PAGES

CARROLL = hashlib.sha256((MOA_FOLDER / "CarrollCo_WSO_MOA_03.03.25.pdf").read_bytes()).hexdigest()
JIM_WELLS = hashlib.sha256((MOA_FOLDER / "JimWellsCoSO_WSO_MOA_031725.pdf").read_bytes()).hexdigest()
# one address or more per page type; the agencies are chosen in the record by what their pages show
ADDRESSES = {
    "home": ["/", "/?as_of=2025-06-01"],
    "states": ["/states/"],
    "state": ["/state/TX/", "/state/VT/", "/state/LA/", "/state/GU/"],
    "agencies": ["/agencies/", "/agencies/?state=FL&status=removed", "/agencies/?as_of=2025-06-01&kind=constable"],
    # + one per merge rule, correction and status below
    "agency": ["/agency/GA-walker-county-sheriffs-office/", "/agency/MD-carroll-county-sheriffs-office/"],
    "changes": ["/changes/", "/changes/?type=re-dated", "/changes/?kind=pending", "/changes/?type=renamed"],
    "pending": ["/pending/", "/pending/?as_of=2025-06-01"],
    "publications": ["/publications/", "/publications/?kind=pending"],
    "money": ["/money/", "/money/?state=FL&county=12071", "/money/?agency=FL-lee-county-sheriffs-office&claim=90"],
    "claims": ["/claims/"],
    "methodology": ["/methodology/"],
    "downloads": ["/downloads/"],
    "api": ["/api/"],
    "documents": ["/documents/", "/documents/?q=%22complaint+procedures%22", "/documents/?state=FL"],
    "document": [f"/document/{CARROLL}/", f"/document/{JIM_WELLS}/"],  # a date that matches, one that differs
    "county": ["/county/12071/", "/county/41051/?as_of=2025-06-01", "/county/50001/"],
    "place": ["/place/", "/place/?q=Tampa, FL", "/place/?q=33901", "/place/?q=Springfield", "/place/?q=Nowhereville"],
    "leaderboards": ["/leaderboards/"],
    "compare": ["/compare/", "/compare/?states=TX,FL,GA"],
}
ERRORS = [
    "/state/ZZ/",
    "/agency/nope/",
    "/nothing-here/",
    "/agencies/?page=999",
    "/agencies/?colour=red",
    "/agencies/?state=Texas",
    "/?as_of=2019-02-30",
    "/?as_of=1999-01-01",
    "/changes/?per_page=500",
    "/county/99999/",
    "/agency/GA-walker-county-sherifs-office/",
    # raised by the funding model and the query checks: templates said in the reader's language
    "/money/?state=FL&county=Atlantis",
    "/money/?state=FL&county=48001",
    "/money/?county=Atlantis",
    "/money/?agency=ZZ-foo",
    "/compare/?states=TX,FL,GA,AL,MS",
]
FEEDS = ["/feeds/changes.atom", "/feeds/state/TX.atom", "/feeds/agency/GA-walker-county-sheriffs-office.atom"]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def agencies_by_feature(built_db) -> list[str]:
    """An agency page for each way a spelling joins its agency, for corrected agreements, withdrawn applications."""
    queries = [
        "SELECT min(agency_id) FROM agency_spelling GROUP BY rule",
        "SELECT min(substr(agreement_id, 1, instr(agreement_id, '#') - 1)) FROM correction GROUP BY rule",
        "SELECT min(agency_id) FROM pending GROUP BY status",
        "SELECT min(agency_id) FROM agency GROUP BY status",
        "SELECT min(agency_id) FROM agency GROUP BY kind",
    ]
    with built_db.read() as conn:
        ids = {i for q in queries for i in conn.execute(text(q)).scalars() if i}
    return [f"/agency/{i}/" for i in sorted(ids)]


def test_every_page_type_is_read():
    assert set(ADDRESSES) == {p.name for p in PAGES} | {"api"}, "add the new page type to ADDRESSES"


@pytest.mark.parametrize("kind", sorted(ADDRESSES))
def test_spanish_pages_have_no_english(client, names, agencies_by_feature, kind):
    addresses = ADDRESSES[kind] + (agencies_by_feature if kind == "agency" else [])
    problems = {}
    for address in addresses:
        r = client.get("/es" + address)
        assert r.status_code == 200, (address, r.text[:300])
        found = english_in(texts(r.text), names)
        if found:
            problems[address] = found
    assert problems == {}


def test_spanish_error_pages_have_no_english(client, names):
    problems = {}
    for address in ERRORS:
        r = client.get("/es" + address)
        assert r.status_code in (400, 404), address
        found = english_in(texts(r.text), names)
        if found:
            problems[address] = found
    assert problems == {}


def test_errors_raised_by_the_funding_model_and_the_query_checks_are_said_in_spanish(client):
    page = client.get("/es/money/?state=FL&county=Atlantis")
    assert page.status_code == 404
    assert '<p class="error-message">condado &#39;Atlantis&#39;: no existe ese condado en FL</p>' in page.text
    page = client.get("/es/compare/?states=TX,FL,GA,AL,MS")
    assert page.status_code == 400
    assert '<p class="error-message">compare como máximo 4 estados (se indicaron 5)</p>' in page.text
    # the English page and the command line's answer keep the English sentence
    assert "county &#39;Atlantis&#39;: no such county in FL" in client.get("/money/?state=FL&county=Atlantis").text
    assert client.get("/api/v1/funding?state=FL&county=Atlantis").json()["error"] == (
        "county 'Atlantis': no such county in FL"
    )


def test_no_user_facing_error_in_the_web_or_funding_modules_is_raised_as_finished_english():
    """An error raised with an f-string or a plain string cannot be translated: raise ``N_(template)`` and values."""
    import ast
    from pathlib import Path

    import track287g

    root = Path(track287g.__file__).parent
    files = [
        *sorted((root / "web").glob("*.py")),
        root / "analyze/funding/lookup.py",
        root / "analyze/funding/estimate.py",
    ]
    finished = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                first = node.exc.args[0]
                if isinstance(first, ast.JoinedStr) or (
                    isinstance(first, ast.Constant) and isinstance(first.value, str)
                ):
                    finished.append(f"{path.relative_to(root)}:{node.lineno}")
    assert finished == []


def test_the_leak_test_finds_english(client, names):
    """The test above would see English: the English pages are full of it."""
    english = english_in(texts(client.get("/agency/GA-walker-county-sheriffs-office/").text, lang="en"), names)
    assert any("catalog sentence" in p for p in english) and any("English prose" in p for p in english)
    assert english_in(["1,234 agencias", "12.5 millones", "$45", "25%", "January 26, 2026"], names) != []
    assert len(english_in(["1,234 agencias", "12.5 millones", "$45", "25%", "January 26, 2026"], names)) == 5


@pytest.mark.parametrize("address", FEEDS)
def test_the_spanish_feeds_exist_and_are_spanish(client, names, address):
    r = client.get("/es" + address)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    assert root.find(f"{ATOM}title").text.startswith("Listas 287(g) de ICE")
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/es" + address  # absolute (issue 11)
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://testserver/es/")
    entries = root.findall(f"{ATOM}entry")
    assert entries and all(e.find(f"{ATOM}title").text.startswith("Lista de") for e in entries)
    english_ids = {e.find(f"{ATOM}id").text for e in ET.fromstring(client.get(address).content).findall(f"{ATOM}entry")}
    assert not english_ids & {e.find(f"{ATOM}id").text for e in entries}, "an entry id names one language"
    found = [t for e in entries for t in (e.find(f"{ATOM}title").text, e.find(f"{ATOM}summary").text)]
    assert english_in([root.find(f"{ATOM}title").text, *found], names) == []


def test_spanish_pages_link_their_spanish_feeds(client):
    html = client.get("/es/state/TX/").text
    assert 'href="/es/feeds/state/TX.atom"' in html and 'href="/es/feeds/changes.atom"' in html
    assert 'href="/feeds/state/TX.atom"' in client.get("/state/TX/").text


def test_a_disappearance_s_evidence_and_its_candidates_are_said_in_spanish_with_ice_s_rows_as_printed(client):
    page = client.get("/es/agency/NE-sarpy-county-department-of-corrections/").text
    assert "1 fila nueva podría ser su continuación; se descartó" in page
    assert "could continue it" not in page
    # the candidate's line: the audit's words in Spanish, ICE's row (name, state, model) as printed
    assert (
        "2025-05-16 am (participantes), fila 540: Utah Department of Corrections (UT) WSO 12 de mayo de 2025 [2,4] "
        "descartada: ICE imprime las dos agencias una junto a la otra (la lista de pendientes del 2025-04-29 am): "
        "son dos organismos"
    ) in page
    assert "row 540" not in page and "side by side" not in page
    english = client.get("/agency/NE-sarpy-county-department-of-corrections/").text
    assert (
        "2025-05-16 am (participating) row 540: Utah Department of Corrections (UT) WSO 2025-05-12 [2.4] declined: "
        "ICE prints the two agencies side by side (the pending list of 2025-04-29 am): two bodies"
    ) in english
    changes = client.get("/es/changes/?type=removed").text
    assert "ninguna fila nueva en las listas de " in changes and "imprime el mismo modelo y la misma fecha" in changes


def test_a_misprinted_row_s_correction_is_said_in_spanish_with_the_name_ice_printed(client):
    page = client.get("/es/agency/FL-fish-and-wildlife-conservation-commission/").text
    assert (
        "agencia Florida Department of Environmental Protection, Division of Law Enforcement → Florida Fish and "
        "Wildlife Conservation Commission (impreso con el nombre de otra agencia; leído como suyo por decisión de "
        'una persona, <code>misprint</code>): <span lang="en">the Commission&#39;s TFM row (signed 2025-02-14, '
    ) in page  # why the person decided it: their note, in English, said to be English
    assert "by a person&#39;s decision" not in page


def test_a_transfers_evidence_is_said_in_spanish(client):
    page = client.get("/es/agency/FL-gulf-county-sheriffs-office/").text
    assert (
        "en la lista del 2025-03-06 am, el acuerdo TFM firmado el 26 de febrero de 2025 dejó de figurar bajo "
        "&#39;Gulf County BOCC&#39; y apareció bajo &#34;Gulf County Sheriff&#39;s Office&#34;: ambas del condado "
        "de Gulf según su nombre"
    ) in page
    assert "appeared under" not in page
    english = client.get("/agency/FL-gulf-county-sheriffs-office/").text
    assert "left &#39;Gulf County BOCC&#39; and appeared under" in english and "both of Gulf County by name" in english


def test_what_a_withdrawal_notes_is_said_in_spanish(client):
    page = client.get("/es/agency/FL-alachua-police-department/").text
    assert "el acuerdo TFM FL-alachua-police-department#TFM#2025-07-02 de la agencia se listó por primera vez" in page
    assert "83 días después" in page and "days after" not in page
    english = client.get("/agency/FL-alachua-police-department/").text
    assert "83 days after this application&#39;s last listing" in english


def test_the_task_force_model_has_one_spanish_name_everywhere():
    from babel.messages.pofile import read_po

    from track287g.i18n import LOCALE_DIR

    with open(LOCALE_DIR / "es" / "LC_MESSAGES" / "track287g.po", "rb") as f:
        catalog = read_po(f)
    said = [
        form
        for m in catalog
        if m.id and "Task Force Model" in (m.id[0] if isinstance(m.id, tuple) else m.id)
        for form in (m.string if isinstance(m.string, tuple) else (m.string,))
    ]
    assert said and all("Modelo de Fuerza de Tarea" in s.replace("\n", " ") for s in said), said
    assert not any("Grupo de Trabajo" in m.string for m in catalog if isinstance(m.string, str))


def test_a_spanish_page_writes_every_dollar_amount_the_same_way(client):
    html = client.get("/es/agency/MO-reynolds-county-sheriffs-office/").text
    assert "Modelo de Fuerza de Tarea" in html and "Modelo de Grupo de Trabajo" not in html
    assert "US$" not in html and "388.123 dólares" in html and "1,0 millones de dólares" in html
    for address in ("/es/money/", "/es/money/?state=FL&county=12071", "/es/state/TX/"):
        assert "US$" not in client.get(address).text, address


def test_a_signer_with_no_date_read_says_so_in_a_whole_sentence(client):
    page = client.get("/es/agency/FL-okaloosa-county-corrections/").text
    assert "Por la agencia: nombre no encontrado, cargo no encontrado, fecha de firma no encontrada" in page
    assert "firmado el en una fecha" not in page and "firmado el 2025-02-26" in page
    english = client.get("/agency/FL-okaloosa-county-corrections/").text
    assert "For the agency: name not found, title not found, signing date not found" in english
    assert "signed on a date not found" not in english


def test_a_former_ids_reason_is_said_in_spanish_or_marked_as_english(client):
    page = client.get("/es/agency/FL-alachua-police-department/").text
    assert '<code title="el identificador de otra grafía de la agencia">FL-alachua-police-departent</code>' in page
    assert "the id of another spelling" not in page
    # an id change's reason quotes ICE's row: stored English evidence, marked as such
    page = client.get("/es/agency/FL-boca-raton-police-services-department/").text
    assert '<code title="id until the list of 2025-07-15 am (participating): ICE printed' in page
    assert 'lang="en">FL-boca-raton-police-department</code>' in page


def test_the_money_pages_assumptions_are_spanish_and_their_english_sources_marked(client):
    import re

    for address in ("/es/money/", "/es/money/?state=FL&county=12071"):
        page = client.get(address).text
        table = page[page.index('<table id="assumptions">') : page.index("</table>", page.index('id="assumptions"'))]
        labels = re.findall(r'<th scope="row">([^<]*)</th>', table)
        assert "Oferta anunciada" in labels and "Equipo por agente" in labels, labels
        sources = re.findall(r"<td([^>]*) class=\"sub\">", table)
        assert sources and all(' lang="en"' in s for s in sources)  # quoted as published
        assert page.count("Las fuentes se citan en su idioma original.") == 1


def test_a_documents_date_check_and_term_are_said_in_spanish(client, built_db):
    agency = client.get("/es/agency/TX-jim-wells-county-sheriffs-office/").text
    assert "fecha SIGNED de ICE: 26 de marzo de 2025; ICE firmó el documento el 25 de marzo de 2025 (+1 día)" in agency
    assert "ICE&#39;s SIGNED" not in agency
    carroll = client.get(f"/es/document/{CARROLL}/").text
    assert "la fecha SIGNED de ICE, 3 de marzo de 2025, es la fecha en que firmó ICE" in carroll
    assert "en vigor desde la firma de ambas partes, hasta que cualquiera de ellas le ponga fin" in carroll
    assert "effective on signature" not in carroll
    # every kind of note the build stores, said in Spanish on its document's page
    with built_db.read() as conn:
        unread = conn.execute(
            text("SELECT min(sha256) FROM document_check WHERE note LIKE 'no signature date%'")
        ).scalar()
        agency_only = conn.execute(
            text("SELECT min(sha256) FROM document_check WHERE note LIKE 'ICE''s signature date could not%'")
        ).scalar()
    assert "no se pudo leer ninguna fecha de firma en el documento" in client.get(f"/es/document/{unread}/").text
    assert (
        "no se pudo leer la fecha de firma de ICE; la agencia firmó el"
        in client.get(f"/es/document/{agency_only}/").text
    )
    # the English page and the stored note keep the sentence the build wrote
    english = client.get(f"/document/{JIM_WELLS}/").text
    assert "ICE&#39;s SIGNED 2025-03-26; ICE signed the document on 2025-03-25 (+1 day)" in english


def test_a_date_checks_stored_note_is_its_message_in_english():
    from track287g.documents.link import check_dates, date_check
    from track287g.messages import render

    cases = [
        ({}, "2025-01-01", None),
        ({"signed": "2025-02-26"}, "2025-02-26", None),
        ({"signed": "2025-02-26"}, "2025-02-20", "2025-02-26"),
        ({"signed": "2025-03-26"}, "2025-03-25", None),
        ({"signed": "2025-03-26"}, "2025-03-20", "2025-03-01"),
        ({"signed": "2025-03-01"}, None, "2025-03-02"),
        ({"signed": "2025-03-10"}, None, "2025-03-02"),
        ({"signed": "2025-03-10"}, None, None),
    ]
    notes = [check_dates(*c)[2] for c in cases]
    assert notes == [render(date_check(c[0].get("signed"), c[1], c[2])[2]) for c in cases]
    assert notes[3] == "ICE's SIGNED 2025-03-26; ICE signed the document on 2025-03-25 (+1 day)"
    assert notes[5] == "ICE's SIGNED 2025-03-01 is 1 day before the agency signed (2025-03-02)"
    assert (
        notes[6] == "ICE's signature date could not be read; the agency signed 2025-03-02, 8 days before ICE's SIGNED"
    )


EVIDENCE = {
    # an agency page, and English the record gives on it as evidence (a person's note in the alias table, a
    # candidate the identity rules declined, in their words; the rest is said in Spanish)
    "/es/agency/FL-miami-dade-corrections-and-rehabilitation/": ["aliases.csv line 5: same as"],
}
ENGLISH_NOTE = "se citan en inglés, tal como están escritas"


@pytest.mark.parametrize("address", sorted(EVIDENCE))
def test_english_evidence_is_marked_and_the_page_says_so_once_in_spanish(client, address):
    html = client.get(address).text
    shown = " ".join(texts(html))  # the text a reader meets outside elements marked lang="en"
    raw = unescape(html)
    for fragment in EVIDENCE[address]:
        assert fragment in raw, fragment
        assert fragment not in shown, f"{fragment!r} is not inside an element marked lang='en'"
    assert html.count(ENGLISH_NOTE) == 1
    assert "quoted in English" not in client.get(address.removeprefix("/es")).text  # English pages need no note


def test_the_english_note_is_only_on_pages_that_quote_english(client):
    for address in ("/es/agency/KS-bureau-of-investigation/", "/es/", "/es/money/"):
        assert ENGLISH_NOTE not in client.get(address).text, address  # the money page has its own note
    # Georgia's law is cited as written, in English, on its agencies' pages (Kansas has no row in the table)
    for address in (
        f"/es/document/{JIM_WELLS}/",
        "/es/changes/",
        "/es/state/TX/",
        "/es/agency/GA-walker-county-sheriffs-office/",
    ):
        assert client.get(address).text.count(ENGLISH_NOTE) == 1, address


def test_a_shared_name_key_is_said_in_spanish_with_the_key_as_printed(client):
    page = client.get("/es/agency/AL-dekalb-county-sheriffs-office/").text
    assert "clave &#39;dekalb county sheriffs office&#39; compartida por 2 grafías" in page
    assert "shared by" not in page
    english = client.get("/agency/AL-dekalb-county-sheriffs-office/").text
    assert "key &#39;dekalb county sheriffs office&#39; shared by 2 spellings" in english


def test_why_a_spelling_is_the_agency_s_is_said_in_spanish(client):
    said = {
        "AR-state-police-department": "en la lista de participantes del 2025-08-11 am, ICE listó el acuerdo TFM "
        "firmado el 7 de julio de 2025 bajo",
        "FL-hialeah-police-department": "regla same_body municipal-prefix de rules.yaml: &#39;city of hialeah police "
        "department&#39; es &#39;hialeah police department&#39;",
        "OK-barnsdall-police-department": "&#39;Barndall Police Department&#39; ~ &#39;Barnsdall Police "
        "Department&#39;: similitud 98,1, nunca impresas juntas, mismo tipo",
        "FL-lake-placid-police-department": "(estado",
    }
    for agency_id, words in said.items():
        page = client.get(f"/es/agency/{agency_id}/").text
        assert words in page, agency_id
        assert "instead of" not in page and "never printed together" not in page, agency_id
    english = client.get("/agency/OK-barnsdall-police-department/").text
    assert "similarity 98.1, never printed together, same kind" in english
