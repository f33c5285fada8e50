"""What the extractor reads from the 64 bundled MOAs, against values verified by hand.

``tests/fixtures/moa_fields.csv`` holds, per sample, each field as a person reads it on the page images (the
signature blocks, the first page, the points of contact): an empty cell is a value the document does not show
legibly (a handwritten signature, a blank date line) or that was not checked. Names and titles compare without
case, spacing or punctuation ("C. M. Cronen" is "Christopher M Cronen": same surname and first initial).

The counts per field are pinned (``EXPECTED``): a change to the reader or the rules that finds more, finds less,
or gets a value wrong shows here, to be looked at and the table updated.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from track287g.documents import list_documents

FIXTURE = Path(__file__).parent / "fixtures" / "moa_fields.csv"
FIELDS = ("kind", "models", "agency", "state", "field_office", "signed_agency", "signed_ice", "agency_signer",
          "agency_title", "ice_signer", "ice_title")  # fmt: skip
# field: (found, found and verified right, found and wrong)
EXPECTED = {
    "kind": (64, 64, 0),
    "models": (64, 64, 0),
    "agency": (58, 55, 3),  # OCR'd text layers: "Sherifrs", "Sheritrs", "SouthWestem"
    "state": (44, 44, 0),
    "field_office": (35, 35, 0),
    "signed_agency": (15, 15, 0),
    "signed_ice": (43, 43, 0),
    "agency_signer": (28, 28, 0),
    "agency_title": (34, 32, 2),  # Arcadia's form repeats ICE's "Acting Director"; an OCR'd "Pollce"
    "ice_signer": (35, 34, 1),  # Calhoun: "C.M. Cronen" under a signature, OCR'd as "C.M. Chan"
    "ice_title": (53, 53, 0),
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _person(text: str) -> tuple[str, str]:
    words = [w for w in re.split(r"[\s.]+", text) if w and _key(w) not in ("jr", "sr", "ii", "iii", "iv")]
    return (_key(words[-1]), _key(words[0])[:1]) if words else ("", "")


def same(field: str, found: str, truth: str) -> bool:
    if field.endswith("_signer"):
        return _person(found) == _person(truth)
    return _key(found) == _key(truth)


@pytest.fixture(scope="module")
def extracted(built_db) -> dict[str, dict]:
    with built_db.read() as conn:
        docs = list_documents(conn)
    out = {}
    for d in docs:
        signers = {s["party"]: s for s in d["signers"] if s["block"] == 1}
        values = {
            "kind": d["kind"],
            "models": ",".join(d["models"]) or None,
            "agency": d["agency"],
            "state": d["state"],
            "field_office": d["field_office"],
            "signed_agency": d["signed_agency"],
            "signed_ice": d["signed_ice"],
        }
        for party in ("agency", "ice"):
            values[f"{party}_signer"] = signers.get(party, {}).get("name")
            values[f"{party}_title"] = signers.get(party, {}).get("title")
        for name in d["names"]:
            out[name] = values
    return out


def tally(extracted: dict[str, dict]) -> tuple[dict[str, tuple[int, int, int]], list[str]]:
    counts = {f: [0, 0, 0] for f in FIELDS}
    wrong = []
    with FIXTURE.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            got = extracted[row["file"]]
            for field in FIELDS:
                value, truth = got[field], row[field]
                if value is None:
                    continue
                counts[field][0] += 1
                if truth and same(field, value, truth):
                    counts[field][1] += 1
                else:
                    counts[field][2] += 1
                    wrong.append(f"{row['file']}: {field} {value!r}, by hand {truth!r}")
    return {f: tuple(c) for f, c in counts.items()}, wrong


def test_every_sample_was_verified_by_hand():
    with FIXTURE.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    moas = sorted(p.name for p in (Path(__file__).parents[1] / "data" / "archive" / "moa").glob("*.pdf"))
    assert sorted(r["file"] for r in rows) == moas
    assert all(r["models"] in ("JEM", "TFM", "WSO") and r["kind"] == "moa" for r in rows)


def test_extracted_values_against_the_hand_verified_ones(extracted):
    counts, wrong = tally(extracted)
    assert counts == EXPECTED, "\n".join(wrong)


def test_dates_and_models_read_are_never_wrong(extracted):
    counts, _ = tally(extracted)
    for field in ("models", "signed_agency", "signed_ice", "state"):
        assert counts[field][2] == 0, field


def test_a_clause_searched_from_ahead_of_its_word_is_the_one_a_search_of_the_whole_page_finds(built_db_path):
    import sqlite3

    from track287g.documents.extract import _DELEGATED, _DELEGATED_SENTENCE, _RENEW, _RENEW_SENTENCE, _ahead_of

    with sqlite3.connect(built_db_path) as raw:
        pages = [" ".join(text.split()) for (text,) in raw.execute("SELECT text FROM document_page")]
    made = [
        "This MOA may be renewed. ",
        "x" * 300 + " renewal without an end " + "y" * 200 + ". The MOA is renewed by ICE.",  # the first fails
        "The parties agree. " + "z" * 70 + " the MOA renewal is yearly.",  # begins 70 characters before
        "Unrenewed; a renewal. Renewed.",
        "ICE only delegated the two authorities of warrants of arrest. " * 2,
    ]
    assert len(pages) > 700
    found = 0
    for text in pages + made:
        for word, sentence, ahead in ((_RENEW, _RENEW_SENTENCE, 80), (_DELEGATED, _DELEGATED_SENTENCE, 120)):
            whole = sentence.search(text)
            got = _ahead_of(word, sentence, ahead, text)
            assert (got and (got.span(), got.group(0))) == (whole and (whole.span(), whole.group(0)))
            found += whole is not None
    assert found >= len(made)
